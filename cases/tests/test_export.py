"""The case export (cases.export): CSV and XLSX read back, the filters and permissions applied, internal
notes never included, formulas defused and the row limit announced."""

import csv
import io
from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cases import export, services
from cases.models import Case
from tests.factories import case_create, category_get

EXPORT = reverse("cases:case-export")
HEADER = [
    "Reference",
    "Title",
    "Organization",
    "Reporter",
    "Category",
    "Product module",
    "Priority",
    "Status",
    "Assignee",
    "Created",
    "First response",
    "Resolved",
    "Closed",
    "Last activity",
    "Description",
]


def read_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")  # the BOM, so that Excel reads UTF-8
    return list(csv.reader(io.StringIO(body[1:]), delimiter=";"))


def read_xlsx(response) -> list[tuple]:
    return read_xlsx_bytes(b"".join(response.streaming_content))


def read_xlsx_bytes(body: bytes) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(body), read_only=True)
    return [tuple(row) for row in workbook.active.iter_rows(values_only=True)]


@pytest.fixture
def cases(organization, other_organization, admin_user, other_org_user, consultant):
    """Two cases of the organization (one answered, resolved and with an internal note), one of another."""
    answered = case_create(
        organization,
        admin_user,
        title="Račun se ne ispisuje",
        description="PDF računa je prazan.",
        priority="high",
    )
    services.case_reply(case=answered, author=consultant, body="Javni odgovor podrške.")
    services.case_reply(case=answered, author=consultant, body="TAJNA-BILJESKA o kupcu", internal=True)
    created = timezone.make_aware(datetime(2025, 7, 1, 8, 30))  # summer time: 06:30 UTC
    Case.objects.filter(pk=answered.pk).update(
        created_at=created,
        first_response_at=timezone.make_aware(datetime(2025, 7, 1, 9, 15)),
        status="resolved",
        assignee=consultant,
        resolved_at=timezone.make_aware(datetime(2025, 7, 2, 10, 0)),
    )
    waiting = case_create(
        organization, admin_user, title='=HYPERLINK("http://evil.test")', description="-1+2"
    )
    foreign = case_create(other_organization, other_org_user, title="Drugi kupac")
    return {"answered": answered, "waiting": waiting, "foreign": foreign}


