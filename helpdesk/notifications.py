"""In-app notifications and their e-mails: the one way any app tells a person that something happened.

Called from Celery tasks. A notification is created once per recipient and key, so a task that runs twice
(a retry, a redelivered message) neither duplicates the bell entry nor sends the e-mail again.
"""

from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import Truncator

from .emails import email_send
from .models import Notification

TITLE_MAX_LENGTH = Notification._meta.get_field("title").max_length


@transaction.atomic
def notification_send(
    *,
    recipient,
    key: str,
    title,
    url: str,
    verb: str = "",
    email_template: str | None = None,
    email_context: dict | None = None,
) -> Notification:
    """Create the recipient's notification for `key` unless it exists, and e-mail them only when it is new.

    `title` may be lazy: it is rendered in the recipient's language. The e-mail is sent inside the
    transaction that creates the row, so a failed send rolls the row back and a retry sends it again.
    """
    if not key:
        raise ValueError("A notification needs a key: it is what makes sending it twice harmless.")
    with translation.override(recipient.language):
        title = Truncator(str(title)).chars(TITLE_MAX_LENGTH)
    notification, created = Notification.objects.get_or_create(
        recipient=recipient, event_key=key, defaults={"title": title, "url": url, "verb": verb}
    )
    if created and email_template:
        email_send(
            to=recipient.email,
            template=email_template,
            context={"recipient": recipient, "notification": notification, **(email_context or {})},
            language=recipient.language,
        )
    return notification


def notification_read(*, notification: Notification) -> Notification:
    """Mark one notification as read (a second call keeps the first reading time)."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def notifications_read_all(*, user) -> int:
    """Mark every unread notification of the user as read; returns how many."""
    return Notification.objects.filter(recipient=user).unread().update(read_at=timezone.now())
