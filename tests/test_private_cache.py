"""Private pages, downloads and exports are never kept by a cache
(helpdesk.middleware.PrivateCacheMiddleware); public static files stay cacheable."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.cache import get_max_age

from docs import services as docs_services
from docs.tests.factories import DocumentFactory
from tests.factories import case_create


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 a report", content_type="application/pdf")


def assert_private(response):
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    assert {"private", "no-store"} <= directives, response.get("Cache-Control")


@pytest.mark.parametrize(
    "url",
    [
        reverse("dashboard"),
        reverse("cases:case-list"),
        reverse("docs:knowledge-search"),
        reverse("cases:queue"),
    ],
)
def test_signed_in_pages_are_private_and_not_stored(client_for, consultant, url):
    response = client_for(consultant).get(url)
    assert response.status_code == 200
    assert_private(response)


def test_case_page_is_private_and_not_stored(client_for, organization, standard_user):
    case = case_create(organization, standard_user)
    response = client_for(standard_user).get(case.get_absolute_url())
    assert response.status_code == 200
    assert_private(response)


def test_attachment_download_is_private_and_not_stored(client_for, organization, standard_user):
    case = case_create(organization, standard_user, files=[pdf("report.pdf")])
    response = client_for(standard_user).get(case.attachments.get().get_absolute_url())
    assert response.status_code == 200
    assert_private(response)


def test_document_version_download_is_private_and_not_stored(client_for, standard_user, consultant):
    document = DocumentFactory()
    version = docs_services.version_add(
        document=document, by=consultant, label="1.0", upload=pdf("manual.pdf")
    )
    response = client_for(standard_user).get(reverse("docs:version-download", args=[document.pk, version.pk]))
    assert response.status_code == 200
    assert_private(response)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_exports_are_private_and_not_stored(client_for, organization, admin_user, file_format):
    case_create(organization, admin_user)
    response = client_for(admin_user).get(reverse("cases:case-export"), {"format": file_format})
    assert response.status_code == 200
    assert_private(response)


def test_a_redirect_after_a_form_is_private_too(client_for, organization, standard_user):
    case = case_create(organization, standard_user)
    response = client_for(standard_user).post(reverse("cases:case-watch", args=[case.reference]))
    assert response.status_code == 302
    assert_private(response)


def test_public_static_files_stay_cacheable(client_for, standard_user):
    response = client_for(standard_user).get("/static/css/portal.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert "private" not in response.get("Cache-Control", "")
    assert get_max_age(response) is not None


def test_anonymous_public_page_is_not_marked_private(db, client_for):
    response = client_for().get(reverse("health"))
    assert response.status_code == 200
    assert "private" not in response.get("Cache-Control", "")
