"""The cost analysis (billing.analysis): amounts from the live statements' lines, hours by module and by
category from billable time (Decimal, half-up), included against extra hours, 12 or 24 months, the cache,
and charts drawn without inline styles or localized geometry."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from billing import analysis, services
from billing.tests.factories import contract_make, entry_make, statement_make
from tests.factories import case_create, category_get, module_get

ANALYSIS = reverse("billing:cost-analysis")


def this_month():
    return timezone.localdate().replace(day=1)


def report_of(response) -> dict:
    assert response.status_code == 200
    return response.context["report"]


def table_row(section: dict, index: int) -> dict:
    table = section["table"]
    row = table["rows"][index]
    return dict(zip(table["columns"], row["values"], strict=True)) | {"total": row["total"]}


@pytest.fixture
def costs(organization, admin_user, consultant, fin_admin_user):
    """Last month: 620 billable minutes (10.33 h) against 10 included hours at 62.50 EUR, so 0.33 extra hours
    cost 20.625 -> 20.63 EUR (half-up); 600 minutes more not billable. This month: 90 minutes so far.
    Fourteen months ago: an approved statement of the fee alone."""
    contract_make(organization, monthly_fee="500.00", included_hours="10", hourly_rate="62.50")
    last = analysis.add_months(this_month(), -1)
    finance = case_create(
        organization, admin_user, module=module_get("finance"), category=category_get("problem")
    )
    sales = case_create(
        organization, admin_user, module=module_get("sales"), category=category_get("question")
    )
    for minutes in (200, 200):
        entry_make(organization, consultant, day=last + timedelta(days=2), minutes=minutes, case=finance)
    entry_make(organization, consultant, day=last + timedelta(days=5), minutes=200, case=sales)
    entry_make(organization, consultant, day=last + timedelta(days=6), minutes=20)  # general work
    entry_make(
        organization, consultant, day=last + timedelta(days=6), minutes=600, case=finance, billable=False
    )
    old = statement_make(organization, period=analysis.add_months(this_month(), -14))
    services.statement_approve(statement_id=old.pk, by=fin_admin_user)
    statement = statement_make(organization, period=last)
    entry_make(organization, consultant, day=timezone.localdate(), minutes=90, case=finance)
    return {"statement": statement, "finance": finance}


def test_costs_per_month_are_the_statement_lines_in_decimal_half_up(costs, fin_admin_user, client_for):
    report = report_of(client_for(fin_admin_user).get(ANALYSIS))

    assert costs["statement"].subtotal == Decimal("520.63")
    last = table_row(report["costs"], 10)
    assert last == {
        "Monthly fee": Decimal("500.00"),
        "Extra hours": Decimal("20.63"),
        "total": Decimal("520.63"),
    }
    assert table_row(report["costs"], 11)["total"] == 0  # this month: no statement yet
    assert report["costs"]["table"]["total"] == Decimal("520.63")  # the old statement is outside 12 months
    assert (report["statements"], report["subtotal"], report["vat"], report["total"]) == (
        1,
        Decimal("520.63"),
        Decimal("130.16"),
        Decimal("650.79"),
    )


def test_hours_by_module_and_by_category_come_from_billable_time(costs, fin_admin_user, client_for):
    report = report_of(client_for(fin_admin_user).get(ANALYSIS))
    finance, sales = module_get("finance").name_en, module_get("sales").name_en

    assert table_row(report["by_module"], 10) == {
        finance: Decimal("6.67"),  # 400 min = 6.666... h, half-up
        sales: Decimal("3.33"),
        "No module or general work": Decimal("0.33"),
        "total": Decimal("10.33"),
    }
    assert table_row(report["by_module"], 11) == {
        finance: Decimal("1.50"),
        sales: Decimal("0.00"),
        "No module or general work": Decimal("0.00"),
        "total": Decimal("1.50"),
    }
    problem, question = category_get("problem").name_en, category_get("question").name_en
    assert table_row(report["by_category"], 10) == {
        problem: Decimal("6.67"),
        question: Decimal("3.33"),
        "General work (no case)": Decimal("0.33"),
        "total": Decimal("10.33"),
    }


def test_included_and_extra_hours_are_billed_ones_or_this_months_so_far(costs, fin_admin_user, client_for):
    report = report_of(client_for(fin_admin_user).get(ANALYSIS))
    included, extra = "Within the included hours", "Above the included hours"
    assert table_row(report["hours"], 10) == {
        included: Decimal("10.00"),
        extra: Decimal("0.33"),
        "total": Decimal("10.33"),
    }
    assert table_row(report["hours"], 11) == {
        included: Decimal("1.50"),
        extra: Decimal("0.00"),
        "total": Decimal("1.50"),
    }


def test_twenty_four_months_reach_older_statements(costs, fin_admin_user, client_for):
    report = report_of(client_for(fin_admin_user).get(ANALYSIS, {"months": "24"}))
    assert report["months"] == 24 and len(report["costs"]["table"]["rows"]) == 24
    assert report["statements"] == 2
    assert report["costs"]["table"]["total"] == Decimal("1020.63")
    # Anything but 12 or 24 is the default.
    assert report_of(client_for(fin_admin_user).get(ANALYSIS, {"months": "99"}))["months"] == 12


def test_figures_are_cached_a_minute_per_organization_and_period(
    organization, costs, fin_admin_user, consultant, client_for
):
    client = client_for(fin_admin_user)
    first = report_of(client.get(ANALYSIS))
    entry_make(organization, consultant, day=timezone.localdate(), minutes=60)
    again = report_of(client.get(ANALYSIS))
    assert again["as_of"] == first["as_of"] and table_row(again["hours"], 11)["total"] == Decimal("1.50")
    assert report_of(client.get(ANALYSIS, {"months": "24"}))["hours"]["table"]["rows"][23][
        "total"
    ] == Decimal("2.50")
    cache.clear()
    assert table_row(report_of(client.get(ANALYSIS))["hours"], 11)["total"] == Decimal("2.50")


def test_the_page_draws_four_accessible_charts_without_styles_or_localized_geometry(
    costs, fin_admin_user, client_for
):
    fin_admin_user.language = "hr"
    fin_admin_user.save()
    html = client_for(fin_admin_user).get(ANALYSIS).content.decode()
    assert html.count('role="img"') == 4 and html.count("<table") == 4
    assert "style=" not in html and "<script" not in html.split("</head>")[1]
    attributes = re.findall(r' (?:x|y|width|height)="([^"]*)"', html)
    assert attributes and all(re.fullmatch(r"-?\d+(\.\d+)?%?", value) for value in attributes)
    assert "520,63" in html  # the tables in Croatian


def test_the_analysis_query_count_is_bounded(
    organization, costs, consultant, fin_admin_user, client_for, django_assert_max_num_queries
):
    client = client_for(fin_admin_user)
    with django_assert_max_num_queries(20) as few:
        client.get(ANALYSIS)
    for _index in range(40):
        entry_make(organization, consultant, day=timezone.localdate(), minutes=30, case=costs["finance"])
    cache.clear()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(ANALYSIS)
