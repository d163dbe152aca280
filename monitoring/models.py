"""Monitoring of the customers' ERP installations. An agent at the customer measures the components of an
installation (database, application servers, backups, disks...) and posts the results to the ingestion API
with a token of that installation.

Reading never walks the history: ingestion keeps each check's newest result in `LatestResult` and each
component's worst current state in `Component.status`, so the status page reads a few small rows whatever
the history holds. Raw `Result` rows are kept 30 days, then folded into `HourlyRollup` (2 years).
"""

import hashlib
import secrets

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import BrinIndex
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Status(models.IntegerChoices):
    """Ordered by severity, so the worst of several states is their maximum."""

    OK = 0, _("OK")
    UNKNOWN = 1, _("Unknown")
    WARNING = 2, _("Warning")
    CRITICAL = 3, _("Critical")


class Installation(models.Model):
    """One of an organization's ERP systems (its production system, a test system...)."""

    class Environment(models.TextChoices):
        PRODUCTION = "production", _("Production")
        TEST = "test", _("Test")

    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="installations",
    )
    name = models.CharField(_("name"), max_length=100)
    environment = models.CharField(
        _("environment"), max_length=20, choices=Environment.choices, default=Environment.PRODUCTION
    )
    # The worst current state of its components, kept by ingestion and the staleness sweep.
    status = models.PositiveSmallIntegerField(_("status"), choices=Status.choices, default=Status.UNKNOWN)
    last_result_at = models.DateTimeField(_("last result"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("installation")
        verbose_name_plural = _("installations")
        ordering = ["organization__name", "environment", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="installation_name_unique")
        ]
        permissions = [
            ("view_monitoring", _("See the monitoring results of the organization's installations")),
            ("manage_agent_tokens", _("Create and revoke the monitoring agents' tokens")),
            ("view_all_monitoring", _("See the monitoring of every organization")),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("monitoring:installation", args=[self.pk])


class InstallationVersion(models.Model):
    """The version of a product an installation reports running. A production installation's report also
    updates `releases.InstalledVersion`, so the releases page shows the upgrade path from what really runs."""

    installation = models.ForeignKey(Installation, on_delete=models.CASCADE, related_name="versions")
    product = models.ForeignKey(
        "releases.Product", verbose_name=_("product"), on_delete=models.PROTECT, related_name="+"
    )
    version = models.CharField(_("version"), max_length=40)
    version_key = ArrayField(models.PositiveIntegerField(), editable=False)
    reported_at = models.DateTimeField(_("reported"), default=timezone.now)

    class Meta:
        verbose_name = _("installed version")
        verbose_name_plural = _("installed versions")
        constraints = [
            models.UniqueConstraint(fields=["installation", "product"], name="installation_version_unique")
        ]

    def __str__(self):
        return f"{self.product} {self.version}"


class AgentTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class AgentToken(models.Model):
    """A monitoring agent's credential for one installation. Only a SHA-256 digest is stored: the token is
    shown once, when created. Several may be active at once, so an agent's token can be rotated."""

    PREFIX = "jmt_"

    installation = models.ForeignKey(
        Installation, verbose_name=_("installation"), on_delete=models.CASCADE, related_name="tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    # The first characters of the token, shown in lists so the owner can tell tokens apart.
    hint = models.CharField(_("begins with"), max_length=12)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = AgentTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("agent token")
        verbose_name_plural = _("agent tokens")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.hint}…)"

    @staticmethod
    def digest_of(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def generate(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)


class Component(models.Model):
    class Kind(models.TextChoices):
        DATABASE = "database", _("Database")
        APPLICATION_SERVER = "application_server", _("Application server")
        BACKUP = "backup", _("Backup")
        DISK = "disk", _("Disk")
        SERVICE = "service", _("Service")
        INTEGRATION = "integration", _("Integration")
        LICENCE_SERVER = "licence_server", _("Licence server")
        OTHER = "other", _("Other")

    installation = models.ForeignKey(
        Installation, verbose_name=_("installation"), on_delete=models.CASCADE, related_name="components"
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    # The product module an incident case of this component is filed under.
    module = models.ForeignKey(
        "releases.Module",
        verbose_name=_("product module"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The worst current state of its checks, and since when it has been in that state.
    status = models.PositiveSmallIntegerField(_("status"), choices=Status.choices, default=Status.UNKNOWN)
    status_since = models.DateTimeField(_("in this state since"), default=timezone.now)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("component")
        verbose_name_plural = _("components")
        ordering = ["installation", "name"]
        constraints = [models.UniqueConstraint(fields=["installation", "name"], name="component_name_unique")]

    def __str__(self):
        return self.name


class Check(models.Model):
    """One measurement of a component ("disk free", "answer time"). A value beyond a threshold is a warning
    or critical state the agent may report itself; the thresholds are shown beside the value."""

    component = models.ForeignKey(
        Component, verbose_name=_("component"), on_delete=models.CASCADE, related_name="checks"
    )
    name = models.CharField(_("name"), max_length=100)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    warning_threshold = models.FloatField(_("warning threshold"), null=True, blank=True)
    critical_threshold = models.FloatField(_("critical threshold"), null=True, blank=True)
    # "disk free" is worse when lower, "answer time" when higher.
    higher_is_worse = models.BooleanField(_("higher is worse"), default=True)
    interval = models.PositiveIntegerField(_("expected interval (seconds)"), default=300)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("check")
        verbose_name_plural = _("checks")
        ordering = ["component", "name"]
        constraints = [models.UniqueConstraint(fields=["component", "name"], name="check_name_unique")]

    def __str__(self):
        return self.name


class LatestResult(models.Model):
    """The newest result of a check, updated on ingest (only by a newer measurement). `status` is what the
    page shows: the reported state, or UNKNOWN once the check has gone silent for 3 intervals."""

    # Not "check": that name is Model.check(), Django's system check.
    check_item = models.OneToOneField(
        Check, on_delete=models.CASCADE, primary_key=True, related_name="latest"
    )
    status = models.PositiveSmallIntegerField(_("status"), choices=Status.choices)
    reported_status = models.PositiveSmallIntegerField(_("reported status"), choices=Status.choices)
    is_stale = models.BooleanField(_("stale"), default=False)
    value = models.FloatField(_("value"), null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    message = models.CharField(_("message"), max_length=500, blank=True)
    measured_at = models.DateTimeField(_("measured"))
    # When the check is overdue: measured_at + 3 intervals.
    stale_after = models.DateTimeField()

    class Meta:
        verbose_name = _("latest result")
        verbose_name_plural = _("latest results")
        # The staleness sweep's index: only the checks not yet stale, in the order it takes them.
        indexes = [models.Index(fields=["stale_after"], condition=Q(is_stale=False), name="latest_due_idx")]

    def __str__(self):
        return f"{self.check_item}: {self.get_status_display()}"


class Result(models.Model):
    """A raw measurement, kept 30 days. (check, measured_at) is unique, so a resent batch stores nothing
    twice."""

    id = models.BigAutoField(primary_key=True)
    # No index of its own: the unique (check_item, measured_at) index serves every lookup by check, and
    # ingestion writes one index fewer per row.
    check_item = models.ForeignKey(Check, on_delete=models.CASCADE, related_name="results", db_index=False)
    status = models.PositiveSmallIntegerField(_("status"), choices=Status.choices)
    value = models.FloatField(_("value"), null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    message = models.CharField(_("message"), max_length=500, blank=True)
    measured_at = models.DateTimeField(_("measured"))

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")
        constraints = [
            models.UniqueConstraint(fields=["check_item", "measured_at"], name="result_check_measured_unique")
        ]
        # Rows arrive roughly in time order: a BRIN index finds the retention sweep's old rows cheaply.
        indexes = [BrinIndex(fields=["measured_at"], name="result_measured_brin")]

    def __str__(self):
        return f"{self.check_item} {self.measured_at:%Y-%m-%d %H:%M}: {self.get_status_display()}"


class HourlyRollup(models.Model):
    """One hour of a check's results, kept 2 years after the raw rows are gone."""

    id = models.BigAutoField(primary_key=True)
    # Indexed by the unique (check_item, hour), as Result.
    check_item = models.ForeignKey(Check, on_delete=models.CASCADE, related_name="rollups", db_index=False)
    hour = models.DateTimeField(_("hour"))
    count = models.PositiveIntegerField(_("results"))
    minimum = models.FloatField(_("minimum"), null=True, blank=True)
    maximum = models.FloatField(_("maximum"), null=True, blank=True)
    average = models.FloatField(_("average"), null=True, blank=True)
    worst_status = models.PositiveSmallIntegerField(_("worst status"), choices=Status.choices)

    class Meta:
        verbose_name = _("hourly rollup")
        verbose_name_plural = _("hourly rollups")
        constraints = [
            models.UniqueConstraint(fields=["check_item", "hour"], name="rollup_check_hour_unique")
        ]

    def __str__(self):
        return f"{self.check_item} {self.hour:%Y-%m-%d %H}h"


class Incident(models.Model):
    """A component's critical spell. After the grace time it opens one case in the organization; more
    critical results only count, an OK result resolves it (and the case). A component that turns critical
    again soon after (flapping) reopens its last incident rather than opening another case."""

    component = models.ForeignKey(
        Component, verbose_name=_("component"), on_delete=models.CASCADE, related_name="incidents"
    )
    case = models.OneToOneField(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="incident",
    )
    started_at = models.DateTimeField(_("critical since"))
    opened_at = models.DateTimeField(_("case opened"), null=True, blank=True)
    last_critical_at = models.DateTimeField(_("last critical result"))
    critical_results = models.PositiveIntegerField(_("critical results"), default=1)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["component"], condition=Q(resolved_at__isnull=True), name="incident_one_open"
            )
        ]

    def __str__(self):
        return f"{self.component} {self.started_at:%Y-%m-%d %H:%M}"


class LicenceUsage(models.Model):
    """The named users of a licensed module an installation's agent last reported."""

    installation = models.ForeignKey(Installation, on_delete=models.CASCADE, related_name="licence_usage")
    module = models.ForeignKey(
        "releases.Module", verbose_name=_("product module"), on_delete=models.CASCADE, related_name="+"
    )
    named_users = models.PositiveIntegerField(_("named users"))
    measured_at = models.DateTimeField(_("measured"))

    class Meta:
        verbose_name = _("licence usage")
        verbose_name_plural = _("licence usage")
        constraints = [
            models.UniqueConstraint(fields=["installation", "module"], name="licence_usage_unique")
        ]

    def __str__(self):
        return f"{self.module}: {self.named_users}"
