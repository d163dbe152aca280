"""The rules of consultant time (billing.timelog): who logs it, what a valid entry is, and that nothing of a
month changes once its statement is approved."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.roles import Role
from billing import timelog
from billing.models import Statement, TimeEntry
from billing.money import month_start, previous_month
from helpdesk.models import AuditEvent
from tests.factories import case_create, member_create


def month_approve(organization, period, by) -> Statement:
    """The month's statement, approved (written directly: the approval's own rules are tested elsewhere)."""
    return Statement.objects.create(
        organization=organization,
        period=month_start(period),
        state=Statement.State.APPROVED,
        approved_by=by,
        approved_at=timezone.now(),
    )


def log(by, **fields) -> TimeEntry:
    values = {"day": timezone.localdate(), "minutes": 90, "description": "Fixed the VAT report.", **fields}
    return timelog.time_entry_log(by=by, **values)


@pytest.fixture
def case(organization, standard_user):
    return case_create(organization, standard_user, title="VAT report is wrong")


def test_a_consultant_logs_time_on_a_case_for_its_organization(case, consultant):
    entry = log(consultant, case=case, minutes=90, is_billable=True, internal_note="  customer was rude ")

    entry.refresh_from_db()
    assert (entry.organization, entry.case, entry.consultant) == (case.organization, case, consultant)
    assert (entry.minutes, entry.is_billable, entry.internal_note) == (90, True, "customer was rude")
    event = AuditEvent.objects.get(action=AuditEvent.Action.TIME_LOGGED)
    assert (event.actor, event.organization, event.target_id) == (
        consultant,
        case.organization,
        str(entry.pk),
    )
    assert event.details["case"] == case.reference


def test_general_work_is_logged_for_an_organization(organization, vendor_admin):
    entry = log(vendor_admin, organization=organization, description="On-site training day", minutes=480)

    assert entry.case is None
    assert entry.organization == organization


@pytest.mark.parametrize("persona", ["dispatcher", "admin_user", "fin_admin_user", "standard_user"])
def test_only_staff_who_log_time_may_log_it(persona, case, request):
    with pytest.raises(ValidationError, match="Only Jupiter Software consultants log time"):
        log(request.getfixturevalue(persona), case=case)
    assert not TimeEntry.objects.exists()


@pytest.mark.parametrize("minutes", [0, -30, 24 * 60 + 1, None])
def test_a_duration_must_be_more_than_zero_and_within_a_day(minutes, case, consultant):
    with pytest.raises(ValidationError) as refused:
        log(consultant, case=case, minutes=minutes)
    assert refused.value.code == "duration"
    assert not TimeEntry.objects.exists()


def test_a_whole_day_is_the_longest_entry(case, consultant):
    assert log(consultant, case=case, minutes=24 * 60).minutes == 1440


def test_time_is_not_logged_for_the_future_nor_without_a_description(case, consultant):
    with pytest.raises(ValidationError, match="cannot be in the future"):
        log(consultant, case=case, day=timezone.localdate() + timedelta(days=1))
    with pytest.raises(ValidationError, match="Describe the work"):
        log(consultant, case=case, description="   ")
    with pytest.raises(ValidationError):
        log(consultant, case=case, description="x" * 2001)


def test_general_work_needs_an_organization_and_a_case_its_own(case, consultant, other_organization):
    with pytest.raises(ValidationError, match="Choose the organization"):
        log(consultant)
    with pytest.raises(ValidationError, match="another organization"):
        log(consultant, case=case, organization=other_organization)


def test_no_time_is_logged_in_an_approved_month(case, consultant, fin_admin_user):
    last_month = previous_month(timezone.localdate())
    month_approve(case.organization, last_month, fin_admin_user)

    with pytest.raises(ValidationError, match="is approved") as refused:
        log(consultant, case=case, day=last_month)

    assert refused.value.code == "month_approved"
    assert not TimeEntry.objects.exists()
    # The month before it, not approved, still takes time; so does another organization's same month.
    assert log(consultant, case=case, day=previous_month(last_month)).pk


def test_a_disputed_or_superseded_statement_does_not_lock_its_month(case, consultant, fin_admin_user):
    last_month = previous_month(timezone.localdate())
    Statement.objects.create(
        organization=case.organization, period=last_month, state=Statement.State.DISPUTED
    )

    entry = log(consultant, case=case, day=last_month)

    assert (
        timelog.time_entry_update(
            entry=entry, by=consultant, day=last_month, minutes=30, description="Less", is_billable=True
        ).minutes
        == 30
    )


def test_time_cannot_be_changed_or_deleted_after_its_month_is_approved(case, consultant, fin_admin_user):
    last_month = previous_month(timezone.localdate())
    entry = log(consultant, case=case, day=last_month, minutes=60)
    month_approve(case.organization, last_month, fin_admin_user)

    with pytest.raises(ValidationError, match="is approved"):
        timelog.time_entry_update(
            entry=entry, by=consultant, day=last_month, minutes=600, description="More", is_billable=True
        )
    with pytest.raises(ValidationError, match="is approved"):
        timelog.time_entry_update(
            entry=entry,
            by=consultant,
            day=timezone.localdate(),
            minutes=60,
            description="Moved",
            is_billable=True,
        )
    with pytest.raises(ValidationError, match="is approved"):
        timelog.time_entry_delete(entry=entry, by=consultant)

    entry.refresh_from_db()
    assert (entry.minutes, entry.date, entry.description) == (60, last_month, "Fixed the VAT report.")


def test_time_cannot_be_moved_into_an_approved_month(case, consultant, fin_admin_user):
    last_month = previous_month(timezone.localdate())
    month_approve(case.organization, last_month, fin_admin_user)
    entry = log(consultant, case=case)

    with pytest.raises(ValidationError, match="is approved"):
        timelog.time_entry_update(
            entry=entry, by=consultant, day=last_month, minutes=60, description="Moved", is_billable=True
        )
    entry.refresh_from_db()
    assert entry.date == timezone.localdate()


def test_the_consultant_changes_and_deletes_their_time_until_approval(case, consultant):
    entry = log(consultant, case=case, minutes=60)

    changed = timelog.time_entry_update(
        entry=entry, by=consultant, day=entry.date, minutes=45, description="Shorter", is_billable=False
    )
    assert (changed.minutes, changed.is_billable, changed.description) == (45, False, "Shorter")
    change = AuditEvent.objects.get(action=AuditEvent.Action.TIME_CHANGED)
    assert change.details["before"]["minutes"] == 60

    timelog.time_entry_delete(entry=changed, by=consultant)
    assert not TimeEntry.objects.exists()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.TIME_DELETED, actor=consultant).exists()


def test_only_its_consultant_or_a_vendor_admin_changes_an_entry(case, consultant, vendor_admin):
    customer_admin = member_create(case.organization, [Role.ADMIN], email="boss@jadran.test")
    entry = log(consultant, case=case)
    colleague = type(consultant).objects.create_user(email="kolega@jupiter.test", password="x")
    colleague.groups.set(consultant.groups.all())

    with pytest.raises(ValidationError, match="Only the consultant who logged this time"):
        timelog.time_entry_delete(entry=entry, by=colleague)
    with pytest.raises(ValidationError, match="Only Jupiter Software consultants"):
        timelog.time_entry_delete(entry=entry, by=customer_admin)

    timelog.time_entry_delete(entry=entry, by=vendor_admin)
    assert not TimeEntry.objects.exists()


def test_a_zero_duration_is_refused_on_change_too(case, consultant):
    entry = log(consultant, case=case)
    with pytest.raises(ValidationError) as refused:
        timelog.time_entry_update(
            entry=entry, by=consultant, day=entry.date, minutes=0, description="x", is_billable=True
        )
    assert refused.value.code == "duration"
