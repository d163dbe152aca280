"""The upgrade packages page of a SYS_ADMIN: releases newer than the installed version, the upgrade path,
the files with size and SHA-256, the merged notes; and a renewal note where support has ended."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from licensing.tests.factories import licence_make
from releases import services
from releases.models import Release
from releases.tests.factories import PACKAGE, product_get, release_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def erp_releases(media):
    """2025.10 <- 2026.1 <- (2026.1.1, 2026.1.2 hotfixes) ; 2026.4 on 2026.1 ; 2026.10 on 2026.4; a draft."""
    made = {}
    for version, requires, kind in [
        ("2025.10", "", Release.Kind.MAJOR),
        ("2026.1", "2025.10", Release.Kind.MINOR),
        ("2026.1.1", "2026.1", Release.Kind.HOTFIX),
        ("2026.1.2", "2026.1", Release.Kind.HOTFIX),
        ("2026.4", "2026.1", Release.Kind.MINOR),
        ("2026.10", "2026.4", Release.Kind.MAJOR),
    ]:
        made[version] = release_make(version, requires=requires, kind=kind, notes_en=f"Notes of {version}.")
    made["2026.11"] = release_make("2026.11", requires="2026.10", published=False, notes_en="Secret draft.")
    return made


def path_on_page(content: str) -> list[str]:
    start = content.index('<ol class="upgrade-path">')
    block = content[start : content.index("</ol>", start)]
    return re.findall(r'<a href="/releases/\d+/">([\d.]+)</a>', block)


def test_sys_admin_sees_the_path_from_the_installed_version_and_the_files(
    erp_releases, organization, sys_admin_user, client_for
):
    licence_make(organization)
    services.installed_version_set(
        organization=organization, product=product_get(), version="2026.1.1", by=None
    )

    content = client_for(sys_admin_user).get(reverse("releases:release-list")).content.decode()

    assert "Installed: 2026.1.1" in content and "Newest: 2026.10" in content
    assert path_on_page(content) == ["2026.4", "2026.10"]
    assert "2026.11" not in content  # a draft
    for version in ("2026.4", "2026.10"):
        release_file = erp_releases[version].files.get()
        assert release_file.sha256 in content
        assert reverse("releases:file-download", args=[release_file.pk]) in content
    assert f'data-bytes="{len(PACKAGE)}"' in content
    assert 'data-copy-target="sha256-' in content and "js/copy.js" in content
    assert "What changes for you (3 releases)" in content  # 2026.1.2, 2026.4, 2026.10


def test_what_changes_merges_the_notes_of_every_newer_release_in_order(
    erp_releases, organization, sys_admin_user, client_for
):
    licence_make(organization)
    services.installed_version_set(
        organization=organization, product=product_get(), version="2026.1.1", by=None
    )

    url = reverse("releases:release-changes", args=["jupiter-erp"])
    content = client_for(sys_admin_user).get(url).content.decode()

    positions = [content.index(f"Notes of {version}.") for version in ("2026.1.2", "2026.4", "2026.10")]
    assert positions == sorted(positions)
    assert "Notes of 2026.1.1.</p>" not in content and "Notes of 2026.1.</p>" not in content
    assert "Secret draft." not in content


def test_an_organization_on_the_newest_release_has_nothing_to_install(
    erp_releases, organization, sys_admin_user, client_for
):
    licence_make(organization)
    services.installed_version_set(
        organization=organization, product=product_get(), version="2026.10", by=None
    )
    content = client_for(sys_admin_user).get(reverse("releases:release-list")).content.decode()
    assert "You run the newest release" in content


def test_support_expired_shows_the_renewal_note_and_no_download_links(
    erp_releases, organization, sys_admin_user, client_for
):
    licence_make(organization, support_until=timezone.localdate() - timedelta(days=1))
    content = client_for(sys_admin_user).get(reverse("releases:release-list")).content.decode()
    assert "Your support (maintenance) contract has ended" in content
    assert " download>" not in content


def test_without_a_licence_the_page_lists_no_product(erp_releases, sys_admin_user, client_for):
    content = client_for(sys_admin_user).get(reverse("releases:release-list")).content.decode()
    assert "Your licence covers no product with published releases yet." in content


def test_a_release_of_an_unlicensed_product_is_404_for_a_customer(
    media, organization, sys_admin_user, client_for
):
    licence_make(organization)
    pos = release_make("3.10", product=product_get("jupiter-pos", "Jupiter POS"))
    response = client_for(sys_admin_user).get(reverse("releases:release-detail", args=[pos.pk]))
    assert response.status_code == 404


def test_vendor_admin_sees_drafts_and_publishes_on_the_portal(erp_releases, vendor_admin, client_for):
    client = client_for(vendor_admin)
    content = client.get(reverse("releases:release-list")).content.decode()
    assert "2026.11" in content and "Draft" in content
    draft = erp_releases["2026.11"]
    response = client.post(reverse("releases:release-publish", args=[draft.pk]))
    assert response.status_code == 302
    assert Release.objects.get(pk=draft.pk).is_published


def test_vendor_admin_creates_a_release_then_uploads_its_file(media, vendor_admin, client_for):
    client = client_for(vendor_admin)
    response = client.get(reverse("releases:release-create"))
    token = response.context["form"]["submission_token"].value()
    data = {
        "product": product_get().pk,
        "version": "2026.4",
        "kind": "minor",
        "released_on": "2026-04-20",
        "requires_version": "2026.1",
        "notes_en": "Stocktaking by location.",
        "submission_token": token,
    }
    response = client.post(reverse("releases:release-create"), data)
    release = Release.objects.get(version="2026.4")
    assert response["Location"] == release.get_absolute_url()
    client.post(reverse("releases:release-create"), data)  # sent twice: one release
    assert Release.objects.count() == 1

    upload = SimpleUploadedFile("jupiter-erp-2026.4-setup.exe", PACKAGE)  # an installer: allowed here
    response = client.post(
        reverse("releases:file-create", args=[release.pk]), {"kind": "installer", "upload": upload}
    )
    assert response.status_code == 302
    release_file = release.files.get()
    assert (release_file.size, release_file.original_name) == (len(PACKAGE), "jupiter-erp-2026.4-setup.exe")
    assert release_file.sha256 == hashlib.sha256(PACKAGE).hexdigest()


def test_an_invalid_version_is_shown_on_the_form(media, vendor_admin, client_for):
    data = {"product": product_get().pk, "version": "v4", "kind": "minor", "released_on": "2026-04-20"}
    response = client_for(vendor_admin).post(reverse("releases:release-create"), {**data, "notes_en": "x"})
    assert response.status_code == 200
    assert "Write the version as numbers separated by dots" in response.content.decode()


def test_vendor_admin_records_an_installed_version(organization, vendor_admin, client_for):
    data = {"organization": organization.pk, "product": product_get().pk, "version": "2026.1"}
    response = client_for(vendor_admin).post(reverse("releases:installed-list"), data)
    assert response.status_code == 302
    assert organization.installed_versions.get().version == "2026.1"
