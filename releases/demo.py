"""Demo part of releases (seed_demo): two products with their releases (a hotfix chain included), small real
package files (ZIP archives, SQL scripts, a PDF), suggestions delivered by releases, and the version each demo
organization runs. Runs before licensing (its licences name the products that exist). Safe to run again."""

import io
import zipfile
from datetime import date

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management.base import CommandError

from accounts.demo import ORGANIZATIONS
from accounts.models import Organization, User
from accounts.roles import StaffGroup

from . import selectors, services
from .models import InstalledVersion, Module, Product, Release

PRODUCTS = [
    # code, name, position, modules (code, Croatian, English)
    ("jupiter-erp", "Jupiter ERP", 0, []),
    ("jupiter-pos", "Jupiter POS", 1,
     [("pos-checkout", "Blagajna", "Checkout"), ("pos-loyalty", "Program vjernosti", "Loyalty")]),
]  # fmt: skip

# product, version, kind, released on, installs on, modules, notes (Croatian, English), published
RELEASES = [
    ("jupiter-erp", "2025.10", "major", date(2025, 10, 6), "", ["finance", "reporting"],
     "Nova izvješća i **e-računi** u svim modulima.",
     "New reports and **e-invoices** in every module.", True),
    ("jupiter-erp", "2026.1", "minor", date(2026, 1, 19), "2025.10", ["finance", "sales"],
     "- Rabati po grupi kupaca\n- Brže knjiženje izvoda",
     "- Discounts by customer group\n- Faster bank statement posting", True),
    ("jupiter-erp", "2026.1.1", "hotfix", date(2026, 2, 2), "2026.1", ["finance"],
     "Ispravak: PDV na predujmovima.", "Fix: VAT on advance payments.", True),
    ("jupiter-erp", "2026.1.2", "hotfix", date(2026, 2, 23), "2026.1", ["sales"],
     "Ispravak: ispis ponude s rabatom.", "Fix: printing a quote with a discount.", True),
    ("jupiter-erp", "2026.4", "minor", date(2026, 4, 20), "2026.1", ["warehouse", "reporting"],
     "- Inventura po lokacijama\n- Nadzorne ploče skladišta",
     "- Stocktaking by location\n- Warehouse dashboards", True),
    ("jupiter-erp", "2026.10", "major", date(2026, 10, 12), "2026.4", ["hr-payroll", "finance"],
     "Novi obračun plaća prema propisima za 2027.", "The new payroll rules for 2027.", True),
    ("jupiter-erp", "2026.11", "minor", date(2026, 12, 14), "2026.10", ["e-invoicing"],
     "U pripremi: Fiskalizacija 2.0.", "In preparation: Fiscalisation 2.0.", False),
    ("jupiter-pos", "3.8", "major", date(2025, 11, 3), "", ["pos-checkout"],
     "Nova blagajna s dodirnim zaslonom.", "A new touch-screen checkout.", True),
    ("jupiter-pos", "3.9", "minor", date(2026, 3, 9), "3.8", ["pos-loyalty"],
     "Program vjernosti s bodovima.", "A loyalty programme with points.", True),
    ("jupiter-pos", "3.9.1", "hotfix", date(2026, 3, 30), "3.9", ["pos-loyalty"],
     "Ispravak: bodovi kod povrata robe.", "Fix: points on returned goods.", True),
    ("jupiter-pos", "3.10", "minor", date(2026, 9, 14), "3.9", ["pos-checkout"],
     "Plaćanje mobitelom.", "Mobile payments.", True),
    ("jupiter-pos", "3.10.1", "hotfix", date(2026, 10, 5), "3.10", ["pos-checkout"],
     "Ispravak: zaokruživanje gotovine.", "Fix: cash rounding.", True),
]  # fmt: skip

# Demo organization (by its position in accounts.demo.ORGANIZATIONS) -> product -> the version it runs.
INSTALLED = {
    0: {"jupiter-erp": "2026.1.1", "jupiter-pos": "3.9"},
    1: {"jupiter-erp": "2026.4"},
    2: {"jupiter-erp": "2025.10", "jupiter-pos": "3.10"},
}
# Releases that deliver demo suggestions (the oldest suggestions not yet delivered).
DELIVERING = {("jupiter-erp", "2026.1"): 2, ("jupiter-erp", "2026.4"): 1}
# A fixed time inside the archives, so that their checksums are the same on every machine.
ZIP_TIME = (2026, 1, 1, 0, 0, 0)


