"""The cases panels of the dashboards (registered in CasesConfig.ready)."""

from django.utils import timezone

from helpdesk.permissions import has_global_perm, has_org_perm

from . import selectors

DASHBOARD_ROWS = 8


def customer_cases_panel(request):
    membership = request.membership
    if not membership or not has_org_perm(request.user, "cases.view_org_cases", membership.organization):
        return None
    return selectors.customer_dashboard(request.user, membership.organization)


def staff_queue_panel(request):
    if not has_global_perm(request.user, "cases.view_queue"):
        return None
    return selectors.queue_sections(now=timezone.now(), with_recent=False)


def staff_work_panel(request):
    if not has_global_perm(request.user, "cases.work_case"):
        return None
    # The panel shows the first few of each list; "My work" has them all.
    return selectors.consultant_work(request.user, limit=DASHBOARD_ROWS, with_joined=False)
