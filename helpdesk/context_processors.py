from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from helpdesk import selectors
from helpdesk.permissions import perms_in_organization


def navigation(request):
    """The header: the navigation items the user's roles allow and the organization switcher."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    membership = request.membership
    perms = perms_in_organization(user, membership.organization if membership else None)
    items = [(_("Dashboard"), reverse("dashboard"))]
    if "cases.view_queue" in perms:
        items.append((_("Queue"), reverse("cases:queue")))
    if "cases.work_case" in perms:
        items.append((_("My work"), reverse("cases:my-work")))
    if "cases.view_org_cases" in perms:
        items.append((_("Cases"), reverse("cases:case-list")))
    if "cases.analyse_cases" in perms:
        items.append((_("Analysis"), reverse("cases:case-analysis")))
    if "docs.view_knowledge" in perms:
        # FAQ, documentation, process descriptions, news and (for its writers) the knowledge report are
        # tabs of one section, so that the header stays short.
        items.append((_("Knowledge"), reverse("docs:knowledge-search")))
    if "accounts.manage_organizations" in perms:
        items.append((_("Organizations"), reverse("accounts:organization-list")))
    if membership and "accounts.manage_members" in perms:
        items.append((_("Members"), reverse("accounts:my-members")))
    if "helpdesk.view_auditevent" in perms:
        items.append((_("Audit log"), reverse("accounts:audit-list")))
    return {
        "nav_items": items,
        "current_membership": membership,
        "switchable_memberships": request.memberships,
    }


def notification_bell(request):
    """The header bell: the user's unread notifications, counted in one query."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notification_count": selectors.unread_notification_count(user)}
