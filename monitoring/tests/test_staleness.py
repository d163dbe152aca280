"""Staleness: a check silent for 3 of its intervals turns UNKNOWN and is marked stale, its component and
installation follow, in bounded batches; a new result brings it back."""

from celery.schedules import crontab
from django.conf import settings

from helpdesk.celery import app
from monitoring import staleness
from monitoring.models import Component, Incident, Installation, LatestResult, Status
from monitoring.tests.incident_setup import MINUTE, T0, ingest


def installation_make(organization, name="Produkcija"):
    return Installation.objects.create(organization=organization, name=name)


def test_a_silent_check_turns_unknown_and_stale_and_recovers_on_a_new_result(organization):
    installation = installation_make(organization)
    ingest(installation, Status.OK, 0)  # interval 60 s: overdue after T0 + 3 minutes
    ingest(installation, Status.OK, 2, check="answer time")

    assert staleness.checks_mark_stale(now=T0 + 3 * MINUTE) == 0  # not yet overdue
    assert staleness.checks_mark_stale(now=T0 + 4 * MINUTE) == 1

    disk = LatestResult.objects.get(check_item__name="disk free")
    assert (disk.status, disk.reported_status, disk.is_stale) == (Status.UNKNOWN, Status.OK, True)
    assert LatestResult.objects.get(check_item__name="answer time").is_stale is False
    component = Component.objects.get()
    assert (component.status, component.status_since) == (Status.UNKNOWN, T0 + 4 * MINUTE)
    installation.refresh_from_db()
    assert installation.status == Status.UNKNOWN

    ingest(installation, Status.OK, 5)

    disk.refresh_from_db()
    assert (disk.status, disk.is_stale) == (Status.OK, False)
    assert Component.objects.get().status == Status.OK
    installation.refresh_from_db()
    assert installation.status == Status.OK


def test_the_sweep_works_in_bounded_batches_and_a_second_run_finds_nothing(organization, monkeypatch):
    installation = installation_make(organization)
    for index in range(5):
        ingest(installation, Status.OK, 0, check=f"check {index}", component=f"Component {index % 2}")
    batches = []
    original = staleness._batch_mark_stale

    def counted(**kwargs):
        done = original(**kwargs)
        batches.append(done)
        return done

    monkeypatch.setattr(staleness, "_batch_mark_stale", counted)

    assert staleness.checks_mark_stale(now=T0 + 10 * MINUTE, batch_size=2) == 5
    assert batches == [2, 2, 1]
    assert staleness.checks_mark_stale(now=T0 + 11 * MINUTE, batch_size=2) == 0
    assert LatestResult.objects.filter(is_stale=True, status=Status.UNKNOWN).count() == 5
    assert set(Component.objects.values_list("status", flat=True)) == {Status.UNKNOWN}


def test_a_stale_critical_component_neither_resolves_nor_reopens_its_incident(organization):
    installation = installation_make(organization)
    ingest(installation, Status.CRITICAL, 0)
    ingest(installation, Status.CRITICAL, 5)  # the case opens

    staleness.checks_mark_stale(now=T0 + 20 * MINUTE)

    assert Component.objects.get().status == Status.UNKNOWN
    incident = Incident.objects.get()
    assert incident.resolved_at is None
    assert incident.case.status == "new"


def test_another_installation_is_untouched(organization, other_organization):
    silent = installation_make(organization)
    lively = installation_make(other_organization, name="Test")
    ingest(silent, Status.OK, 0)
    ingest(lively, Status.OK, 9)

    staleness.checks_mark_stale(now=T0 + 10 * MINUTE)

    lively.refresh_from_db()
    silent.refresh_from_db()
    assert (silent.status, lively.status) == (Status.UNKNOWN, Status.OK)


def test_the_beat_runs_the_sweeps_every_minute_and_the_retention_hourly():
    schedule = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert schedule["monitoring.tasks.staleness_sweep"] == crontab()
    assert schedule["monitoring.tasks.incidents_due"] == crontab()
    assert schedule["monitoring.tasks.retention_sweep"] == crontab(minute=20)
    assert set(schedule) & {name for name in app.tasks if name.startswith("monitoring.")} == {
        "monitoring.tasks.staleness_sweep",
        "monitoring.tasks.incidents_due",
        "monitoring.tasks.retention_sweep",
    }
