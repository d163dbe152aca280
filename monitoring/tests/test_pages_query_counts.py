"""Every monitoring page runs a bounded number of queries, the same with one installation, component and
check as with many, and the history page the same with a day of results as with a month (STYLE.md, "Query
discipline")."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from monitoring import services
from monitoring.models import Check, Result, Status
from monitoring.tests.factories import monitored


def queries_for(client, url, params=None, **headers) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {}, headers=headers)
    assert response.status_code == 200
    return len(captured.captured_queries)


def measure(client, url, grow, params=None, **headers) -> tuple[int, int]:
    """Queries of the page before and after `grow()` adds many rows; a first request warms the caches."""
    client.get(url, params or {})
    small = queries_for(client, url, params, **headers)
    grow()
    large = queries_for(client, url, params, **headers)
    return small, large


def test_customer_overview_is_constant(client_for, sys_admin_user, organization):
    monitored(organization, components=1, checks=1)

    def grow():
        for n in range(4):
            monitored(organization, name=f"Test {n}", components=5, checks=4, status=Status(n % 4))

    small, large = measure(client_for(sys_admin_user), reverse("monitoring:overview"), grow)
    assert small == large <= 12


def test_customer_overview_refresh_is_constant(client_for, sys_admin_user, organization):
    monitored(organization, components=1, checks=1)

    def grow():
        monitored(organization, name="Test", components=8, checks=5, status=Status.CRITICAL)

    url = reverse("monitoring:overview")
    small, large = measure(client_for(sys_admin_user), url, grow, HX_Request="true")
    assert small == large <= 12


def test_staff_overview_is_constant(client_for, consultant, organization, other_organization):
    monitored(organization, components=1, checks=1)

    def grow():
        monitored(other_organization, components=30, checks=2, status=Status.WARNING)
        monitored(organization, name="Test", components=30, checks=2, status=Status.CRITICAL)

    small, large = measure(client_for(consultant), reverse("monitoring:overview"), grow)
    assert small == large <= 12


def test_installation_page_is_constant(client_for, sys_admin_user, organization):
    installation = monitored(organization, components=1, checks=1)

    def grow():
        services.results_ingest(
            installation=installation,
            results=[
                {"component": f"C{c}", "check": f"k{k}", "status": Status.CRITICAL, "value": 1.0,
                 "measured_at": timezone.now()}
                for c in range(10) for k in range(5)
            ],
        )  # fmt: skip
        for n in range(5):
            services.token_create(installation=installation, name=f"Agent {n}", by=sys_admin_user)

    small, large = measure(client_for(sys_admin_user), installation.get_absolute_url(), grow)
    assert small == large <= 16


def test_check_history_is_constant(client_for, sys_admin_user, organization):
    installation = monitored(organization, components=1, checks=1)
    check = Check.objects.get(component__installation=installation)
    url = reverse("monitoring:check-history", args=[check.pk])
    now = timezone.now()

    def grow():
        Result.objects.bulk_create(
            Result(
                check_item=check,
                status=Status.OK,
                value=i % 50,
                measured_at=now - timedelta(minutes=5 * i + 5),
            )
            for i in range(8000)
        )

    small, large = measure(client_for(sys_admin_user), url, grow, {"range": "30d"})
    assert small == large <= 10
