"""Who downloads upgrade packages, and how: the licence must cover the product with active support; the
file streams with Range (a broken download resumes) or, on S3, redirects to a short signed link; every
download is audited and counted."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from helpdesk.models import AuditEvent
from licensing.tests.factories import licence_make
from releases.models import Release, ReleaseFile
from releases.tests.factories import PACKAGE, product_get, release_make
from tests.factories import member_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def package(media, organization):
    """A published release of Jupiter ERP with one file, and the organization's licence of it."""
    licence_make(organization)
    return release_make("2026.4").files.get()


def download(client, release_file, **headers):
    return client.get(reverse("releases:file-download", args=[release_file.pk]), headers=headers)


def body(response) -> bytes:
    return b"".join(response.streaming_content)


# --- Who may download ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["sys_admin_user", "admin_user"])
def test_sys_admin_and_admin_of_a_licensed_organization_with_support_download(
    persona, package, request, client_for
):
    response = download(client_for(request.getfixturevalue(persona)), package)
    assert response.status_code == 200
    assert body(response) == PACKAGE
    assert response["Content-Disposition"] == f'attachment; filename="{package.original_name}"'
    assert response["Accept-Ranges"] == "bytes"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("persona", ["standard_user", "fin_admin_user"])
def test_standard_and_fin_admin_get_404(persona, package, request, client_for):
    assert download(client_for(request.getfixturevalue(persona)), package).status_code == 404


def test_sys_admin_of_another_organization_without_a_licence_gets_404(
    package, other_organization, client_for
):
    stranger = member_create(other_organization, [Role.SYS_ADMIN], email="sys@northwind.test")
    assert download(client_for(stranger), package).status_code == 404


def test_a_licence_of_another_product_does_not_cover_this_one(package, other_organization, client_for):
    pos = product_get("jupiter-pos", "Jupiter POS")
    licence_make(other_organization, products=[pos], modules=())
    stranger = member_create(other_organization, [Role.SYS_ADMIN], email="sys@northwind.test")
    assert download(client_for(stranger), package).status_code == 404


def test_a_suspended_licence_covers_nothing(media, organization, sys_admin_user, client_for):
    licence_make(organization, is_suspended=True)
    release_file = release_make("2026.4").files.get()
    assert download(client_for(sys_admin_user), release_file).status_code == 404


def test_a_sys_admin_whose_support_expired_is_told_how_to_renew(
    media, organization, sys_admin_user, client_for
):
    ended = timezone.localdate() - timedelta(days=3)
    licence_make(organization, support_until=ended)
    release_file = release_make("2026.4").files.get()
    response = download(client_for(sys_admin_user), release_file)
    assert response.status_code == 403
    text = response.content.decode()
    assert "Your support (maintenance) contract has ended" in text
    assert "To renew it" in text
    assert reverse("cases:case-create") in text
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.PACKAGE_DOWNLOADED).exists()


def test_a_draft_release_file_is_not_there_for_customers(media, organization, sys_admin_user, client_for):
    licence_make(organization)
    draft = release_make("2026.10", published=False)
    assert download(client_for(sys_admin_user), draft.files.get()).status_code == 404


# --- Range --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [
        ("bytes=10-19", 10, 19),
        ("bytes=100-", 100, len(PACKAGE) - 1),
        ("bytes=-7", len(PACKAGE) - 7, len(PACKAGE) - 1),
    ],
)
def test_a_range_gets_206_with_exactly_those_bytes(header, first, last, package, sys_admin_user, client_for):
    response = download(client_for(sys_admin_user), package, range=header)
    assert response.status_code == 206
    assert body(response) == PACKAGE[first : last + 1]
    assert response["Content-Range"] == f"bytes {first}-{last}/{len(PACKAGE)}"
    assert response["Content-Length"] == str(last - first + 1)
    assert response["Accept-Ranges"] == "bytes"


@pytest.mark.parametrize("header", [f"bytes={len(PACKAGE)}-", "bytes=-0", "bytes=20-10", "bytes=x-y"])
def test_a_range_outside_the_file_gets_416(header, package, sys_admin_user, client_for):
    response = download(client_for(sys_admin_user), package, range=header)
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(PACKAGE)}"


def test_several_ranges_or_a_stale_if_range_get_the_whole_file(package, sys_admin_user, client_for):
    client = client_for(sys_admin_user)
    assert body(download(client, package, range="bytes=0-1,5-6")) == PACKAGE
    stale = download(client, package, range="bytes=10-19", if_range='"another-file"')
    assert stale.status_code == 200 and body(stale) == PACKAGE
    same = download(client, package, range="bytes=10-19", if_range=f'"{package.sha256}"')
    assert same.status_code == 206 and body(same) == PACKAGE[10:20]


def test_the_downloaded_bytes_hash_to_the_sha256_the_page_shows(package, sys_admin_user, client_for):
    client = client_for(sys_admin_user)
    page = client.get(reverse("releases:release-list")).content.decode()
    shown = re.search(rf'id="sha256-{package.pk}"[^>]*>([0-9a-f]{{64}})<', page).group(1)
    assert hashlib.sha256(body(download(client, package))).hexdigest() == shown
    # A download resumed in two parts gives the same file.
    half = len(PACKAGE) // 2
    first = body(download(client, package, range=f"bytes=0-{half - 1}"))
    rest = body(download(client, package, range=f"bytes={half}-"))
    assert hashlib.sha256(first + rest).hexdigest() == shown


# --- Audit and counts ---------------------------------------------------------------------------------------


def test_every_download_is_audited_and_counted_once_per_download(
    package, organization, sys_admin_user, client_for
):
    client = client_for(sys_admin_user)
    body(download(client, package))
    body(download(client, package, range="bytes=0-99"))  # a download that will be resumed...
    body(download(client, package, range="bytes=100-"))  # ...here: audited, not counted again

    events = list(AuditEvent.objects.filter(action=AuditEvent.Action.PACKAGE_DOWNLOADED).order_by("pk"))
    assert [(event.actor, event.organization, event.target_id) for event in events] == [
        (sys_admin_user, organization, str(package.pk))
    ] * 3
    assert [event.details["bytes"] for event in events] == [len(PACKAGE), 100, len(PACKAGE) - 100]
    assert events[0].details["file"] == package.original_name
    assert ReleaseFile.objects.get(pk=package.pk).download_count == 2
    assert Release.objects.get(pk=package.release_id).download_count == 2


def test_a_refused_download_is_neither_audited_nor_counted(package, standard_user, client_for):
    download(client_for(standard_user), package)
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.PACKAGE_DOWNLOADED).exists()
    assert Release.objects.get(pk=package.release_id).download_count == 0
