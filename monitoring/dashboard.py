"""The monitoring panel of the dashboard (registered in MonitoringConfig.ready): how many components are
critical, for a customer's SYS_ADMIN and ADMIN (their organization) and for staff (every customer)."""

from helpdesk.permissions import EVERYWHERE, Scope, has_global_perm, has_org_perm

from . import selectors

PANEL_ROWS = 5


def customer_monitoring_panel(request):
    membership = request.membership
    if not membership or not has_org_perm(request.user, selectors.VIEW_PERM, membership.organization):
        return None
    return _critical(Scope(ids=frozenset({membership.organization_id})))


def staff_monitoring_panel(request):
    if not has_global_perm(request.user, selectors.VIEW_ALL_PERM):
        return None
    return _critical(EVERYWHERE)


def _critical(scope: Scope) -> dict:
    components = selectors.critical_components(scope)
    rows = list(components[:PANEL_ROWS])
    return {"critical": components.count(), "components": rows, "several": scope.everywhere}
