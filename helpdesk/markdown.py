"""User-written Markdown turned into safe HTML: the one place where user text becomes markup."""

import threading

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "strong",
    "em",
    "b",
    "i",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "del",
    "img",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"align"},
    "td": {"align"},
}


_local = threading.local()


def _converter() -> markdown_lib.Markdown:
    """One converter per thread, reset before each text: building one (parser and extensions) costs more
    than converting a reply, and a case page converts dozens. Same HTML as markdown.markdown()."""
    if not hasattr(_local, "converter"):
        _local.converter = markdown_lib.Markdown(extensions=["fenced_code", "tables", "sane_lists", "nl2br"])
    return _local.converter


def render_markdown(text: str) -> SafeString:
    """Markdown to HTML, then sanitised: no scripts, no event handlers, links only to http(s)/mailto."""
    html = _converter().reset().convert(text or "")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)  # noqa: S308  (sanitised by nh3 just above)
