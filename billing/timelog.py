"""Consultant time: logged on a case or as general work for an organization (a training, an on-site day),
changed or deleted until its month's statement is approved, and shown on the case timeline.

The writes are services (one transaction, audited, the budget check enqueued); the reads say who sees what:
a customer sees the billable time of a case and its description, never the internal note; staff see all.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.functions import TruncMonth
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk import outbox
from helpdesk.limits import TIME_TEXT_MAX, check_length
from helpdesk.models import AuditEvent
from helpdesk.permissions import has_global_perm
from helpdesk.services import audit_record

from . import tasks_time as tasks
from .models import Statement, TimeEntry
from .money import month_display, month_start
from .selectors import LOG_TIME_PERM, MANAGE_PERM

MINUTES_MAX = 24 * 60


# --- Rules -----------------------------------------------------------------------------------------------


def _approved_statement(organization, period) -> Exists:
    """Whether the month's statement is approved: its time may no longer change. Approval is final, so an
    approved statement is always the live one."""
    return Exists(
        Statement.objects.filter(organization=organization, period=period, state=Statement.State.APPROVED)
    )


def may_log_time(user) -> bool:
    """Vendor staff who log consultant time (consultants and vendor admins)."""
    return has_global_perm(user, LOG_TIME_PERM)


def may_change_entry(entry: TimeEntry, user, *, locked: bool) -> bool:
    """Whether the user may change or delete the entry now: its consultant or a vendor admin, until the
    month's statement is approved."""
    if locked or not may_log_time(user):
        return False
    return entry.consultant_id == user.pk or has_global_perm(user, MANAGE_PERM)


def _month_lock(organization_id: int, day: date) -> None:
    """Refuse when the day's month is approved. The live statement of the month is locked until the end of
    the transaction, so an approval waits for this change (or this change sees the approval)."""
    live = Statement.objects.live().filter(organization_id=organization_id, period=month_start(day))
    statement = live.select_for_update().first()
    if statement is not None and statement.is_approved:
        raise ValidationError(
            _(
                "The statement for %(month)s is approved: its time can no longer be logged, changed or "
                "deleted. Log a correction in the current month instead."
            )
            % {"month": month_display(day)},
            code="month_approved",
        )


def _check_values(*, day: date, minutes: int, description: str, internal_note: str) -> None:
    if minutes is None or minutes <= 0:
        raise ValidationError(_("The duration must be more than zero."), code="duration")
    if minutes > MINUTES_MAX:
        raise ValidationError(_("One entry covers at most 24 hours."), code="duration")
    if day > timezone.localdate():
        raise ValidationError(
            _("Time is logged for work done: the date cannot be in the future."), code="date"
        )
    if not description.strip():
        raise ValidationError(
            _("Describe the work: the customer reads this description."), code="description"
        )
    check_length(description, TIME_TEXT_MAX)
    check_length(internal_note, TIME_TEXT_MAX)


def _check_logger(by) -> None:
    if not may_log_time(by):
        raise ValidationError(_("Only Jupiter Software consultants log time."), code="permission")


def _budget_check_enqueue(entry: TimeEntry) -> None:
    """Billable time of the current month may cross an hour budget threshold (billing.alerts)."""
    if entry.is_billable and month_start(entry.date) == month_start(timezone.localdate()):
        outbox.enqueue(tasks.hours_budget_check, entry.organization_id, month_start(entry.date).isoformat())


def _audit(action: str, entry: TimeEntry, by, **details) -> None:
    audit_record(
        action=action,
        actor=by,
        organization=entry.organization,
        target=entry,
        details={
            "case": entry.case.reference if entry.case_id else None,
            "date": entry.date.isoformat(),
            "minutes": entry.minutes,
            "is_billable": entry.is_billable,
            **details,
        },
    )


# --- Services ----------------------------------------------------------------------------------------------


@transaction.atomic
def time_entry_log(
    *,
    by,
    day: date,
    minutes: int,
    description: str,
    is_billable: bool = True,
    internal_note: str = "",
    case=None,
    organization=None,
) -> TimeEntry:
    """Log the consultant's time on a case (its organization's) or as general work for an organization,
    unless the month's statement is approved."""
    _check_logger(by)
    if case is not None:
        if organization is not None and organization.pk != case.organization_id:
            raise ValidationError(_("The case belongs to another organization."), code="organization")
        organization = case.organization
    if organization is None:
        raise ValidationError(_("Choose the organization the work was for."), code="organization")
    _check_values(day=day, minutes=minutes, description=description, internal_note=internal_note)
    _month_lock(organization.pk, day)
    entry = TimeEntry.objects.create(
        consultant=by,
        organization=organization,
        case=case,
        date=day,
        minutes=minutes,
        is_billable=is_billable,
        description=description.strip(),
        internal_note=internal_note.strip(),
    )
    _audit(AuditEvent.Action.TIME_LOGGED, entry, by)
    _budget_check_enqueue(entry)
    return entry


