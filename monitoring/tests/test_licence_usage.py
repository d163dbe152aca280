"""The named users the agents report, beside the licensed quantity on /licence/ (licensing.usage, provided by
monitoring.licence_usage): production installations only, the highest of several, warnings at 90 % and over
100 % in words, and the same queries with few granules as with many."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from licensing.models import Granule
from licensing.tests.factories import licence_make
from monitoring import services
from monitoring.models import Installation, LicenceUsage
from tests.factories import module_get

URL = reverse("licensing:licence-current")


def installation_make(organization, name="Produkcija", environment=Installation.Environment.PRODUCTION):
    return Installation.objects.create(organization=organization, name=name, environment=environment)


def usage_report(installation, measured_at=None, **named_users):
    """What an agent's payload `licence_usage` stores (through the ingestion service)."""
    services.results_ingest(
        installation=installation,
        results=[],
        licence_usage=[{"module": code, "named_users": users} for code, users in named_users.items()],
        now=measured_at,
    )


def usage_cell(html: str, module_name: str) -> str:
    row = html[html.index(f"<td>{module_name}") :]
    return row[: row.index("</tr>")]


def test_the_usage_of_the_production_installation_is_shown_beside_the_quantity(
    organization, sys_admin_user, client_for
):
    licence_make(organization, modules=["finance"], quantity=50)
    usage_report(installation_make(organization), finance=42)
    usage_report(installation_make(organization, "Test", Installation.Environment.TEST), finance=49)

    response = client_for(sys_admin_user).get(URL)

    html = response.content.decode()
    cell = usage_cell(html, "Finance")
    assert "42 of 50" in cell
    assert 'data-usage-state="ok"' in cell
    assert 'max="50" high="45.0" optimum="0" value="42"' in cell
    assert "Over the licence" not in cell and "Nearly used up" not in cell
    assert "measured " in cell
    assert 'id="licence-usage-note"' in html


@pytest.mark.parametrize(
    ("users", "state", "words"),
    [(44, "ok", None), (45, "near", "Nearly used up (90 %)"), (50, "near", "Nearly used up (100 %)"),
     (55, "over", "Over the licence (110 %)")],
)  # fmt: skip
def test_a_warning_from_90_percent_and_another_over_the_licence(
    users, state, words, organization, admin_user, client_for
):
    licence_make(organization, modules=["finance"], quantity=50)
    usage_report(installation_make(organization), finance=users)

    cell = usage_cell(client_for(admin_user).get(URL).content.decode(), "Finance")

    assert f'data-usage-state="{state}"' in cell
    assert f"{users} of 50" in cell
    if words:
        assert words in cell


def test_with_several_production_installations_the_highest_is_shown_and_said(
    organization, sys_admin_user, client_for
):
    licence_make(organization, modules=["finance"], quantity=50)
    earlier = timezone.now() - timedelta(hours=3)
    usage_report(installation_make(organization, "Produkcija A"), finance=30)
    usage_report(installation_make(organization, "Produkcija B"), measured_at=earlier, finance=47)

    cell = usage_cell(client_for(sys_admin_user).get(URL).content.decode(), "Finance")

    assert "47 of 50" in cell
    assert "the highest of 2 production installations" in cell
    assert timezone.localtime(earlier).strftime("%H:%M") in cell


def test_modules_not_reported_or_not_counted_in_named_users_say_so(organization, sys_admin_user, client_for):
    licence = licence_make(organization, modules=["finance", "sales", "warehouse"], quantity=20)
    Granule.objects.filter(licence=licence, module__code="warehouse").update(unit=Granule.Unit.COMPANIES)
    usage_report(installation_make(organization), finance=5, warehouse=3)

    html = client_for(sys_admin_user).get(URL).content.decode()

    assert "5 of 20" in usage_cell(html, "Finance")
    assert "not reported" in usage_cell(html, "Sales")
    assert "3 of 20" not in usage_cell(html, "Warehouse")  # counted in companies: a user count says nothing


def test_without_any_report_the_page_has_no_usage_column(organization, sys_admin_user, client_for):
    licence_make(organization, modules=["finance"])
    html = client_for(sys_admin_user).get(URL).content.decode()
    assert "In use" not in html
    assert "data-usage-state" not in html


def test_another_organizations_usage_is_not_shown(
    organization, other_organization, sys_admin_user, client_for
):
    licence_make(organization, modules=["finance"], quantity=50)
    usage_report(installation_make(other_organization), finance=42)
    assert "data-usage-state" not in client_for(sys_admin_user).get(URL).content.decode()


def test_staff_see_the_usage_on_the_organizations_licence(organization, consultant, client_for):
    licence = licence_make(organization, modules=["finance"], quantity=50)
    usage_report(installation_make(organization), finance=51)
    html = client_for(consultant).get(licence.get_absolute_url()).content.decode()
    assert "51 of 50" in usage_cell(html, "Finance")


def test_who_does_not_see_the_granules_does_not_see_the_usage(organization, fin_admin_user, client_for):
    licence_make(organization, modules=["finance"], quantity=50)
    usage_report(installation_make(organization), finance=42)
    response = client_for(fin_admin_user).get(URL)
    assert response.status_code == 200
    assert "42 of 50" not in response.content.decode()


def test_a_past_licence_shows_no_usage(organization, consultant, client_for):
    past = licence_make(organization, modules=["finance"], quantity=50, is_current=False)
    licence_make(organization, modules=["finance"], quantity=50)
    usage_report(installation_make(organization), finance=42)
    assert "42 of 50" not in client_for(consultant).get(past.get_absolute_url()).content.decode()


def test_the_usage_costs_one_query_whatever_the_number_of_granules(organization, sys_admin_user, client_for):
    client = client_for(sys_admin_user)
    licence = licence_make(organization, modules=["finance"], quantity=50)
    production = installation_make(organization)
    usage_report(production, finance=42)
    client.get(URL)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured.captured_queries)

    few = queries()
    codes = ["sales", "purchasing", "warehouse", "hr-payroll", "production", "reporting"]
    Granule.objects.bulk_create(
        [Granule(licence=licence, module=module_get(code), quantity=50) for code in codes]
    )
    second = installation_make(organization, "Produkcija B")
    now = timezone.now()
    LicenceUsage.objects.bulk_create(
        [
            LicenceUsage(installation=installation, module=module_get(code), named_users=40, measured_at=now)
            for installation in (production, second)
            for code in codes
        ]
    )
    assert queries() == few
