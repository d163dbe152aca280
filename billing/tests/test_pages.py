"""The billing pages (billing.views.pages): the overview (contract, this month's hours against the included
hours, statements by state, the outstanding balance), the organization picker, the statements and the
history of consultant services, the contract history and the vendor admin's new terms in two steps, and the
FIN_ADMIN's dashboard panel."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organization
from billing import services
from billing.models import Statement, SupportContract
from billing.oib import oib_check_digit
from billing.reports import HourBudget
from billing.tests.factories import contract_make, entry_make, statement_make
from helpdesk.models import AuditEvent
from tests.factories import OrganizationFactory, case_create, module_get

OVERVIEW = reverse("billing:overview")
SERVICES = reverse("billing:service-list")
CONTRACTS = reverse("billing:contract-list")


def today() -> date:
    return timezone.localdate()


def html_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


# --- The overview -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("used", "percent", "tone", "left", "extra"),
    [
        ("0", 0, "ok", "10.00", "0.00"),
        ("7.99", 80, "near", "2.01", "0.00"),  # 79.9 % rounds half-up to 80 %
        ("7.94", 79, "ok", "2.06", "0.00"),
        ("10.00", 100, "over", "0.00", "0.00"),
        ("12.50", 125, "over", "0.00", "2.50"),
    ],
)
def test_the_hour_budget_says_how_much_is_used_left_and_above(used, percent, tone, left, extra):
    budget = HourBudget(used=Decimal(used), included=Decimal("10.00"))
    assert (budget.percent, budget.tone, budget.left, budget.extra) == (
        percent,
        tone,
        Decimal(left),
        Decimal(extra),
    )
    assert budget.bar_width == min(percent, 100)


def test_no_included_hours_is_full_at_the_first_hour():
    assert HourBudget(used=Decimal("0"), included=Decimal("0")).tone == "ok"
    assert HourBudget(used=Decimal("0.25"), included=Decimal("0")).percent == 100


def test_a_fin_admin_sees_contract_hours_statements_and_the_outstanding_balance(
    organization, fin_admin_user, consultant, client_for
):
    contract_make(organization, monthly_fee="500.00", included_hours="10", hourly_rate="60.00")
    entry_make(organization, consultant, minutes=600)  # last month: 10 h, all included
    approved = statement_make(organization, period=today().replace(day=1) - timedelta(days=40))
    services.statement_approve(statement_id=approved.pk, by=fin_admin_user)
    awaiting = statement_make(organization)  # last month: 500 + 25 % = 625.00
    entry_make(organization, consultant, day=today(), minutes=480)  # 8 h of 10: 80 %
    entry_make(organization, consultant, day=today(), minutes=600, billable=False)  # not counted

    html = html_of(client_for(fin_admin_user).get(OVERVIEW))

    assert "Jadran Prehrana d.o.o." in html and 'id="billing-contract"' in html
    assert "500.00 EUR" in html and "60.00 EUR" in html and "Standard" in html
    assert 'class="budget-bar budget-near"' in html and 'data-percent="80"' in html
    assert "8.00 h of the 10.00 h included this month used (80 %)." in html
    assert "2.00 h left." in html
    assert awaiting.total == Decimal("625.00")
    outstanding = html[html.index('id="billing-outstanding"') :]
    assert "625.00 EUR" in outstanding and "The portal records no payments" in outstanding
    assert 'data-state="awaiting"' in html and 'data-state="approved"' in html
    assert awaiting.get_absolute_url() in html and approved.get_absolute_url() in html
    assert f'href="{OVERVIEW}"' in html  # the header entry


def test_the_outstanding_balance_counts_disputed_and_awaiting_statements_only(
    organization, admin_user, client_for
):
    older = statement_make(organization, period=today().replace(day=1) - timedelta(days=70))
    services.statement_dispute(statement_id=older.pk, by=admin_user, comment="Hours of another company.")
    middle = statement_make(organization, period=today().replace(day=1) - timedelta(days=40))
    services.statement_approve(statement_id=middle.pk, by=admin_user)
    statement_make(organization)

    html = html_of(client_for(admin_user).get(OVERVIEW))

    outstanding = html[html.index('id="billing-outstanding"') :]
    assert "1,250.00 EUR" in outstanding  # 625.00 awaiting + 625.00 disputed, not the approved one


def test_hours_above_the_included_ones_are_said_with_their_rate(
    organization, fin_admin_user, consultant, client_for
):
    contract_make(organization, included_hours="2", hourly_rate="62.50")
    entry_make(organization, consultant, day=today(), minutes=150)
    html = html_of(client_for(fin_admin_user).get(OVERVIEW))
    assert 'class="budget-bar budget-over"' in html
    assert "0.50 h above the included hours, billed at 62.50 EUR an hour." in html


def test_without_a_contract_the_overview_says_so(organization, fin_admin_user, client_for):
    html = html_of(client_for(fin_admin_user).get(OVERVIEW))
    assert 'id="no-contract"' in html and "budget-bar" not in html


@pytest.mark.parametrize("persona", ["standard_user", "sys_admin_user"])
def test_billing_is_not_there_for_standard_and_sys_admin_users(persona, request, organization, client_for):
    statement_make(organization)
    client = client_for(request.getfixturevalue(persona))
    for url in (OVERVIEW, SERVICES, CONTRACTS, reverse("billing:cost-analysis")):
        assert client.get(url).status_code == 404
    assert f'href="{OVERVIEW}"' not in client.get(reverse("dashboard")).content.decode()


def test_staff_pick_an_organization(organization, other_organization, consultant, client_for):
    contract_make(other_organization, monthly_fee="999.00")
    client = client_for(consultant)

    picking = html_of(client.get(OVERVIEW))
    assert 'id="organization-picker"' in picking and 'id="no-organization"' in picking
    assert "Jadran Prehrana d.o.o." in picking and "Northwind Trading Ltd." in picking

    chosen = html_of(client.get(OVERVIEW, {"organization": other_organization.pk}))
    assert "999.00 EUR" in chosen and f"organization={other_organization.pk}" in chosen
    assert client.get(OVERVIEW, {"organization": "nope"}).status_code == 404


def test_a_customer_cannot_pick_another_organization(
    organization, other_organization, fin_admin_user, client_for
):
    client = client_for(fin_admin_user)
    assert client.get(OVERVIEW, {"organization": other_organization.pk}).status_code == 404
    # Alone in one organization, the customer gets no picker.
    assert 'id="organization-picker"' not in html_of(client.get(OVERVIEW))


def test_the_statement_list_filters_by_state(organization, fin_admin_user, client_for):
    approved = statement_make(organization, period=today().replace(day=1) - timedelta(days=40))
    services.statement_approve(statement_id=approved.pk, by=fin_admin_user)
    awaiting = statement_make(organization)
    client = client_for(fin_admin_user)
    url = reverse("billing:statement-list")

    every = html_of(client.get(url))
    assert approved.number in every and awaiting.number in every
    only = html_of(client.get(url, {"state": "approved"}))
    assert approved.number in only and awaiting.number not in only


# --- The history of consultant services ---------------------------------------------------------------------


@pytest.fixture
def services_history(organization, admin_user, consultant, vendor_admin):
    """The organization's time: on a Finance case, general work, a non-billable hour with a note."""
    case = case_create(organization, admin_user, title="Closing the year", module=module_get("finance"))
    entries = {
        "on_case": entry_make(
            organization, consultant, day=today(), minutes=90, case=case, description="Year-end closing"
        ),
        "general": entry_make(
            organization, vendor_admin, day=today() - timedelta(days=40), minutes=240, description="Training"
        ),
        "free": entry_make(
            organization, consultant, day=today(), minutes=60, billable=False, description="Goodwill"
        ),
    }
    entries["free"].internal_note = "INTERNAL: customer is unhappy"
    entries["free"].save()
    return {"case": case, **entries}