def _locked_for_change(entry_id: int, by) -> TimeEntry:
    """The entry, locked, if `by` may change it; its month is checked by the caller."""
    _check_logger(by)
    entry = (
        TimeEntry.objects.select_for_update(of=("self",))
        .select_related("case", "organization")
        .get(pk=entry_id)
    )
    if not may_change_entry(entry, by, locked=False):
        raise ValidationError(_("Only the consultant who logged this time or a vendor admin may change it."))
    _month_lock(entry.organization_id, entry.date)
    return entry


@transaction.atomic
def time_entry_update(
    *,
    entry: TimeEntry,
    by,
    day: date,
    minutes: int,
    description: str,
    is_billable: bool,
    internal_note: str = "",
) -> TimeEntry:
    """Change an entry while neither its old nor its new month is approved."""
    entry = _locked_for_change(entry.pk, by)
    _check_values(day=day, minutes=minutes, description=description, internal_note=internal_note)
    if month_start(day) != month_start(entry.date):
        _month_lock(entry.organization_id, day)
    before = {"date": entry.date.isoformat(), "minutes": entry.minutes, "is_billable": entry.is_billable}
    entry.date, entry.minutes, entry.is_billable = day, minutes, is_billable
    entry.description, entry.internal_note = description.strip(), internal_note.strip()
    entry.save(update_fields=["date", "minutes", "is_billable", "description", "internal_note", "updated_at"])
    _audit(AuditEvent.Action.TIME_CHANGED, entry, by, before=before)
    _budget_check_enqueue(entry)
    return entry


@transaction.atomic
def time_entry_delete(*, entry: TimeEntry, by) -> None:
    """Delete an entry while its month is not approved."""
    entry = _locked_for_change(entry.pk, by)
    _audit(AuditEvent.Action.TIME_DELETED, entry, by, description=entry.description)
    entry.delete()


# --- Reads -------------------------------------------------------------------------------------------------


def _with_lock(entries: QuerySet[TimeEntry]) -> QuerySet[TimeEntry]:
    """Each entry's `is_locked`: whether its month is approved (in the same query)."""
    entries = entries.annotate(period=TruncMonth("date"))
    return entries.annotate(is_locked=_approved_statement(OuterRef("organization"), OuterRef("period")))


def entries_mark_changeable(entries, user) -> list[TimeEntry]:
    """Give each entry (annotated by _with_lock) `can_change`: whether this user may still change it."""
    for entry in entries:
        entry.can_change = may_change_entry(entry, user, locked=entry.is_locked)
    return entries


def case_time_entries(case, user, *, staff: bool) -> list[TimeEntry]:
    """The case's time as its timeline shows it, in one query: staff see every entry with its internal note;
    a customer only billable time and its description. Each entry says whether the user may change it."""
    entries = case.time_entries.select_related("consultant")
    if not staff:
        entries = entries.filter(is_billable=True).defer("internal_note")
    entries = _with_lock(entries).order_by("created_at", "pk")
    return entries_mark_changeable(list(entries), user)


def time_entries_of(user) -> QuerySet[TimeEntry]:
    """The time the consultant logged, newest first (their "my time" page)."""
    entries = TimeEntry.objects.filter(consultant=user).select_related("organization", "case")
    return _with_lock(entries).order_by("-date", "-created_at", "-pk")


def get_time_entry_for(user, pk: int) -> TimeEntry:
    """An entry for its edit page (views guard it with LOG_TIME_PERM: staff see every organization's time);
    `can_change` says whether this user may still change it."""
    entry = get_object_or_404(_with_lock(TimeEntry.objects.select_related("organization", "case")), pk=pk)
    entry.can_change = may_change_entry(entry, user, locked=entry.is_locked)
    return entry


@dataclass
class CaseTime:
    """What the case page shows of consultant time: entries for the timeline and, for those who log time, the
    form."""

    entries: list
    form: object | None = None


def case_time(case, user, *, staff: bool) -> CaseTime:
    from .forms_time import TimeEntryForm

    form = TimeEntryForm(initial={"day": timezone.localdate()}) if may_log_time(user) else None
    return CaseTime(entries=case_time_entries(case, user, staff=staff), form=form)


def case_page_part(case, user, *, internal: bool):
    """Consultant time on the case page (cases.page_parts): the entries in the timeline, and the form to log
    time under it for those who may."""
    from cases.page_parts import CasePagePart

    time = case_time(case, user, staff=internal)
    form = ("billing/_time_entry_form.html", {"case": case, "time_form": time.form}) if time.form else None
    return CasePagePart(timeline_items=time.entries, below_timeline=form)
