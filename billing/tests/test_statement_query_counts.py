"""The statement page runs a bounded number of queries, the same with few lines and entries as with many."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from billing.models import OtherCharge
from billing.tests.factories import contract_make, entry_make, statement_make
from tests.factories import case_create

PERIOD = date(2026, 3, 1)


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("persona", ["fin_admin_user", "vendor_admin"])
def test_the_statement_page(
    persona, organization, consultant, standard_user, vendor_admin, request, client_for
):
    client = client_for(request.getfixturevalue(persona))
    contract_make(organization, included_hours="2")
    entry_make(organization, consultant, day=PERIOD, minutes=30)
    small = statement_make(organization, period=PERIOD)
    client.get(small.get_absolute_url())  # warms the caches (sessions, permissions)
    few = queries_for(client, small.get_absolute_url())

    april = date(2026, 4, 1)
    for index in range(30):
        case = case_create(organization, standard_user, title=f"Case {index}") if index % 3 == 0 else None
        entry_make(organization, consultant, day=april.replace(day=1 + index % 28), minutes=45, case=case)
    for index in range(5):
        OtherCharge.objects.create(
            organization=organization, date=april, description=f"Item {index}", unit_price=10
        )
    large = statement_make(organization, period=april)
    assert large.lines.count() == 8

    assert queries_for(client, large.get_absolute_url()) == few
