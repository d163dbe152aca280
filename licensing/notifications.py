"""Who is reminded that a licence or its support contract ends, and what they are told: in-app and by e-mail,
in their own language. Called by the morning task licensing.tasks.licence_reminders_due."""

import logging
from datetime import date

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import ngettext_lazy

from helpdesk.notifications import notification_send
from helpdesk.permissions import users_with_perm

from . import services
from .models import ExpiryReminder
from .selectors import TERMS_PERM

logger = logging.getLogger(__name__)

# The organization's people who read the licence's terms: its ADMINs and FIN_ADMINs (accounts/roles.py).
AUDIENCE_PERM = TERMS_PERM

TITLES = {
    ExpiryReminder.Kind.LICENCE: ngettext_lazy(
        "Licence %(number)s ends in %(days)d day, on %(date)s.",
        "Licence %(number)s ends in %(days)d days, on %(date)s.",
        "days",
    ),
    ExpiryReminder.Kind.SUPPORT: ngettext_lazy(
        "Support for licence %(number)s ends in %(days)d day, on %(date)s.",
        "Support for licence %(number)s ends in %(days)d days, on %(date)s.",
        "days",
    ),
}


class _Title:
    """A title rendered lazily, in the language active when notification_send renders it (the recipient's)."""

    def __init__(self, kind: str, params: dict):
        self.kind, self.params = kind, params

    def __str__(self):
        params = {**self.params, "date": date_format(self.params["date"], "SHORT_DATE_FORMAT")}
        return TITLES[self.kind] % params


def _still_due(reminder: ExpiryReminder) -> bool:
    """A reminder claimed for an end date that has changed since (renewed, suspended) is not sent."""
    licence = reminder.licence
    if not licence.is_current or licence.is_suspended:
        return False
    if reminder.kind == ExpiryReminder.Kind.LICENCE:
        return licence.valid_until == reminder.ends_on
    return licence.support_until == reminder.ends_on


def reminder_send(*, reminder_id: int) -> int:
    """Notify each ADMIN and FIN_ADMIN of the organization once (notification_send is idempotent per recipient
    and key), then mark the reminder sent; returns how many were notified. A reminder already sent does
    nothing; one whose run was interrupted is completed for whoever was not told yet."""
    reminder = ExpiryReminder.objects.select_related("licence__organization").filter(pk=reminder_id).first()
    if reminder is None or reminder.sent_at is not None:
        return 0
    licence = reminder.licence
    told = 0
    if _still_due(reminder):
        days = (reminder.ends_on - timezone.localdate()).days
        title = _Title(reminder.kind, {"number": licence.number, "days": days, "date": reminder.ends_on})
        url = licence.get_absolute_url()
        for recipient in users_with_perm(AUDIENCE_PERM, licence.organization_id).order_by("pk"):
            notification_send(
                recipient=recipient,
                key=f"licensing.reminder:{reminder.pk}",
                title=title,
                url=url,
                verb=f"licence.{reminder.kind}_expiry",
                email_template="licence_reminder",
                email_context={
                    "licence": licence,
                    "reminder": reminder,
                    "title": title,
                    "is_support": reminder.kind == ExpiryReminder.Kind.SUPPORT,
                    "link": f"{settings.PORTAL_BASE_URL}{url}",
                },
            )
            told += 1
    ExpiryReminder.objects.filter(pk=reminder.pk, sent_at__isnull=True).update(sent_at=timezone.now())
    return told


def reminders_send_due(*, today: date) -> tuple[int, int]:
    """Claim the reminders due today and send every unsent one; returns (reminders, recipients). A reminder
    whose mail fails stays unsent: the next run sends it to whoever was not told yet."""
    ids = services.reminders_claim_due(today=today)
    told = 0
    for reminder_id in ids:
        try:
            told += reminder_send(reminder_id=reminder_id)
        except OSError:
            logger.exception("Licence reminder %s could not be sent", reminder_id)
    return len(ids), told
