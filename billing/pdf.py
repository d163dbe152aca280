"""The statement's PDF, made with WeasyPrint in the statement's language, in a task (never in a request).

Everything that is the same for every statement is prepared once per process: the Django template (looked
up once, then only rendered), the parsed stylesheet and WeasyPrint's font configuration. The benchmark
renders a thousand statements per run; compiling the template and parsing the CSS each time would cost more
than the rendering of a page.

The page reads nothing from outside: the URL fetcher refuses every URL but `static:<path>`, a file of the
project's own static files (found by the staticfiles finders, no "..", no absolute paths). Data from the
database (an organization named `<img src="http://...">`) is escaped by the template, and even an URL that
came through would be refused without a network request.
"""

import posixpath
from functools import cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import get_template
from django.utils import timezone, translation

from .models import Statement
from .money import month_display

STATIC_SCHEME = "static:"
TEMPLATE = "billing/pdf/statement.html"
STYLESHEET = "billing/pdf/statement.css"
# What a statement may embed from the static files.
STATIC_TYPES = {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png"}


class RefusedURL(ValueError):
    """A URL the PDF may not read; WeasyPrint logs it and leaves the resource out."""


def static_path(url: str):
    """The file of the project's static files that `static:<path>` names, or RefusedURL."""
    if not url.startswith(STATIC_SCHEME):
        raise RefusedURL(f"The statement PDF reads only the project's static files, not {url[:200]!r}")
    path = url.removeprefix(STATIC_SCHEME).split("?")[0].split("#")[0]
    normal = posixpath.normpath(path)
    extension = posixpath.splitext(normal)[1].lower()
    if normal != path or normal.startswith(("/", "..")) or "\\" in normal or extension not in STATIC_TYPES:
        raise RefusedURL(f"Not a static file a statement may use: {path[:200]!r}")
    found = finders.find(normal)
    if not found:
        raise RefusedURL(f"No such static file: {normal!r}")
    return found, STATIC_TYPES[extension]


def url_fetcher_class():
    from weasyprint import URLFetcher
    from weasyprint.urls import URLFetcherResponse

    class StaticFilesOnly(URLFetcher):
        """WeasyPrint's fetcher, refusing everything but the project's static files: no network, no
        file:// paths, no data: URLs."""

        def fetch(self, url, headers=None):
            path, mime_type = static_path(url)
            with open(path, "rb") as file:
                body = file.read()
            return URLFetcherResponse(url, body, {"Content-Type": mime_type})

    return StaticFilesOnly


@cache
def _prepared():
    """The template, the stylesheet and the fonts of this process (see the module's docstring)."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    fetcher = url_fetcher_class()()
    fonts = FontConfiguration()
    stylesheet = CSS(url=STATIC_SCHEME + STYLESHEET, url_fetcher=fetcher, font_config=fonts)
    return get_template(TEMPLATE), stylesheet, fonts, fetcher


def statement_html(statement: Statement, lines=None) -> str:
    from .selectors import statement_lines

    template, _stylesheet, _fonts, _fetcher = _prepared()
    with translation.override(statement.language):
        return template.render(
            {
                "statement": statement,
                "organization": statement.organization,
                "contract": statement.contract,
                "lines": statement_lines(statement) if lines is None else lines,
                "vendor": vendor(),
                "printed_at": timezone.localtime(),
                "month": month_display(statement.period),
            }
        )


def statement_pdf(statement: Statement) -> bytes:
    """The statement's PDF as bytes."""
    from weasyprint import HTML

    _template, stylesheet, fonts, fetcher = _prepared()
    html = statement_html(statement)
    document = HTML(string=html, url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[stylesheet], font_config=fonts)


def vendor() -> dict:
    return {
        "name": settings.VENDOR_NAME,
        "oib": settings.VENDOR_OIB,
        "address": settings.VENDOR_ADDRESS,
        "iban": settings.VENDOR_IBAN,
    }
