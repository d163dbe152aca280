"""The ingestion service and the agent tokens, without HTTP."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError

from helpdesk.models import AuditEvent
from monitoring import services
from monitoring.models import (
    AgentToken,
    Check,
    Component,
    Installation,
    InstallationVersion,
    LatestResult,
    LicenceUsage,
    Result,
    Status,
)
from releases.models import InstalledVersion
from tests.factories import module_get

T0 = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


@pytest.fixture
def installation(organization):
    return Installation.objects.create(organization=organization, name="Produkcija")


def result(check="disk free", component="Baza podataka", status=Status.OK, at=T0, **extra):
    return {"component": component, "check": check, "status": status, "measured_at": at, **extra}


def test_ingest_creates_components_checks_results_and_state(installation):
    outcome = services.results_ingest(
        installation=installation,
        results=[
            result(value=41.5, unit="%", kind="database", interval=60),
            result(check="answer time", status=Status.WARNING, value=900, unit="ms"),
            result(component="Backup", check="age", status=Status.CRITICAL, kind="backup"),
        ],
        now=T0,
    )
    assert outcome == services.IngestOutcome(accepted=3, duplicates=0)
    database = Component.objects.get(installation=installation, name="Baza podataka")
    assert database.kind == Component.Kind.DATABASE
    assert database.status == Status.WARNING
    assert database.status_since == T0
    disk = Check.objects.get(component=database, name="disk free")
    assert (disk.interval, disk.unit) == (60, "%")
    latest = LatestResult.objects.get(check_item=disk)
    assert (latest.status, latest.value, latest.is_stale) == (Status.OK, 41.5, False)
    assert latest.stale_after == T0 + timedelta(seconds=180)
    installation.refresh_from_db()
    assert installation.status == Status.CRITICAL
    assert installation.last_result_at == T0
    assert Result.objects.count() == 3


def test_resent_batch_counts_duplicates_and_changes_nothing(installation):
    batch = [result(at=T0 + timedelta(minutes=minute)) for minute in range(5)]
    services.results_ingest(installation=installation, results=batch, now=T0)
    outcome = services.results_ingest(installation=installation, results=batch, now=T0)
    assert outcome == services.IngestOutcome(accepted=0, duplicates=5)
    assert Result.objects.count() == 5


def test_a_result_twice_in_one_batch_is_stored_once(installation):
    outcome = services.results_ingest(installation=installation, results=[result(), result()], now=T0)
    assert outcome == services.IngestOutcome(accepted=1, duplicates=1)
    assert Result.objects.count() == 1


def test_latest_result_only_moves_forward_and_status_since_only_on_change(installation):
    services.results_ingest(installation=installation, results=[result(status=Status.CRITICAL)], now=T0)
    later = T0 + timedelta(minutes=5)
    services.results_ingest(
        installation=installation, results=[result(status=Status.CRITICAL, at=later)], now=later
    )
    component = Component.objects.get()
    assert (component.status, component.status_since) == (Status.CRITICAL, T0)

    # An older result arriving late is history, not the current state.
    services.results_ingest(
        installation=installation, results=[result(status=Status.OK, at=T0 - timedelta(minutes=5))], now=later
    )
    assert LatestResult.objects.get().measured_at == later
    component.refresh_from_db()
    assert component.status == Status.CRITICAL

    newest = T0 + timedelta(minutes=10)
    services.results_ingest(
        installation=installation, results=[result(status=Status.OK, at=newest)], now=newest
    )
    component.refresh_from_db()
    assert (component.status, component.status_since) == (Status.OK, newest)
    installation.refresh_from_db()
    assert installation.status == Status.OK


def test_a_stale_check_is_fresh_again_with_a_newer_result(installation):
    services.results_ingest(installation=installation, results=[result()], now=T0)
    LatestResult.objects.update(is_stale=True, status=Status.UNKNOWN)
    later = T0 + timedelta(hours=1)
    services.results_ingest(installation=installation, results=[result(at=later)], now=later)
    latest = LatestResult.objects.get()
    assert (latest.is_stale, latest.status) == (False, Status.OK)


def test_versions_and_licence_usage_are_stored(installation, organization):
    module = module_get("finance")
    services.results_ingest(
        installation=installation,
        results=[result()],
        versions=[{"product": module.product.code, "version": "2026.10"}],
        licence_usage=[{"module": "finance", "named_users": 42}],
        now=T0,
    )
    reported = InstallationVersion.objects.get(installation=installation)
    assert (reported.version, reported.version_key) == ("2026.10", [2026, 10])
    installed = InstalledVersion.objects.get(organization=organization, product=module.product)
    assert installed.version == "2026.10"
    assert LicenceUsage.objects.get(installation=installation, module=module).named_users == 42

    # The same report again records no new installed version (and no audit row).
    services.results_ingest(
        installation=installation,
        results=[],
        versions=[{"product": module.product.code, "version": "2026.10"}],
        licence_usage=[{"module": "finance", "named_users": 43}],
        now=T0,
    )
    assert AuditEvent.objects.filter(action=AuditEvent.Action.INSTALLED_VERSION_SET).count() == 1
    assert LicenceUsage.objects.get(installation=installation, module=module).named_users == 43


def test_a_test_installation_does_not_set_the_installed_version(organization):
    module = module_get("finance")
    test_system = Installation.objects.create(
        organization=organization, name="Test", environment=Installation.Environment.TEST
    )
    services.results_ingest(
        installation=test_system, results=[], versions=[{"product": module.product.code, "version": "2027.1"}]
    )
    assert InstallationVersion.objects.filter(installation=test_system).exists()
    assert not InstalledVersion.objects.filter(organization=organization).exists()


def test_unknown_module_or_product_refuses_the_whole_batch(installation):
    module_get("finance")
    with pytest.raises(ValidationError) as refused:
        services.results_ingest(
            installation=installation,
            results=[result()],
            versions=[{"product": "nope", "version": "1.0"}],
            licence_usage=[{"module": "finance", "named_users": 1}, {"module": "nope", "named_users": 1}],
        )
    assert set(refused.value.message_dict) == {"versions.0.product", "licence_usage.1.module"}
    assert not Result.objects.exists()
    assert not LicenceUsage.objects.exists()


def test_ingest_queries_are_bounded(installation, django_assert_max_num_queries):
    def batch(count, start):
        return [
            result(
                component=f"C{index % 5}",
                check=f"check {index % 50}",
                at=start + timedelta(seconds=index // 50),
            )
            for index in range(count)
        ]

    services.results_ingest(installation=installation, results=batch(500, T0), now=T0)  # all known now
    with django_assert_max_num_queries(9) as small:
        services.results_ingest(installation=installation, results=batch(10, T0 + timedelta(hours=1)), now=T0)
    with django_assert_max_num_queries(9) as large:
        services.results_ingest(
            installation=installation, results=batch(500, T0 + timedelta(hours=2)), now=T0
        )
    assert len(small.captured_queries) == len(large.captured_queries)


def test_token_create_authenticate_and_revoke(installation, admin_user):
    token, raw = services.token_create(installation=installation, name="srv-db-01", by=admin_user)
    assert raw.startswith(AgentToken.PREFIX)
    assert token.digest == AgentToken.digest_of(raw) and raw not in token.digest
    assert services.token_authenticate(raw) == token
    assert services.token_authenticate(raw + "x") is None
    services.token_revoke(token=token, by=admin_user)
    assert services.token_authenticate(raw) is None
    services.token_revoke(token=token, by=admin_user)  # twice: one audit row
    actions = list(
        AuditEvent.objects.filter(target_type="monitoring.agenttoken").values_list("action", flat=True)
    )
    assert sorted(actions) == [AuditEvent.Action.AGENT_TOKEN_CREATED, AuditEvent.Action.AGENT_TOKEN_REVOKED]


def test_token_needs_a_name(installation, admin_user):
    with pytest.raises(ValidationError):
        services.token_create(installation=installation, name="  ", by=admin_user)


def test_last_use_is_written_at_most_once_a_minute(installation, django_assert_num_queries):
    token, raw = services.token_create(installation=installation, name="agent", by=None)
    services.token_authenticate(raw, now=T0)
    with django_assert_num_queries(1):  # the lookup only
        services.token_authenticate(raw, now=T0 + timedelta(seconds=30))
    services.token_authenticate(raw, now=T0 + timedelta(minutes=2))
    token.refresh_from_db()
    assert token.last_used_at == T0 + timedelta(minutes=2)


@pytest.mark.django_db(transaction=True)
def test_concurrent_batches_of_one_installation_neither_deadlock_nor_store_twice(organization):
    from tests.concurrency import run_in_threads

    installation = Installation.objects.create(organization=organization, name="Produkcija")
    # The same new components, checks and results, in a different order in each thread.
    batch = [
        result(component=f"C{index % 3}", check=f"check {index % 7}", at=T0 + timedelta(seconds=index))
        for index in range(60)
    ]
    outcomes = []

    def work(index):
        items = batch if index % 2 else list(reversed(batch))
        outcomes.append(services.results_ingest(installation=installation, results=items, now=T0))

    run_in_threads(4, work)
    assert Result.objects.count() == 60
    assert Component.objects.count() == 3
    assert sum(outcome.accepted for outcome in outcomes) == 60
    assert sum(outcome.duplicates for outcome in outcomes) == 180
