"""The monitoring benchmark (bench/monitoring.py, `python -m bench --monitoring`) at a tiny size in the test
database: the generated results and state are what ingestion makes, the status pages answer, and the load
generator's batches are stored through a real gunicorn, none twice."""

import math
from datetime import timedelta

import pytest
from django.db import connection

from accounts.services import staff_groups_sync
from bench import monitoring
from monitoring.models import Check, Component, Installation, LatestResult, Result, Status
from tests.factories import module_get
from tests.server import PortalServer


@pytest.fixture
def facts(transactional_db):
    staff_groups_sync()  # the migrations' groups, gone if an earlier transactional test flushed them
    module_get()
    return monitoring.monitoring_data(stored=5000, organizations=3, customers=12, out=lambda message: None)


def test_the_generator_stores_the_results_asked_for_with_the_state_ingestion_makes(facts):
    generated = Installation.objects.exclude(organization__name=monitoring.INGEST_ORGANIZATION)
    checks = Check.objects.filter(component__installation__in=generated)
    assert generated.count() == facts["installations"] == 6
    assert checks.count() == 6 * monitoring.CHECKS_PER_INSTALLATION
    assert facts["per_check"] == math.ceil(5000 / checks.count())
    assert Result.objects.filter(check_item__in=checks).count() == facts["results"]
    # Every 5 minutes per check, the newest round written by the ingestion service.
    times = list(Result.objects.filter(check_item=checks.first()).values_list("measured_at", flat=True)[:3])
    assert times[0] - times[1] == timedelta(minutes=5) or times[1] - times[0] == timedelta(minutes=5)
    assert LatestResult.objects.filter(check_item__in=checks).count() == checks.count()
    assert Component.objects.filter(installation__in=generated, status=Status.CRITICAL).count() == 3
    with connection.cursor() as cursor:  # the indexes dropped for the load are back
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'monitoring_result'")
        definitions = " ".join(row[0] for row in cursor.fetchall())
    assert "UNIQUE INDEX result_check_measured_unique" in definitions
    assert "brin (measured_at)" in definitions


def test_the_status_pages_answer_within_their_query_bound(facts):
    figures = monitoring.pages_measure(facts, requests=3, out=lambda message: None)
    assert set(figures) == {page.key for page in monitoring.pages(facts)}
    for key in ("overview", "overview-staff"):
        assert "error" not in figures[key], figures[key]
        assert figures[key]["queries"] <= monitoring.TARGET_PAGE_QUERIES
        assert figures[key]["cpu_p95_ms"] > 0


def test_the_load_generator_batches_are_stored_through_gunicorn_none_twice(facts):
    with PortalServer("ingest") as server:
        figures = monitoring.ingest_run(
            server.port,
            facts["tokens"],
            duration=2,
            connections=2,
            processes=lambda: monitoring.server_processes(
                server.process.pid, connection.settings_dict, connection.settings_dict["NAME"]
            ),
        )

    assert figures["errors"] == 0, figures["error_samples"]
    assert figures["batches"] > 0
    assert figures["duplicates"] == 0
    assert figures["accepted"] == figures["batches"] * monitoring.BATCH
    stored = monitoring.ingest_count()
    assert stored == figures["accepted"] + figures["warm_up_accepted"]
    assert figures["cpu_ms_per_batch"]["gunicorn"] > 0
    assert monitoring.ingest_undo() == stored
    assert monitoring.ingest_count() == 0


def test_a_batch_holds_500_distinct_results_newer_than_the_last():
    fragments = monitoring._fragments()
    started = monitoring.datetime.now(monitoring.UTC)
    first = monitoring.json.loads(monitoring.batch_body(fragments, started, 0))["results"]
    second = monitoring.json.loads(monitoring.batch_body(fragments, started, 1))["results"]
    assert len(first) == len(second) == monitoring.BATCH
    keys = {(item["component"], item["check"], item["measured_at"]) for item in first + second}
    assert len(keys) == 2 * monitoring.BATCH
    assert min(item["measured_at"] for item in second) > max(item["measured_at"] for item in first)