def test_customers_see_billable_services_without_internal_notes(services_history, fin_admin_user, client_for):
    html = html_of(client_for(fin_admin_user).get(SERVICES))
    assert "Year-end closing" in html and "Training" in html and services_history["case"].reference in html
    assert "Goodwill" not in html and "INTERNAL" not in html
    assert "2 entries, 5.50 h." in html
    assert 'name="billable"' not in html


def test_staff_see_every_entry_with_its_internal_note(organization, services_history, consultant, client_for):
    html = html_of(client_for(consultant).get(SERVICES, {"organization": organization.pk}))
    assert "Goodwill" in html and "INTERNAL: customer is unhappy" in html
    assert "3 entries, 6.50 h." in html and "Billable: 5.50 h." in html


def test_services_are_filtered_by_period_consultant_case_module_and_billable(
    organization, services_history, consultant, vendor_admin, client_for
):
    client = client_for(vendor_admin)

    def shown(**filters) -> set[str]:
        html = html_of(client.get(SERVICES, {"organization": organization.pk, **filters}))
        return {name for name in ("Year-end closing", "Training", "Goodwill") if name in html}

    assert shown(date_from=today().replace(day=1).isoformat()) == {"Year-end closing", "Goodwill"}
    assert shown(date_to=(today() - timedelta(days=30)).isoformat()) == {"Training"}
    assert shown(consultant=vendor_admin.pk) == {"Training"}
    assert shown(case=services_history["case"].reference.lower()) == {"Year-end closing"}
    assert shown(module="general") == {"Training", "Goodwill"}
    assert shown(module=module_get("finance").pk) == {"Year-end closing"}
    assert shown(billable="no") == {"Goodwill"}
    assert shown(billable="yes") == {"Year-end closing", "Training"}


