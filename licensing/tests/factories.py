"""A licence for tests: `licence_make(organization, modules=["finance"], ...)` builds the current licence of
the organization for the product "Jupiter ERP", in force from a year ago to a year ahead, with support for
the same time; what a test depends on (dates, suspension, modules) the test sets."""

from datetime import timedelta

from django.utils import timezone

from licensing.models import Granule, Licence
from releases.models import Product
from tests.factories import module_get

_numbers = iter(range(1, 10**6))


def licence_make(
    organization,
    *,
    modules=("finance",),
    products=None,
    valid_from=None,
    valid_until=None,
    support_until="default",
    is_suspended=False,
    is_current=True,
    quantity=10,
    number=None,
) -> Licence:
    """Rows written directly, no LicenceChange: for tests that need a licence, not for those of its changes
    (those call licensing.services)."""
    today = timezone.localdate()
    valid_from = valid_from or today - timedelta(days=365)
    valid_until = valid_until or today + timedelta(days=365)
    module_rows = [module_get(code) if isinstance(code, str) else code for code in modules]
    licence = Licence.objects.create(
        organization=organization,
        number=number or f"JL-TEST-{next(_numbers):05d}",
        valid_from=valid_from,
        valid_until=valid_until,
        support_until=valid_until if support_until == "default" else support_until,
        is_suspended=is_suspended,
        is_current=is_current,
    )
    if products is None:
        products = [Product.objects.get_or_create(code="jupiter-erp", defaults={"name": "Jupiter ERP"})[0]]
        products += [module.product for module in module_rows if module.product not in products]
    licence.products.set(products)
    Granule.objects.bulk_create(
        [Granule(licence=licence, module=module, quantity=quantity) for module in module_rows]
    )
    return licence
