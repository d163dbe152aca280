"""Reads of releases: who sees which release and file, the organization's upgrade packages and their
upgrade paths, and who may download a package (the licence covers the product and support is active)."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from accounts.models import Organization
from cases.models import Case
from cases.selectors import cases_visible_to
from helpdesk.permissions import NotVisible, has_global_perm, has_org_perm, organization_scope
from licensing import selectors as licensing

from .models import InstalledVersion, Product, Release, ReleaseFile
from .upgrades import UpgradePath, upgrade_path

VIEW = "releases.view_releases"
DOWNLOAD = "releases.download_package"
MANAGE = "releases.manage_releases"

# The case category whose cases a release can deliver (cases/migrations/0003).
SUGGESTION = "suggestion"


def may_manage(user) -> bool:
    return has_global_perm(user, MANAGE)


def releases_visible_to(user) -> QuerySet[Release]:
    """Vendor admins see every release, drafts included; others who may see releases the published ones."""
    if may_manage(user):
        return Release.objects.all()
    if not organization_scope(user, VIEW):
        return Release.objects.none()
    return Release.objects.published()


def get_release_for(user, pk: int) -> Release:
    release = (
        releases_visible_to(user)
        .select_related("product", "created_by")
        .prefetch_related(
            "modules",
            Prefetch("files", queryset=ReleaseFile.objects.order_by("kind", "original_name")),
        )
        .filter(pk=pk)
        .first()
    )
    if release is None:
        raise NotVisible(Release, pk=pk)
    return release


def release_list(user) -> QuerySet[Release]:
    """The vendor's list of releases, drafts included for those who write them, newest first per product."""
    return releases_visible_to(user).for_list().newest_first()


def delivered_cases_for(user, release: Release) -> list[Case]:
    """The suggestions the release delivers that the user may see (another organization's stay hidden)."""
    return list(cases_visible_to(user).filter(delivered_in=release).order_by("pk"))


def product_releases(product: Product) -> QuerySet[Release]:
    """A product's published releases, oldest first, with the modules they change."""
    return (
        Release.objects.published()
        .filter(product=product)
        .prefetch_related("modules")
        .order_by("version_key")
    )


def suggestion_cases() -> QuerySet[Case]:
    """The cases a release may deliver: suggestions for new functionality."""
    return (
        Case.objects.filter(category__code=SUGGESTION).select_related("organization").order_by("-created_at")
    )


# --- Downloads ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DownloadAccess:
    """What the user may do with a product's packages where they work now."""

    allowed: bool  # may download
    support_expired: bool  # the licence covers the product but support has ended: say so, and how to renew
    organization: Organization | None  # whose licence allowed it (None: vendor staff)
    support_until: object = None


NO_DOWNLOAD = DownloadAccess(allowed=False, support_expired=False, organization=None)


def download_access(user, organization: Organization | None, product) -> DownloadAccess:
    """Staff who hold the permission globally may download everything. A customer may download in the
    organization they work in when they hold the permission there (SYS_ADMIN, ADMIN), its licence covers the
    product and its support is active. Covered but without support: refused with the renewal page."""
    if has_global_perm(user, DOWNLOAD):
        return DownloadAccess(allowed=True, support_expired=False, organization=None)
    if organization is None or not has_org_perm(user, DOWNLOAD, organization):
        return NO_DOWNLOAD
    access = licensing.product_access(organization, product)
    if not access.covered:
        return NO_DOWNLOAD
    return DownloadAccess(
        allowed=access.support_active,
        support_expired=not access.support_active,
        organization=organization,
        support_until=access.support_until,
    )


def get_file_for(user, organization: Organization | None, pk: int) -> tuple[ReleaseFile, DownloadAccess]:
    """A file of a published release (any release for vendor admins) and what the user may do with it; 404
    when they may not download it and it is not a case of support having ended."""
    release_file = (
        ReleaseFile.objects.select_related("release__product")
        .filter(pk=pk, release__in=releases_visible_to(user))
        .first()
    )
    if release_file is None:
        raise NotVisible(ReleaseFile, pk=pk)
    access = download_access(user, organization, release_file.release.product)
    if not (access.allowed or access.support_expired):
        raise NotVisible(ReleaseFile, pk=pk)
    return release_file, access


def organizations_licensed_for(product) -> QuerySet[Organization]:
    """The active organizations whose licence in force names the product (those told of its releases)."""
    today = timezone.localdate()
    licensed = Organization.objects.filter(
        licensing.in_force_q(today, "licences__"), licences__products=product
    )
    return Organization.objects.filter(is_active=True, pk__in=licensed.values("pk"))


# --- The organization's upgrade packages --------------------------------------------------------------------


@dataclass
class ProductUpgrades:
    product: Product
    installed: InstalledVersion | None
    path: UpgradePath
    access: DownloadAccess


def organization_upgrades(user, organization: Organization) -> list[ProductUpgrades]:
    """For each product the organization's licence covers: its installed version, the published releases
    newer than it (all of them when it is not recorded) and the path to the newest, with the files of those
    releases. A fixed number of queries: products, installed versions, releases with files and modules, and
    one licence look-up per product (an organization licenses one or two)."""
    products = list(
        Product.objects.filter(is_active=True, releases__status=Release.Status.PUBLISHED).distinct()
    )
    accesses = {product.pk: download_access(user, organization, product) for product in products}
    covered = [product for product in products if accesses[product.pk].organization is not None]
    installed = {
        row.product_id: row
        for row in InstalledVersion.objects.filter(organization=organization, product__in=covered)
    }
    releases = (
        Release.objects.published()
        .filter(product__in=covered)
        .prefetch_related("modules", Prefetch("files", queryset=ReleaseFile.objects.order_by("kind", "pk")))
        .order_by("product", "version_key")
    )
    by_product: dict[int, list[Release]] = {}
    for release in releases:
        by_product.setdefault(release.product_id, []).append(release)
    upgrades = []
    for product in covered:
        current = installed.get(product.pk)
        path = upgrade_path(current.version_key if current else [], by_product.get(product.pk, []))
        upgrades.append(ProductUpgrades(product, current, path, accesses[product.pk]))
    return upgrades


def installed_versions() -> QuerySet[InstalledVersion]:
    return InstalledVersion.objects.select_related("organization", "product", "updated_by")
