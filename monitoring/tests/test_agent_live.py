"""`manage.py monitoring_agent --once` against a real portal (gunicorn on the test database): it measures
this machine and the portal stores what it sent; a revoked token stops it."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from monitoring import agent, services
from monitoring.models import (
    Component,
    Installation,
    InstallationVersion,
    LatestResult,
    LicenceUsage,
    Result,
    Status,
)
from monitoring.tests.factories import installation_make
from tests.factories import OrganizationFactory, module_get
from tests.integration import database_url
from tests.server import PortalServer


@pytest.fixture
def installation(transactional_db):
    module_get("finance")  # a transactional test flushed the migrations' catalogue
    return installation_make(OrganizationFactory(), environment=Installation.Environment.PRODUCTION)


def test_the_agent_sends_its_measurements_and_the_portal_stores_them(installation, tmp_path, capsys):
    _token, raw = services.token_create(installation=installation, name="erp-db-01", by=None)
    backups = tmp_path / "backups"
    backups.mkdir()
    (backups / "erp.dump").write_bytes(b"dump")
    url = database_url(connection.settings_dict)

    with PortalServer("agent") as server:
        base = f"http://127.0.0.1:{server.port}"
        call_command(
            "monitoring_agent",
            "--url", base, "--token", raw, "--once", "--interval", "300",
            "--disk", str(tmp_path),
            "--database-url", url,
            "--backup-dir", str(backups),
            "--http-check", f"{base}/health/",
            "--installation-products", "jupiter-erp=2026.10",
            "--licence-usage", "finance=42",
        )  # fmt: skip

    assert "sent 5 results (0 not OK): 5 accepted, 0 duplicates" in capsys.readouterr().out
    kinds = dict(Component.objects.filter(installation=installation).values_list("name", "kind"))
    assert kinds == {
        f"Disk {tmp_path}": "disk",
        f"PostgreSQL {agent.database_label(url)}": "database",
        f"Backup {backups}": "backup",
        f"HTTP {base}/health/": "service",
    }
    results = Result.objects.filter(check_item__component__installation=installation)
    assert results.count() == 5
    assert set(results.values_list("check_item__name", flat=True)) == {
        "disk free",
        "connect time",
        "database size",
        "newest backup age",
        "answer time",
    }
    assert set(results.values_list("check_item__interval", flat=True)) == {300}
    latest = LatestResult.objects.filter(check_item__component__installation=installation)
    assert set(latest.values_list("status", flat=True)) <= {Status.OK, Status.WARNING}
    installation.refresh_from_db()
    assert installation.last_result_at is not None
    assert LicenceUsage.objects.get(installation=installation).named_users == 42
    assert InstallationVersion.objects.get(installation=installation).version == "2026.10"


def test_a_revoked_token_stops_the_agent(installation, tmp_path, capsys):
    token, raw = services.token_create(installation=installation, name="erp-db-01", by=None)
    services.token_revoke(token=token, by=None)

    with PortalServer("agent") as server, pytest.raises(CommandError) as error:
        call_command(
            "monitoring_agent",
            "--url",
            f"http://127.0.0.1:{server.port}",
            "--token",
            raw,
            "--disk",
            str(tmp_path),
        )

    assert error.value.returncode == 2
    assert "HTTP 401" in capsys.readouterr().err
    assert not Result.objects.exists()