def test_csv_holds_the_visible_cases_with_their_fields_in_local_time(cases, client_for, admin_user):
    response = client_for(admin_user).get(EXPORT, {"format": "csv", "sort": "reference"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="cases-')
    rows = read_csv(response)
    assert rows[0] == HEADER
    assert [row[0] for row in rows[1:]] == [cases["answered"].reference, cases["waiting"].reference]
    answered = dict(zip(HEADER, rows[1], strict=True))
    assert answered == {
        "Reference": cases["answered"].reference,
        "Title": "Račun se ne ispisuje",
        "Organization": "Jadran Prehrana d.o.o.",
        "Reporter": "Ante Admin",
        "Category": category_get().name_en,
        "Product module": "",
        "Priority": "High",
        "Status": "Resolved",
        "Assignee": "Ivan Konzultant",
        "Created": "2025-07-01 08:30",
        "First response": "2025-07-01 09:15",
        "Resolved": "2025-07-02 10:00",
        "Closed": "",
        "Last activity": answered["Last activity"],
        "Description": "PDF računa je prazan.",
    }


def test_export_never_contains_internal_notes_nor_replies(cases, client_for, admin_user, consultant):
    for user in (admin_user, consultant):
        for file_format in ("csv", "xlsx"):
            response = client_for(user).get(EXPORT, {"format": file_format})
            body = b"".join(response.streaming_content)
            if file_format == "xlsx":
                text = " ".join(str(cell) for row in read_xlsx_bytes(body) for cell in row)
            else:
                text = body.decode("utf-8")
            assert "TAJNA" not in text
            assert "Javni odgovor" not in text


def test_xlsx_holds_the_same_rows_with_real_dates(cases, client_for, admin_user):
    response = client_for(admin_user).get(EXPORT, {"format": "xlsx", "sort": "reference"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    rows = read_xlsx(response)
    assert list(rows[0]) == HEADER
    answered = dict(zip(HEADER, rows[1], strict=True))
    assert answered["Reference"] == cases["answered"].reference
    assert answered["Created"] == datetime(2025, 7, 1, 8, 30)  # local time, as Excel shows it
    assert answered["Resolved"] == datetime(2025, 7, 2, 10, 0)
    assert answered["Closed"] is None
    assert answered["Status"] == "Resolved"
    assert len(rows) == 3


def test_text_that_looks_like_a_formula_stays_text(cases, client_for, admin_user):
    client = client_for(admin_user)
    csv_row = read_csv(client.get(EXPORT, {"format": "csv", "status": "new"}))[1]
    assert csv_row[1] == '\'=HYPERLINK("http://evil.test")'
    assert csv_row[-1] == "'-1+2"
    response = client.get(EXPORT, {"format": "xlsx", "status": "new"})
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    title = workbook.active["B2"]
    assert (title.data_type, title.value) == ("s", '=HYPERLINK("http://evil.test")')


def test_export_applies_the_filters(cases, client_for, admin_user):
    rows = read_csv(client_for(admin_user).get(EXPORT, {"format": "csv", "status": "resolved", "q": "racun"}))
    assert [row[0] for row in rows[1:]] == [cases["answered"].reference]


def test_customers_export_only_their_organization_and_staff_any(
    cases, client_for, other_org_user, consultant
):
    theirs = read_csv(client_for(other_org_user).get(EXPORT, {"format": "csv"}))
    assert [row[0] for row in theirs[1:]] == [cases["foreign"].reference]
    # A customer's organization filter is not theirs to use: it is ignored, never widening the scope.
    widened = read_csv(
        client_for(other_org_user).get(
            EXPORT, {"format": "csv", "organization": cases["answered"].organization_id}
        )
    )
    assert [row[0] for row in widened[1:]] == [cases["foreign"].reference]
    everything = read_csv(client_for(consultant).get(EXPORT, {"format": "csv"}))
    assert len(everything) == 4
    one = read_csv(
        client_for(consultant).get(
            EXPORT, {"format": "csv", "organization": cases["foreign"].organization_id}
        )
    )
    assert [row[0] for row in one[1:]] == [cases["foreign"].reference]


def test_standard_user_of_an_own_cases_only_organization_exports_only_own_cases(
    organization, standard_user, admin_user, client_for
):
    organization.standard_users_see_own_cases_only = True
    organization.save()
    own = case_create(organization, standard_user, title="Moj slučaj")
    case_create(organization, admin_user, title="Tuđi slučaj")
    rows = read_csv(client_for(standard_user).get(EXPORT, {"format": "csv"}))
    assert [row[0] for row in rows[1:]] == [own.reference]


def test_export_stops_at_the_limit_and_says_so(cases, client_for, consultant, monkeypatch):
    monkeypatch.setattr(export, "EXPORT_LIMIT", 2)
    rows = read_csv(client_for(consultant).get(EXPORT, {"format": "csv"}))
    assert len(rows) == 4
    assert rows[-1] == ["The export stops at 2 cases. Narrow the filters to export the rest."]
    sheet = read_xlsx(client_for(consultant).get(EXPORT, {"format": "xlsx"}))
    assert sheet[-1][0] == "The export stops at 2 cases. Narrow the filters to export the rest."


@pytest.mark.parametrize(
    "params", [{"format": "pdf"}, {}, {"format": "csv", "created_from": "2025-02-30"}], ids=str
)
def test_a_bad_request_goes_back_to_the_list_with_a_message_and_the_filters(params, client_for, admin_user):
    client = client_for(admin_user)
    response = client.get(EXPORT, params)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("cases:case-list"))
    page = client.get(response["Location"])
    assert "The export needs valid filters and a format (CSV or XLSX)." in page.content.decode()
    if "created_from" in params:
        assert page.context["form"]["created_from"].value() == "2025-02-30"
