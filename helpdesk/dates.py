"""Calendar days and months in the portal's time zone (Europe/Zagreb), as the aware datetimes stored rows
are compared with."""

from datetime import date, datetime, time

from django.utils import timezone


def day_start(day: date) -> datetime:
    """Local midnight at the start of the day: a whole local day is [day_start(d), day_start(d + 1))."""
    return timezone.make_aware(datetime.combine(day, time.min))
