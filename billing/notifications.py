"""Who hears about a statement, and what they are told: in-app and by e-mail, in their own language.

Called by billing.tasks once the statement and its PDF are committed.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from helpdesk.notifications import notification_send
from helpdesk.permissions import users_with_perm

from .models import Statement
from .money import money_display, month_display
from .selectors import APPROVE_PERM

# Who hears about each kind of statement event: the organization's approvers (FIN_ADMIN and ADMIN, who
# hold billing.approve_statement there), while they are active members.
AUDIENCES: dict[str, frozenset[str]] = {
    "ready": frozenset({"approvers"}),
}


def statement_ready_notify(statement: Statement) -> int:
    """Tell the approvers that a statement awaits their approval; once per recipient and statement."""
    if not statement.is_awaiting:
        return 0  # approved, disputed or replaced meanwhile: nothing to ask of anyone
    key = f"statement-ready:{statement.pk}"
    recipients = users_with_perm(APPROVE_PERM, statement.organization_id).exclude(
        notifications__event_key=key
    )
    url = statement.get_absolute_url()
    count = 0
    for recipient in recipients.order_by("pk"):
        with translation.override(recipient.language):
            month = month_display(statement.period)
            title = _("The statement for %(month)s (%(total)s EUR) awaits your approval.") % {
                "month": month,
                "total": money_display(statement.total),
            }
        notification_send(
            recipient=recipient,
            key=key,
            verb="statement.ready",
            title=title,
            url=url,
            email_template="statement_ready",
            email_context={"statement": statement, "month": month, "link": settings.PORTAL_BASE_URL + url},
        )
        count += 1
    return count
