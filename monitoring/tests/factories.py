"""Test data of the monitoring pages: installations with components and checks, their state written by the
ingestion service as an agent's results would write it."""

from datetime import timedelta

from django.utils import timezone

from monitoring import services
from monitoring.models import Installation, Status


def installation_make(organization, name="Produkcija", **fields) -> Installation:
    return Installation.objects.create(organization=organization, name=name, **fields)


def result(component="Baza podataka", check="disk free", status=Status.OK, *, ago=timedelta(0), **extra):
    """One validated result dict for services.results_ingest, measured `ago` before now."""
    return {
        "component": component,
        "check": check,
        "status": status,
        "measured_at": timezone.now() - ago,
        "kind": "database",
        "interval": 300,
        **extra,
    }


def monitored(organization, *, name="Produkcija", components=2, checks=2, status=Status.OK, ago=timedelta(0)):
    """An installation whose agent reported `components` x `checks` results, all in `status`."""
    installation = installation_make(organization, name=name)
    results = [
        result(f"Component {c}", f"check {k}", status, ago=ago, value=40.0 + k, unit="%")
        for c in range(components)
        for k in range(checks)
    ]
    services.results_ingest(installation=installation, results=results)
    return installation
