from django.utils import translation
from django.utils.functional import SimpleLazyObject

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
