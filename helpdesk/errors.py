"""The portal's error pages (handler400, 403, 404, 500 and CSRF_FAILURE_VIEW): branded, in the visitor's
language, with a way back to the dashboard or the sign-in.

handler500: a database that cannot be reached answers 503, a page that says so, rather than a 500. Django
calls it for an exception raised anywhere in a request (a view, a template, any middleware, saving the
session), so one place covers them all; with DEBUG on, Django shows its traceback page instead.

The 400 and 500 pages are rendered without the request context, as Django's own are: the request may be
the thing that is broken (a session that cannot be read, a database that failed), and the context
processors read the user, the session and the notifications. The 403, 404 and CSRF pages get the full
header. None of them shows the exception's message: a 404 says the same for an object that does not exist
and one of another organization.

Recovery needs nothing here: after a request whose connection failed, Django closes that connection when the
request ends, and `CONN_HEALTH_CHECKS` replaces a connection that died while idle before it is used.
"""

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme

RETRY_AFTER_SECONDS = 10
# SQLSTATE classes of a server that cannot be reached or is going away: 08 connection exception, 57
# operator intervention (shutdown, "cannot connect now"), 53 insufficient resources (too many connections).
UNAVAILABLE_CLASSES = ("08", "57", "53")


def database_unavailable_error(error: BaseException | None) -> bool:
    """Whether the error means the database could not be reached (the request may succeed a moment later),
    not that a query was wrong: PostgreSQL reports some data errors (a value too long to index) as
    OperationalError too, and those are the portal's bug, a 500."""
    if isinstance(error, InterfaceError):
        return True
    if not isinstance(error, OperationalError):
        return False
    sqlstate = getattr(error.__cause__, "sqlstate", None)
    return sqlstate is None or sqlstate[:2] in UNAVAILABLE_CLASSES


def server_error(request):
    """handler500: 503 when the database is unreachable, the portal's 500 page for anything else, rendered
    without touching the database (the error may have come from it)."""
    if database_unavailable_error(sys.exception()):
        return database_unavailable(request)
    return error_page(request, "500.html", 500, with_request=False)


def bad_request(request, exception):
    """handler400: a request the portal cannot read (a NUL in a parameter, a broken session, too many fields);
    without the request context, since the request itself is what is wrong."""
    return error_page(request, "400.html", 400, with_request=False)


def permission_denied(request, exception):
    """handler403."""
    return error_page(request, "403.html", 403)


def page_not_found(request, exception):
    """handler404: one page for a missing object and an object of another organization."""
    return error_page(request, "404.html", 404)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a form sent from a page too old (signed out or in meanwhile in another tab) or
    without the CSRF cookie. Offers the page the form came from, when it is the portal's own, to reload."""
    referer = request.headers.get("Referer", "")
    safe = url_has_allowed_host_and_scheme(referer, {request.get_host()}, require_https=request.is_secure())
    return error_page(request, "403_csrf.html", 403, context={"back_url": referer if safe else ""})


def error_language(request) -> str:
    """The visitor's language, read without the database: the one the middleware chose for this request
    (a signed-in user's own), or, when the error came before that middleware ran, the cookie's or the
    browser's."""
    return getattr(request, "LANGUAGE_CODE", None) or translation.get_language_from_request(request)


def error_page(
    request, template: str, status: int, *, with_request: bool = True, context=None
) -> HttpResponse:
    """An error page in the portal's layout. The way back is the dashboard for a visitor with a session
    cookie and the sign-in for anyone else: the cookie, not `request.user`, so no query is needed."""
    context = {"signed_in": settings.SESSION_COOKIE_NAME in request.COOKIES, **(context or {})}
    with translation.override(error_language(request)):
        content = render_to_string(template, context, request=request if with_request else None)
    return HttpResponse(content, status=status)


def database_unavailable(request) -> HttpResponse:
    """The outage page, in the visitor's language, rendered without touching the database: no request
    context (its processors read the user, the session and the notifications), and the language from the
    cookie or the browser, not the user's profile. Django logs the exception with the response."""
    language = translation.get_language_from_request(request)
    with translation.override(language):
        content = render_to_string(
            "helpdesk/database_unavailable.html",
            {"retry_url": request.get_full_path()},
        )
    response = HttpResponse(content, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
