"""Expiry reminders: at 60, 30 and 7 days before a licence or its support ends, the organization's ADMINs and
FIN_ADMINs are told (in-app and e-mail, in their language), each once per licence and threshold, even when
the task runs twice or stopped halfway."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.roles import Role
from helpdesk.models import Notification
from licensing import services
from licensing.models import ExpiryReminder
from licensing.notifications import reminder_send, reminders_send_due
from licensing.tests.factories import licence_make
from tests.factories import member_create


@pytest.fixture
def claim_due():
    """The morning task of a given day."""

    def run(today):
        reminders_send_due(today=today)

    return run


@pytest.fixture
def people(organization, admin_user, fin_admin_user, sys_admin_user, standard_user):
    """Everybody of the organization; only the ADMIN and the FIN_ADMIN are to be told."""
    return {admin_user, fin_admin_user}


def _ending_in(organization, days, support_days=None):
    today = timezone.localdate()
    support = today + timedelta(days=support_days if support_days is not None else 400)
    return licence_make(organization, valid_until=today + timedelta(days=days), support_until=support)


def test_a_licence_ending_in_30_days_reminds_admins_and_fin_admins_once(claim_due, organization, people):
    licence = _ending_in(organization, 30, support_days=30)
    today = timezone.localdate()

    claim_due(today)
    claim_due(today)  # the beat task run twice

    reminders = ExpiryReminder.objects.filter(licence=licence)
    assert sorted(reminders.values_list("kind", "threshold")) == [("licence", 30), ("support", 30)]
    assert all(reminder.sent_at for reminder in reminders)
    told = Notification.objects.filter(event_key__startswith="licensing.reminder:")
    assert {notification.recipient for notification in told} == people
    assert told.count() == 4  # two people, licence and support
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [user.email for user in people for _kind in range(2)]
    )
    assert "Licence " + licence.number in told.filter(verb="licence.licence_expiry").first().title


def test_each_threshold_once_as_the_days_pass(claim_due, organization, people):
    licence = _ending_in(organization, 60)
    today = timezone.localdate()
    for day in range(0, 61):  # every morning until the last day
        claim_due(today + timedelta(days=day))
    thresholds = ExpiryReminder.objects.filter(licence=licence, kind="licence").values_list(
        "threshold", flat=True
    )
    assert sorted(thresholds) == [7, 30, 60]
    assert len(mail.outbox) == 3 * len(people)


def test_nothing_before_60_days_nor_for_a_suspended_or_past_licence(
    claim_due, organization, other_organization, people
):
    today = timezone.localdate()
    _ending_in(organization, 61)
    licence_make(other_organization, valid_until=today + timedelta(days=20), is_suspended=True)
    claim_due(today)
    assert not ExpiryReminder.objects.exists() and not mail.outbox


def test_a_renewed_licence_gets_its_own_reminders_for_the_new_end(
    claim_due, organization, people, vendor_admin
):
    licence = _ending_in(organization, 7)
    today = timezone.localdate()
    claim_due(today)
    change = services.TermsEdit(
        edition=licence.edition,
        valid_from=licence.valid_from,
        valid_until=today + timedelta(days=50),
        support_until=licence.support_until,
        products=tuple(licence.products.all()),
    )
    services.licence_change(licence=licence, change=change, by=vendor_admin, reason="Renewed")
    claim_due(today)
    assert sorted(ExpiryReminder.objects.values_list("threshold", flat=True)) == [7, 60]


def test_a_reminder_claimed_for_an_end_that_changed_is_not_sent(organization, people, vendor_admin):
    licence = _ending_in(organization, 7)
    reminder = ExpiryReminder.objects.create(
        licence=licence, kind="licence", threshold=7, ends_on=licence.valid_until
    )
    services.licence_change(licence=licence, change=services.Suspension(), by=vendor_admin, reason="Unpaid")
    assert reminder_send(reminder_id=reminder.pk) == 0
    assert not mail.outbox
    reminder.refresh_from_db()
    assert reminder.sent_at is not None


def test_a_run_stopped_halfway_is_completed_for_whoever_was_not_told(
    claim_due, organization, people, admin_user
):
    """A worker died after telling the first recipient: the requeued task tells only the others."""
    licence = _ending_in(organization, 30)
    claim_due(timezone.localdate() - timedelta(days=100))  # nothing due then
    reminder = ExpiryReminder.objects.create(
        licence=licence, kind="licence", threshold=30, ends_on=licence.valid_until
    )
    Notification.objects.create(
        recipient=admin_user, event_key=f"licensing.reminder:{reminder.pk}", title="x", url="/"
    )

    assert reminder_send(reminder_id=reminder.pk) == 2  # both asked, the ADMIN's already there
    assert [message.to for message in mail.outbox] == [[user.email] for user in people - {admin_user}]
    assert reminder_send(reminder_id=reminder.pk) == 0  # marked sent: a third run does nothing
    assert len(mail.outbox) == 1


def test_the_reminder_is_written_in_each_recipients_language(claim_due, organization, people):
    croatian = member_create(organization, [Role.FIN_ADMIN], email="hrvoje@jadran.test", full_name="Hrvoje")
    croatian.language = "hr"
    croatian.save(update_fields=["language"])
    licence = _ending_in(organization, 7)
    claim_due(timezone.localdate())
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects[croatian.email] == f"Licenca {licence.number} uskoro istječe"
    assert subjects[next(iter(people)).email] == f"Licence {licence.number} is ending"
