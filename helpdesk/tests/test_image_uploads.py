"""A file named like an image a browser shows inline (png, jpg/jpeg, gif, webp) must be that image: its first
bytes are checked against its extension (helpdesk.files.validate_upload), on every upload path."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.models import Case
from docs.models import DocumentVersion
from docs.tests.factories import DocumentFactory
from helpdesk.files import validate_upload
from helpdesk.models import StagedUpload
from tests.factories import category_get

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"
GIF = b"GIF89a\x01\x00\x01\x00"
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 "
HTML = b"<html><script>alert(document.cookie)</script></html>"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.CLAMAV_SOCKET = ""
    settings.CLAMAV_HOST = ""


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("screen.png", PNG),
        ("photo.jpg", JPEG),
        ("photo.JPEG", JPEG),
        ("anim.gif", GIF),
        ("GIF87.gif", b"GIF87a\x01\x00"),
        ("shot.webp", WEBP),
        ("report.pdf", HTML),  # not shown inline: only ever downloaded, so not checked
    ],
)
def test_an_image_that_is_what_its_name_says_is_accepted(name, content):
    validate_upload(SimpleUploadedFile(name, content))


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("screen.png", HTML, "PNG"),
        ("screen.png", JPEG, "PNG"),
        ("photo.jpg", PNG, "JPG"),
        ("photo.jpeg", b"GIF89a", "JPEG"),
        ("anim.gif", b"GIF90a", "GIF"),
        ("shot.webp", b"RIFF\x24\x00\x00\x00AVI LIST", "WEBP"),
        ("shot.WebP", HTML, "WEBP"),
    ],
)
def test_an_image_whose_content_is_not_of_its_type_is_refused(name, content, kind):
    upload = SimpleUploadedFile(name, content)

    with pytest.raises(ValidationError) as refused:
        validate_upload(upload)

    assert refused.value.messages == [
        f"{name} is not a {kind} image: its content does not match its extension."
    ]
    assert upload.read() == content  # the check leaves the file at its start for whoever reads it next


def test_a_fake_png_is_refused_on_a_new_case_and_the_rest_is_kept(standard_user, client_for):
    files = [SimpleUploadedFile("error.png", PNG), SimpleUploadedFile("screen.png", HTML)]
    data = {
        "title": "Screens of the error",
        "category": category_get().pk,
        "priority": "normal",
        "description": "Two screenshots.",
        "files": files,
    }

    response = client_for(standard_user).post(reverse("cases:case-create"), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "screen.png is not a PNG image: its content does not match its extension." in html
    assert "Two screenshots." in html
    assert not Case.objects.exists()
    assert StagedUpload.objects.get().original_name == "error.png"


def test_a_fake_png_is_refused_as_a_document_version(consultant, client_for):
    document = DocumentFactory()

    response = client_for(consultant).post(
        reverse("docs:version-create", args=[document.pk]),
        {"label": "1.0", "file": SimpleUploadedFile("diagram.png", HTML)},
    )

    assert "diagram.png is not a PNG image: its content does not match its extension." in (
        response.content.decode()
    )
    assert not DocumentVersion.objects.exists()
