"""Reads of the cross-cutting models shared by views and context processors."""

from django.db.models import QuerySet

from .models import Notification

# The bell shows "99+" beyond this: counting further costs time and tells nobody anything.
UNREAD_COUNT_LIMIT = 100


def notifications_for(user) -> QuerySet[Notification]:
    """The user's own notifications, newest first (served by notification_inbox_idx)."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def unread_notification_count(user) -> int:
    """Unread notifications of the user, counted up to UNREAD_COUNT_LIMIT in one query."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True).order_by()
    return unread[:UNREAD_COUNT_LIMIT].count()
