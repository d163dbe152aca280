"""User-written Markdown turned into safe HTML: the one place where user text becomes markup."""

import html
import re
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


def _sanitise(markup: str, tags: set[str]) -> str:
    return nh3.clean(
        markup,
        tags=tags,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


# An <img> as nh3 writes it: every attribute value in double quotes, with `"`, `<` and `>` escaped inside.
IMAGE_TAG = re.compile(r'<img\b((?:[^>"]|"[^"]*")*)>')
ATTRIBUTE = re.compile(r'([a-z]+)="([^"]*)"')


def _image_as_link(match: re.Match) -> str:
    attributes = {key: html.unescape(value) for key, value in ATTRIBUTE.findall(match.group(1))}
    src = attributes.get("src")
    text = html.escape(attributes.get("alt") or src or "")
    return f'<a href="{html.escape(src)}">{text}</a>' if src else text


def render_markdown(text: str, *, images: bool = True) -> SafeString:
    """Markdown to HTML, then sanitised: no scripts, no event handlers, links only to http(s)/mailto.
    `images=False` (e-mails) turns each image into a link to it: a mail client would load a remote image
    when the message is opened, and tell its host who read it and when (a tracking pixel). Pages keep their
    images: the CSP there (img-src 'self' data:) stops the browser from loading remote ones."""
    clean = _sanitise(_converter().reset().convert(text or ""), ALLOWED_TAGS)
    if not images:
        # Sanitised again without <img>: whatever the rewrite produced is held to the same rules.
        clean = _sanitise(IMAGE_TAG.sub(_image_as_link, clean), ALLOWED_TAGS - {"img"})
    return mark_safe(clean)  # noqa: S308  (sanitised by nh3 just above)
