"""Licences: what each customer organization has licensed (products, modules with quantities) and until
when, with the support (maintenance) contract end and the history of every change.

An organization has one current licence and any number of past ones. A licence's state is computed from its
dates and its suspension flag, never stored: a date passing changes it without any write. Every change goes
through licensing.services.licence_change, which writes one LicenceChange row and one audit event.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from helpdesk.bilingual import current_language

# A licence or support contract that ends within this many days is "expiring" (the first reminder's day).
EXPIRING_DAYS = 60


STATE_TONES = {
    "active": "success",
    "expiring": "warning",
    "expired": "danger",
    "ended": "danger",
    "suspended": "dark",
    "pending": "info",
    "none": "secondary",
}


class LicenceQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_current=True)

    def in_force(self, today: date | None = None):
        """Licences that cover their products today: current, not suspended, within their dates."""
        today = today or timezone.localdate()
        return self.filter(is_current=True, is_suspended=False, valid_from__lte=today, valid_until__gte=today)

    def for_list(self):
        return self.select_related("organization").prefetch_related("products")


class Licence(models.Model):
    class Edition(models.TextChoices):
        STANDARD = "standard", _("Standard")
        PROFESSIONAL = "professional", _("Professional")
        ENTERPRISE = "enterprise", _("Enterprise")

    class State(models.TextChoices):
        # Croatian agrees the state with "licenca" (feminine): the context tells it from a member's "Active".
        ACTIVE = "active", pgettext_lazy("licence state", "Active")
        EXPIRING = "expiring", _("Expiring")
        EXPIRED = "expired", _("Expired")
        SUSPENDED = "suspended", _("Suspended")
        # Signed but its first day has not come yet (a renewal entered in advance).
        PENDING = "pending", _("Not yet valid")

    class SupportState(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("support state", "Active")
        EXPIRING = "expiring", _("Ending soon")
        # Passed, or not usable because the licence itself is not in force.
        ENDED = "ended", _("Not active")
        NONE = "none", _("No support contract")

    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="licences",
    )
    number = models.CharField(_("licence number"), max_length=40, unique=True)
    products = models.ManyToManyField("releases.Product", verbose_name=_("products"), related_name="licences")
    edition = models.CharField(_("edition"), max_length=20, choices=Edition.choices, default=Edition.STANDARD)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    support_until = models.DateField(
        _("support (maintenance) until"),
        null=True,
        blank=True,
        help_text=_("Empty when the organization has no support contract."),
    )
    is_suspended = models.BooleanField(_("suspended"), default=False)
    # The organization's licence now; a renewal under a new number makes the old one a past licence.
    is_current = models.BooleanField(_("current"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = LicenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("licence")
        verbose_name_plural = _("licences")
        ordering = ["organization__name", "-valid_until"]
        permissions = [
            ("view_licence_terms", _("See the licence's state, dates, support contract and change history")),
            ("view_granules", _("See the licensed modules (granules) of the licence")),
            ("view_licence_list", _("See the licences of every organization")),
            ("manage_licences", _("Create and change customers' licences")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organization"],
                condition=models.Q(is_current=True),
                name="licence_one_current_per_organization",
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("valid_from")), name="licence_dates_in_order"
            ),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("licensing:licence-detail", args=[self.pk])

    def state_on(self, today: date) -> str:
        """The state on a day: suspension wins, then the dates."""
        if self.is_suspended:
            return self.State.SUSPENDED
        if today > self.valid_until:
            return self.State.EXPIRED
        if today < self.valid_from:
            return self.State.PENDING
        if self.valid_until - today <= timedelta(days=EXPIRING_DAYS):
            return self.State.EXPIRING
        return self.State.ACTIVE

    @property
    def state(self) -> str:
        return self.state_on(timezone.localdate())

    def get_state_display(self) -> str:
        return self.State(self.state).label

    def is_in_force_on(self, today: date) -> bool:
        return self.state_on(today) in (self.State.ACTIVE, self.State.EXPIRING)

    @property
    def is_in_force(self) -> bool:
        return self.is_in_force_on(timezone.localdate())

    def support_active_on(self, today: date) -> bool:
        """Support counts only while the licence itself is in force."""
        return self.is_in_force_on(today) and self.support_until is not None and today <= self.support_until

    @property
    def support_active(self) -> bool:
        return self.support_active_on(timezone.localdate())

    def support_state_on(self, today: date) -> str:
        if self.support_until is None:
            return self.SupportState.NONE
        if not self.support_active_on(today):
            return self.SupportState.ENDED
        if self.support_until - today <= timedelta(days=EXPIRING_DAYS):
            return self.SupportState.EXPIRING
        return self.SupportState.ACTIVE

    @property
    def support_state(self) -> str:
        return self.support_state_on(timezone.localdate())

    def get_support_state_display(self) -> str:
        return self.SupportState(self.support_state).label

    @property
    def state_tone(self) -> str:
        """The Bootstrap colour of the state's badge."""
        return STATE_TONES[self.state]

    @property
    def support_tone(self) -> str:
        return STATE_TONES[self.support_state]


