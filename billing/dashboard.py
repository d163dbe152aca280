"""The billing panel of the customer's dashboard (registered in BillingConfig.ready): for those who see the
organization's billing (FIN_ADMIN, ADMIN), the statements waiting for approval and this month's hours."""

from helpdesk.permissions import has_org_perm

from . import reports, selectors
from .models import Statement


def customer_billing_panel(request):
    membership = request.membership
    if not membership or not has_org_perm(request.user, selectors.VIEW_PERM, membership.organization):
        return None
    organization = membership.organization
    today = reports.today()
    contract = selectors.contract_current(organization, today)
    awaiting = Statement.objects.filter(organization=organization, state=Statement.State.AWAITING)
    return {
        "contract": contract,
        "budget": reports.hour_budget(organization, contract, today),
        "awaiting": list(awaiting.order_by("period")[:3]),
        "month": today,
    }
