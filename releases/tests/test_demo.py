"""The demo releases: two products with four releases or more each, a hotfix chain, real package files whose
checksums are those of their bytes, suggestions delivered, the organizations' installed versions; safe to
load twice. Its SYS_ADMIN then sees a path to the newest release."""

import hashlib

import pytest
from django.urls import reverse

from accounts.roles import Role
from licensing.tests.factories import licence_make
from releases import demo
from releases.models import InstalledVersion, Product, Release, ReleaseFile
from tests.factories import case_create, category_get, member_create, module_get


@pytest.fixture
def demo_world(media, vendor_admin, organization, standard_user):
    organization.oib = "12345678903"  # the first demo organization
    organization.save(update_fields=["oib"])
    for code in ("finance", "sales", "warehouse", "reporting", "hr-payroll", "e-invoicing"):
        module_get(code)
    for index in range(3):
        case_create(organization, standard_user, category=category_get("suggestion"), title=f"Idea {index}")


def test_the_demo_releases_load_once_whatever_the_runs(demo_world, organization):
    summary = demo.seed()
    counts = (Release.objects.count(), ReleaseFile.objects.count(), InstalledVersion.objects.count())
    demo.seed()
    assert (Release.objects.count(), ReleaseFile.objects.count(), InstalledVersion.objects.count()) == counts
    assert summary == f"2 products, {len(demo.RELEASES)} releases, {counts[2]} installed versions"

    for product in Product.objects.filter(code__in=["jupiter-erp", "jupiter-pos"]):
        assert product.releases.published().count() >= 4
        hotfixes = product.releases.filter(kind=Release.Kind.HOTFIX).order_by("version_key")
        assert hotfixes.count() >= 2  # a chain of hotfixes on one minor release
    for release_file in ReleaseFile.objects.all():
        content = release_file.file.read()
        assert len(content) == release_file.size > 0
        assert hashlib.sha256(content).hexdigest() == release_file.sha256
    assert Release.objects.exclude(delivered_cases=None).exists()
    assert organization.installed_versions.get(product__code="jupiter-erp").version == "2026.1.1"


def test_the_demo_sys_admin_sees_the_path_to_the_newest_release(demo_world, organization, client_for):
    demo.seed()
    licence_make(organization, products=list(Product.objects.all()))
    sys_admin = member_create(organization, [Role.SYS_ADMIN], email="sistem@jadran.demo")
    content = client_for(sys_admin).get(reverse("releases:release-list")).content.decode()
    assert "Installed: 2026.1.1" in content and "Newest: 2026.10" in content
    erp_file = ReleaseFile.objects.get(original_name="jupiter-erp-2026.10-setup.zip")
    assert erp_file.sha256 in content
