"""Hour budget alerts: an organization's FIN_ADMINs (and ADMINs) are told when the month's billable consultant
hours reach 80 % and then 100 % of the hours their support contract includes: in-app and by e-mail, in their
own language, once per month and threshold.

Called by the task billing.tasks_time.hours_budget_check, which billing.timelog enqueues whenever billable
time of the current month is logged or changed. The notification's key names the organization, month and
threshold, so a second check (the next entry logged past the threshold, a task run twice) tells nobody again;
and nobody told of 100 % is told of 80 % later (after an entry was deleted).
"""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organization
from helpdesk.models import Notification
from helpdesk.notifications import notification_send
from helpdesk.permissions import users_with_perm

from .models import SupportContract, TimeEntry
from .money import hours_display, hours_of, month_display, month_end
from .selectors import APPROVE_PERM

# Percentages of the included hours that are announced, lowest first.
THRESHOLDS = (80, 100)


def _key(organization_id: int, period: date, threshold: int) -> str:
    return f"billing.hours-budget:{organization_id}:{period:%Y-%m}:{threshold}"


def month_billable_hours(organization_id: int, period: date) -> Decimal:
    """The billable hours logged for the organization in the month (on cases and general work)."""
    minutes = (
        TimeEntry.objects.filter(organization_id=organization_id)
        .in_month(period)
        .billable()
        .aggregate(total=Sum("minutes"))["total"]
    )
    return hours_of(minutes or 0)


def threshold_reached(used: Decimal, included: Decimal) -> int | None:
    """The highest threshold the used hours reach, or None (also when the contract includes no hours: then
    every hour is billed at the hourly rate and there is no budget to warn about)."""
    if included <= 0:
        return None
    reached = [threshold for threshold in THRESHOLDS if used * 100 >= included * threshold]
    return max(reached) if reached else None


class _Title:
    """The notification's sentence, rendered in the language active when notification_send renders it (the
    recipient's)."""

    def __init__(self, *, threshold: int, organization: str, used: Decimal, included: Decimal, period: date):
        self.threshold, self.organization = threshold, organization
        self.used, self.included, self.period = used, included, period

    def __str__(self):
        params = {
            "organization": self.organization,
            "threshold": self.threshold,
            "used": hours_display(self.used),
            "included": hours_display(self.included),
            "month": month_display(self.period),
        }
        if self.threshold >= 100:
            return (
                _(
                    "%(organization)s has used all the consultant hours included for %(month)s (%(used)s of "
                    "%(included)s h). Further hours are billed at the hourly rate."
                )
                % params
            )
        return (
            _(
                "%(organization)s has used %(threshold)d %% of the consultant hours included for %(month)s "
                "(%(used)s of %(included)s h)."
            )
            % params
        )


def hours_budget_check(*, organization_id: int, period: date) -> int:
    """Tell whoever approves the organization's statements that the month's billable hours reached a
    threshold, unless they were told of it (or of a higher one) already; returns how many were told."""
    organization = Organization.objects.filter(pk=organization_id, is_active=True).first()
    if organization is None:
        return 0
    day = min(timezone.localdate(), month_end(period))
    contract = SupportContract.objects.filter(organization=organization).active_on(day).first()
    if contract is None:
        return 0
    used = month_billable_hours(organization_id, period)
    threshold = threshold_reached(used, contract.included_hours)
    if threshold is None:
        return 0
    recipients = list(users_with_perm(APPROVE_PERM, organization).order_by("pk"))
    higher_or_same = [_key(organization_id, period, other) for other in THRESHOLDS if other >= threshold]
    told_before = set(
        Notification.objects.filter(recipient__in=recipients, event_key__in=higher_or_same).values_list(
            "recipient_id", flat=True
        )
    )
    title = _Title(
        threshold=threshold,
        organization=organization.name,
        used=used,
        included=contract.included_hours,
        period=period,
    )
    url = reverse("billing:overview")
    told = 0
    for recipient in recipients:
        if recipient.pk in told_before:
            continue
        notification_send(
            recipient=recipient,
            key=_key(organization_id, period, threshold),
            title=title,
            url=url,
            verb="billing.hours_budget",
            email_template="billing_hours_budget",
            email_context={
                "organization": organization,
                "title": title,
                "threshold": threshold,
                "used": used,
                "included": contract.included_hours,
                "hourly_rate": contract.hourly_rate,
                "period": period,
                "link": f"{settings.PORTAL_BASE_URL}{url}",
            },
        )
        told += 1
    return told
