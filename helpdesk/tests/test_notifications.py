"""In-app notifications: sending once per key, the e-mail in the recipient's language, the list, the bell
and marking as read."""

import pytest
from django.core import mail
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from helpdesk import notifications
from helpdesk.context_processors import notification_bell
from helpdesk.models import Notification

CASE_URL = "/cases/JS-2026-000001/"


def send(recipient, key="case-event:1", title="Ivan replied in case JS-2026-000001.", **kwargs):
    return notifications.notification_send(
        recipient=recipient,
        key=key,
        title=title,
        url=CASE_URL,
        verb="case.reply",
        email_template="case_event",
        email_context={
            "what": "New reply",
            "headline": title,
            "case": {"reference": "JS-2026-000001", "title": "Invoices do not print"},
            "event": {"created_at": timezone.now()},
            "body": "Please try **again**.",
            "attachments": [],
            "link": "http://portal.test" + CASE_URL,
        },
        **kwargs,
    )


def test_sending_twice_with_one_key_creates_one_notification_and_one_email(standard_user):
    first = send(standard_user)
    second = send(standard_user)

    assert first == second
    assert Notification.objects.filter(recipient=standard_user).count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [standard_user.email]
    assert first.title == "Ivan replied in case JS-2026-000001."
    assert first.url == CASE_URL
    assert first.read_at is None


def test_each_recipient_gets_their_own_notification_for_one_key(standard_user, admin_user):
    send(standard_user)
    send(admin_user)

    assert sorted(Notification.objects.values_list("recipient__email", flat=True)) == sorted(
        [standard_user.email, admin_user.email]
    )
    assert sorted(message.to[0] for message in mail.outbox) == sorted([standard_user.email, admin_user.email])


def test_a_notification_without_email_template_sends_no_email(standard_user):
    notifications.notification_send(recipient=standard_user, key="k:1", title="Hello", url=CASE_URL)

    assert Notification.objects.filter(recipient=standard_user, event_key="k:1").exists()
    assert mail.outbox == []


def test_a_notification_needs_a_key(standard_user):
    with pytest.raises(ValueError, match="key"):
        notifications.notification_send(recipient=standard_user, key="", title="Hello", url=CASE_URL)
    assert not Notification.objects.exists()


