"""Uploaded and downloaded files, the same for every app: the rules an upload must pass (size limit,
executable deny-list, images that are what their name says, the virus scan), generated storage names,
staging of files accepted by a form that failed for another reason, and the streamed download response.

An app stores its files in its own model (cases.Attachment, docs.DocumentVersion) with the facts that
file_facts() returns; StagedUpload (helpdesk.models) holds a file between a failed submit and the next one.
"""

import hashlib
import logging
import mimetypes
import os
import re
import secrets
import unicodedata
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from . import clamav
from .models import AuditEvent, StagedUpload
from .services import audit_record

logger = logging.getLogger(__name__)

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


# The first bytes of the image types a browser shows inline (a Markdown page may embed an image): a file named
# like one must be one. Every other type is only ever downloaded as an attachment.
IMAGE_SIGNATURES = {
    "png": re.compile(rb"\x89PNG\r\n\x1a\n"),
    "jpg": re.compile(rb"\xff\xd8\xff"),
    "jpeg": re.compile(rb"\xff\xd8\xff"),
    "gif": re.compile(rb"GIF8[79]a"),
    "webp": re.compile(rb"RIFF.{4}WEBP", re.DOTALL),
}


def extension_of(name: str) -> str:
    return os.path.splitext(name)[1].lower().lstrip(".")


def validate_upload(
    upload, *, by=None, also_allowed: frozenset[str] = frozenset(), max_bytes: int | None = None
) -> None:
    """Refuse a file that is too large, of a denied type, an image that is not what its name says, or
    infected, with a message naming it; an infected file is audited as `by`'s attempt. `also_allowed` lifts
    the deny-list for extensions a caller only ever serves as downloads (web pages in docs); `max_bytes`
    replaces the attachment limit (upgrade packages are larger). Every path that stores an upload calls this
    before storing it."""
    name = safe_name(upload.name)
    limit = max_bytes or settings.ATTACHMENT_MAX_BYTES
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
    _check_image_type(upload, name)
    _check_viruses(upload, name, by=by)


def _check_image_type(upload, name: str) -> None:
    signature = IMAGE_SIGNATURES.get(extension_of(name))
    if signature is None:
        return
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not signature.match(head):
        raise ValidationError(
            _("%(name)s is not a %(type)s image: its content does not match its extension.")
            % {"name": name, "type": extension_of(name).upper()}
        )


def _check_viruses(upload, name: str, *, by) -> None:
    """Stream the file to ClamAV, when configured. Without a verdict the file is refused (fail closed): an
    unscanned file is never stored. A clean verdict is remembered on the upload, so that the service storing
    a file the form has checked does not send it again."""
    if getattr(upload, "virus_scanned", False) or not clamav.is_configured():
        return
    digest = hashlib.sha256()

    def chunks():
        for chunk in upload.chunks():
            digest.update(chunk)
            yield chunk

    try:
        signature = clamav.scan(chunks())
    except clamav.ScannerUnavailable:
        logger.exception("Virus scan of an upload failed; %s refused", name)
        raise ValidationError(
            _("%(name)s could not be checked for viruses right now. Please try again later.") % {"name": name}
        ) from None
    finally:
        upload.seek(0)
    if signature:
        audit_record(
            action=AuditEvent.Action.UPLOAD_INFECTED,
            actor=by,
            details={"file": name, "size": upload.size, "sha256": digest.hexdigest(), "signature": signature},
        )
        raise ValidationError(
            _("%(name)s contains a virus (%(signature)s) and was refused.")
            % {"name": name, "signature": signature}
        )
    upload.virus_scanned = True


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


def _is_local(storage, name: str) -> bool:
    """Whether the storage keeps files on this machine's disk. Every storage has a `path` method; remote
    ones (S3) raise NotImplementedError from it."""
    try:
        storage.path(name)
    except NotImplementedError:
        return False
    return True


def download_response(field_file, *, filename: str, storage_key: str):
    """Stream a stored file as a download (never rendered inline); on S3, redirect to a short-lived signed
    URL. The caller has checked that the user may have it."""
    storage = field_file.storage
    if not _is_local(storage, field_file.name):
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


