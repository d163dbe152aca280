"""The knowledge panel of the customer dashboard (registered in DocsConfig.ready)."""

from helpdesk.permissions import has_org_perm

from . import selectors


def customer_news_panel(request):
    """The latest three news posts the member may read, each marked new until they have opened it."""
    membership = request.membership
    if not membership or not has_org_perm(request.user, selectors.VIEW, membership.organization):
        return None
    return {"posts": selectors.latest_news(request.user)}
