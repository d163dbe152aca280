"""The demo part of monitoring (seed_demo): a production and a test installation per demo organization with 30
days of results, Jadran's database disk critical with the case its incident opened, Jadran's test agent
silent for hours, and the printed demo token; loading again adds only the results since, nothing twice."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.test import TestCase
from django.utils import timezone

from accounts import demo as accounts_demo
from accounts.services import staff_groups_sync
from monitoring import demo, services
from monitoring.models import AgentToken, Component, Incident, Installation, LatestResult, Result, Status
from tests.factories import category_get, module_get


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The accounts and monitoring demo parts, made once for the module with their commit callbacks run, and
    rolled back after it; each test runs in a savepoint inside."""
    with django_db_blocker.unblock(), transaction.atomic():
        staff_groups_sync()  # the migrations' rows, gone if an earlier transactional test flushed them
        category_get("problem")
        for code in ("finance", "sales", "e-invoicing", "purchasing"):
            module_get(code)
        with TestCase.captureOnCommitCallbacks(execute=True):
            accounts_demo.seed()
            summary = demo.seed()
        yield summary
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _in_savepoint(seeded, db):
    """Each test sees the module's demo data (db: a savepoint inside the module's transaction)."""


def test_every_demo_organization_has_a_production_and_a_test_installation_with_30_days(seeded):
    assert Installation.objects.count() == 6
    for installation in Installation.objects.all():
        assert installation.components.exists()
        oldest = Result.objects.filter(check_item__component__installation=installation).earliest(
            "measured_at"
        )
        assert timezone.now() - oldest.measured_at > timedelta(days=29)
    # A few thousand rows per installation, not millions.
    assert Result.objects.count() < 6 * 8_000


def test_jadran_database_is_critical_with_its_case_open(seeded):
    database = Component.objects.get(
        installation__organization__name="Jadran Prehrana d.o.o.",
        installation__environment=Installation.Environment.PRODUCTION,
        name="Baza podataka",
    )
    assert database.status == Status.CRITICAL
    incident = Incident.objects.get(component=database, resolved_at=None)
    assert incident.case is not None and incident.case.is_open
    assert Component.objects.filter(status=Status.CRITICAL).count() == 1
    assert Component.objects.filter(status=Status.WARNING).count() == 1


def test_jadran_test_agent_is_silent(seeded):
    latest = LatestResult.objects.filter(
        check_item__component__installation__organization__name="Jadran Prehrana d.o.o.",
        check_item__component__installation__environment=Installation.Environment.TEST,
    )
    assert latest.exists()
    assert all(row.stale_after < timezone.now() for row in latest)
    test = Installation.objects.get(organization__name="Jadran Prehrana d.o.o.", name="Test")
    assert test.status == Status.UNKNOWN


def test_the_printed_demo_token_is_accepted(seeded):
    token = services.token_authenticate(demo.DEMO_TOKEN)
    assert token.installation.name == "Produkcija"
    assert demo.welcome() == [f"Monitoring agent token (Jadran Prehrana, Produkcija): {demo.DEMO_TOKEN}"]


def test_loading_again_adds_nothing_twice(seeded):
    results, tokens = Result.objects.count(), AgentToken.objects.count()
    incidents = Incident.objects.count()
    with TestCase.captureOnCommitCallbacks(execute=True):
        demo.seed()
    assert Installation.objects.count() == 6
    assert AgentToken.objects.count() == tokens
    assert Incident.objects.count() == incidents
    # Only the quarter hours since the first load (none or one per check).
    assert Result.objects.count() - results <= 40
