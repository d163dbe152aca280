"""Every change of a licence goes through licensing.services and writes exactly one LicenceChange row (who,
when, why, before -> after) and one audit event; a refused change writes neither, and a preview nothing."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from helpdesk.models import AuditEvent
from licensing import services
from licensing.models import Granule, Licence, LicenceChange
from licensing.tests.factories import licence_make
from releases.models import Product
from tests.factories import module_get

Kind = LicenceChange.Kind


@pytest.fixture
def licence(organization):
    return licence_make(organization, modules=["finance", "sales"], quantity=10)


def _counts():
    return LicenceChange.objects.count(), AuditEvent.objects.filter(action="licence_changed").count()


def _granule(licence, code):
    return licence.granules.select_related("module").get(module__code=code)


def _terms(licence, **fields):
    terms = {
        "edition": licence.edition,
        "valid_from": licence.valid_from,
        "valid_until": licence.valid_until,
        "support_until": licence.support_until,
        "products": tuple(licence.products.all()),
    }
    return services.TermsEdit(**{**terms, **fields})


CHANGES = {
    "renewal": (lambda lic: _terms(lic, valid_until=lic.valid_until + timedelta(days=365)), Kind.RENEWED),
    "support": (
        lambda lic: _terms(lic, support_until=lic.valid_until - timedelta(days=30)),
        Kind.SUPPORT_CHANGED,
    ),
    "edition": (lambda lic: _terms(lic, edition=Licence.Edition.ENTERPRISE), Kind.TERMS_CHANGED),
    "shortened": (
        lambda lic: _terms(lic, valid_until=lic.valid_until - timedelta(days=10)),
        Kind.TERMS_CHANGED,
    ),
    "suspension": (lambda lic: services.Suspension(), Kind.SUSPENDED),
    "granule added": (
        lambda lic: services.GranuleAdd(module=module_get("warehouse"), quantity=3, unit=Granule.Unit.SEATS),
        Kind.GRANULE_ADDED,
    ),
    "quantity changed": (
        lambda lic: services.GranuleEdit(
            granule=_granule(lic, "finance"), quantity=25, unit=Granule.Unit.NAMED_USERS
        ),
        Kind.GRANULE_CHANGED,
    ),
    "granule dates": (
        lambda lic: services.GranuleEdit(
            granule=_granule(lic, "finance"),
            quantity=10,
            unit=Granule.Unit.NAMED_USERS,
            valid_until=timezone.localdate() + timedelta(days=30),
        ),
        Kind.GRANULE_CHANGED,
    ),
    "granule removed": (
        lambda lic: services.GranuleRemoval(granule=_granule(lic, "sales")),
        Kind.GRANULE_REMOVED,
    ),
}


@pytest.mark.parametrize("name", CHANGES)
def test_every_change_writes_one_licence_change_and_one_audit_event(name, licence, vendor_admin):
    change_of, kind = CHANGES[name]
    before = _counts()

    row = services.licence_change(
        licence=licence, change=change_of(licence), by=vendor_admin, reason="Order 17"
    )

    assert _counts() == (before[0] + 1, before[1] + 1)
    assert (row.kind, row.by, row.reason) == (kind, vendor_admin, "Order 17")
    assert row.before != row.after and row.rows()
    event = AuditEvent.objects.get(action="licence_changed")
    assert (event.actor, event.organization, event.target_id) == (
        vendor_admin,
        licence.organization,
        str(licence.pk),
    )
    assert event.details["change"] == kind


def test_reactivation_writes_one_change(licence, vendor_admin):
    services.licence_change(licence=licence, change=services.Suspension(), by=vendor_admin, reason="Unpaid")
    before = _counts()
    row = services.licence_change(
        licence=licence, change=services.Reactivation(), by=vendor_admin, reason="Paid"
    )
    assert _counts() == (before[0] + 1, before[1] + 1)
    assert row.kind == Kind.REACTIVATED
    licence.refresh_from_db()
    assert not licence.is_suspended
    assert [row.rows()[0].before, row.rows()[0].after] == ["yes", "no"]


def test_a_change_keeps_before_and_after(licence, vendor_admin):
    change = services.GranuleEdit(granule=_granule(licence, "finance"), quantity=25, unit=Granule.Unit.SEATS)
    row = services.licence_change(licence=licence, change=change, by=vendor_admin, reason="More users")
    assert (row.before["quantity"], row.after["quantity"]) == (10, 25)
    assert (row.before["unit"], row.after["unit"]) == ("named_users", "seats")
    assert _granule(licence, "finance").quantity == 25
    assert [(r.label, r.before, r.after) for r in row.rows()] == [
        ("module", module_get("finance").name_en, module_get("finance").name_en),
        ("quantity", "10", "25"),
        ("unit", "named users", "concurrent seats"),
    ]


REFUSED = {
    "no reason": (lambda lic: services.Suspension(), ""),
    "nothing changes": (lambda lic: _terms(lic), "x"),
    "reactivate an active licence": (lambda lic: services.Reactivation(), "x"),
    "module twice": (
        lambda lic: services.GranuleAdd(module=module_get("finance"), quantity=1, unit=Granule.Unit.SEATS),
        "x",
    ),
    "module of an unlicensed product": (
        lambda lic: services.GranuleAdd(
            module=module_get_of(Product.objects.create(code="pos", name="Jupiter POS"), "pos-till"),
            quantity=1,
            unit=Granule.Unit.SEATS,
        ),
        "x",
    ),
    "quantity zero": (
        lambda lic: services.GranuleEdit(
            granule=_granule(lic, "finance"), quantity=0, unit=Granule.Unit.SEATS
        ),
        "x",
    ),
    "dates reversed": (lambda lic: _terms(lic, valid_until=lic.valid_from - timedelta(days=1)), "x"),
    "no product": (lambda lic: _terms(lic, products=()), "x"),
    "reason too long": (lambda lic: services.Suspension(), "x" * 2001),
}


def module_get_of(product, code):
    from releases.models import Module

    return Module.objects.create(product=product, code=code, name_hr=code, name_en=code)


@pytest.mark.parametrize("name", REFUSED)
def test_a_refused_change_writes_nothing(name, licence, vendor_admin):
    change_of, reason = REFUSED[name]
    before = _counts()
    terms = (
        licence.valid_until,
        licence.is_suspended,
        list(licence.granules.values_list("quantity", flat=True)),
    )
    with pytest.raises(ValidationError):
        services.licence_change(licence=licence, change=change_of(licence), by=vendor_admin, reason=reason)
    assert _counts() == before
    licence.refresh_from_db()
    assert terms == (
        licence.valid_until,
        licence.is_suspended,
        list(licence.granules.values_list("quantity", flat=True)),
    )


def test_a_removed_granule_is_refused_the_second_time(licence, vendor_admin):
    granule = _granule(licence, "sales")
    services.licence_change(
        licence=licence, change=services.GranuleRemoval(granule=granule), by=vendor_admin, reason="x"
    )
    with pytest.raises(ValidationError, match="no longer on the licence"):
        services.licence_change(
            licence=licence, change=services.GranuleRemoval(granule=granule), by=vendor_admin, reason="x"
        )
    assert LicenceChange.objects.count() == 1


def test_a_preview_shows_the_change_and_writes_nothing(licence):
    change = _terms(licence, valid_until=licence.valid_until + timedelta(days=365))
    plan = services.licence_change_preview(licence=licence, change=change)
    assert plan.kind == Kind.RENEWED
    assert [row.label for row in plan.rows()] == ["valid until"]
    assert LicenceChange.objects.count() == 0
    licence.refresh_from_db()
    assert licence.valid_until == change.valid_until - timedelta(days=365)


def test_a_change_confirmed_after_somebody_elses_is_refused(licence, vendor_admin):
    seen = services.last_change_id(licence)
    services.licence_change(licence=licence, change=services.Suspension(), by=vendor_admin, reason="Unpaid")
    with pytest.raises(ValidationError, match="changed by somebody else"):
        services.licence_change(
            licence=licence,
            change=_terms(licence, edition=Licence.Edition.ENTERPRISE),
            by=vendor_admin,
            reason="Upgrade",
            seen_change_id=seen,
        )
    assert LicenceChange.objects.count() == 1


def test_issuing_a_licence_makes_the_current_one_past_and_carries_its_modules_over(licence, vendor_admin):
    today = timezone.localdate()
    products = list(licence.products.all())
    before = _counts()
    new = services.licence_issue(
        organization=licence.organization,
        number="JL-NEW-1",
        edition=Licence.Edition.ENTERPRISE,
        valid_from=today,
        valid_until=today + timedelta(days=730),
        support_until=today + timedelta(days=365),
        products=products,
        by=vendor_admin,
        reason="New contract",
    )
    assert _counts() == (before[0] + 1, before[1] + 1)
    licence.refresh_from_db()
    assert not licence.is_current and new.is_current
    assert sorted(new.granules.values_list("module__code", "quantity")) == [("finance", 10), ("sales", 10)]
    change = new.changes.get()
    assert change.kind == Kind.CREATED and change.before == {"number": licence.number}
    names = [module_get(code).name_en for code in ("finance", "sales")]
    assert [module["en"] for module in change.after["modules"]] == names
    assert (
        licence.changes.count() == 0
    )  # the old licence's history is its own; the new one says it replaced it


def test_issuing_refuses_a_taken_number_and_writes_nothing(licence, vendor_admin):
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="taken"):
        services.licence_issue(
            organization=licence.organization,
            number=licence.number,
            edition=Licence.Edition.STANDARD,
            valid_from=today,
            valid_until=today + timedelta(days=1),
            support_until=None,
            products=list(licence.products.all()),
            by=vendor_admin,
            reason="x",
        )
    assert _counts() == (0, 0)
    licence.refresh_from_db()
    assert licence.is_current


def test_the_issue_preview_matches_what_is_saved(licence, vendor_admin):
    today = timezone.localdate()
    terms = {
        "organization": licence.organization,
        "number": "JL-NEW-2",
        "edition": Licence.Edition.STANDARD,
        "valid_from": today,
        "valid_until": today + timedelta(days=365),
        "support_until": None,
        "products": list(licence.products.all()),
        "copy_granules": True,
    }
    plan = services.licence_issue_preview(**terms)
    assert LicenceChange.objects.count() == 0 and Licence.objects.count() == 1
    saved = services.licence_issue(**terms, by=vendor_admin, reason="x").changes.get()
    assert (plan.before, plan.after) == (saved.before, saved.after)