def _zip(entries: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in entries.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=ZIP_TIME), text)
    return buffer.getvalue()


def _files(product: Product, version: str, kind: str, notes_en: str) -> list[tuple[str, str, bytes]]:
    """(kind, name, content) of a release's demo package: an installer archive, the database scripts,
    and for a major release its documentation."""
    stem = f"{product.code}-{version}"
    installer = _zip(
        {
            "README.txt": f"{product.name} {version}\n\n{notes_en}\n",
            "setup/install.cmd": f"@echo Installing {product.name} {version}\r\n",
            "setup/VERSION": f"{version}\n",
        }
    )
    script = (
        f"-- {product.name} {version}: database migration\n"
        f"BEGIN;\nUPDATE app_version SET version = '{version}';\nCOMMIT;\n"
    )
    files = [
        ("installer", f"{stem}-setup.zip", installer),
        ("migration", f"{stem}-database.sql", script.encode()),
    ]
    if kind == Release.Kind.MAJOR:
        files.append(("documentation", f"{stem}-release-notes.pdf", _pdf(product, version, notes_en)))
    return files


def _pdf(product: Product, version: str, notes_en: str) -> bytes:
    from weasyprint import HTML, URLFetcher

    from helpdesk.markdown import render_markdown

    html = f"<h1>{product.name} {version}</h1>{render_markdown(notes_en)}"
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=frozenset())).write_pdf()


def _products() -> dict[str, Product]:
    products = {}
    for code, name, position, modules in PRODUCTS:
        product, _created = Product.objects.get_or_create(
            code=code, defaults={"name": name, "position": position}
        )
        for module_position, (module_code, name_hr, name_en) in enumerate(modules):
            Module.objects.get_or_create(
                code=module_code,
                defaults={
                    "product": product,
                    "name_hr": name_hr,
                    "name_en": name_en,
                    "position": module_position,
                },
            )
        products[code] = product
    return products


def seed() -> str:
    """Create (or complete) the demo products, releases, packages and installed versions."""
    author = User.objects.filter(groups__in=Group.objects.filter(name=StaffGroup.VENDOR_ADMIN)).first()
    if author is None:
        raise CommandError("The releases need a vendor admin as their author: the accounts part makes one.")
    products = _products()
    modules = {module.code: module for module in Module.objects.all()}
    suggestions = list(selectors.suggestion_cases().filter(delivered_in=None).order_by("created_at", "pk"))
    for (
        product_code,
        version,
        kind,
        released_on,
        requires,
        module_codes,
        notes_hr,
        notes_en,
        published,
    ) in RELEASES:
        product = products[product_code]
        if Release.objects.filter(product=product, version=version).exists():
            continue
        delivered = [
            suggestions.pop(0) for _index in range(DELIVERING.get((product_code, version), 0)) if suggestions
        ]
        release = services.release_save(
            by=author,
            product=product,
            version=version,
            kind=kind,
            released_on=released_on,
            requires_version=requires,
            notes_hr=notes_hr,
            notes_en=notes_en,
            modules=[modules[code] for code in module_codes if code in modules],
            delivered_cases=delivered,
        )
        for file_kind, name, content in _files(product, version, kind, notes_en):
            services.release_file_add(
                release=release, by=author, upload=ContentFile(content, name=name), kind=file_kind
            )
        if published:
            services.release_publish(release=release, by=author)
    _installed(products, author)
    return (
        f"{len(products)} products, {Release.objects.count()} releases, "
        f"{InstalledVersion.objects.count()} installed versions"
    )


def _installed(products: dict[str, Product], author) -> None:
    for position, versions in INSTALLED.items():
        organization = Organization.objects.filter(oib=ORGANIZATIONS[position][1]).first()
        if organization is None:
            continue
        for product_code, version in versions.items():
            if not InstalledVersion.objects.filter(
                organization=organization, product=products[product_code]
            ).exists():
                services.installed_version_set(
                    organization=organization, product=products[product_code], version=version, by=author
                )
