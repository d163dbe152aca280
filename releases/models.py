"""The product catalogue (Jupiter Software's products and their modules), and the releases of each product
with their files (the upgrade packages). Cases, FAQ entries, documents and licence granules name the
module they concern; a release names the modules it changes and the suggestions (cases) it delivers."""

import re

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from helpdesk.bilingual import BilingualName, current_language


class Product(models.Model):
    """A product the vendor sells and supports (Jupiter ERP); its name is a brand, alike in every language."""

    code = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=120)
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class Module(BilingualName):
    """A licensable part of a product (Finance, Payroll, Warehouse...)."""

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="modules"
    )
    code = models.SlugField(_("code"), unique=True)

    class Meta(BilingualName.Meta):
        verbose_name = _("product module")
        verbose_name_plural = _("product modules")


# --- Versions -----------------------------------------------------------------------------------------------

VERSION_PATTERN = re.compile(r"^\d{1,6}(\.\d{1,6}){0,4}$")


def version_key(version: str) -> list[int]:
    """The version as numbers, compared part by part ("2026.10" after "2026.9", "3.10.1" after "3.9"), with
    trailing zeros dropped so that "3.9" and "3.9.0" are one version. PostgreSQL compares integer arrays the
    same way, so the key is stored and sorted there."""
    if not VERSION_PATTERN.match(version or ""):
        raise ValidationError(
            _("Write the version as numbers separated by dots, such as 2026.10 or 3.9.1."), code="version"
        )
    parts = [int(part) for part in version.split(".")]
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    return parts


def version_display(key) -> str:
    return ".".join(str(part) for part in key)


# --- Releases -----------------------------------------------------------------------------------------------


class ReleaseQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Release.Status.PUBLISHED)

    def newest_first(self):
        return self.order_by("product__position", "product__name", "-version_key")

    def for_list(self):
        return self.select_related("product").defer("notes_hr", "notes_en")


class Release(models.Model):
    """One version of a product: its notes, the modules it changes, the oldest version it installs on, the
    suggestions it delivers and its files. Vendor admins write it as a draft and publish it."""

    class Kind(models.TextChoices):
        MAJOR = "major", _("Major")
        MINOR = "minor", _("Minor")
        HOTFIX = "hotfix", _("Hotfix")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="releases"
    )
    version = models.CharField(_("version"), max_length=40)
    version_key = ArrayField(models.PositiveIntegerField(), editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.MINOR)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    released_on = models.DateField(_("release date"))
    # The oldest installed version this release can be installed on; empty: any.
    requires_version = models.CharField(_("installs on version or newer"), max_length=40, blank=True)
    requires_key = ArrayField(models.PositiveIntegerField(), default=list, blank=True, editable=False)
    notes_hr = models.TextField(_("release notes (Croatian)"), blank=True)
    notes_en = models.TextField(_("release notes (English)"), blank=True)
    modules = models.ManyToManyField(
        Module, verbose_name=_("modules it changes"), blank=True, related_name="releases"
    )
    # Suggestions (cases of the category "suggestion") this release delivers; their case pages say so.
    delivered_cases = models.ManyToManyField(
        "cases.Case", verbose_name=_("delivered suggestions"), blank=True, related_name="delivered_in"
    )
    download_count = models.PositiveIntegerField(_("downloads"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("release")
        verbose_name_plural = _("releases")
        ordering = ["product__position", "-version_key"]
        permissions = [
            ("view_releases", _("See the releases and upgrade packages")),
            ("download_package", _("Download upgrade packages")),
            ("manage_releases", _("Write and publish releases and their packages")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["product", "version_key"], name="release_unique_version"),
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(published_at__isnull=False),
                name="release_published_has_time",
            ),
        ]
        indexes = [models.Index(fields=["product", "status", "version_key"], name="release_product_idx")]

    def __str__(self):
        return f"{self.product.name} {self.version}"

    def get_absolute_url(self):
        return reverse("releases:release-detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def notes(self) -> str:
        """The notes in the reader's language, else in the other one."""
        wanted = current_language()
        other = "en" if wanted == "hr" else "hr"
        return getattr(self, f"notes_{wanted}") or getattr(self, f"notes_{other}")


class ReleaseFile(models.Model):
    """A file of a release (its package): the installer, the database migration scripts, the documentation.
    Stored under a generated name, with its size and SHA-256 computed while it was uploaded."""

    class Kind(models.TextChoices):
        INSTALLER = "installer", _("Installer")
        MIGRATION = "migration", _("Database migration scripts")
        DOCUMENTATION = "documentation", _("Documentation")
        OTHER = "other", _("Other")

    release = models.ForeignKey(
        Release, verbose_name=_("release"), on_delete=models.PROTECT, related_name="files"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.INSTALLER)
    file = models.FileField(_("file"), upload_to="releases/", max_length=255)
    storage_key = models.CharField(max_length=80)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.BigIntegerField(_("size"))
    sha256 = models.CharField("SHA-256", max_length=64)
    download_count = models.PositiveIntegerField(_("downloads"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("release file")
        verbose_name_plural = _("release files")
        ordering = ["kind", "original_name"]
        constraints = [
            models.UniqueConstraint(fields=["release", "original_name"], name="release_file_unique_name")
        ]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("releases:file-download", args=[self.pk])


class InstalledVersion(models.Model):
    """The version of a product an organization runs now. Kept by vendor admins today; the monitoring app will
    report it."""

    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="installed_versions",
    )
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="+"
    )
    version = models.CharField(_("installed version"), max_length=40)
    version_key = ArrayField(models.PositiveIntegerField(), editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("installed version")
        verbose_name_plural = _("installed versions")
        ordering = ["organization__name", "product__position"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "product"], name="installed_version_unique")
        ]

    def __str__(self):
        return f"{self.organization} {self.product} {self.version}"
