"""Uploads are scanned by ClamAV before they are stored (helpdesk.files.validate_upload): an infected file
is refused with a message naming it and audited, while what the user typed and their good files are kept; a
configured scanner that does not answer refuses uploads (fail closed). The daemon is real (tests/clamav.py).
"""

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases import services as case_services
from cases.models import Attachment, Case
from docs.models import DocumentVersion
from docs.tests.factories import DocumentFactory
from helpdesk import clamav
from helpdesk.models import AuditEvent, StagedUpload
from tests.clamav import EICAR, EICAR_SIGNATURE, STREAM_MAX_BYTES
from tests.factories import case_create, case_form_data, category_get
from tests.worker import free_port

REPORT = b"%PDF-1.4 the stock report"
INFECTED = "eicar.txt contains a virus"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.CLAMAV_SOCKET = ""
    settings.CLAMAV_HOST = ""
    return tmp_path


@pytest.fixture
def scanner(settings, clamd_socket):
    settings.CLAMAV_SOCKET = clamd_socket


def upload(name: str, content: bytes = REPORT):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def stored_contents(media) -> list[bytes]:
    return [path.read_bytes() for path in media.rglob("*") if path.is_file()]


def assert_infected_attempt_audited(user):
    event = AuditEvent.objects.get(action=AuditEvent.Action.UPLOAD_INFECTED)
    assert event.actor == user
    assert event.details["file"] == "eicar.txt"
    assert event.details["signature"] == EICAR_SIGNATURE
    assert event.details["size"] == len(EICAR)
    assert len(event.details["sha256"]) == 64


