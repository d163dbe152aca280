"""The notification list: grouped by local day, unread in bold and read in normal weight, an empty state."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from helpdesk import notifications
from helpdesk.models import Notification

from .test_notifications import send


def test_notifications_are_grouped_by_day_unread_first_in_weight(client_for, standard_user):
    old = send(standard_user, key="old", title="Last week's reply")
    notifications.notification_read(notification=old)
    Notification.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    yesterday = send(standard_user, key="yesterday", title="Yesterday's reply")
    Notification.objects.filter(pk=yesterday.pk).update(created_at=timezone.now() - timedelta(days=1))
    send(standard_user, key="today", title="Today's reply")

    html = client_for(standard_user).get(reverse("notification-list")).content.decode()

    headings = html.count('class="h6 text-body-secondary mt-3 mb-2 notification-day"')
    assert headings == 3
    assert html.index(">Today<") < html.index("Today&#x27;s reply") < html.index(">Yesterday<")
    assert (
        html.index(">Yesterday<")
        < html.index("Yesterday&#x27;s reply")
        < html.index("Last week&#x27;s reply")
    )
    assert html.count("notification-unread") == 2 and html.count('notification-read"') == 1
    assert html.count('<ul class="list-group notification-list mb-3">') == 3  # one list per day
    assert html.count("<ul") == html.count("</ul>")


def test_no_notifications_is_an_empty_state_that_says_what_will_come(client_for, standard_user):
    html = client_for(standard_user).get(reverse("notification-list")).content.decode()

    assert "You have no notifications." in html
    assert "empty-state" in html
