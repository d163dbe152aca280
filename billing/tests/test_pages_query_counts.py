"""Every billing page of billing.views.pages runs a bounded number of queries, the same with few statements
and time entries as with many (STYLE.md, "Query discipline")."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from billing import services
from billing.analysis import add_months
from billing.tests.factories import contract_make, entry_make, statement_make
from tests.factories import case_create, module_get

PAGE_MAX = 16


def queries_for(client, url, params) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured.captured_queries)


def measure(client, url, params, grow) -> tuple[int, int]:
    """Queries of the page before and after `grow()` adds many rows; a first request warms the caches."""
    client.get(url, params)
    small = queries_for(client, url, params)
    grow()
    large = queries_for(client, url, params)
    return small, large


def many_statements(organization, approver, count=14):
    """Statements of earlier months, approved, disputed and awaiting, with their lines and time (logged by
    the approver: who logged it does not matter here)."""
    this_month = timezone.localdate().replace(day=1)
    for months_ago in range(count, 1, -1):
        period = add_months(this_month, -months_ago)
        entry_make(organization, approver, day=period + timedelta(days=3), minutes=700)
        statement = statement_make(organization, period=period)
        if months_ago % 3 == 0:
            services.statement_dispute(statement_id=statement.pk, by=approver, comment="Not ours.")
        elif months_ago % 3 == 1:
            services.statement_approve(statement_id=statement.pk, by=approver)


def many_entries(organization, consultant, admin_user, count=60):
    """Time of this month on cases of different modules, by different consultants, and general work."""
    cases = [
        case_create(organization, admin_user, module=module_get(code))
        for code in ("finance", "sales", "payroll")
    ]
    for index in range(count):
        entry_make(
            organization,
            consultant,
            day=timezone.localdate(),
            minutes=15 + index,
            case=cases[index % 3] if index % 4 else None,
            billable=bool(index % 5),
        )


@pytest.mark.parametrize("persona", ["fin_admin_user", "vendor_admin"])
@pytest.mark.parametrize("url_name", ["billing:overview", "billing:statement-list", "billing:contract-list"])
def test_statement_pages(url_name, persona, request, organization, fin_admin_user, client_for):
    contract_make(organization, valid_from=date(2020, 1, 1))
    statement_make(organization)
    client = client_for(request.getfixturevalue(persona))

    def grow():
        many_statements(organization, fin_admin_user)
        contract_make(organization, valid_from=date(2019, 1, 1), valid_until=date(2019, 12, 31))

    small, large = measure(client, reverse(url_name), {"organization": organization.pk}, grow)

    assert small == large
    assert large <= PAGE_MAX


@pytest.mark.parametrize("persona", ["fin_admin_user", "consultant"])
def test_services_page(persona, request, organization, admin_user, consultant, client_for):
    entry_make(organization, consultant, day=timezone.localdate())
    client = client_for(request.getfixturevalue(persona))

    small, large = measure(
        client,
        reverse("billing:service-list"),
        {"organization": organization.pk},
        lambda: many_entries(organization, consultant, admin_user),
    )

    assert small == large
    assert large <= PAGE_MAX


def test_the_dashboard_panel(organization, fin_admin_user, consultant, admin_user, client_for):
    contract_make(organization)
    statement_make(organization)
    client = client_for(fin_admin_user)

    small, large = measure(
        client,
        reverse("dashboard"),
        {},
        lambda: (
            many_statements(organization, fin_admin_user),
            many_entries(organization, consultant, admin_user),
        ),
    )

    assert small == large
