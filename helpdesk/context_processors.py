from helpdesk import selectors
from helpdesk.navigation import nav_items
from helpdesk.permissions import perms_in_organization


def navigation(request):
    """The header: the navigation entries the user's permissions allow and the organization switcher."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    membership = request.membership
    perms = perms_in_organization(user, membership.organization if membership else None)
    return {
        "nav_items": nav_items(perms, in_organization=bool(membership)),
        "current_membership": membership,
        "switchable_memberships": request.memberships,
    }


def notification_bell(request):
    """The header bell: the user's unread notifications, counted in one query."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notification_count": selectors.unread_notification_count(user)}
