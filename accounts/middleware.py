from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from helpdesk.htmx import is_htmx

from . import sessions, two_factor
from .selectors import memberships_of

SESSION_ORGANIZATION_KEY = "organization_id"


class UserLanguageMiddleware:
    """A signed-in user's own language wins over the browser's; anonymous visitors keep Django's choice."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)


def _current_membership(request):
    memberships = request.memberships
    chosen = request.session.get(SESSION_ORGANIZATION_KEY)
    return next(
        (m for m in memberships if m.organization_id == chosen), memberships[0] if memberships else None
    )


class CurrentOrganizationMiddleware:
    """request.memberships (the user's active memberships) and request.membership, the one chosen in the
    header; both loaded on first use, so pages that do not need them pay nothing. Being lazy objects, they
    are never None themselves: test `if not request.membership`, never `is None`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.memberships = SimpleLazyObject(lambda: list(memberships_of(request.user)))
        request.membership = SimpleLazyObject(lambda: _current_membership(request))
        return self.get_response(request)


class SessionPolicyMiddleware:
    """Ends a signed-in session past its absolute or idle limit (accounts.sessions) before the view runs,
    with a message on the sign-in page; keeps the session's row in step when the session gets a new key."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        key = request.session.session_key
        signed_in = user.is_authenticated
        if signed_in:
            reason = sessions.ended_by_limit(request)
            if reason:
                logout(request)
                messages.info(request, LIMIT_MESSAGES[reason]())
                signed_in = False
            else:
                request.session_seconds_left = sessions.idle_seconds_left(request)
                request.session_warn_seconds = settings.SESSION_IDLE_WARNING
        response = self.get_response(request)
        new_key = request.session.session_key
        if signed_in and key and new_key and new_key != key and request.user.is_authenticated:
            sessions.session_rekeyed(key, new_key)
        return response


LIMIT_MESSAGES = {
    "idle": lambda: _("You were signed out after a time without activity. Sign in again to continue."),
    "absolute": lambda: _(
        "You were signed out: a session lasts at most 12 hours. Sign in again to continue."
    ),
}

# What a session waiting for its second factor may still reach.
SECOND_FACTOR_ALLOWED = frozenset(
    {
        "accounts:two-factor-setup",
        "accounts:two-factor-verify",
        "accounts:logout",
        "accounts:login",
        "accounts:session-status",
        "accounts:session-ping",
        "language-switch",
        "health",
    }
)


class SecondFactorMiddleware:
    """A session that waits for its second factor (accounts.two_factor) is sent to the code page, or to the
    set-up page when the user must have a second factor and has none; nothing else answers it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not two_factor.pending_step(request):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in SECOND_FACTOR_ALLOWED:
            return None
        target = two_factor.step_url(request, request.get_full_path())
        if is_htmx(request):
            return HttpResponse(status=204, headers={"HX-Redirect": target})
        return redirect(target)