def test_the_services_list_is_paged(organization, fin_admin_user, consultant, client_for):
    for index in range(51):
        entry_make(organization, consultant, day=today(), description=f"Entry {index:02d}")
    client = client_for(fin_admin_user)
    first = html_of(client.get(SERVICES))
    assert first.count("<tr>") == 51  # header + 50 rows
    second = html_of(client.get(SERVICES, {"page": 2}))
    assert second.count("<tr>") == 2


# --- Contracts ----------------------------------------------------------------------------------------------


def test_customers_read_the_contract_history(organization, fin_admin_user, client_for):
    contract_make(
        organization, valid_from=date(2024, 1, 1), valid_until=date(2024, 12, 31), monthly_fee="400.00"
    )
    contract_make(organization, valid_from=date(2025, 1, 1), monthly_fee="450.00")
    html = html_of(client_for(fin_admin_user).get(CONTRACTS))
    assert "400.00" in html and "450.00" in html and "in force" in html
    assert reverse("billing:contract-create", args=[organization.pk]) not in html


def terms(organization, **extra) -> dict:
    return {
        "oib": organization.oib,
        "valid_from": "2026-03-01",
        "monthly_fee": "650.00",
        "included_hours": "12.5",
        "hourly_rate": "70.00",
        "sla_tier": "premium",
        "note": "Annex 3 to the contract",
        **extra,
    }


def test_new_terms_are_previewed_then_saved_and_the_old_contract_ends_the_day_before(
    organization, vendor_admin, client_for
):
    old = contract_make(organization, valid_from=date(2025, 1, 1), monthly_fee="500.00")
    client = client_for(vendor_admin)
    url = reverse("billing:contract-create", args=[organization.pk])
    form = html_of(client.get(url))
    assert f'value="{organization.oib}"' in form and 'value="500.00"' in form

    preview = html_of(client.post(url, terms(organization)))
    assert 'id="change-preview"' in preview
    assert "The contract in force since 1 Jan 2025 will end on 28 Feb 2026." in preview
    assert "500.00" in preview and "650.00" in preview and "Premium" in preview
    assert SupportContract.objects.count() == 1  # nothing saved yet

    saved = client.post(url, terms(organization, confirm="1"))
    assert saved.status_code == 302 and saved["Location"] == f"{CONTRACTS}?organization={organization.pk}"
    old.refresh_from_db()
    assert old.valid_until == date(2026, 2, 28)
    new = SupportContract.objects.get(valid_from=date(2026, 3, 1))
    assert (new.monthly_fee, new.included_hours, new.hourly_rate) == (
        Decimal("650.00"),
        Decimal("12.50"),
        Decimal("70.00"),
    )
    assert new.created_by == vendor_admin and new.note == "Annex 3 to the contract"
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CONTRACT_SAVED).count() == 1


