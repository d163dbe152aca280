"""Middleware of the portal's own: odd input refused before it reaches a view or the database, and private
responses kept out of every cache. Their places in settings.MIDDLEWARE are explained there."""

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import Http404
from django.utils.cache import patch_cache_control

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
