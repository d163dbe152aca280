"""The analysis page (cases.analysis): monthly counts in local time, medians from percentile_cont, top
modules, permissions, filters, caching, the charts' markup and a bounded number of queries."""

import re
from datetime import datetime, time, timedelta

import pytest
from django.core.cache import cache
from django.db.models import DurationField, F
from django.urls import reverse
from django.utils import timezone

from cases import analysis
from cases.models import Case
from tests.factories import case_create, category_get, module_get

ANALYSIS = reverse("cases:case-analysis")


def local(day, hour=12, minute=0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def this_month():
    return timezone.localdate().replace(day=1)


def logged(organization, reporter, *, created, category="problem", module=None, **fields) -> Case:
    """A case logged through the service, then moved back in time (and to a state) as if it were old."""
    case = case_create(organization, reporter, category=category_get(category), module=module)
    Case.objects.filter(pk=case.pk).update(created_at=created, last_activity_at=created, **fields)
    return case


def report_of(response) -> dict:
    assert response.status_code == 200
    return response.context["report"]


def table_row(table: dict, month_index: int) -> dict:
    row = table["rows"][month_index]
    return dict(zip(table["columns"], row["values"], strict=True)) | {"total": row["total"]}


def test_cases_are_counted_per_local_month_by_category_and_status(organization, admin_user, client_for):
    first_day = this_month()
    two_ago = analysis.add_months(first_day, -2)
    # 00:30 on the first of this month in Zagreb is still the previous month in UTC.
    logged(organization, admin_user, created=local(first_day, 0, 30))
    logged(organization, admin_user, created=local(two_ago, 10), category="question", status="resolved")
    logged(organization, admin_user, created=local(two_ago + timedelta(days=3)), category="question")
    logged(organization, admin_user, created=local(analysis.add_months(first_day, -12)))  # too old

    report = report_of(client_for(admin_user).get(ANALYSIS))
    categories = report["by_category"]["table"]
    problem, question = category_get("problem").name_en, category_get("question").name_en
    assert categories["columns"] == [problem, question]  # in the categories' own order
    assert table_row(categories, 11) == {problem: 1, question: 0, "total": 1}
    assert table_row(categories, 9) == {problem: 0, question: 2, "total": 2}
    assert categories["total"] == 3 and report["total"] == 3
    assert len(categories["rows"]) == 12
    statuses = report["by_status"]["table"]
    assert statuses["columns"] == ["New", "Resolved"]  # statuses without cases are left out
    assert table_row(statuses, 9) == {"New": 1, "Resolved": 1, "total": 2}
    assert report["first_month"] == analysis.add_months(first_day, -11)


def test_medians_come_from_percentile_cont_over_answered_and_resolved_cases(
    organization, admin_user, client_for
):
    start = local(this_month(), 8)
    for hours in (1, 2, 4):
        logged(organization, admin_user, created=start, first_response_at=start + timedelta(hours=hours))
    logged(organization, admin_user, created=start, first_response_at=start + timedelta(hours=3),
           resolved_at=start + timedelta(days=2, hours=5), status="resolved")  # fmt: skip
    logged(organization, admin_user, created=start)  # not answered yet: not counted

    report = report_of(client_for(admin_user).get(ANALYSIS))
    first_response, resolution = report["medians"]["rows"]
    assert first_response == {"label": "First response", "text": "2 h 30 min", "hours": "2.5", "count": 4}
    assert resolution == {"label": "Resolution", "text": "2 d 5 h", "hours": "53.0", "count": 1}


def test_median_aggregate_interpolates_between_the_middle_values(organization, admin_user):
    start = local(this_month(), 8)
    for hours in (1, 2, 4, 10):
        logged(organization, admin_user, created=start, first_response_at=start + timedelta(hours=hours))
    delay = analysis.Median(F("first_response_at") - F("created_at"), output_field=DurationField())
    assert Case.objects.aggregate(median=delay) == {"median": timedelta(hours=3)}
    assert Case.objects.filter(pk=0).aggregate(median=delay) == {"median": None}


def test_top_modules_are_the_ten_busiest(organization, admin_user, client_for):
    created = local(this_month(), 9)
    for code, count in (("sales", 1), ("finance", 3), ("warehouse", 2)):
        for _number in range(count):
            logged(organization, admin_user, created=created, module=module_get(code))
    logged(organization, admin_user, created=created)  # no module: not ranked
    report = report_of(client_for(admin_user).get(ANALYSIS))
    finance, warehouse, sales = (module_get(code) for code in ("finance", "warehouse", "sales"))
    assert report["modules"]["rows"] == [(finance.name_en, 3), (warehouse.name_en, 2), (sales.name_en, 1)]
    bars = report["modules"]["chart"].rects
    assert bars[0].width > bars[1].width > bars[2].width


def test_customers_analyse_only_their_organization_staff_all_or_one(
    organization, other_organization, admin_user, other_org_user, consultant, client_for
):
    created = local(this_month(), 9)
    logged(organization, admin_user, created=created)
    logged(organization, admin_user, created=created)
    logged(other_organization, other_org_user, created=created)
    assert report_of(client_for(admin_user).get(ANALYSIS))["total"] == 2
    assert report_of(client_for(other_org_user).get(ANALYSIS))["total"] == 1
    # The organization filter is staff's only; a customer's is ignored and never widens the scope.
    sneaky = client_for(other_org_user).get(ANALYSIS, {"organization": organization.pk})
    assert report_of(sneaky)["total"] == 1
    assert report_of(client_for(consultant).get(ANALYSIS))["total"] == 3
    assert report_of(client_for(consultant).get(ANALYSIS, {"organization": organization.pk}))["total"] == 2


def test_filters_apply_and_created_to_picks_the_last_month(organization, admin_user, client_for):
    logged(organization, admin_user, created=local(datetime(2025, 3, 10).date()), priority="high")
    logged(organization, admin_user, created=local(datetime(2025, 3, 11).date()))
    logged(organization, admin_user, created=local(datetime(2024, 3, 11).date()))  # outside the 12 months
    client = client_for(admin_user)
    report = report_of(client.get(ANALYSIS, {"created_to": "2025-03-31"}))
    assert report["first_month"] == datetime(2024, 4, 1).date()
    assert report["last_day"] == datetime(2025, 3, 31).date()
    assert report["total"] == 2
    assert report_of(client.get(ANALYSIS, {"created_to": "2025-03-31", "priority": "high"}))["total"] == 1


def test_invalid_filters_give_an_error_and_keep_the_input(admin_user, client_for):
    response = client_for(admin_user).get(
        ANALYSIS, {"created_from": "2025-05-01", "created_to": "2025-04-01"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "The end date is before the start date." in html
    assert "Some filters are not valid; correct them to see the analysis." in html
    assert 'value="2025-05-01"' in html and 'value="2025-04-01"' in html


def test_figures_are_cached_for_a_minute_per_scope_and_filters(
    organization, admin_user, consultant, client_for, django_assert_max_num_queries
):
    created = local(this_month(), 9)
    logged(organization, admin_user, created=created)
    client = client_for(admin_user)
    first = report_of(client.get(ANALYSIS))
    logged(organization, admin_user, created=created)
    again = report_of(client.get(ANALYSIS))
    assert (again["total"], again["as_of"]) == (1, first["as_of"])  # the cached figures
    assert report_of(client.get(ANALYSIS, {"priority": "normal"}))["total"] == 2  # other filters, own entry
    assert report_of(client_for(consultant).get(ANALYSIS))["total"] == 2  # other scope, own entry
    cache.clear()
    assert report_of(client.get(ANALYSIS))["total"] == 2


def test_the_page_says_how_old_its_figures_are_and_draws_accessible_charts(
    organization, admin_user, client_for
):
    logged(organization, admin_user, created=local(this_month(), 9), module=module_get("finance"))
    html = client_for(admin_user).get(ANALYSIS).content.decode()
    assert "Figures as of " in html and "refreshed at most once a minute" in html
    assert html.count('role="img"') == 4
    assert html.count("<table") == 4
    assert "style=" not in html and "<script" not in html.split("</head>")[1]
    assert "1 case created from" in html


def test_chart_geometry_is_never_localized(organization, admin_user, client_for):
    admin_user.language = "hr"
    admin_user.save()
    start = local(this_month(), 8)
    for hours in (1, 2):
        logged(
            organization, admin_user, created=start, first_response_at=start + timedelta(minutes=hours * 47)
        )
    html = client_for(admin_user).get(ANALYSIS).content.decode()
    attributes = re.findall(r' (?:x|y|width|height)="([^"]*)"', html)
    assert attributes and all(re.fullmatch(r"-?\d+(\.\d+)?%?", value) for value in attributes)


def test_analysis_is_in_the_navigation_and_linked_from_the_list(admin_user, consultant, client_for):
    for user in (admin_user, consultant):
        html = client_for(user).get(reverse("cases:case-list"), {"status": "new"}).content.decode()
        assert f'href="{ANALYSIS}"' in html  # the header
        assert f'href="{ANALYSIS}?status=new"' in html  # the list's own link, with its filters


@pytest.mark.parametrize("persona", ["admin_user", "consultant"])
def test_analysis_query_count_is_bounded_whatever_the_number_of_cases(
    persona, request, organization, admin_user, client_for, django_assert_max_num_queries
):
    client = client_for(request.getfixturevalue(persona))
    created = local(this_month(), 9)
    logged(organization, admin_user, created=created, module=module_get("sales"))
    with django_assert_max_num_queries(12) as one:
        report_of(client.get(ANALYSIS, {"status": "new"}))
    for number in range(30):
        logged(organization, admin_user, created=created - timedelta(days=31 * (number % 6)),
               module=module_get(("sales", "finance", "warehouse")[number % 3]))  # fmt: skip
    cache.clear()
    with django_assert_max_num_queries(12) as many:
        assert report_of(client.get(ANALYSIS, {"status": "new"}))["total"] == 31
    assert len(many.captured_queries) == len(one.captured_queries)
    # Within the minute the cached figures answer: the three aggregate queries are not run again.
    with django_assert_max_num_queries(len(many.captured_queries) - 3):
        client.get(ANALYSIS, {"status": "new"})


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (None, "—"),
        (29, "0 min"),
        (45 * 60, "45 min"),
        (4 * 3600, "4 h"),
        (3 * 3600 + 20 * 60 + 10, "3 h 20 min"),
        (3 * 86400, "3 d"),
        (2 * 86400 + 5 * 3600 + 59, "2 d 5 h"),
    ],
)
def test_durations_read_as_people_say_them(seconds, text):
    assert analysis.duration_text(seconds) == text
