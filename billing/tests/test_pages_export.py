"""The export of the history of consultant services (billing.export, helpdesk.exports): CSV and XLSX read
back, what customers and staff get, the filters, formulas defused, decimals for Croatian Excel, and the rate
limit."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from billing.tests.factories import entry_make
from tests.factories import case_create, module_get

EXPORT = reverse("billing:service-export")
CUSTOMER_HEADER = [
    "Date",
    "Consultant",
    "Case",
    "Case title",
    "Product module",
    "Hours",
    "Billable",
    "Description",
]


def read_csv(response) -> list[list[str]]:
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")  # the BOM, so that Excel reads UTF-8
    return list(csv.reader(io.StringIO(body[1:]), delimiter=";"))


def read_xlsx(response) -> list[tuple]:
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [tuple(row) for row in workbook.active.iter_rows(values_only=True)]


@pytest.fixture
def entries(organization, other_organization, admin_user, consultant):
    case = case_create(organization, admin_user, title="Godišnje zatvaranje", module=module_get("finance"))
    on_case = entry_make(
        organization,
        consultant,
        day=date(2026, 11, 3),
        minutes=100,
        case=case,
        description="Zaključak godine č ć đ š ž",
    )
    formula = entry_make(
        organization, consultant, day=date(2026, 11, 4), minutes=20, description="=SUM(A1:A9)"
    )
    free = entry_make(
        organization, consultant, day=date(2026, 11, 5), minutes=60, billable=False, description="Free"
    )
    free.internal_note = "INTERNAL note"
    free.save()
    entry_make(
        other_organization, consultant, day=date(2026, 11, 5), minutes=60, description="Other customer"
    )
    return {"case": case, "on_case": on_case, "formula": formula}


def test_a_customer_gets_billable_time_without_internal_notes(entries, fin_admin_user, client_for):
    response = client_for(fin_admin_user).get(EXPORT, {"format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="services-')
    rows = read_csv(response)
    assert rows[0] == CUSTOMER_HEADER
    assert rows[1:] == [
        ["2026-11-04", "Ivan Konzultant", "General work", "", "", "0.33", "Yes", "'=SUM(A1:A9)"],
        [
            "2026-11-03",
            "Ivan Konzultant",
            entries["case"].reference,
            "Godišnje zatvaranje",
            module_get("finance").name_en,
            "1.67",
            "Yes",
            "Zaključak godine č ć đ š ž",
        ],
    ]


def test_staff_get_every_entry_with_its_internal_note(organization, entries, consultant, client_for):
    rows = read_csv(client_for(consultant).get(EXPORT, {"format": "csv", "organization": organization.pk}))
    assert rows[0] == [*CUSTOMER_HEADER, "Internal note"]
    assert [row[7] for row in rows[1:]] == ["Free", "'=SUM(A1:A9)", "Zaključak godine č ć đ š ž"]
    assert rows[1][6] == "No" and rows[1][8] == "INTERNAL note"
    assert "Other customer" not in str(rows)


def test_the_export_keeps_the_lists_filters(entries, fin_admin_user, client_for):
    rows = read_csv(client_for(fin_admin_user).get(EXPORT, {"format": "csv", "module": "general"}))
    assert [row[7] for row in rows[1:]] == ["'=SUM(A1:A9)"]


def test_croatian_csv_writes_decimal_commas(entries, fin_admin_user, client_for):
    fin_admin_user.language = "hr"
    fin_admin_user.save()
    rows = read_csv(client_for(fin_admin_user).get(EXPORT, {"format": "csv"}))
    assert rows[1][0] == "2026-11-04"  # dates stay in ISO order
    assert [row[5] for row in rows[1:]] == ["0,33", "1,67"]


def test_xlsx_holds_real_dates_and_numbers(entries, fin_admin_user, client_for):
    rows = read_xlsx(client_for(fin_admin_user).get(EXPORT, {"format": "xlsx"}))
    assert list(rows[0]) == CUSTOMER_HEADER
    assert rows[1][0] == datetime(2026, 11, 4) and rows[1][5] == pytest.approx(0.33)
    assert rows[1][7] == "=SUM(A1:A9)"  # text, never a formula (the cell's type is a string)
    assert Decimal(str(rows[2][5])) == Decimal("1.67")


def test_a_bad_format_goes_back_to_the_list_with_a_message(entries, fin_admin_user, client_for):
    response = client_for(fin_admin_user).get(EXPORT, {"format": "pdf"}, follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("billing:service-list"))
    assert "The export needs valid filters and a format (CSV or XLSX)." in response.content.decode()


def test_the_export_is_limited_per_user(entries, fin_admin_user, admin_user, client_for):
    client = client_for(fin_admin_user)
    statuses = [client.get(EXPORT, {"format": "csv"}).status_code for _ in range(12)]
    assert statuses == [200] * 10 + [429] * 2
    refused = client.get(EXPORT, {"format": "csv"})
    assert 0 < int(refused["Retry-After"]) <= 60 and "Too many requests" in refused.content.decode()
    assert client_for(admin_user).get(EXPORT, {"format": "csv"}).status_code == 200


def test_users_without_billing_are_not_counted_nor_served(entries, standard_user, client_for):
    client = client_for(standard_user)
    assert {client.get(EXPORT, {"format": "csv"}).status_code for _ in range(12)} == {404}
