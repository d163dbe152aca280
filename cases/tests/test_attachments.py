"""Uploads: refused files keep the form and the good files, downloads are safe, names never reach storage."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases import services
from cases.models import Attachment, Case
from helpdesk import files
from helpdesk.models import StagedUpload
from tests.factories import case_create, case_form_data

LIMIT = 100  # bytes: ATTACHMENT_MAX_BYTES in these tests
REPORT = b"%PDF-1.4 the stock report"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.ATTACHMENT_MAX_BYTES = LIMIT
    return tmp_path


def upload(name: str, content: bytes = REPORT, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (("big.pdf", b"x" * (LIMIT + 1)), "big.pdf is 101\xa0bytes; files may be at most 100\xa0bytes."),
        (("setup.exe", b"MZ"), "setup.exe is a program or script file, which cannot be attached."),
        (("macro.js", b"alert(1)"), "macro.js is a program or script file"),
        (("logo.svg", b"<svg onload=alert(1)>"), "logo.svg is a program or script file"),
        (("page.html", b"<script>x</script>"), "page.html is a program or script file"),
        (("EVIL.EXE", b"MZ"), "EVIL.EXE is a program or script file"),
    ],
    ids=lambda value: value[0] if isinstance(value, tuple) else "",
)
def test_refused_file_keeps_the_form_and_stages_the_good_files(bad, message, standard_user, client_for):
    client = client_for(standard_user)
    name, content = bad

    response = client.post(
        reverse("cases:case-create"), case_form_data(files=[upload("report.pdf"), upload(name, content)])
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'value="Stock report is wrong"' in html
    assert "The totals differ from the warehouse list." in html
    assert not Case.objects.exists()
    staged = StagedUpload.objects.get()
    assert staged.original_name == "report.pdf"
    assert staged.user == standard_user
    assert "Files already received" in html
    assert f'name="staged" value="{staged.pk}"' in html

    # Sent again without any file: the staged one becomes the case's attachment, no second upload needed.
    response = client.post(reverse("cases:case-create"), case_form_data(staged=[staged.pk]))

    assert response.status_code == 302
    case = Case.objects.get()
    attachment = case.attachments.get()
    assert attachment.original_name == "report.pdf"
    assert attachment.sha256 == hashlib.sha256(REPORT).hexdigest()
    assert attachment.file.read() == REPORT
    assert case.has_attachments
    assert not StagedUpload.objects.exists()


def test_invalid_field_stages_the_files_sent_with_it(standard_user, client_for):
    client = client_for(standard_user)

    response = client.post(
        reverse("cases:case-create"), case_form_data(title="", files=[upload("report.pdf")])
    )

    assert response.status_code == 200
    assert "The totals differ from the warehouse list." in response.content.decode()
    assert StagedUpload.objects.get().original_name == "report.pdf"


def test_someone_elses_staged_file_cannot_be_claimed(standard_user, admin_user, client_for):
    (theirs,) = files.uploads_stage(user=admin_user, files=[upload("salaries.pdf")])

    response = client_for(standard_user).post(
        reverse("cases:case-create"), case_form_data(staged=[theirs.pk])
    )

    assert response.status_code == 200  # not a valid choice for this user
    assert not Case.objects.exists()
    assert StagedUpload.objects.filter(pk=theirs.pk).exists()


def test_reply_with_a_refused_file_keeps_the_text_and_the_good_file(organization, standard_user, client_for):
    case = case_create(organization, standard_user)
    client = client_for(standard_user)
    url = reverse("cases:case-reply", args=[case.reference])

    response = client.post(
        url, {"body": "Logs attached.", "files": [upload("log.pdf"), upload("run.bat", b"x")]}
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "run.bat is a program or script file" in html
    assert "Logs attached." in html
    staged = StagedUpload.objects.get()

    assert client.post(url, {"body": "Logs attached.", "staged": [staged.pk]}).status_code == 302
    assert [a.original_name for a in case.attachments.all()] == ["log.pdf"]


def test_sha256_size_and_type_are_recorded(organization, standard_user):
    content = b"col1;col2\n1;2\n"

    case = case_create(organization, standard_user, files=[upload("export.csv", content, "text/plain")])

    attachment = case.attachments.get()
    assert attachment.size == len(content)
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert attachment.content_type == "text/csv"  # from the sanitised name, not the browser's claim
    assert attachment.uploaded_by == standard_user
    assert not attachment.is_internal


def test_download_is_an_attachment_with_the_original_name(organization, standard_user, client_for):
    case = case_create(organization, standard_user, files=[upload("Izvještaj o zalihama.pdf")])
    attachment = case.attachments.get()

    response = client_for(standard_user).get(attachment.get_absolute_url())

    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''Izvje%C5%A1taj%20o%20zalihama.pdf" in disposition
    assert b"".join(response.streaming_content) == REPORT


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\win.ini", "win.ini"),
        ("<script>alert(1)</script>.pdf", "script.pdf"),
        ('<img src=x onerror="alert(1)">.pdf', "img src=x onerror=alert(1).pdf"),
        (".htaccess", "htaccess"),
    ],
)
def test_user_file_name_never_becomes_a_path_or_markup(
    name, shown, organization, standard_user, client_for, media
):
    case = case_create(organization, standard_user, files=[upload(name)])
    attachment = case.attachments.get()

    assert attachment.original_name == shown
    stored = attachment.file.name
    assert stored.startswith("attachments/")
    assert stored.rsplit("/", 1)[-1] == attachment.storage_key
    for part in ("passwd", "etc", "win", "script", "img", "htaccess", ".."):
        assert part not in attachment.storage_key
    assert (media / stored).resolve().is_relative_to(media.resolve())

    html = client_for(standard_user).get(case.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html
    assert shown in html


def test_file_names_are_escaped_in_the_page(organization, standard_user, client_for):
    case = case_create(organization, standard_user, files=[upload("Q&A 'final'.pdf")])

    html = client_for(standard_user).get(case.get_absolute_url()).content.decode()

    assert "Q&amp;A &#x27;final&#x27;.pdf" in html
    assert "Q&A 'final'.pdf" not in html


def test_internal_note_attachment_is_hidden_from_customers(
    organization, standard_user, admin_user, consultant, client_for
):
    case = case_create(organization, standard_user)
    services.case_reply(
        case=case, author=consultant, body="Their database dump.", internal=True, files=[upload("dump.pdf")]
    )
    attachment = case.attachments.get()
    assert attachment.is_internal
    url = attachment.get_absolute_url()

    for customer in (standard_user, admin_user):
        assert client_for(customer).get(url).status_code == 404
        assert "dump.pdf" not in client_for(customer).get(case.get_absolute_url()).content.decode()
    assert client_for(consultant).get(url).status_code == 200
    assert not Case.objects.get(pk=case.pk).has_attachments


def test_other_organization_cannot_download(organization, standard_user, other_org_user, client_for):
    case = case_create(organization, standard_user, files=[upload("report.pdf")])

    assert client_for(other_org_user).get(case.attachments.get().get_absolute_url()).status_code == 404


def test_attachment_of_another_case_is_not_reachable_through_this_one(
    organization, standard_user, client_for
):
    first = case_create(organization, standard_user, files=[upload("first.pdf")])
    second = case_create(organization, standard_user)
    foreign = first.attachments.get()

    url = reverse("cases:attachment-download", args=[second.reference, foreign.pk])

    assert client_for(standard_user).get(url).status_code == 404


def test_missing_file_is_404(organization, standard_user, client_for):
    case = case_create(organization, standard_user, files=[upload("report.pdf")])
    attachment = case.attachments.get()
    attachment.file.delete(save=False)

    assert client_for(standard_user).get(attachment.get_absolute_url()).status_code == 404


def test_staged_uploads_are_purged_after_a_day(standard_user, media):
    from datetime import timedelta

    (old,) = files.uploads_stage(user=standard_user, files=[upload("old.pdf")])
    (fresh,) = files.uploads_stage(user=standard_user, files=[upload("fresh.pdf")])
    StagedUpload.objects.filter(pk=old.pk).update(created_at=old.created_at - timedelta(days=2))
    old_path = media / old.file.name

    assert files.staged_uploads_purge() == 1

    assert list(StagedUpload.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert not old_path.exists()
    assert Attachment.objects.count() == 0
