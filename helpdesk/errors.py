"""The portal's handler500: a database that cannot be reached answers 503, a page that says so, rather than a
500. Django calls it for an exception raised anywhere in a request (a view, a template, any middleware,
saving the session), so one place covers them all; with DEBUG on, Django shows its traceback page instead.

Recovery needs nothing here: after a request whose connection failed, Django closes that connection when the
request ends, and `CONN_HEALTH_CHECKS` replaces a connection that died while idle before it is used.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.views import defaults

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
    """handler500: 503 when the database is unreachable, Django's plain 500 page for anything else."""
    if database_unavailable_error(sys.exception()):
        return database_unavailable(request)
    return defaults.server_error(request)


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
