"""Test data of the incident, staleness and retention tests: an agent's results ingested at chosen times."""

from datetime import UTC, datetime, timedelta

from cases import services as case_services
from monitoring import services
from monitoring.models import Component, Status

T0 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


def ingest(
    installation, status, minutes=0, *, check="disk free", component="Baza podataka", now=None, **extra
):
    """One result measured T0 + minutes, ingested at that time (or `now`)."""
    at = T0 + minutes * MINUTE
    extra.setdefault("value", 3.5 if status == Status.CRITICAL else 41.5)
    extra.setdefault("unit", "%")
    services.results_ingest(
        installation=installation,
        results=[
            {
                "component": component,
                "check": check,
                "status": status,
                "measured_at": at,
                "interval": 60,
                **extra,
            }
        ],
        now=now or at,
    )
    return Component.objects.get(installation=installation, name=component)


def consultant_available(consultant):
    case_services.consultant_set_availability(user=consultant, available=True)
    return consultant
