"""Cross-cutting models: the audit trail, in-app notifications, staged uploads and the task outbox."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEventQuerySet(models.QuerySet):
    def for_list(self):
        return self.select_related("actor", "organization").order_by("-created_at", "-pk")


class AuditEvent(models.Model):
    """One recorded action: who did what, on which object, when and from which IP. Never changed."""

    class Action(models.TextChoices):
        SIGN_IN = "sign_in", _("Signed in")
        SIGN_IN_FAILED = "sign_in_failed", _("Failed sign-in")
        SIGN_OUT = "sign_out", _("Signed out")
        INVITATION_SENT = "invitation_sent", _("Invitation sent")
        INVITATION_ACCEPTED = "invitation_accepted", _("Invitation accepted")
        ROLE_GRANTED = "role_granted", _("Role granted")
        ROLE_REMOVED = "role_removed", _("Role removed")
        MEMBER_DEACTIVATED = "member_deactivated", _("Member deactivated")
        MEMBER_ADDED = "member_added", _("Member added")
        ORGANIZATION_CREATED = "organization_created", _("Organization created")
        ORGANIZATION_CHANGED = "organization_changed", _("Organization changed")
        PASSWORD_CHANGED = "password_changed", _("Password changed")
        PASSWORD_RESET = "password_reset", _("Password reset")
        FAQ_SAVED = "faq_saved", _("FAQ entry saved")
        DOCUMENT_SAVED = "document_saved", _("Document saved")
        DOCUMENT_VERSION_ADDED = "document_version_added", _("Document version added")
        NEWS_SAVED = "news_saved", _("News post saved")
        UPLOAD_INFECTED = "upload_infected", _("Infected upload refused")
        RELEASE_SAVED = "release_saved", _("Release saved")
        RELEASE_PUBLISHED = "release_published", _("Release published")
        RELEASE_FILE_ADDED = "release_file_added", _("Release file added")
        PACKAGE_DOWNLOADED = "package_downloaded", _("Upgrade package downloaded")
        INSTALLED_VERSION_SET = "installed_version_set", _("Installed version recorded")
        LICENCE_CHANGED = "licence_changed", _("Licence changed")
        CONTRACT_SAVED = "contract_saved", _("Support contract saved")
        STATEMENT_GENERATED = "statement_generated", _("Statement generated")
        STATEMENT_APPROVED = "statement_approved", _("Statement approved")
        STATEMENT_DISPUTED = "statement_disputed", _("Statement disputed")
        STATEMENT_SUPERSEDED = "statement_superseded", _("Statement replaced by a new revision")
        TIME_LOGGED = "time_logged", _("Consultant time logged")
        TIME_CHANGED = "time_changed", _("Consultant time changed")
        TIME_DELETED = "time_deleted", _("Consultant time deleted")
        TWO_FACTOR_ENABLED = "two_factor_enabled", _("Two-factor sign-in turned on")
        TWO_FACTOR_DISABLED = "two_factor_disabled", _("Two-factor sign-in turned off")
        RECOVERY_CODE_USED = "recovery_code_used", _("Signed in with a recovery code")
        RECOVERY_CODES_REGENERATED = "recovery_codes_regenerated", _("New recovery codes made")
        SECOND_FACTOR_FAILED = "second_factor_failed", _("Wrong sign-in code")
        SESSION_ENDED = "session_ended", _("Sessions ended")
        ACCESS_DENIED = "access_denied", _("Access denied")
        AGENT_TOKEN_CREATED = "agent_token_created", _("Monitoring agent token created")
        AGENT_TOKEN_REVOKED = "agent_token_revoked", _("Monitoring agent token revoked")
        INSTALLATION_CREATED = "installation_created", _("Monitored installation added")

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    action = models.CharField(_("what"), max_length=40, choices=Action.choices)
    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        null=True,
        related_name="audit_events",
    )
    target_type = models.CharField(_("object type"), max_length=60, blank=True)
    target_id = models.CharField(max_length=40, blank=True)
    target_repr = models.CharField(_("object"), max_length=200, blank=True)
    details = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    # A personal event (a sign-in, a password change) has no organization: it shows in the logs of the
    # organizations its person was an active member of when it happened, these (helpdesk.services).
    member_of = ArrayField(models.BigIntegerField(), default=list, blank=True, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["organization", "-created_at"], name="audit_org_created_idx"),
            GinIndex(fields=["member_of"], name="audit_member_of_idx"),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.target_repr}"


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One in-app message to one person; the title is already in the recipient's language. Any app may
    create them, through helpdesk.notifications.notification_send."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,  # notification_inbox_idx starts with the recipient
    )
    verb = models.CharField(_("kind"), max_length=40)
    title = models.CharField(_("title"), max_length=300)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # What the notification is about (e.g. "case-event:42"): a task run twice still creates one row.
    event_key = models.CharField(max_length=100, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "event_key"],
                condition=~models.Q(event_key=""),
                name="notification_unique_event",
            )
        ]
        indexes = [
            # The bell's unread count and the list, newest first.
            models.Index(fields=["recipient", "read_at", "-created_at"], name="notification_inbox_idx"),
        ]

    def __str__(self):
        return f"{self.recipient_id}: {self.title}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class StagedUpload(models.Model):
    """A file accepted from a form that failed for another reason, kept so the user need not upload it
    again; it becomes the file of the row the form creates when it goes through (helpdesk.files.staged_claim),
    and is deleted after a day otherwise."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    file = models.FileField(upload_to="staged/", max_length=200)
    storage_key = models.CharField(max_length=64, unique=True)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=120, blank=True)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.original_name


class OutboxMessageQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(sent_at__isnull=True)


class OutboxMessage(models.Model):
    """A Celery task to send, written in the transaction of the change it belongs to (helpdesk.outbox): the
    change and its task commit or roll back together, and a broker that is down delays the task instead of
    losing it. The arguments are cleared once the broker has accepted the task (they may hold a token)."""

    task_name = models.CharField(max_length=200)
    args = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    # The request that enqueued the task: its log lines in the worker carry this id (helpdesk/logs.py).
    request_id = models.CharField(max_length=128, blank=True)

    objects = OutboxMessageQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        indexes = [
            # The drain reads the pending rows oldest first; the sent ones, nearly all of the table, stay out.
            models.Index(fields=["id"], condition=models.Q(sent_at__isnull=True), name="outbox_pending_idx"),
            # The purge of the rows sent long ago.
            models.Index(fields=["sent_at"], name="outbox_sent_idx"),
        ]

    def __str__(self):
        return f"{self.task_name} #{self.pk}"


class FormSubmission(models.Model):
    """One form sent and done (helpdesk.idempotency): the one-time token of the form as its user got it and
    where its result is. The same form sent again (a double click, a repeated request) finds this row and is
    shown that result instead of doing the work twice. Kept for a day."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64)
    result_url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "token"], name="form_submission_unique_token")]

    def __str__(self):
        return f"{self.user_id}: {self.token}"
