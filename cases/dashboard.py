"""The cases panels of the dashboards (registered in CasesConfig.ready)."""

from django.utils import timezone

from helpdesk.permissions import has_global_perm, has_org_perm

from . import selectors


def customer_cases_panel(request):
    membership = request.membership
    if not membership or not has_org_perm(request.user, "cases.view_org_cases", membership.organization):
        return None
    return selectors.customer_dashboard(request.user, membership.organization)


def staff_queue_panel(request):
    if not has_global_perm(request.user, "cases.view_queue"):
        return None
    return selectors.queue_sections(now=timezone.now())


def staff_work_panel(request):
    if not has_global_perm(request.user, "cases.work_case"):
        return None
    return selectors.consultant_work(request.user)
