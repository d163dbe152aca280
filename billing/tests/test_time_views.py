"""Consultant time on the pages: the case timeline (customers see billable time and its description, staff
see all), the case page's htmx form, the consultant's own time page, and changes refused with a message
once the month is approved."""

import pytest
from django.urls import reverse
from django.utils import timezone

from billing import timelog
from billing.models import TimeEntry
from billing.money import previous_month
from billing.tests.test_time_entries import month_approve
from tests.factories import case_create

HTMX = {"HX-Request": "true"}


@pytest.fixture
def case(organization, standard_user):
    return case_create(organization, standard_user, title="Payroll export stops")


@pytest.fixture
def entries(case, consultant):
    """A billable entry with an internal note, and a non-billable one."""
    billable = timelog.time_entry_log(
        by=consultant,
        case=case,
        day=timezone.localdate(),
        minutes=90,
        description="Corrected the payroll export template.",
        internal_note="Our bug, introduced in 4.2; do not tell them yet.",
    )
    free = timelog.time_entry_log(
        by=consultant,
        case=case,
        day=timezone.localdate(),
        minutes=15,
        is_billable=False,
        description="Called back about the ticket number.",
    )
    return billable, free


@pytest.mark.parametrize("persona", ["standard_user", "fin_admin_user", "admin_user"])
def test_customers_see_billable_time_and_its_description_only(persona, case, entries, request, client_for):
    page = client_for(request.getfixturevalue(persona)).get(case.get_absolute_url()).content.decode()

    assert f'id="time-{entries[0].pk}"' in page
    assert "Corrected the payroll export template." in page
    assert "1.50 h" in page
    assert "do not tell them yet" not in page  # the internal note
    assert f'id="time-{entries[1].pk}"' not in page  # non-billable time
    assert "Called back about the ticket number." not in page
    assert 'id="time-form"' not in page
    assert reverse("billing:time-entry-update", args=[entries[0].pk]) not in page


def test_staff_see_every_entry_with_its_internal_note_and_the_form(case, entries, consultant, client_for):
    page = client_for(consultant).get(case.get_absolute_url()).content.decode()

    assert "Corrected the payroll export template." in page
    assert "do not tell them yet" in page
    assert "Called back about the ticket number." in page
    assert "Not billable (only staff see it)" in page
    assert 'id="time-form"' in page
    assert reverse("billing:time-entry-update", args=[entries[0].pk]) in page
    # The timeline's delete buttons and the time form carry the CSRF token (their partials get it passed).
    delete_url = reverse("billing:time-entry-delete", args=[entries[0].pk])
    delete_form = page.split(delete_url)[1].split("</form>")[0]
    assert 'name="csrfmiddlewaretoken"' in delete_form
    assert 'name="csrfmiddlewaretoken"' in page.split('id="time-form"')[1]


def test_a_dispatcher_sees_the_time_but_neither_logs_nor_changes_it(case, entries, dispatcher, client_for):
    page = client_for(dispatcher).get(case.get_absolute_url()).content.decode()

    assert "Called back about the ticket number." in page
    assert 'id="time-form"' not in page
    assert reverse("billing:time-entry-update", args=[entries[0].pk]) not in page


def test_an_approved_month_shows_its_time_without_edit_or_delete(
    case, consultant, fin_admin_user, client_for
):
    last_month = previous_month(timezone.localdate())
    entry = timelog.time_entry_log(by=consultant, case=case, day=last_month, minutes=60, description="Audit")
    month_approve(case.organization, last_month, fin_admin_user)

    page = client_for(consultant).get(case.get_absolute_url()).content.decode()

    assert f'id="time-{entry.pk}"' in page
    assert "Statement approved" in page
    assert reverse("billing:time-entry-update", args=[entry.pk]) not in page
    assert reverse("billing:time-entry-delete", args=[entry.pk]) not in page


def time_data(**fields) -> dict:
    values = {
        "day": timezone.localdate().isoformat(),
        "duration": "1:30",
        "is_billable": "on",
        "description": "Reinstalled the print server.",
        "internal_note": "",
        **fields,
    }
    return {f"time-{name}": value for name, value in values.items()}


