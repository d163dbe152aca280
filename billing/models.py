"""Maintenance costs: each organization's support contract (with its history), the consultants' time, and
the monthly statements generated from both, which the customer's finance administrators approve or dispute.

Money is Decimal in EUR, rounded half-up to cents (billing.money). A statement is unique per (organization,
period, revision), and only one revision of a period is live (not superseded): the database, not the
generating task, guarantees that a re-run never makes a second statement.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

CURRENCY = "EUR"
# Croatian VAT (PDV), standard rate, in percent.
DEFAULT_VAT_RATE = 25


def money_field(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, max_digits=12, decimal_places=2, **kwargs)


class SupportContractQuerySet(models.QuerySet):
    def active_on(self, day: date):
        """Contracts in force on the day (an open end runs until changed)."""
        return self.filter(valid_from__lte=day).filter(
            models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=day)
        )

    def overlapping(self, first: date, last: date | None):
        """Contracts that share at least one day with first..last (None: open end)."""
        queryset = self.filter(models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=first))
        return queryset if last is None else queryset.filter(valid_from__lte=last)


class SupportContract(models.Model):
    """The maintenance terms of an organization for a span of days. A change of terms ends the current
    contract the day before and starts a new one, so past statements keep the terms they were made with."""

    class SlaTier(models.TextChoices):
        BASIC = "basic", _("Basic")
        STANDARD = "standard", _("Standard")
        PREMIUM = "premium", _("Premium")

    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="support_contracts",
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(
        _("valid until"), null=True, blank=True, help_text=_("Empty while the contract runs until changed.")
    )
    monthly_fee = money_field(_("monthly fee"))
    included_hours = models.DecimalField(
        _("included consultant hours per month"), max_digits=7, decimal_places=2, default=0
    )
    hourly_rate = money_field(_("hourly rate above the included hours"))
    sla_tier = models.CharField(
        _("SLA tier"), max_length=20, choices=SlaTier.choices, default=SlaTier.STANDARD
    )
    currency = models.CharField(_("currency"), max_length=3, default=CURRENCY, editable=False)
    vat_rate = models.DecimalField(
        _("VAT rate (%)"), max_digits=5, decimal_places=2, default=DEFAULT_VAT_RATE, editable=False
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = SupportContractQuerySet.as_manager()

    class Meta:
        verbose_name = _("support contract")
        verbose_name_plural = _("support contracts")
        ordering = ["organization__name", "-valid_from"]
        permissions = [
            ("view_billing", _("See support contracts, consultant time and monthly statements")),
            ("approve_statement", _("Approve or dispute monthly statements")),
            ("manage_billing", _("Edit support contracts and generate statements")),
            ("log_time", _("Log consultant time")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["organization", "valid_from"], name="contract_unique_start"),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="contract_dates_in_order",
            ),
            models.CheckConstraint(
                condition=models.Q(monthly_fee__gte=0, included_hours__gte=0, hourly_rate__gte=0),
                name="contract_amounts_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.organization} {self.valid_from:%d.%m.%Y}"

    def is_active_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)

    @property
    def is_active(self) -> bool:
        return self.is_active_on(timezone.localdate())


class TimeEntryQuerySet(models.QuerySet):
    def billable(self):
        return self.filter(is_billable=True)

    def in_month(self, period: date):
        """Entries dated in the month that starts on `period`."""
        return self.filter(date__year=period.year, date__month=period.month)

    def unbilled(self):
        return self.filter(statement__isnull=True)


class TimeEntry(models.Model):
    """Time a consultant spent for an organization: on a case, or general work (a training, an on-site
    day). The customer sees billable time and its description; the internal note stays with the vendor."""

    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("consultant"),
        on_delete=models.PROTECT,
        related_name="time_entries",
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="time_entries",
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="time_entries",
    )
    date = models.DateField(_("date"))
    minutes = models.PositiveIntegerField(_("duration (minutes)"))
    is_billable = models.BooleanField(_("billable"), default=True)
    description = models.TextField(_("description (the customer sees it)"))
    internal_note = models.TextField(_("internal note"), blank=True)
    # The statement that billed it; set when the statement is generated and kept while it is live.
    statement = models.ForeignKey(
        "billing.Statement",
        verbose_name=_("statement"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="time_entries",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    objects = TimeEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("time entry")
        verbose_name_plural = _("time entries")
        ordering = ["-date", "-created_at"]
        indexes = [
            models.Index(fields=["organization", "date"], name="timeentry_org_date"),
            models.Index(fields=["case", "date"], name="timeentry_case_date"),
        ]
        constraints = [
            # A day has 24 hours; a longer entry is a typo.
            models.CheckConstraint(
                condition=models.Q(minutes__gt=0, minutes__lte=24 * 60), name="timeentry_minutes_in_a_day"
            ),
        ]

    # How the case page's timeline shows an entry (cases.page_parts).
    timeline_template = "billing/_time_entry_item.html"

    def __str__(self):
        return f"{self.date:%d.%m.%Y} {self.hours} h"

    @property
    def hours(self):
        from .money import hours_of

        return hours_of(self.minutes)


class OtherCharge(models.Model):
    """A one-off item billed with a month's statement (travel to an on-site day, a licence transfer...)."""

    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="other_charges",
    )
    date = models.DateField(_("date"))
    description = models.CharField(_("description"), max_length=200)
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2, default=1)
    unit_price = money_field(_("unit price"))
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    statement = models.ForeignKey(
        "billing.Statement",
        verbose_name=_("statement"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="other_charges",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("other charge")
        verbose_name_plural = _("other charges")
        ordering = ["-date"]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="othercharge_quantity_positive"),
        ]

    def __str__(self):
        return self.description


