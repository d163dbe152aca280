"""Every releases page runs a bounded number of queries, the same with one release as with many (STYLE.md)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from licensing.tests.factories import licence_make
from releases import services
from releases.models import Release
from releases.tests.factories import author_get, product_get, release_make
from tests.factories import OrganizationFactory, case_create, category_get, member_create, module_get

pytestmark = pytest.mark.django_db

PAGE_MAX = 16


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def measure(client, url, grow) -> tuple[int, int]:
    client.get(url)  # warms the caches
    small = queries_for(client, url)
    grow()
    large = queries_for(client, url)
    return small, large


def more_releases(start: int, count: int, *, files: int = 2, suggestions=()):
    """Releases 2026.<start>... each on the one before, with files and modules."""
    modules = [module_get("finance"), module_get("warehouse")]
    for minor in range(start, start + count):
        release = release_make(
            f"2026.{minor}",
            requires=f"2026.{minor - 1}",
            files={f"file-{minor}-{index}.zip": b"x" * (index + 1) for index in range(files)},
            published=False,
            delivered_cases=suggestions,
        )
        release.modules.set(modules)
        services.release_publish(release=release, by=author_get())


@pytest.fixture
def licensed(media, organization):
    licence_make(organization)
    services.installed_version_set(
        organization=organization, product=product_get(), version="2026.1", by=None
    )
    more_releases(2, 1)


def test_upgrade_packages_page(licensed, sys_admin_user, client_for):
    small, large = measure(
        client_for(sys_admin_user), reverse("releases:release-list"), lambda: more_releases(3, 12, files=3)
    )
    assert small == large <= PAGE_MAX


def test_what_changes_page(licensed, sys_admin_user, client_for):
    url = reverse("releases:release-changes", args=["jupiter-erp"])
    small, large = measure(client_for(sys_admin_user), url, lambda: more_releases(3, 12))
    assert small == large <= PAGE_MAX


def test_release_detail(licensed, organization, sys_admin_user, client_for):
    release = Release.objects.get(version="2026.2")
    reporter = member_create(organization, [Role.STANDARD])
    url = reverse("releases:release-detail", args=[release.pk])

    def grow():
        for index in range(4):
            services.release_file_add(
                release=release, by=author_get(), upload=_upload(f"extra-{index}.sql"), kind="migration"
            )
        cases = [case_create(organization, reporter, category=category_get("suggestion")) for _ in range(5)]
        release.delivered_cases.add(*cases)

    small, large = measure(client_for(sys_admin_user), url, grow)
    assert small == large <= PAGE_MAX


def test_staff_release_list(licensed, vendor_admin, client_for):
    small, large = measure(
        client_for(vendor_admin), reverse("releases:release-list"), lambda: more_releases(3, 12)
    )
    assert small == large <= PAGE_MAX


def test_installed_versions(licensed, vendor_admin, client_for):
    def grow():
        for index in range(10):
            organization = OrganizationFactory()
            services.installed_version_set(
                organization=organization, product=product_get(), version=f"2026.{index}", by=vendor_admin
            )

    small, large = measure(client_for(vendor_admin), reverse("releases:installed-list"), grow)
    assert small == large <= PAGE_MAX


def _upload(name):
    from django.core.files.base import ContentFile

    return ContentFile(b"-- script", name=name)