class Granule(models.Model):
    """One licensed module of a licence, with its quantity and its own dates (empty: the licence's)."""

    class Unit(models.TextChoices):
        NAMED_USERS = "named_users", _("named users")
        SEATS = "seats", _("concurrent seats")
        COMPANIES = "companies", _("companies")

    licence = models.ForeignKey(
        Licence, verbose_name=_("licence"), on_delete=models.CASCADE, related_name="granules"
    )
    module = models.ForeignKey(
        "releases.Module", verbose_name=_("module"), on_delete=models.PROTECT, related_name="granules"
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    unit = models.CharField(_("unit"), max_length=20, choices=Unit.choices, default=Unit.NAMED_USERS)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("licence granule")
        verbose_name_plural = _("licence granules")
        ordering = ["module__position", "module__name_en"]
        constraints = [
            models.UniqueConstraint(fields=["licence", "module"], name="granule_one_per_module"),
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="granule_quantity_positive"),
            models.CheckConstraint(
                condition=models.Q(valid_from__isnull=True)
                | models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="granule_dates_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.module} × {self.quantity}"

    def is_active_on(self, today: date) -> bool:
        """Within its own dates (the licence's state is asked separately)."""
        return (self.valid_from is None or self.valid_from <= today) and (
            self.valid_until is None or today <= self.valid_until
        )

    @property
    def is_active(self) -> bool:
        return self.is_active_on(timezone.localdate())

    def snapshot(self) -> dict:
        """The granule as plain JSON values (a LicenceChange's before/after); the module by its names, which
        stay readable if the catalogue changes later."""
        return {
            "module": self.module.code,
            "module_hr": self.module.name_hr,
            "module_en": self.module.name_en,
            "quantity": self.quantity,
            "unit": self.unit,
            "valid_from": self.valid_from.isoformat() if self.valid_from else None,
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
        }


class LicenceChangeQuerySet(models.QuerySet):
    def for_list(self):
        return self.select_related("by").order_by("-created_at", "-pk")


class LicenceChange(models.Model):
    """One change of a licence: who, when, why, and its terms before and after. Never changed."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Licence issued")
        RENEWED = "renewed", _("Licence renewed")
        TERMS_CHANGED = "terms_changed", _("Terms changed")
        SUPPORT_CHANGED = "support_changed", _("Support contract changed")
        SUSPENDED = "suspended", _("Licence suspended")
        REACTIVATED = "reactivated", _("Licence reactivated")
        GRANULE_ADDED = "granule_added", _("Module added")
        GRANULE_CHANGED = "granule_changed", _("Module changed")
        GRANULE_REMOVED = "granule_removed", _("Module removed")

    licence = models.ForeignKey(
        Licence, verbose_name=_("licence"), on_delete=models.PROTECT, related_name="changes"
    )
    kind = models.CharField(_("change"), max_length=20, choices=Kind.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    reason = models.TextField(_("reason"), blank=True)
    # JSON snapshots of what changed: the licence's terms, or one granule ({} where it did not exist).
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)

    objects = LicenceChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("licence change")
        verbose_name_plural = _("licence changes")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["licence", "-created_at"], name="licence_change_licence_idx")]

    def __str__(self):
        return f"{self.licence}: {self.get_kind_display()}"

    def rows(self) -> list["ChangeRow"]:
        return change_rows(self.before, self.after)


@dataclass(frozen=True)
class ChangeRow:
    label: str
    before: str
    after: str


# The snapshot keys shown in a change (licensing.services writes the snapshots), in this order.
CHANGE_FIELDS = {
    "number": _("licence number"),
    "products": _("products"),
    "edition": _("edition"),
    "valid_from": _("valid from"),
    "valid_until": _("valid until"),
    "support_until": _("support (maintenance) until"),
    "is_suspended": _("suspended"),
    "module": _("module"),
    "quantity": _("quantity"),
    "unit": _("unit"),
    "modules": _("modules"),
}


def _shown(key: str, value, snapshot: dict) -> str:
    """One snapshot value as the reader sees it, in their language."""
    if value is None or value == "" or value == []:
        return "–"
    match key:
        case "valid_from" | "valid_until" | "support_until":
            return date_format(date.fromisoformat(value), "SHORT_DATE_FORMAT")
        case "edition":
            return str(Licence.Edition(value).label) if value in Licence.Edition.values else value
        case "unit":
            return str(Granule.Unit(value).label) if value in Granule.Unit.values else value
        case "is_suspended":
            return str(_("yes") if value else _("no"))
        case "module":
            return snapshot.get(f"module_{current_language()}") or value
        case "products":
            return ", ".join(value)
        case "modules":
            language = current_language()
            return ", ".join(f"{module[language]} × {module['quantity']}" for module in value)
    return str(value)


def change_rows(before: dict, after: dict) -> list[ChangeRow]:
    """What a change shows: each field whose value differs, before and after (a new or removed granule shows
    all its fields on one side)."""
    rows = []
    for key, label in CHANGE_FIELDS.items():
        old, new = _shown(key, before.get(key), before), _shown(key, after.get(key), after)
        # The module is named also when only its quantity or dates change.
        if old != new or (key == "module" and (before.get(key) or after.get(key))):
            rows.append(ChangeRow(str(label), old, new))
    return rows


class ExpiryReminder(models.Model):
    """The claim of one expiry reminder: written before anything is sent, so that a second run of the task
    (or a requeued one after a worker died) finds it and sends nothing again. Keyed by the end date too, so a
    renewed licence gets its own reminders for its new end."""

    class Kind(models.TextChoices):
        LICENCE = "licence", _("licence")
        SUPPORT = "support", _("support")

    licence = models.ForeignKey(Licence, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    threshold = models.PositiveSmallIntegerField()  # days before the end: 60, 30 or 7
    ends_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("expiry reminder")
        verbose_name_plural = _("expiry reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["licence", "kind", "threshold", "ends_on"], name="expiry_reminder_once"
            )
        ]

    def __str__(self):
        return f"{self.licence} {self.kind} {self.threshold}"