class StatementQuerySet(models.QuerySet):
    def live(self):
        """The revision of each period that counts (not replaced by a newer one)."""
        return self.exclude(state=Statement.State.SUPERSEDED)

    def for_list(self):
        return self.select_related("organization")


def statement_pdf_path(statement, filename):
    return f"billing/statements/{statement.period:%Y/%m}/{filename}"


class Statement(models.Model):
    """An organization's monthly statement of maintenance costs. Generated by a task, approved or disputed
    by the customer's FIN_ADMIN or ADMIN. A dispute is answered by a new revision; the disputed one stays
    readable, superseded."""

    class State(models.TextChoices):
        AWAITING = "awaiting", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        DISPUTED = "disputed", _("Disputed")
        SUPERSEDED = "superseded", _("Superseded")

    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="statements",
    )
    contract = models.ForeignKey(
        SupportContract,
        verbose_name=_("support contract"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statements",
    )
    # The first day of the month the statement covers.
    period = models.DateField(_("period"))
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.AWAITING)
    currency = models.CharField(_("currency"), max_length=3, default=CURRENCY, editable=False)
    vat_rate = models.DecimalField(
        _("VAT rate (%)"), max_digits=5, decimal_places=2, default=DEFAULT_VAT_RATE
    )
    subtotal = money_field(_("subtotal"), default=0)
    vat_amount = money_field(_("VAT"), default=0)
    total = money_field(_("total"), default=0)
    # The language the statement (and its PDF) is written in: the organization's at generation.
    language = models.CharField(_("language"), max_length=8, default=settings.LANGUAGE_CODE)
    pdf = models.FileField(_("PDF"), upload_to=statement_pdf_path, max_length=255, blank=True)
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64, blank=True)
    generated_at = models.DateTimeField(_("generated"), null=True, blank=True)
    # Who asked for it from the portal; empty when the monthly schedule made it.
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("generated by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_ip = models.GenericIPAddressField(_("approved from address"), null=True, blank=True)
    approved_pdf_sha256 = models.CharField(_("SHA-256 of the approved PDF"), max_length=64, blank=True)
    disputed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("disputed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    disputed_at = models.DateTimeField(_("disputed"), null=True, blank=True)
    dispute_comment = models.TextField(_("dispute comment"), blank=True)
    dispute_case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("billing case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disputed_statements",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = StatementQuerySet.as_manager()

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        ordering = ["-period", "organization__name", "-revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "period", "revision"], name="statement_unique_revision"
            ),
            # One revision of a month counts at a time; a new one is made only after the old is superseded.
            models.UniqueConstraint(
                fields=["organization", "period"],
                condition=~models.Q(state="superseded"),
                name="statement_one_live_per_period",
            ),
            models.CheckConstraint(condition=models.Q(period__day=1), name="statement_period_first_day"),
            models.CheckConstraint(
                condition=~models.Q(state="approved")
                | models.Q(approved_at__isnull=False, approved_by__isnull=False),
                name="statement_approval_recorded",
            ),
        ]
        indexes = [models.Index(fields=["state", "period"], name="statement_state_period")]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("billing:statement-detail", args=[self.pk])

    @property
    def number(self) -> str:
        """The statement's (and its e-invoice's) number: year-month, organization, revision."""
        return f"{self.period:%Y-%m}-{self.organization_id:05d}-{self.revision}"

    @property
    def period_end(self) -> date:
        from .money import month_end

        return month_end(self.period)

    @property
    def is_awaiting(self) -> bool:
        return self.state == self.State.AWAITING

    @property
    def is_approved(self) -> bool:
        return self.state == self.State.APPROVED

    @property
    def has_pdf(self) -> bool:
        return bool(self.pdf_sha256)


class StatementLine(models.Model):
    class Kind(models.TextChoices):
        MONTHLY_FEE = "monthly_fee", _("Monthly fee")
        INCLUDED_HOURS = "included_hours", _("Included hours used")
        EXTRA_HOURS = "extra_hours", _("Extra hours")
        OTHER = "other", _("Other")

    # UN/ECE Recommendation 20 unit codes, as the e-invoice needs them.
    class Unit(models.TextChoices):
        MONTH = "MON", _("month")
        HOUR = "HUR", _("h")
        PIECE = "C62", _("pcs")

    statement = models.ForeignKey(
        Statement, verbose_name=_("statement"), on_delete=models.CASCADE, related_name="lines"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.CharField(_("description"), max_length=300)
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=3, choices=Unit.choices, default=Unit.PIECE)
    unit_price = money_field(_("unit price"))
    amount = money_field(_("amount"))
    time_entries = models.ManyToManyField(
        TimeEntry, verbose_name=_("time entries"), blank=True, related_name="statement_lines"
    )
    cases = models.ManyToManyField(
        "cases.Case", verbose_name=_("cases"), blank=True, related_name="statement_lines"
    )
    other_charge = models.ForeignKey(
        OtherCharge, verbose_name=_("other charge"), on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        verbose_name = _("statement line")
        verbose_name_plural = _("statement lines")
        ordering = ["statement", "position"]
        constraints = [
            models.UniqueConstraint(fields=["statement", "position"], name="statementline_unique_position"),
        ]

    def __str__(self):
        return self.description


class GenerationRun(models.Model):
    """One request from the portal to generate an organization's statement for a month, so the page can
    show its progress while the task runs. The monthly schedule makes none."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Generating")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    organization = models.ForeignKey(
        "accounts.Organization", verbose_name=_("organization"), on_delete=models.CASCADE, related_name="+"
    )
    period = models.DateField(_("period"))
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.QUEUED)
    step = models.CharField(_("step"), max_length=200, blank=True)
    statement = models.ForeignKey(
        Statement,
        verbose_name=_("statement"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("statement generation")
        verbose_name_plural = _("statement generations")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.organization} {self.period:%m/%Y} {self.state}"

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)
