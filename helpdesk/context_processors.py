from django.urls import reverse
from django.utils.translation import gettext_lazy as _

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
