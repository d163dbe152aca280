"""Every change to releases: writing and publishing a release, adding its files, recording a download and an
organization's installed version."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organization
from helpdesk import outbox
from helpdesk.files import DENIED_EXTENSIONS, file_facts, validate_upload
from helpdesk.limits import PAGE_MAX, check_length
from helpdesk.models import AuditEvent
from helpdesk.services import audit_record

from . import selectors, tasks
from .models import InstalledVersion, Product, Release, ReleaseFile, version_key


def _version_key(version: str, field: str) -> list[int]:
    try:
        return version_key(version)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None


def _check_release(release: Release, modules, delivered_cases) -> None:
    errors = {}
    if release.requires_version and release.requires_key >= release.version_key:
        errors["requires_version"] = _("The prerequisite must be an older version than the release itself.")
    if not (release.notes_hr.strip() or release.notes_en.strip()):
        errors["notes_hr"] = _("Write the release notes in Croatian, English or both.")
    if any(module.product_id != release.product_id for module in modules):
        errors["modules"] = _("Choose modules of the release's own product.")
    suggestions = selectors.suggestion_cases().filter(pk__in=[case.pk for case in delivered_cases])
    if len(delivered_cases) != suggestions.count():
        errors["delivered_cases"] = _("A release can deliver only suggestions for new functionality.")
    taken = Release.objects.filter(product=release.product_id, version_key=release.version_key)
    if taken.exclude(pk=release.pk).exists():
        errors["version"] = _("%(product)s already has a release %(version)s.") % {
            "product": release.product.name,
            "version": release.version,
        }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def release_save(
    *,
    release: Release | None = None,
    by,
    product: Product,
    version: str,
    kind: str,
    released_on,
    requires_version: str = "",
    notes_hr: str = "",
    notes_en: str = "",
    modules=(),
    delivered_cases=(),
) -> Release:
    """Create or change a release. Its version and prerequisite are versions (numbers and dots), the
    prerequisite older than the release; the notes are written in one language at least; its modules are
    of its product and the cases it delivers are suggestions. A published release that now delivers more
    suggestions tells their reporters (each once)."""
    created = release is None
    release = release or Release(created_by=by)
    if release.is_published and (product.pk != release.product_id or version.strip() != release.version):
        raise ValidationError(_("The product and version of a published release cannot change."))
    for text in (notes_hr, notes_en):
        check_length(text, PAGE_MAX)
    release.product, release.version, release.kind, release.released_on = (
        product,
        version.strip(),
        kind,
        released_on,
    )
    release.version_key = _version_key(release.version, "version")
    release.requires_version = requires_version.strip()
    release.requires_key = (
        _version_key(release.requires_version, "requires_version") if requires_version else []
    )
    release.notes_hr, release.notes_en = notes_hr.strip(), notes_en.strip()
    modules, delivered_cases = list(modules), list(delivered_cases)
    _check_release(release, modules, delivered_cases)
    release.save()
    release.modules.set(modules)
    release.delivered_cases.set(delivered_cases)
    audit_record(
        action=AuditEvent.Action.RELEASE_SAVED,
        actor=by,
        target=release,
        details={"created": created, "version": release.version, "status": release.status},
    )
    if release.is_published and delivered_cases:
        outbox.enqueue(tasks.release_deliveries_notify, release.pk)
    return release


@transaction.atomic
def release_publish(*, release: Release, by) -> Release:
    """Publish a draft that has at least one file: customers see it from now on, the SYS_ADMINs of the
    organizations licensed for its product are told, and so are the reporters of the suggestions it
    delivers (each once, by a task after commit)."""
    release = Release.objects.select_for_update().get(pk=release.pk)
    if release.is_published:
        raise ValidationError(_("This release has already been published."))
    if not release.files.exists():
        raise ValidationError(_("Add the release's files (its package) before publishing it."))
    release.status, release.published_at = Release.Status.PUBLISHED, timezone.now()
    release.save(update_fields=["status", "published_at"])
    audit_record(
        action=AuditEvent.Action.RELEASE_PUBLISHED,
        actor=by,
        target=release,
        details={"version": release.version},
    )
    outbox.enqueue(tasks.release_published_notify, release.pk)
    outbox.enqueue(tasks.release_deliveries_notify, release.pk)
    return release


# Upgrade packages are installers and scripts: the executable deny-list, which protects customers from
# each other's attachments, does not apply to what the vendor publishes. Only vendor admins upload them,
# they are scanned for viruses like any upload, and they are only ever served as attachment downloads.
PACKAGE_EXTENSIONS = DENIED_EXTENSIONS


@transaction.atomic
def release_file_add(*, release: Release, by, upload, kind: str) -> ReleaseFile:
    """Add a file to a release. The upload (spooled to a temporary file by Django past
    FILE_UPLOAD_MAX_MEMORY_SIZE) is scanned and hashed block by block, then handed to the storage, which
    moves it into place (disk) or sends it in parts (S3): a file of gigabytes is never held in memory."""
    validate_upload(upload, by=by, also_allowed=PACKAGE_EXTENSIONS, max_bytes=settings.RELEASE_FILE_MAX_BYTES)
    facts = file_facts(upload)
    if release.files.filter(original_name=facts["original_name"]).exists():
        raise ValidationError(
            {"upload": _("This release already has a file %(name)s.") % {"name": facts["original_name"]}}
        )
    release_file = ReleaseFile(release=release, kind=kind, uploaded_by=by, **facts)
    release_file.file.save(facts["storage_key"], upload, save=False)
    release_file.save()
    audit_record(
        action=AuditEvent.Action.RELEASE_FILE_ADDED,
        actor=by,
        target=release,
        details={
            "file": release_file.original_name,
            "size": release_file.size,
            "sha256": release_file.sha256,
        },
    )
    return release_file


def download_record(
    *, release_file: ReleaseFile, by, organization: Organization | None, first_byte: int, length: int, ip=None
) -> None:
    """Audit a download (who, for which organization, which file, how many bytes) and count it for its file
    and release. A resumed download (a Range from the middle of the file) is audited but not counted again."""
    with transaction.atomic():
        audit_record(
            action=AuditEvent.Action.PACKAGE_DOWNLOADED,
            actor=by,
            organization=organization,
            target=release_file,
            details={
                "release": str(release_file.release),
                "file": release_file.original_name,
                "first_byte": first_byte,
                "bytes": length,
            },
            ip_address=ip,
        )
        if first_byte == 0:
            ReleaseFile.objects.filter(pk=release_file.pk).update(download_count=F("download_count") + 1)
            Release.objects.filter(pk=release_file.release_id).update(download_count=F("download_count") + 1)


@transaction.atomic
def installed_version_set(
    *, organization: Organization, product: Product, version: str, by
) -> InstalledVersion:
    """Record the version of the product the organization runs (until monitoring reports it)."""
    version = version.strip()
    key = _version_key(version, "version")
    installed, _created = InstalledVersion.objects.update_or_create(
        organization=organization,
        product=product,
        defaults={"version": version, "version_key": key, "updated_at": timezone.now(), "updated_by": by},
    )
    audit_record(
        action=AuditEvent.Action.INSTALLED_VERSION_SET,
        actor=by,
        organization=organization,
        target=installed,
        details={"product": product.code, "version": version},
    )
    return installed
