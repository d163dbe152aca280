"""Who hears about what happens to a case (in-app and by e-mail), driven through the services with the
on-commit notification task run eagerly."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.formats import date_format
from django.utils.timezone import localtime

from accounts import services as account_services
from accounts.roles import Role, StaffGroup
from cases import services, tasks
from cases.models import Case, CaseEvent
from cases.notifications import event_recipients
from helpdesk.markdown import render_markdown
from helpdesk.models import Notification
from tests.factories import UserFactory, case_create

SECRET = "Margin on this customer is 42 percent"


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run a block's on-commit callbacks (the notification tasks, eager in tests) when it ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def people(standard_user, admin_user, fin_admin_user, dispatcher, consultant, vendor_admin):
    return {
        "standard": standard_user,  # reports the case
        "admin": admin_user,  # watches it
        "fin_admin": fin_admin_user,  # a member of the organization with nothing to do with it
        "dispatcher": dispatcher,  # assigns it
        "consultant": consultant,  # works on it (assignee, so a participant)
        "vendor_admin": vendor_admin,  # joined it (a staff participant)
    }


@pytest.fixture
def case(people, organization, on_commit):
    """A case in progress with a reporter, a customer watcher, an assignee and a staff participant; the
    notifications of setting it up are cleared."""
    with on_commit():
        case = case_create(organization, people["standard"])
        services.case_watch(case=case, user=people["admin"], watch=True)
        services.case_assign(case=case, consultant=people["consultant"], by=people["dispatcher"])
        services.case_join(case=case, user=people["vendor_admin"])
    Notification.objects.all().delete()
    mail.outbox.clear()
    return case


def notified(people) -> set[str]:
    """The personas with a notification, after checking that each got exactly one e-mail with it."""
    names = {user.pk: name for name, user in people.items()}
    in_app = sorted(names[pk] for pk in Notification.objects.values_list("recipient", flat=True))
    by_email = sorted(names[user.pk] for user in people.values() for m in mail.outbox if m.to == [user.email])
    assert in_app == by_email
    return set(in_app)


def other_case_logged(case, people):
    case_create(case.organization, people["fin_admin"], title="Payroll export stops")


def reassigned(case, people):
    services.case_assign(case=case, consultant=people["vendor_admin"], by=people["dispatcher"])


def customer_replied(case, people):
    services.case_reply(case=case, author=people["standard"], body="It still prints an empty page.")


def watcher_replied(case, people):
    services.case_reply(case=case, author=people["admin"], body="Same here.")


def consultant_replied(case, people):
    services.case_reply(case=case, author=people["consultant"], body="Please try the new driver.")


def consultant_noted(case, people):
    services.case_reply(case=case, author=people["consultant"], body=SECRET, internal=True)


def consultant_resolved(case, people):
    services.case_change_status(case=case, to=Case.Status.RESOLVED, by=people["consultant"])


def customer_withdrew(case, people):
    services.case_change_status(case=case, to=Case.Status.CLOSED, by=people["standard"])


def dispatcher_joined(case, people):
    services.case_join(case=case, user=people["dispatcher"])


RULES = [
    # action                 who hears about it (never the one who acted)
    (other_case_logged, {"dispatcher"}),
    (reassigned, {"vendor_admin"}),
    (customer_replied, {"admin", "consultant", "vendor_admin"}),
    (watcher_replied, {"standard", "consultant", "vendor_admin"}),
    (consultant_replied, {"standard", "admin", "vendor_admin"}),
    (consultant_noted, {"vendor_admin"}),
    (consultant_resolved, {"standard", "admin", "vendor_admin"}),
    (customer_withdrew, {"admin", "consultant", "vendor_admin"}),
    (dispatcher_joined, set()),
]


@pytest.mark.parametrize(("action", "expected"), RULES, ids=[action.__name__ for action, _ in RULES])
def test_who_is_notified_of_what(case, people, on_commit, action, expected):
    with on_commit():
        action(case, people)

    assert notified(people) == expected


def test_a_new_case_goes_to_every_active_dispatcher_but_its_author(organization, people, on_commit):
    dispatchers = Group.objects.get(name=StaffGroup.DISPATCHER)
    second = UserFactory(email="second.dispatcher@jupiter.test")
    retired = UserFactory(email="retired.dispatcher@jupiter.test", is_active=False)
    dispatchers.user_set.add(second, retired)
    with on_commit():
        case_create(organization, people["standard"])
    event = CaseEvent.objects.get(kind=CaseEvent.Kind.CREATED)

    assert event_recipients(event) == {people["dispatcher"], second}
    event.author = second
    assert event_recipients(event) == {people["dispatcher"]}


def test_automatic_assignment_notifies_the_consultant(organization, people, on_commit):
    services.consultant_set_availability(user=people["consultant"], available=True)
    with on_commit():
        case = case_create(organization, people["standard"])

    assert case.assignee == people["consultant"]
    assert notified(people) == {"dispatcher", "consultant"}
    assignment = Notification.objects.get(recipient=people["consultant"])
    assert assignment.verb == "case.assignment"
    assert assignment.url == case.get_absolute_url()
    assert case.reference in assignment.title


def test_nobody_is_notified_of_their_own_action_whatever_their_roles(case, people, on_commit):
    # The assignee is also a participant and would hear about a reply twice over; not about their own.
    with on_commit():
        consultant_replied(case, people)
        services.case_change_status(case=case, to=Case.Status.WAITING, by=people["consultant"])

    assert not Notification.objects.filter(recipient=people["consultant"]).exists()
    assert Notification.objects.filter(recipient=people["standard"]).count() == 2


def test_muting_silences_one_case_only(case, people, organization, on_commit):
    with on_commit():
        other = case_create(organization, people["fin_admin"], title="Payroll export stops")
        services.case_watch(case=other, user=people["admin"], watch=True)
    services.case_mute(case=case, user=people["admin"], muted=True)
    services.case_mute(case=case, user=people["consultant"], muted=True)
    Notification.objects.all().delete()

    with on_commit():
        services.case_reply(case=case, author=people["standard"], body="Any news?")
        services.case_reply(case=other, author=people["fin_admin"], body="Any news?")

    heard = set(Notification.objects.values_list("recipient__email", "url"))
    assert (people["admin"].email, other.get_absolute_url()) in heard
    assert (people["admin"].email, case.get_absolute_url()) not in heard
    # Muting works whatever the role: the assignee is silenced too.
    assert (people["consultant"].email, case.get_absolute_url()) not in heard
    assert (people["vendor_admin"].email, case.get_absolute_url()) in heard


def test_unmuting_restores_notifications(case, people, on_commit):
    services.case_mute(case=case, user=people["admin"], muted=True)
    services.case_mute(case=case, user=people["admin"], muted=False)

    with on_commit():
        consultant_replied(case, people)

    assert "admin" in notified(people)


def test_internal_note_reaches_staff_only_and_no_customer_sees_its_text(
    case, people, on_commit, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("margins.xlsx", b"secret numbers", content_type="application/octet-stream")
    with on_commit():
        services.case_reply(
            case=case, author=people["consultant"], body=SECRET, internal=True, files=[upload]
        )

    assert notified(people) == {"vendor_admin"}
    staff_mail = mail.outbox[0]
    assert SECRET in staff_mail.body
    assert "margins.xlsx" in staff_mail.body
    customers = [people[name] for name in ("standard", "admin", "fin_admin")]
    assert not Notification.objects.filter(recipient__in=customers).exists()
    assert not [message for message in mail.outbox if {user.email for user in customers} & set(message.to)]


def test_internal_note_never_reaches_a_customer_even_as_a_participant(case, people, on_commit):
    # A participant row for a customer (should one ever exist) does not make them staff.
    case.watchers.filter(user=people["admin"]).update(kind="participant")

    with on_commit():
        consultant_noted(case, people)

    assert notified(people) == {"vendor_admin"}
    assert all(
        SECRET not in message.body for message in mail.outbox if message.to != [people["vendor_admin"].email]
    )


def test_inactive_users_are_not_notified(case, people, on_commit):
    people["admin"].is_active = False
    people["admin"].save(update_fields=["is_active"])

    with on_commit():
        consultant_replied(case, people)

    assert notified(people) == {"standard", "vendor_admin"}


def test_a_former_member_still_watching_is_not_notified(
    case, people, organization, other_organization, on_commit
):
    former = people["fin_admin"]
    services.case_watch(case=case, user=former, watch=True)
    # Still active through another organization, no longer allowed to see this one's cases.
    account_services.member_add(organization=other_organization, user=former, roles=[Role.STANDARD], by=None)
    membership = former.memberships.get(organization=organization)
    account_services.member_deactivate(membership=membership, by=None)
    former.refresh_from_db()
    assert former.is_active

    with on_commit():
        consultant_replied(case, people)

    assert notified(people) == {"standard", "admin", "vendor_admin"}


def test_running_the_task_twice_creates_one_notification_and_one_email(case, people, on_commit):
    with on_commit():
        event = services.case_reply(case=case, author=people["consultant"], body="Try the new driver.")
    assert Notification.objects.count() == 3
    assert len(mail.outbox) == 3

    tasks.case_event_notify(event.pk)

    assert Notification.objects.count() == 3
    assert len(mail.outbox) == 3


def test_a_task_for_a_deleted_event_does_nothing(db):
    tasks.case_event_notify(987654321)

    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_email_is_in_the_recipients_language(case, people, on_commit):
    people["standard"].language = "hr"
    people["standard"].save(update_fields=["language"])

    with on_commit():
        consultant_replied(case, people)

    by_address = {message.to[0]: message for message in mail.outbox}
    croatian, english = by_address[people["standard"].email], by_address[people["admin"].email]
    assert croatian.subject == f"Novi odgovor · {case.reference} {case.title}"
    assert english.subject == f"New reply · {case.reference} {case.title}"
    event = CaseEvent.objects.get(kind=CaseEvent.Kind.REPLY)
    with translation.override("hr"):
        croatian_date = date_format(localtime(event.created_at), "DATETIME_FORMAT")
    assert croatian_date in croatian.body
    assert croatian_date not in english.body


def test_email_quotes_the_reply_safely_and_links_to_the_case(case, people, on_commit, settings):
    body = "Please try **the new driver**.\n\n<script>alert('x')</script>"
    with on_commit():
        services.case_reply(case=case, author=people["consultant"], body=body)

    message = next(m for m in mail.outbox if m.to == [people["standard"].email])
    link = settings.PORTAL_BASE_URL + case.get_absolute_url()
    assert case.reference in message.subject
    assert case.title in message.subject
    assert "Please try **the new driver**." in message.body
    assert link in message.body
    html, _mimetype = message.alternatives[0]
    assert "<strong>the new driver</strong>" in html
    assert "<script>" not in html
    assert f'href="{link}"' in html
    assert people["consultant"].full_name in message.body


def test_email_turns_a_remote_image_into_a_link_so_opening_it_loads_nothing(case, people, on_commit):
    body = "The error:\n\n![screenshot](http://tracker.test/pixel.gif?who=1&case=2)"
    with on_commit():
        services.case_reply(case=case, author=people["consultant"], body=body)

    message = next(m for m in mail.outbox if m.to == [people["standard"].email])
    html, _mimetype = message.alternatives[0]
    assert "<img" not in html
    assert 'src="http://tracker.test' not in html
    assert '<a href="http://tracker.test/pixel.gif?who=1&amp;case=2"' in html
    assert ">screenshot</a>" in html
    # A page shows the image as before: its CSP (img-src 'self' data:) keeps the browser from loading it.
    image = '<img alt="screenshot" src="http://tracker.test/pixel.gif?who=1&amp;case=2">'
    assert image in render_markdown(body)


def test_status_change_says_the_new_status(case, people, on_commit):
    with on_commit():
        consultant_resolved(case, people)

    notification = Notification.objects.get(recipient=people["standard"])
    assert "Resolved" in notification.title
    message = next(m for m in mail.outbox if m.to == [people["standard"].email])
    assert message.subject.startswith("Status: Resolved · ")
