"""Middleware of the portal's own: odd input refused before it reaches a view or the database, private
responses kept out of every cache, and refused requests audited. Their places in settings.MIDDLEWARE are
explained there."""

import logging
import time

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied
from django.core.signals import request_finished
from django.db import DatabaseError
from django.http import Http404
from django.utils.cache import patch_cache_control

from . import logs
from .permissions import NotVisible
from .services import access_denied_record

logger = logging.getLogger(__name__)
request_logger = logging.getLogger("helpdesk.request")


class RequestIdMiddleware:
    """First of all: gives the request its id (X-Request-ID when well-formed, else a new one), which every log
    line of the request and of the tasks it starts carries (helpdesk/logs.py), and which the response
    returns in X-Request-ID; then logs the request's line (method, path, status, duration, user)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = logs.request_id_from(request.headers.get(logs.REQUEST_ID_HEADER))
        # Cleared when the response is closed (request_finished), not here: Django logs a 4xx after the
        # middleware has returned, and that line carries the id too.
        logs.request_id_var.set(request.request_id)
        logs.request_var.set(request)
        started = time.monotonic()
        response = self.get_response(request)
        response[logs.REQUEST_ID_HEADER] = request.request_id
        duration_ms = round((time.monotonic() - started) * 1000, 1)
        request_logger.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={"method": request.method, "status": response.status_code, "duration_ms": duration_ms},
        )
        return response


def _request_context_clear(**kwargs):
    logs.request_id_var.set(None)
    logs.request_var.set(None)


request_finished.connect(_request_context_clear, dispatch_uid="helpdesk.request_context_clear")


NUL = "\x00"
FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}


def _has_nul(query_dict) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in query_dict.lists())


class RejectNulMiddleware:
    """A NUL character in the path, a parameter or a header answers 404 (path) or 400 (the rest).

    PostgreSQL's text types cannot hold NUL, so `/cases/%00/` used to reach a query and fail with a 500; no
    valid URL, form or header of the portal contains one, so it is refused here once for every view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.path_info:
            raise Http404
        if _has_nul(request.GET) or any(
            NUL in value for name, value in request.META.items() if name.startswith("HTTP_")
        ):
            raise BadRequest("NUL character in a parameter or header")
        # Only a form's body: a file upload's fields are parsed too, a JSON body is left to its view.
        if request.method == "POST" and request.content_type in FORM_TYPES and _has_nul(request.POST):
            raise BadRequest("NUL character in a form field")
        return self.get_response(request)


class PrivateCacheMiddleware:
    """`Cache-Control: private, no-store` on every response to a visitor with a session (everyone signed in)
    and on every download or export, so that neither a shared proxy nor the browser's disk keeps a page,
    a file or a list of cases. WhiteNoise answers static files before this runs: they stay cacheable.

    The session cookie, not `request.user`, tells who is signed in: looking the user up would cost a query
    on pages that never needed the user, and fail while the database is down."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            settings.SESSION_COOKIE_NAME in request.COOKIES
            or settings.SESSION_COOKIE_NAME in response.cookies
            or response.has_header("Content-Disposition")
        ):
            patch_cache_control(response, private=True, no_store=True)
        return response


class AccessDeniedAuditMiddleware:
    """Every refusal a view raises, audited in one place: PermissionDenied (403, `require_perm` and the
    `get_<noun>_for` selectors) and NotVisible (the 404 of another organization's object). Allowed requests
    pass untouched: nothing is read or written unless the view raised one of them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, PermissionDenied | NotVisible):
            try:
                access_denied_record(request=request, exception=exception)
            except DatabaseError:
                # The refusal still answers 403/404; a database that cannot take the row fails elsewhere too.
                logger.exception("The access denial of %s could not be audited", request.path)
        return None
