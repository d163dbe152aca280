"""Every licence page runs a bounded number of queries, the same with few rows as with many (STYLE.md)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from licensing import services
from licensing.models import Granule
from licensing.tests.factories import licence_make
from releases.models import Module
from tests.factories import OrganizationFactory, module_get

MODULES = ["finance", "sales", "purchasing", "warehouse", "hr-payroll", "production", "reporting"]


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def measure(client, url, grow) -> tuple[int, int]:
    client.get(url)  # warms the caches (sessions, permissions)
    small = queries_for(client, url)
    grow()
    return small, queries_for(client, url)


def _many_changes(licence, by, count=12):
    licence.refresh_from_db()
    for index in range(count):
        change = services.Reactivation() if licence.is_suspended else services.Suspension()
        services.licence_change(licence=licence, change=change, by=by, reason=f"Change {index}")
        licence.refresh_from_db()


def _many_granules(licence):
    for code in MODULES[1:]:
        module_get(code)
    Granule.objects.bulk_create(
        [
            Granule(licence=licence, module=module, quantity=5)
            for module in Module.objects.filter(code__in=MODULES[1:])
        ]
    )


@pytest.mark.parametrize("persona", ["admin_user", "vendor_admin"])
def test_the_licence_page(persona, organization, vendor_admin, request, client_for):
    user = request.getfixturevalue(persona)
    licence = licence_make(organization, modules=["finance"])
    url = licence.get_absolute_url() if persona == "vendor_admin" else reverse("licensing:licence-current")

    def grow():
        _many_granules(licence)
        _many_changes(licence, vendor_admin)
        for _index in range(5):
            licence_make(organization, is_current=False, modules=["finance"])

    small, large = measure(client_for(user), url, grow)
    assert small == large


def test_the_history(organization, vendor_admin, fin_admin_user, client_for):
    licence = licence_make(organization)
    services.licence_change(licence=licence, change=services.Suspension(), by=vendor_admin, reason="x")
    url = reverse("licensing:licence-history", args=[licence.pk])
    small, large = measure(
        client_for(fin_admin_user), url, lambda: _many_changes(licence, fin_admin_user, 30)
    )
    assert small == large


def test_the_staff_list(organization, dispatcher, client_for):
    licence_make(organization)
    url = reverse("licensing:licence-list")

    def grow():
        for _index in range(20):
            licence_make(OrganizationFactory(), modules=["finance", "sales"])
            OrganizationFactory()

    small, large = measure(client_for(dispatcher), url, grow)
    assert small == large
