"""Releases for tests, made through releases.services so that their keys, files and checks are the real ones:
`release_make(version, requires="", files={name: bytes}, published=True)`. The files go to the test's own
MEDIA_ROOT: call `media_root(settings, tmp_path)` (or use the `media` fixture of conftest) first."""

from datetime import date

from django.core.files.base import ContentFile

from accounts.roles import StaffGroup
from conftest import staff_create
from releases import services
from releases.models import Product, Release

PACKAGE = b"Jupiter ERP upgrade package\n" + bytes(range(256)) * 40


def product_get(code: str = "jupiter-erp", name: str = "Jupiter ERP") -> Product:
    product, _created = Product.objects.get_or_create(code=code, defaults={"name": name})
    return product


def author_get():
    return staff_create(
        StaffGroup.VENDOR_ADMIN, email="release.author@jupiter.test", full_name="Rita Release"
    )


def release_make(
    version: str,
    *,
    product: Product | None = None,
    requires: str = "",
    kind: str = Release.Kind.MINOR,
    files: dict[str, bytes] | None = None,
    published: bool = True,
    notes_en: str = "",
    delivered_cases=(),
    by=None,
) -> Release:
    by = by or author_get()
    release = services.release_save(
        by=by,
        product=product or product_get(),
        version=version,
        kind=kind,
        released_on=date(2026, 1, 1),
        requires_version=requires,
        notes_en=notes_en or f"What changes in {version}.",
        delivered_cases=delivered_cases,
    )
    for name, content in (files if files is not None else {f"setup-{version}.zip": PACKAGE}).items():
        services.release_file_add(
            release=release, by=by, upload=ContentFile(content, name=name), kind="installer"
        )
    if published:
        release = services.release_publish(release=release, by=by)
    return release
