from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from helpdesk.bilingual import BilingualName


class Category(BilingualName):
    code = models.SlugField(_("code"), unique=True)

    class Meta(BilingualName.Meta):
        verbose_name = _("category")
        verbose_name_plural = _("categories")


class CaseNumber(models.Model):
    """The last reference number used in a year; incremented inside the creating transaction (gap-free)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last_number}"


class CaseQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status__in=[Case.Status.RESOLVED, Case.Status.CLOSED])

    def for_list(self):
        return self.for_detail().defer("description")

    def for_detail(self):
        # The search vector is large and only ever read by PostgreSQL itself.
        return self.select_related("organization", "reporter", "category", "module", "assignee").defer(
            "search_vector"
        )


class Case(models.Model):
    class Priority(models.TextChoices):
        LOW = "low", _("Low")
        NORMAL = "normal", _("Normal")
        HIGH = "high", _("High")
        CRITICAL = "critical", _("Critical")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        ASSIGNED = "assigned", _("Assigned")
        IN_PROGRESS = "in_progress", _("In progress")
        WAITING = "waiting", _("Waiting for customer")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", _("Closed")

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reporter"),
        on_delete=models.PROTECT,
        related_name="reported_cases",
    )
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT)
    module = models.ForeignKey(
        "releases.Module", verbose_name=_("product module"), on_delete=models.PROTECT, null=True, blank=True
    )
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NEW)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_cases",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now)
    has_attachments = models.BooleanField(_("has attachments"), default=False)
    # Title, description and public replies; never internal notes (added to by services._index_text).
    search_vector = SearchVectorField(null=True, editable=False)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-last_activity_at"]
        permissions = [
            ("view_org_cases", _("See own and watched cases of the organization")),
            ("view_all_org_cases", _("See every case of the organization")),
            ("create_case", _("Log cases")),
            ("reply_case", _("Reply to cases")),
            ("view_internal", _("See internal notes")),
            ("work_case", _("Work on cases as a consultant")),
            ("view_queue", _("Watch the first-line queue")),
            ("assign_case", _("Assign cases to consultants")),
            ("analyse_cases", _("Search, analyse and export cases")),
        ]
        indexes = [
            GinIndex(fields=["search_vector"], name="case_search_idx"),
            models.Index(fields=["organization", "-last_activity_at"], name="case_org_activity_idx"),
            models.Index(fields=["status", "created_at"], name="case_status_created_idx"),
            models.Index(fields=["assignee", "status"], name="case_assignee_status_idx"),
            models.Index(fields=["-last_activity_at"], name="case_activity_idx"),
            models.Index(fields=["reporter", "-last_activity_at"], name="case_reporter_activity_idx"),
            # The analysis page's aggregates read only these columns of a window of created_at: with them
            # in the index they are index-only scans, never a pass over the wide rows (cases.analysis).
            models.Index(
                fields=["created_at"],
                include=["organization", "category", "status", "module", "first_response_at", "resolved_at"],
                name="case_analysis_idx",
            ),
            # Open cases are a few thousand among millions. A consultant's work and auto-assignment's
            # count of open cases per consultant (an index-only scan, hence `id`) read these partial
            # indexes instead of every case the consultant ever had (PERFORMANCE.md).
            models.Index(
                fields=["assignee", "-last_activity_at"],
                include=["id"],
                condition=~models.Q(status__in=["resolved", "closed"]),
                name="case_open_assignee_idx",
            ),
            models.Index(
                fields=["-last_activity_at"],
                condition=~models.Q(status__in=["resolved", "closed"]),
                name="case_open_activity_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="new") | models.Q(assignee__isnull=True),
                name="case_new_is_unassigned",
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"

    def get_absolute_url(self):
        return reverse("cases:case-detail", args=[self.reference])

    @property
    def is_open(self) -> bool:
        return self.status not in (self.Status.RESOLVED, self.Status.CLOSED)

    @classmethod
    def priority_rank_expression(cls):
        """Priorities in their real order (critical highest), for sorting in SQL."""
        ranks = {cls.Priority.LOW: 1, cls.Priority.NORMAL: 2, cls.Priority.HIGH: 3, cls.Priority.CRITICAL: 4}
        return models.Case(
            *[models.When(priority=value, then=models.Value(rank)) for value, rank in ranks.items()],
            output_field=models.IntegerField(),
        )


class CaseWatcher(models.Model):
    """A person who follows a case: a customer watching it, or staff who joined it. `is_muted` silences
    notifications for that person on that case only."""

    class Kind(models.TextChoices):
        WATCHER = "watcher", _("Watcher")
        PARTICIPANT = "participant", _("Participant")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="watchers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watched_cases")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.WATCHER)
    is_muted = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="case_watcher_unique")]
        indexes = [models.Index(fields=["user", "case"], name="case_watcher_user_idx")]

    def __str__(self):
        return f"{self.user_id} {self.kind} {self.case_id}"


class CaseEvent(models.Model):
    """One immutable entry of a case's timeline."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Case logged")
        REPLY = "reply", _("Reply")
        NOTE = "note", _("Internal note")
        STATUS = "status", _("Status change")
        ASSIGNMENT = "assignment", _("Assignment")
        JOIN = "join", _("Joined")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    body = models.TextField(blank=True)
    # Internal notes and everything derived from them are never shown to customers.
    is_internal = models.BooleanField(default=False)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["case", "created_at"], name="case_event_timeline_idx")]

    def __str__(self):
        return f"{self.case_id} {self.kind}"

    @property
    def status_labels(self) -> tuple[str, str]:
        """The old and new status of a status change, as shown to people."""
        return Case.Status(self.data["old"]).label, Case.Status(self.data["new"]).label


def attachment_path(instance, filename):
    # The stored name is generated; the user's file name is kept only in `original_name`.
    return f"attachments/{timezone.now():%Y/%m}/{instance.storage_key}"


class Attachment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    event = models.ForeignKey(CaseEvent, on_delete=models.CASCADE, related_name="attachments", null=True)
    file = models.FileField(upload_to=attachment_path, max_length=200)
    storage_key = models.CharField(max_length=64, unique=True)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=120, blank=True)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # An attachment of an internal note is internal too.
    is_internal = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("cases:attachment-download", args=[self.case.reference, self.pk])


class SavedSearch(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    name = models.CharField(_("name"), max_length=100)
    query = models.CharField(max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="saved_search_unique_name")]

    def __str__(self):
        return self.name


class ConsultantStatus(models.Model):
    """A consultant's availability for auto-assignment. Its row is also the lock that keeps two
    assignments from taking the same consultant's slot at once (services.case_auto_assign)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="consultant_status"
    )
    is_available = models.BooleanField(_("available"), default=False)
    # When the consultant last got a case (or became available): ties go to the one idle longest.
    idle_since = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return str(self.user_id)