def test_a_confirmation_sent_twice_saves_the_terms_once(organization, vendor_admin, client_for):
    client = client_for(vendor_admin)
    url = reverse("billing:contract-create", args=[organization.pk])
    data = terms(organization, confirm="1", submission_token="one-token")
    assert client.post(url, data).status_code == 302
    again = client.post(url, data)
    assert again.status_code == 302
    assert SupportContract.objects.filter(organization=organization).count() == 1


def test_a_wrong_oib_check_digit_is_refused_with_a_message(organization, vendor_admin, client_for):
    wrong = organization.oib[:10] + str((int(organization.oib[10]) + 1) % 10)
    response = client_for(vendor_admin).post(
        reverse("billing:contract-create", args=[organization.pk]), terms(organization, oib=wrong)
    )
    html = html_of(response)
    assert f"{wrong} is not a valid OIB" in html and 'id="contract-form"' in html
    assert not SupportContract.objects.exists()


def test_a_corrected_oib_is_saved_with_the_terms(vendor_admin, client_for):
    organization = OrganizationFactory(oib="12345678901")  # 11 digits, a wrong check digit
    correct = "1234567890" + str(oib_check_digit("1234567890"))
    assert correct != organization.oib
    url = reverse("billing:contract-create", args=[organization.pk])
    preview = html_of(client_for(vendor_admin).post(url, terms(organization, oib=correct)))
    assert "Organization&#x27;s OIB" in preview and "12345678901" in preview

    assert (
        client_for(vendor_admin).post(url, terms(organization, oib=correct, confirm="1")).status_code == 302
    )
    assert Organization.objects.get(pk=organization.pk).oib == correct
    assert SupportContract.objects.filter(organization=organization).count() == 1


def test_terms_starting_before_a_later_contract_are_refused(organization, vendor_admin, client_for):
    contract_make(organization, valid_from=date(2026, 6, 1))
    html = html_of(
        client_for(vendor_admin).post(
            reverse("billing:contract-create", args=[organization.pk]), terms(organization, confirm="1")
        )
    )
    assert "already starts on or after 1 Mar 2026" in html
    assert SupportContract.objects.count() == 1


def test_only_vendor_admins_change_contracts(organization, admin_user, consultant, client_for):
    url = reverse("billing:contract-create", args=[organization.pk])
    for user in (admin_user, consultant):
        assert client_for(user).post(url, terms(organization, confirm="1")).status_code == 403
    assert not SupportContract.objects.exists()


# --- The dashboard ------------------------------------------------------------------------------------------


def test_the_fin_admin_dashboard_shows_the_statement_awaiting_approval(
    organization, fin_admin_user, standard_user, client_for
):
    statement = statement_make(organization)
    html = html_of(client_for(fin_admin_user).get(reverse("dashboard")))
    assert 'id="billing-panel"' in html and statement.get_absolute_url() in html
    assert "is awaiting your approval" in html and "budget-bar" in html
    assert 'id="billing-panel"' not in html_of(client_for(standard_user).get(reverse("dashboard")))


def test_the_dashboard_panel_says_when_nothing_awaits(organization, fin_admin_user, client_for):
    statement = statement_make(organization)
    services.statement_approve(statement_id=statement.pk, by=fin_admin_user)
    html = html_of(client_for(fin_admin_user).get(reverse("dashboard")))
    assert "No statement is awaiting approval." in html
    assert Statement.objects.get().is_approved
