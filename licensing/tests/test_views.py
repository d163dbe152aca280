"""The licence pages: who sees which part, the header entry, staff's list, and the vendor admin's change in
two steps (preview before -> after, then confirm), saved once."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from licensing import services
from licensing.models import Licence, LicenceChange
from licensing.tests.factories import licence_make
from tests.factories import OrganizationFactory

CURRENT = reverse("licensing:licence-current")


@pytest.fixture
def licence(organization, vendor_admin):
    licence = licence_make(organization, modules=["finance", "warehouse"], number="JL-2026-0001")
    services.licence_change(
        licence=licence, change=services.Suspension(), by=vendor_admin, reason="Unpaid invoice"
    )
    services.licence_change(
        licence=licence, change=services.Reactivation(), by=vendor_admin, reason="Invoice paid"
    )
    return licence


def _nav(html: str) -> str:
    return html[html.index("<nav") : html.index("</nav>")]


def test_a_fin_admin_reads_the_terms_and_history_but_not_the_modules(licence, fin_admin_user, client_for):
    html = client_for(fin_admin_user).get(CURRENT).content.decode()
    assert 'id="licence-terms"' in html and "JL-2026-0001" in html
    assert 'data-state="active"' in html and 'data-support="active"' in html
    assert "Invoice paid" in html and reverse("licensing:licence-history", args=[licence.pk]) in html
    assert 'id="licence-granules"' not in html
    assert f'href="{CURRENT}"' in _nav(html)


def test_a_sys_admin_reads_the_modules_but_not_the_terms(licence, sys_admin_user, client_for):
    html = client_for(sys_admin_user).get(CURRENT).content.decode()
    assert 'id="licence-granules"' in html and "Warehouse" in html
    assert 'id="licence-terms"' not in html and "Invoice paid" not in html
    assert reverse("licensing:licence-history", args=[licence.pk]) not in html
    assert f'href="{CURRENT}"' in _nav(html)


def test_an_admin_reads_all_of_it_and_changes_nothing(licence, admin_user, client_for):
    html = client_for(admin_user).get(CURRENT).content.decode()
    assert 'id="licence-terms"' in html and 'id="licence-granules"' in html
    assert reverse("licensing:licence-edit", args=[licence.pk]) not in html


def test_a_standard_user_has_no_licence_page_and_no_header_entry(licence, standard_user, client_for):
    client = client_for(standard_user)
    assert client.get(CURRENT).status_code == 404
    assert client.get(reverse("licensing:licence-detail", args=[licence.pk])).status_code == 404
    assert f'href="{CURRENT}"' not in _nav(client.get(reverse("dashboard")).content.decode())


def test_an_organization_without_a_licence_is_told_so(organization, fin_admin_user, client_for):
    html = client_for(fin_admin_user).get(CURRENT).content.decode()
    assert 'id="no-licence"' in html


def test_the_history_shows_every_change_with_who_why_and_before_after(licence, fin_admin_user, client_for):
    html = (
        client_for(fin_admin_user)
        .get(reverse("licensing:licence-history", args=[licence.pk]))
        .content.decode()
    )
    assert html.count('class="card mb-3 licence-change"') == 2
    assert "Unpaid invoice" in html and "Invoice paid" in html and "Licence suspended" in html
    assert "Vesna Vendor" in html


def test_a_past_licence_is_marked_and_listed(organization, fin_admin_user, client_for):
    past = licence_make(
        organization,
        is_current=False,
        number="JL-OLD",
        valid_until=timezone.localdate() - timedelta(days=1),
        valid_from=timezone.localdate() - timedelta(days=400),
    )
    licence_make(organization, number="JL-NEW")
    client = client_for(fin_admin_user)
    assert "JL-OLD" in client.get(CURRENT).content.decode()
    html = client.get(past.get_absolute_url()).content.decode()
    assert "past licence" in html and 'data-state="expired"' in html


def test_staff_list_every_organization_with_its_licence_state(
    licence, other_organization, dispatcher, client_for
):
    client = client_for(dispatcher)
    assert client.get(CURRENT)["Location"] == reverse("licensing:licence-list")
    url = reverse("licensing:licence-list")
    html = client.get(url).content.decode()
    assert "JL-2026-0001" in html and other_organization.name in html and "No licence" in html
    html = client.get(url, {"state": "none"}).content.decode()
    assert "JL-2026-0001" not in html and other_organization.name in html
    html = client.get(url, {"state": "active"}).content.decode()
    assert "JL-2026-0001" in html and other_organization.name not in html
    assert f'href="{url}"' in _nav(html)


# --- The vendor admin's two steps ---------------------------------------------------------------------------


def _edit_data(licence, **fields):
    data = {
        "edition": licence.edition,
        "valid_from": licence.valid_from.isoformat(),
        "valid_until": (licence.valid_until + timedelta(days=365)).isoformat(),
        "support_until": (licence.valid_until + timedelta(days=365)).isoformat(),
        "products": [product.pk for product in licence.products.all()],
        "reason": "Renewed for 2028",
        "submission_token": "token-1",
    }
    return {**data, **fields}


def test_a_renewal_is_previewed_then_saved_once(licence, vendor_admin, client_for):
    client = client_for(vendor_admin)
    url = reverse("licensing:licence-edit", args=[licence.pk])
    assert client.get(url).status_code == 200
    changes = LicenceChange.objects.count()

    preview = client.post(url, _edit_data(licence))
    html = preview.content.decode()
    assert preview.status_code == 200 and 'id="change-preview"' in html and "Licence renewed" in html
    old, new = licence.valid_until, licence.valid_until + timedelta(days=365)
    assert date_format(old, "SHORT_DATE_FORMAT") in html and date_format(new, "SHORT_DATE_FORMAT") in html
    assert LicenceChange.objects.count() == changes  # nothing saved yet

    seen = services.last_change_id(licence)
    confirm = _edit_data(licence, confirm="1", seen=str(seen))
    response = client.post(url, confirm)
    assert response.status_code == 302 and response["Location"] == licence.get_absolute_url()
    assert LicenceChange.objects.count() == changes + 1
    licence.refresh_from_db()
    assert licence.valid_until == new

    # The same confirmation sent again (a double click): shown the first result, nothing saved twice.
    again = client.post(url, confirm)
    assert again.status_code == 302 and LicenceChange.objects.count() == changes + 1


def test_back_returns_to_the_filled_form(licence, vendor_admin, client_for):
    url = reverse("licensing:licence-edit", args=[licence.pk])
    html = client_for(vendor_admin).post(url, _edit_data(licence, back="1")).content.decode()
    assert 'id="licence-change-form"' in html and "Renewed for 2028" in html


def test_a_confirmation_after_somebody_elses_change_is_refused(licence, vendor_admin, client_for):
    url = reverse("licensing:licence-edit", args=[licence.pk])
    stale = services.last_change_id(licence)
    services.licence_change(licence=licence, change=services.Suspension(), by=vendor_admin, reason="Unpaid")
    changes = LicenceChange.objects.count()
    response = client_for(vendor_admin).post(url, _edit_data(licence, confirm="1", seen=str(stale)))
    assert response.status_code == 200 and "changed by somebody else" in response.content.decode()
    assert LicenceChange.objects.count() == changes


def test_a_refused_change_is_shown_on_the_form(licence, vendor_admin, client_for):
    url = reverse("licensing:granule-add", args=[licence.pk])
    response = client_for(vendor_admin).post(url, {"reason": "", "quantity": "0", "unit": "seats"})
    assert response.status_code == 200 and 'id="licence-change-form"' in response.content.decode()
    assert LicenceChange.objects.filter(kind="granule_added").count() == 0


def test_a_vendor_admin_issues_a_licence_to_an_organization_without_one(vendor_admin, client_for):
    organization = OrganizationFactory()
    today = timezone.localdate()
    url = reverse("licensing:licence-issue", args=[organization.pk])
    product = licence_make(OrganizationFactory()).products.get()
    data = {
        "number": "JL-2027-0001",
        "edition": "standard",
        "valid_from": today.isoformat(),
        "valid_until": (today + timedelta(days=365)).isoformat(),
        "products": [product.pk],
        "reason": "Contract signed",
    }
    client = client_for(vendor_admin)
    assert "JL-2027-0001" in client.post(url, data).content.decode()
    assert not Licence.objects.filter(organization=organization).exists()
    response = client.post(url, {**data, "confirm": "1"})
    licence = Licence.objects.get(organization=organization)
    assert response["Location"] == licence.get_absolute_url()
    assert licence.changes.get().kind == LicenceChange.Kind.CREATED