def test_the_case_form_logs_time_through_htmx(case, consultant, client_for):
    client = client_for(consultant)

    response = client.post(reverse("billing:case-time-log", args=[case.reference]), time_data(), headers=HTMX)

    entry = TimeEntry.objects.get()
    assert (entry.minutes, entry.case, entry.is_billable) == (90, case, True)
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"{case.get_absolute_url()}#time-{entry.pk}"


def test_the_case_form_comes_back_with_its_errors(case, consultant, client_for):
    client = client_for(consultant)
    url = reverse("billing:case-time-log", args=[case.reference])

    fragment = client.post(url, time_data(duration="-1"), headers=HTMX)
    page = client.post(url, time_data(duration="0:00"))

    assert fragment.status_code == 200
    assert "The duration must be more than zero." in fragment.content.decode()
    assert fragment.content.decode().lstrip().startswith("<div")  # the form alone, for htmx to swap
    assert page.status_code == 400  # without htmx: a page with the form
    assert "The duration must be more than zero." in page.content.decode()
    assert not TimeEntry.objects.exists()


def test_logging_into_an_approved_month_is_a_message_on_the_form(
    case, consultant, fin_admin_user, client_for
):
    last_month = previous_month(timezone.localdate())
    month_approve(case.organization, last_month, fin_admin_user)

    response = client_for(consultant).post(
        reverse("billing:case-time-log", args=[case.reference]),
        time_data(day=last_month.isoformat()),
        headers=HTMX,
    )

    assert response.status_code == 200
    assert "is approved: its time can no longer be logged" in response.content.decode()
    assert not TimeEntry.objects.exists()


def test_the_form_sent_twice_logs_the_time_once(case, consultant, client_for):
    client = client_for(consultant)
    data = time_data(**{"submission_token": "one-token"})
    url = reverse("billing:case-time-log", args=[case.reference])

    first = client.post(url, data)
    second = client.post(url, data)

    assert TimeEntry.objects.count() == 1
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]


def test_general_work_is_logged_on_the_consultants_time_page(organization, consultant, client_for):
    client = client_for(consultant)
    response = client.post(
        reverse("billing:time-list"),
        {
            "organization": organization.pk,
            "day": timezone.localdate().isoformat(),
            "duration": "7,5",
            "is_billable": "on",
            "description": "On-site training of the warehouse staff.",
        },
    )

    entry = TimeEntry.objects.get()
    assert response.status_code == 302
    assert (entry.organization, entry.case, entry.minutes) == (organization, None, 450)
    page = client.get(reverse("billing:time-list")).content.decode()
    assert "On-site training of the warehouse staff." in page
    assert reverse("billing:time-entry-update", args=[entry.pk]) in page


def test_a_change_of_approved_time_is_refused_with_a_message(case, consultant, fin_admin_user, client_for):
    last_month = previous_month(timezone.localdate())
    entry = timelog.time_entry_log(by=consultant, case=case, day=last_month, minutes=60, description="Audit")
    month_approve(case.organization, last_month, fin_admin_user)
    client = client_for(consultant)
    url = reverse("billing:time-entry-update", args=[entry.pk])

    shown = client.get(url)
    sent = client.post(url, {"day": last_month.isoformat(), "duration": "5", "description": "More"})
    deleted = client.post(reverse("billing:time-entry-delete", args=[entry.pk]), follow=True)

    assert shown.status_code == 200
    assert "its time can no longer be changed or deleted" in shown.content.decode()
    assert sent.status_code == 400
    assert "is approved" in sent.content.decode()
    assert deleted.status_code == 200
    assert "is approved" in deleted.content.decode()
    entry.refresh_from_db()
    assert entry.minutes == 60


def test_the_consultant_changes_their_entry(case, consultant, client_for):
    entry = timelog.time_entry_log(
        by=consultant, case=case, day=timezone.localdate(), minutes=60, description="A"
    )
    client = client_for(consultant)

    form = client.get(reverse("billing:time-entry-update", args=[entry.pk])).content.decode()
    response = client.post(
        reverse("billing:time-entry-update", args=[entry.pk]),
        {"day": entry.date.isoformat(), "duration": "2:15", "description": "Longer than it looked"},
    )

    assert 'value="1:00"' in form
    assert response.status_code == 302
    assert response["Location"] == f"{case.get_absolute_url()}#time-{entry.pk}"
    entry.refresh_from_db()
    assert (entry.minutes, entry.is_billable, entry.description) == (135, False, "Longer than it looked")
