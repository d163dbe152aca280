"""Hour budget alerts (billing.alerts): the organization's FIN_ADMINs and ADMINs are told when this month's
billable hours reach 80 % and 100 % of the included hours, once per month and threshold, in-app and by e-mail
in their language; triggered by logging time (the task runs after commit)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from accounts.roles import Role
from billing import alerts, timelog
from billing.money import month_start, previous_month
from billing.tests.factories import contract_make
from helpdesk.models import Notification
from tests.factories import member_create


@pytest.fixture
def contract(organization):
    return contract_make(organization, included_hours="10")


def log(consultant, organization, minutes, *, day=None, billable=True, capture):
    with capture(execute=True):
        return timelog.time_entry_log(
            by=consultant,
            organization=organization,
            day=day or timezone.localdate(),
            minutes=minutes,
            is_billable=billable,
            description="Work",
        )


@pytest.fixture
def recipients(admin_user, fin_admin_user, standard_user, sys_admin_user):
    return {admin_user.email, fin_admin_user.email}


def budget_notifications(threshold=None):
    notifications = Notification.objects.filter(verb="billing.hours_budget")
    if threshold is not None:
        notifications = notifications.filter(event_key__endswith=f":{threshold}")
    return notifications


def test_reaching_80_percent_tells_the_fin_admins_and_admins_once(
    organization, contract, consultant, recipients, django_capture_on_commit_callbacks
):
    log(consultant, organization, 7 * 60, capture=django_capture_on_commit_callbacks)
    assert not mail.outbox  # 70 %

    log(consultant, organization, 60, capture=django_capture_on_commit_callbacks)  # 80 %
    log(consultant, organization, 30, capture=django_capture_on_commit_callbacks)  # 85 %: past it again

    assert {message.to[0] for message in mail.outbox} == recipients
    assert len(mail.outbox) == 2
    assert budget_notifications(80).count() == 2
    assert budget_notifications().count() == 2
    assert "80 % of the consultant hours included" in budget_notifications(80).first().title
    assert "8.00 of 10.00 h" in mail.outbox[0].body


def test_reaching_100_percent_is_told_once_too(
    organization, contract, consultant, recipients, django_capture_on_commit_callbacks
):
    log(consultant, organization, 8 * 60, capture=django_capture_on_commit_callbacks)
    log(consultant, organization, 2 * 60, capture=django_capture_on_commit_callbacks)  # 100 %
    log(consultant, organization, 60, capture=django_capture_on_commit_callbacks)  # 110 %

    assert budget_notifications(80).count() == 2
    assert budget_notifications(100).count() == 2
    assert len(mail.outbox) == 4
    assert "used all the consultant hours included" in budget_notifications(100).first().title


def test_a_jump_past_both_thresholds_tells_of_100_only_and_never_of_80_later(
    organization, contract, consultant, recipients, django_capture_on_commit_callbacks
):
    entry = log(consultant, organization, 11 * 60, capture=django_capture_on_commit_callbacks)
    assert budget_notifications(100).count() == 2
    # An entry deleted brings the month back to 90 %; a new one does not announce 80 % after 100 %.
    timelog.time_entry_delete(entry=entry, by=consultant)
    log(consultant, organization, 9 * 60, capture=django_capture_on_commit_callbacks)

    assert budget_notifications().count() == 2
    assert len(mail.outbox) == 2


def test_non_billable_time_and_other_months_do_not_count(
    organization, contract, consultant, recipients, django_capture_on_commit_callbacks
):
    last_month = previous_month(timezone.localdate())
    log(consultant, organization, 20 * 60, billable=False, capture=django_capture_on_commit_callbacks)
    log(consultant, organization, 12 * 60, day=last_month, capture=django_capture_on_commit_callbacks)

    assert alerts.month_billable_hours(organization.pk, month_start(timezone.localdate())) == Decimal("0.00")
    assert not budget_notifications().exists()
    assert not mail.outbox


def test_no_alert_without_a_contract_or_included_hours(
    organization, consultant, recipients, django_capture_on_commit_callbacks
):
    log(consultant, organization, 600, capture=django_capture_on_commit_callbacks)
    contract_make(organization, included_hours="0", valid_from=timezone.localdate() - timedelta(days=400))
    log(consultant, organization, 600, capture=django_capture_on_commit_callbacks)

    assert not budget_notifications().exists()


def test_the_alert_is_written_in_each_recipients_language(
    organization, contract, consultant, fin_admin_user, django_capture_on_commit_callbacks
):
    fin_admin_user.language = "hr"
    fin_admin_user.save(update_fields=["language"])
    english = member_create(organization, [Role.FIN_ADMIN], email="cfo@jadran.test")

    log(consultant, organization, 10 * 60, capture=django_capture_on_commit_callbacks)

    croatian_title = Notification.objects.get(recipient=fin_admin_user).title
    english_title = Notification.objects.get(recipient=english).title
    assert "10,00" in croatian_title  # Croatian numbers
    assert "10.00" in english_title
    assert croatian_title != english_title


def test_the_check_run_twice_tells_nobody_twice(organization, contract, consultant, recipients):
    timelog.time_entry_log(
        by=consultant, organization=organization, day=timezone.localdate(), minutes=600, description="Work"
    )
    period = month_start(timezone.localdate())

    first = alerts.hours_budget_check(organization_id=organization.pk, period=period)
    second = alerts.hours_budget_check(organization_id=organization.pk, period=period)

    assert (first, second) == (2, 0)
    assert len(mail.outbox) == 2


@pytest.mark.parametrize(
    ("used", "included", "reached"),
    [("7.99", "10", None), ("8", "10", 80), ("9.99", "10", 80), ("10", "10", 100), ("50", "10", 100),
     ("5", "0", None)],
)  # fmt: skip
def test_threshold_reached(used, included, reached):
    assert alerts.threshold_reached(Decimal(used), Decimal(included)) == reached