@pytest.mark.clamav
def test_an_infected_file_is_refused_on_a_new_case_and_the_rest_is_kept(
    scanner, standard_user, client_for, media
):
    response = client_for(standard_user).post(
        reverse("cases:case-create"), case_form_data(files=[upload("report.pdf"), upload("eicar.txt", EICAR)])
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert f"eicar.txt contains a virus ({EICAR_SIGNATURE}) and was refused." in html
    assert 'value="Stock report is wrong"' in html
    assert "The totals differ from the warehouse list." in html
    assert not Case.objects.exists()
    assert StagedUpload.objects.get().original_name == "report.pdf"
    assert stored_contents(media) == [REPORT]
    assert_infected_attempt_audited(standard_user)


@pytest.mark.clamav
def test_an_infected_file_is_refused_on_a_reply(scanner, organization, standard_user, client_for, media):
    case = case_create(organization, standard_user)

    response = client_for(standard_user).post(
        reverse("cases:case-reply", args=[case.reference]),
        {"body": "The file you asked for.", "files": [upload("eicar.txt", EICAR)]},
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert INFECTED in html
    assert "The file you asked for." in html
    assert not Attachment.objects.exists()
    assert not StagedUpload.objects.exists()
    assert stored_contents(media) == []
    assert_infected_attempt_audited(standard_user)


@pytest.mark.clamav
def test_an_infected_file_is_refused_as_a_document_version(scanner, consultant, client_for, media):
    document = DocumentFactory()

    response = client_for(consultant).post(
        reverse("docs:version-create", args=[document.pk]),
        {"label": "2.0", "notes": "New chapter.", "file": upload("eicar.txt", EICAR)},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert INFECTED in html
    assert 'value="2.0"' in html
    assert not DocumentVersion.objects.exists()
    assert not StagedUpload.objects.exists()
    assert stored_contents(media) == []
    assert_infected_attempt_audited(consultant)


@pytest.mark.clamav
def test_a_service_called_directly_refuses_an_infected_file_too(scanner, organization, standard_user, media):
    with pytest.raises(ValidationError, match=INFECTED):
        case_services.case_create(
            organization=organization,
            reporter=standard_user,
            category=category_get(),
            title="Virus",
            description="Sent without the form.",
            files=[upload("eicar.txt", EICAR)],
        )

    assert not Case.objects.exists()
    assert stored_contents(media) == []


@pytest.mark.clamav
def test_clean_files_pass_the_scanner_and_are_stored(scanner, standard_user, client_for, media):
    # Larger than one INSTREAM chunk, so the file goes to clamd in several pieces.
    spreadsheet = bytes(range(256)) * 1000

    response = client_for(standard_user).post(
        reverse("cases:case-create"),
        case_form_data(files=[upload("report.pdf"), upload("stock.xlsx", spreadsheet)]),
    )

    assert response.status_code == 302
    attachments = Case.objects.get().attachments.order_by("original_name")
    assert [(a.original_name, a.file.read()) for a in attachments] == [
        ("report.pdf", REPORT),
        ("stock.xlsx", spreadsheet),
    ]
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.UPLOAD_INFECTED).exists()


@pytest.mark.clamav
def test_a_file_the_scanner_will_not_take_is_refused_not_stored_unscanned(
    scanner, settings, standard_user, client_for, media
):
    settings.ATTACHMENT_MAX_BYTES = 4 * STREAM_MAX_BYTES
    too_long_for_clamd = b"x" * (2 * STREAM_MAX_BYTES)

    response = client_for(standard_user).post(
        reverse("cases:case-create"), case_form_data(files=[upload("dump.txt", too_long_for_clamd)])
    )

    assert response.status_code == 200
    assert "dump.txt could not be checked for viruses right now." in response.content.decode()
    assert not Case.objects.exists()
    assert stored_contents(media) == []


@pytest.mark.parametrize("where", ["socket", "tcp"])
def test_uploads_are_refused_while_the_scanner_does_not_answer(
    where, settings, standard_user, client_for, media
):
    if where == "socket":
        settings.CLAMAV_SOCKET = str(media / "no-clamd.sock")
    else:
        settings.CLAMAV_HOST, settings.CLAMAV_PORT = "127.0.0.1", free_port()

    response = client_for(standard_user).post(
        reverse("cases:case-create"), case_form_data(files=[upload("report.pdf")])
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "report.pdf could not be checked for viruses right now. Please try again later." in html
    assert "The totals differ from the warehouse list." in html
    assert not Case.objects.exists()
    assert not StagedUpload.objects.exists()
    assert stored_contents(media) == []


def test_without_a_scanner_uploads_are_accepted_as_before(standard_user, client_for):
    response = client_for(standard_user).post(
        reverse("cases:case-create"), case_form_data(files=[upload("eicar.txt", EICAR)])
    )

    assert response.status_code == 302
    assert Case.objects.get().attachments.get().original_name == "eicar.txt"


def health(client_for) -> str:
    """The scanner's status in /health/ (helpdesk/health.py), which stays 200 whatever it is."""
    response = client_for().get(reverse("health"))
    assert response.status_code == 200
    return json.loads(response.content)["components"]["virus_scanner"]["status"]


def test_the_health_check_says_when_no_scanner_is_configured(db, client_for):
    assert health(client_for) == "not configured"


def test_the_health_check_reports_an_unreachable_scanner_without_failing(db, settings, client_for, media):
    settings.CLAMAV_SOCKET = str(media / "no-clamd.sock")

    assert health(client_for) == "down"


@pytest.mark.clamav
def test_the_health_check_reports_a_running_scanner(db, scanner, client_for):
    assert health(client_for) == "ok"


@pytest.mark.clamav
def test_the_client_streams_a_file_given_as_chunks(scanner):
    assert clamav.scan(iter([EICAR[:10], EICAR[10:]])) == EICAR_SIGNATURE
    assert clamav.scan(iter([b"clean ", b"text"])) is None


@pytest.mark.clamav
def test_a_file_is_sent_to_the_scanner_once_per_submit(scanner, standard_user, client_for, monkeypatch):
    scanned = []
    real_scan = clamav.scan

    def counting_scan(chunks):
        scanned.append(b"".join(chunks))
        return real_scan(iter([scanned[-1]]))

    monkeypatch.setattr(clamav, "scan", counting_scan)

    response = client_for(standard_user).post(
        reverse("cases:case-create"), case_form_data(files=[upload("report.pdf")])
    )

    assert response.status_code == 302
    assert scanned == [REPORT]  # by the form; the service storing it does not send it again
