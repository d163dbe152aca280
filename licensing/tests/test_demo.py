"""The demo licences: every demo organization has one with modules and a history; Jadran's support is
active, Northwind's has ended; loading twice adds nothing."""

from accounts import demo as accounts_demo
from accounts.models import Organization
from licensing import demo, selectors
from licensing.models import Licence, LicenceChange
from releases.models import Product


def test_every_demo_organization_gets_a_licence_with_modules_and_history_once(db, vendor_admin):
    accounts_demo.seed()
    Product.objects.get_or_create(code="jupiter-pos", defaults={"name": "Jupiter POS"})

    summary = demo.seed()
    counts = Licence.objects.count(), LicenceChange.objects.count()
    demo.seed()
    assert (Licence.objects.count(), LicenceChange.objects.count()) == counts
    assert summary == "3 licences (3 new)"

    by_slug = {
        slug: Organization.objects.get(oib=oib)
        for _name, oib, _a, _l, slug, _s in accounts_demo.ORGANIZATIONS
    }
    for organization in by_slug.values():
        licence = selectors.licence_current(organization)
        assert licence.granules.count() >= 3
        kinds = set(licence.changes.values_list("kind", flat=True))
        assert {"created", "granule_added", "granule_changed", "renewed"} <= kinds
        assert licence.products.count() == Product.objects.filter(is_active=True).count()

    jadran, slavonija, northwind = (selectors.licence_current(by_slug[slug]) for slug in demo.LICENCES)
    assert jadran.support_active and jadran.state == Licence.State.ACTIVE
    assert slavonija.state == Licence.State.EXPIRING
    assert northwind.is_in_force and not northwind.support_active
    product = Product.objects.get(code="jupiter-erp")
    access = selectors.product_access(by_slug["northwind"], product)
    assert access.covered and not access.support_active
    assert selectors.product_access(by_slug["jadran"], product).support_active