def test_a_failed_email_leaves_no_notification_so_a_retry_sends_it(standard_user, monkeypatch):
    def smtp_down(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(notifications, "email_send", smtp_down)
    with pytest.raises(OSError):
        send(standard_user)
    assert not Notification.objects.exists()

    monkeypatch.undo()
    send(standard_user)
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


def test_title_and_email_are_in_the_recipients_language(standard_user, admin_user):
    standard_user.language = "hr"
    standard_user.save(update_fields=["language"])
    title = gettext_lazy("New reply")  # a message of the portal's catalogue

    croatian = send(standard_user, title=title)
    english = send(admin_user, title=title)

    assert croatian.title == "Novi odgovor"
    assert english.title == "New reply"
    by_address = {message.to[0]: message for message in mail.outbox}
    # Django's own Croatian catalogue and formats apply to the e-mail: the dates differ.
    assert by_address[standard_user.email].body != by_address[admin_user.email].body


def test_the_email_has_text_and_html_with_the_link(standard_user):
    send(standard_user)

    message = mail.outbox[0]
    assert message.subject == "New reply · JS-2026-000001 Invoices do not print"
    assert "Please try **again**." in message.body
    assert "http://portal.test" + CASE_URL in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "Please try <strong>again</strong>." in html
    assert f'href="http://portal.test{CASE_URL}"' in html


# --- The bell -----------------------------------------------------------------------------------------------


def test_the_bell_counts_unread_notifications_of_the_user_in_one_query(
    standard_user, admin_user, django_assert_num_queries
):
    send(standard_user, key="a")
    send(standard_user, key="b")
    notifications.notification_read(notification=send(standard_user, key="c"))
    send(admin_user, key="a")
    request = RequestFactory().get("/")
    request.user = standard_user

    with django_assert_num_queries(1):
        assert notification_bell(request) == {"unread_notification_count": 2}


def test_pages_show_the_bell_with_the_unread_count(client_for, standard_user):
    send(standard_user, key="a")
    send(standard_user, key="b")

    response = client_for(standard_user).get(reverse("notification-list"))

    bell = response.content.decode().split('id="notification-bell"')[1].split("</a>")[0]
    assert ">2</span>" in bell
    assert "2 unread notifications" in bell
    assert f'hx-get="{reverse("notification-count")}"' in response.content.decode()


def test_the_bell_partial_refreshes_the_count(client_for, standard_user):
    client = client_for(standard_user)
    assert ">1</span>" not in client.get(reverse("notification-count")).content.decode()

    send(standard_user)
    response = client.get(reverse("notification-count"), headers={"hx-request": "true"})

    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith("<a ")
    assert 'id="notification-bell"' in html
    assert ">1</span>" in html
    assert "<html" not in html


def test_the_bell_shows_99_plus_beyond_99(client_for, standard_user):
    Notification.objects.bulk_create(
        Notification(recipient=standard_user, title=f"n{i}", event_key=f"k{i}") for i in range(120)
    )

    html = client_for(standard_user).get(reverse("notification-count")).content.decode()

    assert ">99+</span>" in html


# --- The list and marking as read ---------------------------------------------------------------------------


def test_list_shows_own_notifications_newest_first_with_unread_marked(client_for, standard_user, admin_user):
    older = send(standard_user, key="a", title="Older news")
    notifications.notification_read(notification=older)
    send(standard_user, key="b", title="Newer news")
    send(admin_user, key="c", title="Somebody else's news")

    response = client_for(standard_user).get(reverse("notification-list"))

    assert response.status_code == 200
    assert [n.title for n in response.context["page"]] == ["Newer news", "Older news"]
    html = response.content.decode()
    assert "Somebody else" not in html
    assert html.count("notification-unread") == 1
    assert reverse("notification-read", args=[older.pk]) not in html  # a read one is a plain link


def test_list_query_count_is_the_same_for_one_and_thirty_notifications(client_for, standard_user):
    client = client_for(standard_user)
    send(standard_user, key="first")
    client.get(reverse("notification-list"))  # warm up: content types, permissions caches

    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("notification-list")).status_code == 200
    Notification.objects.bulk_create(
        Notification(recipient=standard_user, title=f"News {i}", url=CASE_URL, event_key=f"k{i}")
        for i in range(29)
    )
    with CaptureQueriesContext(connection) as thirty:
        response = client.get(reverse("notification-list"))

    assert len(response.context["page"]) == 25
    assert response.context["page"].has_next
    assert len(thirty) == len(one)


def test_reading_a_notification_marks_it_and_goes_to_its_page(client_for, standard_user):
    notification = send(standard_user)

    response = client_for(standard_user).post(reverse("notification-read", args=[notification.pk]))

    assert response.status_code == 302
    assert response["Location"] == CASE_URL
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_reading_again_keeps_the_first_reading_time(client_for, standard_user):
    notification = send(standard_user)
    client = client_for(standard_user)
    client.post(reverse("notification-read", args=[notification.pk]))
    notification.refresh_from_db()
    first_read = notification.read_at

    client.post(reverse("notification-read", args=[notification.pk]))

    notification.refresh_from_db()
    assert notification.read_at == first_read


def test_another_users_notification_is_404_and_stays_unread(client_for, standard_user, admin_user):
    notification = send(standard_user)

    response = client_for(admin_user).post(reverse("notification-read", args=[notification.pk]))

    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_reading_never_redirects_off_the_site(client_for, standard_user):
    notification = Notification.objects.create(
        recipient=standard_user, title="Odd", url="https://evil.example/", event_key="odd"
    )

    response = client_for(standard_user).post(reverse("notification-read", args=[notification.pk]))

    assert response["Location"] == reverse("notification-list")


def test_read_all_marks_only_own_notifications(client_for, standard_user, admin_user):
    send(standard_user, key="a")
    send(standard_user, key="b")
    send(admin_user, key="a")

    response = client_for(standard_user).post(reverse("notification-read-all"))

    assert response.status_code == 302
    assert response["Location"] == reverse("notification-list")
    assert not Notification.objects.filter(recipient=standard_user, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=admin_user, read_at__isnull=True).count() == 1


def test_anonymous_pages_have_no_bell(client_for):
    response = client_for().get(reverse("accounts:login"))

    assert response.status_code == 200
    assert "notification-bell" not in response.content.decode()
