"""Demo part of licensing (seed_demo): every demo organization has a current licence with modules and a
history of changes, written through licensing.services by the demo vendor admin. Jadran's support is active,
Slavonija's licence is expiring, Northwind's support has ended (its SYS_ADMIN sees the renewal message
instead of a download). Safe to run again: an organization that has a licence is left as it is."""

from datetime import timedelta

from django.contrib.auth.models import Group
from django.core.management.base import CommandError
from django.utils import timezone

from accounts.demo import ORGANIZATIONS
from accounts.models import Organization, User
from accounts.roles import StaffGroup
from releases.models import Module, Product

from . import services
from .models import Granule, Licence, LicenceChange

# Per demo organization (by its slug in accounts.demo.ORGANIZATIONS): the licence number, edition, how
# many days ago it started and how many days are left of the licence and of the support contract, and the
# modules (code, quantity, unit) it was issued with.
LICENCES = {
    "jadran": {
        "number": "JL-2024-0107",
        "edition": Licence.Edition.PROFESSIONAL,
        "started": 700,
        "left": 395,
        "support_left": 395,
        "renewal": "Produljenje licence i ugovora o održavanju.",
        "modules": [
            ("finance", 25, Granule.Unit.NAMED_USERS),
            ("sales", 15, Granule.Unit.NAMED_USERS),
            ("warehouse", 8, Granule.Unit.SEATS),
            ("hr-payroll", 2, Granule.Unit.COMPANIES),
        ],
    },
    "slavonija": {
        "number": "JL-2023-0042",
        "edition": Licence.Edition.ENTERPRISE,
        "started": 1050,
        "left": 45,
        "support_left": 45,
        "renewal": "Produljenje licence i ugovora o održavanju do isteka ugovora.",
        "modules": [
            ("finance", 40, Granule.Unit.NAMED_USERS),
            ("warehouse", 30, Granule.Unit.SEATS),
            ("purchasing", 12, Granule.Unit.NAMED_USERS),
            ("reporting", 10, Granule.Unit.NAMED_USERS),
        ],
    },
    "northwind": {
        "number": "JL-2025-0311",
        "edition": Licence.Edition.STANDARD,
        "started": 400,
        "left": 330,
        "support_left": -20,
        "renewal": "Produljenje licence; ugovor o održavanju nije obnovljen.",
        "modules": [
            ("finance", 10, Granule.Unit.NAMED_USERS),
            ("sales", 6, Granule.Unit.NAMED_USERS),
            ("e-invoicing", 1, Granule.Unit.COMPANIES),
        ],
    },
}


def seed() -> str:
    """Create the demo licences that are missing, each with its history."""
    vendor_admin = User.objects.filter(groups__in=Group.objects.filter(name=StaffGroup.VENDOR_ADMIN)).first()
    if vendor_admin is None:
        raise CommandError("The demo licences need a vendor admin: the accounts part makes one.")
    products = list(Product.objects.filter(is_active=True))
    made = 0
    for _name, oib, _address, _language, slug, _short in ORGANIZATIONS:
        organization = Organization.objects.filter(oib=oib).first()
        if organization is None or slug not in LICENCES:
            continue
        if Licence.objects.filter(organization=organization).exists():
            continue
        _licence_with_history(organization, LICENCES[slug], products, vendor_admin)
        made += 1
    return f"{Licence.objects.count()} licences ({made} new)"


def _licence_with_history(organization, terms, products, by) -> None:
    today = timezone.localdate()
    start = today - timedelta(days=terms["started"])
    # Issued for a year first, then renewed to today's terms: a history as a real licence has one.
    licence = services.licence_issue(
        organization=organization,
        number=terms["number"],
        edition=terms["edition"],
        valid_from=start,
        valid_until=start + timedelta(days=364),
        support_until=start + timedelta(days=364),
        products=products,
        by=by,
        reason="Ugovor o licenci i održavanju potpisan.",
    )
    modules = {
        module.code: module for module in Module.objects.filter(code__in=[m for m, *_ in terms["modules"]])
    }
    first = terms["modules"][0]
    for code, quantity, unit in terms["modules"]:
        # The first module comes with a smaller quantity and grows later (a quantity change in the history).
        shown = max(1, quantity // 2) if (code, quantity, unit) == first else quantity
        services.licence_change(
            licence=licence,
            change=services.GranuleAdd(module=modules[code], quantity=shown, unit=unit),
            by=by,
            reason="Narudžba modula prema ponudi.",
        )
    code, quantity, unit = first
    services.licence_change(
        licence=licence,
        change=services.GranuleEdit(
            granule=licence.granules.get(module=modules[code]), quantity=quantity, unit=unit
        ),
        by=by,
        reason="Dokup korisnika.",
    )
    services.licence_change(
        licence=licence,
        change=services.TermsEdit(
            edition=terms["edition"],
            valid_from=start,
            valid_until=today + timedelta(days=terms["left"]),
            support_until=today + timedelta(days=terms["support_left"]),
            products=tuple(products),
        ),
        by=by,
        reason=terms["renewal"],
    )
    _spread_over_time(licence, start, today)


def _spread_over_time(licence, start, today) -> None:
    """The history was written just now; demo readers expect it spread from the start to a month ago."""
    changes = list(licence.changes.order_by("pk"))
    span = max(1, (today - timedelta(days=30) - start).days)
    step = span // max(1, len(changes) - 1)
    for index, change in enumerate(changes):
        when = timezone.now() - timedelta(days=(today - start).days - index * step)
        LicenceChange.objects.filter(pk=change.pk).update(created_at=when)
