"""Uploaded and downloaded files, the same for every app: the rules an upload must pass (size limit,
executable deny-list), generated storage names, staging of files accepted by a form that failed for another
reason, and the streamed download response.

An app stores its files in its own model (cases.Attachment, docs.DocumentVersion) with the facts that
file_facts() returns; StagedUpload (helpdesk.models) holds a file between a failed submit and the next one.
"""

import hashlib
import mimetypes
import os
import secrets
import unicodedata
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import StagedUpload

# Types a Windows or Linux desktop would run or a browser would execute; refused whatever their content.
DENIED_EXTENSIONS = frozenset(
    {
        "exe",
        "msi",
        "msp",
        "com",
        "scr",
        "pif",
        "cpl",
        "bat",
        "cmd",
        "ps1",
        "psm1",
        "vbs",
        "vbe",
        "js",
        "jse",
        "wsf",
        "wsh",
        "hta",
        "jar",
        "dll",
        "sys",
        "reg",
        "lnk",
        "sh",
        "bash",
        "app",
        "dmg",
        "deb",
        "rpm",
        "apk",
        "svg",
        "html",
        "htm",
        "xhtml",
        "php",
        "py",
        "pl",
        "rb",
        "msc",
        "gadget",
        "inf",
        "iso",
    }
)


def safe_name(name: str) -> str:
    """The user's file name without any path, control characters or leading dots, at most 200 characters."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '<>:"|?*')
    name = name.strip().lstrip(".") or "file"
    stem, ext = os.path.splitext(name)
    return stem[: 200 - len(ext)] + ext[:20]


def extension_of(name: str) -> str:
    return os.path.splitext(name)[1].lower().lstrip(".")


def validate_upload(upload, *, also_allowed: frozenset[str] = frozenset()) -> None:
    """Refuse a file that is too large or of a denied type, with a message naming it. `also_allowed` lifts
    the deny-list for extensions a caller only ever serves as downloads (web pages in docs)."""
    name = safe_name(upload.name)
    limit = settings.ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("%(name)s is %(size)s; files may be at most %(limit)s.")
            % {"name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )
    if extension_of(name) in DENIED_EXTENSIONS - also_allowed:
        raise ValidationError(
            _("%(name)s is a program or script file, which cannot be attached. Put it in a ZIP archive.")
            % {"name": name}
        )
    if upload.size == 0:
        raise ValidationError(_("%(name)s is empty.") % {"name": name})


def file_facts(upload) -> dict:
    """What is recorded of an upload: sanitised name, generated storage key, type, size and SHA-256."""
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    name = safe_name(upload.name)
    ext = extension_of(name)
    return {
        "original_name": name,
        "storage_key": secrets.token_hex(16) + (f".{ext}" if ext.isalnum() else ""),
        "content_type": mimetypes.guess_type(name)[0] or "application/octet-stream",
        "size": upload.size,
        "sha256": digest.hexdigest(),
    }


def download_response(field_file, *, filename: str, storage_key: str):
    """Stream a stored file as a download (never rendered inline); on S3, redirect to a short-lived signed
    URL. The caller has checked that the user may have it."""
    storage = field_file.storage
    if not hasattr(storage, "path"):
        url = storage.url(
            field_file.name,
            parameters={"ResponseContentDisposition": f'attachment; filename="{storage_key}"'},
        )
        return HttpResponseRedirect(url)
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type="application/octet-stream"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# --- Staging: nothing the user uploaded is lost when a form fails ------------------------------------------

# What a stored file's row records, copied from a staged upload when it is used.
FILE_FACTS = ("storage_key", "original_name", "content_type", "size", "sha256")


def uploads_stage(*, user, files) -> list[StagedUpload]:
    """Keep accepted files of a form that failed for another reason, so the user need not send them again."""
    staged = []
    for upload in files:
        facts = file_facts(upload)
        staged_upload = StagedUpload(user=user, **facts)
        staged_upload.file.save(facts["storage_key"], upload, save=True)
        staged.append(staged_upload)
    return staged


def staged_claim(staged: StagedUpload, *, by) -> dict:
    """The stored file and facts of a staged upload, for the row that now owns the file; the staged row is
    deleted (not its file). Only its uploader may use it."""
    if staged.user_id != by.pk:
        raise ValidationError(_("That file was uploaded by someone else."))
    fields = {field: getattr(staged, field) for field in FILE_FACTS}
    fields["file"] = staged.file.name
    staged.delete()
    return fields


def staged_uploads_purge(*, older_than: timedelta = timedelta(days=1)) -> int:
    """Delete staged files nobody came back for."""
    purged = 0
    for upload in StagedUpload.objects.filter(created_at__lt=timezone.now() - older_than):
        upload.file.delete(save=False)
        upload.delete()
        purged += 1
    return purged