# --- Large files: streamed in, streamed out with Range ------------------------------------------------------

# A signed S3 link is good for this long: enough to start the download, too short to pass around.
SIGNED_LINK_SECONDS = 300
STREAM_BLOCK = 1024 * 1024
RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def _byte_range(header: str, size: int) -> tuple[int, int] | None | bool:
    """(first byte, length) of a single `bytes=` range; None: no usable Range, serve the whole file (absent,
    another unit, several ranges); False: a range this file cannot satisfy (416)."""
    header = header.strip()
    if not header.startswith("bytes=") or "," in header:
        return None
    match = RANGE.match(header.replace(" ", ""))
    if match is None:
        return False
    first, last = match.groups()
    if first == "":  # the last N bytes
        if last == "" or int(last) == 0:
            return False
        length = min(int(last), size)
        return size - length, length
    first = int(first)
    last = size - 1 if last == "" else min(int(last), size - 1)
    if first >= size or last < first:
        return False
    return first, last - first + 1


def _file_part(handle, first: int, length: int):
    """The bytes [first, first + length) of an open file, block by block; closes it at the end."""
    try:
        handle.seek(first)
        while length > 0:
            block = handle.read(min(STREAM_BLOCK, length))
            if not block:
                break
            length -= len(block)
            yield block
    finally:
        handle.close()


def _attachment_headers(response, filename: str) -> None:
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"


def ranged_download_response(request, field_file, *, filename: str, etag: str = ""):
    """A stored file as a download that a client can resume: on the local disk a streamed response that
    honours a single `Range` (206 with those bytes, 416 for a range outside the file, the whole file for
    several ranges or an `If-Range` that no longer matches); on S3 a redirect to a signed link valid
    SIGNED_LINK_SECONDS, where S3 itself answers ranges. `etag` (the file's SHA-256) lets a client check
    that the file it resumes is the same. The response's `download_range` is the (first byte, length) sent,
    or None for a redirect. The caller has checked that the user may have the file."""
    storage = field_file.storage
    if not _is_local(storage, field_file.name):
        url = storage.url(
            field_file.name,
            parameters={"ResponseContentDisposition": content_disposition_header(True, filename)},
            expire=SIGNED_LINK_SECONDS,
        )
        response = HttpResponseRedirect(url)
        response.download_range = None
        return response
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    size = field_file.size
    quoted_etag = f'"{etag}"' if etag else ""
    wanted = _byte_range(request.headers.get("Range", ""), size)
    if_range = request.headers.get("If-Range")
    if wanted is not None and if_range is not None and (not quoted_etag or if_range.strip() != quoted_etag):
        wanted = None  # the file changed since the client's first part (or cannot be told): send it whole
    if wanted is False:
        handle.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        response["Accept-Ranges"] = "bytes"
        response.download_range = (0, 0)
        return response
    if wanted is None:
        response = FileResponse(handle, content_type="application/octet-stream")
        response.block_size = STREAM_BLOCK
        response.download_range = (0, size)
    else:
        first, length = wanted
        response = StreamingHttpResponse(
            _file_part(handle, first, length), status=206, content_type="application/octet-stream"
        )
        response["Content-Range"] = f"bytes {first}-{first + length - 1}/{size}"
        response["Content-Length"] = str(length)
        response.download_range = (first, length)
    response["Accept-Ranges"] = "bytes"
    if quoted_etag:
        response["ETag"] = quoted_etag
    _attachment_headers(response, filename)
    return response


# --- Staging: nothing the user uploaded is lost when a form fails ------------------------------------------

# What a stored file's row records, copied from a staged upload when it is used.
FILE_FACTS = ("storage_key", "original_name", "content_type", "size", "sha256")


def uploads_stage(*, user, files) -> list[StagedUpload]:
    """Keep accepted files of a form that failed for another reason, so the user need not send them again."""
    staged = []
    for upload in files:
        validate_upload(upload, by=user)
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
