"""Every change of a licence: one service, one LicenceChange row and one audit event per change.

A change is described by a small value (TermsEdit, Suspension, GranuleAdd...). `licence_change_preview`
plans it without writing (what the vendor admin confirms: before -> after); `licence_change` plans it again
on the locked row and applies it. Both use the same plan, so the preview shows exactly what is saved. A new
licence (`licence_issue`) is the one write that is not a change of an existing licence; it writes its own
single "issued" row.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Organization, User
from helpdesk.limits import CHANGE_REASON_MAX, check_length
from helpdesk.models import AuditEvent
from helpdesk.services import audit_record
from releases.models import Module, Product

from .models import ChangeRow, ExpiryReminder, Granule, Licence, LicenceChange, change_rows

Kind = LicenceChange.Kind


def _terms(licence: Licence) -> dict:
    """The licence's terms as plain JSON values (a change's before/after)."""
    return {
        "number": licence.number,
        "products": sorted(product.name for product in licence.products.all()),
        "edition": licence.edition,
        "valid_from": licence.valid_from.isoformat(),
        "valid_until": licence.valid_until.isoformat(),
        "support_until": licence.support_until.isoformat() if licence.support_until else None,
        "is_suspended": licence.is_suspended,
    }


# --- The changes --------------------------------------------------------------------------------------------


@dataclass
class Plan:
    """A planned change: its kind, the before and after snapshots, and how to apply it."""

    kind: str
    before: dict
    after: dict
    apply: Callable[[], None] = field(repr=False)

    def rows(self) -> list[ChangeRow]:
        return change_rows(self.before, self.after)

    @property
    def kind_label(self) -> str:
        return Kind(self.kind).label


def _dates_check(valid_from: date | None, valid_until: date | None) -> None:
    if valid_from and valid_until and valid_until < valid_from:
        raise ValidationError(_("The end date cannot be before the start date."))


@dataclass(frozen=True)
class TermsEdit:
    """New terms: edition, dates, support end and products. Moving the end date later is a renewal; a
    change of the support end alone is a support change."""

    edition: str
    valid_from: date
    valid_until: date
    support_until: date | None
    products: tuple[Product, ...]

    def plan(self, licence: Licence) -> Plan:
        _dates_check(self.valid_from, self.valid_until)
        if not self.products:
            raise ValidationError(_("A licence covers at least one product."))
        before = _terms(licence)
        after = {
            **before,
            "products": sorted(product.name for product in self.products),
            "edition": self.edition,
            "valid_from": self.valid_from.isoformat(),
            "valid_until": self.valid_until.isoformat(),
            "support_until": self.support_until.isoformat() if self.support_until else None,
        }
        if after == before:
            raise ValidationError(_("These are the licence's terms already: nothing changes."))
        changed = {key for key in after if after[key] != before[key]}
        if self.valid_until > licence.valid_until:
            kind = Kind.RENEWED
        elif changed == {"support_until"}:
            kind = Kind.SUPPORT_CHANGED
        else:
            kind = Kind.TERMS_CHANGED

        def apply():
            licence.edition = self.edition
            licence.valid_from, licence.valid_until = self.valid_from, self.valid_until
            licence.support_until = self.support_until
            licence.save(update_fields=["edition", "valid_from", "valid_until", "support_until"])
            licence.products.set(self.products)

        return Plan(kind, before, after, apply)


@dataclass(frozen=True)
class Suspension:
    def plan(self, licence: Licence) -> Plan:
        if licence.is_suspended:
            raise ValidationError(_("The licence is suspended already."))
        return _suspension_plan(licence, Kind.SUSPENDED, True)


@dataclass(frozen=True)
class Reactivation:
    def plan(self, licence: Licence) -> Plan:
        if not licence.is_suspended:
            raise ValidationError(_("The licence is not suspended."))
        return _suspension_plan(licence, Kind.REACTIVATED, False)


def _suspension_plan(licence: Licence, kind: str, suspended: bool) -> Plan:
    before = _terms(licence)

    def apply():
        licence.is_suspended = suspended
        licence.save(update_fields=["is_suspended"])

    return Plan(kind, before, {**before, "is_suspended": suspended}, apply)


@dataclass(frozen=True)
class GranuleAdd:
    module: Module
    quantity: int
    unit: str
    valid_from: date | None = None
    valid_until: date | None = None

    def plan(self, licence: Licence) -> Plan:
        _granule_check(self.quantity, self.valid_from, self.valid_until)
        if licence.granules.filter(module=self.module).exists():
            raise ValidationError(
                _("The licence has the module %(module)s already: change its quantity instead.")
                % {"module": self.module.name}
            )
        if not licence.products.filter(pk=self.module.product_id).exists():
            raise ValidationError(
                _("The module %(module)s belongs to a product the licence does not cover.")
                % {"module": self.module.name}
            )
        granule = Granule(
            licence=licence,
            module=self.module,
            quantity=self.quantity,
            unit=self.unit,
            valid_from=self.valid_from,
            valid_until=self.valid_until,
        )
        return Plan(Kind.GRANULE_ADDED, {}, granule.snapshot(), granule.save)


@dataclass(frozen=True)
class GranuleEdit:
    granule: Granule
    quantity: int
    unit: str
    valid_from: date | None = None
    valid_until: date | None = None

    def plan(self, licence: Licence) -> Plan:
        _granule_check(self.quantity, self.valid_from, self.valid_until)
        granule = _granule_of(licence, self.granule)
        before = granule.snapshot()
        granule.quantity, granule.unit = self.quantity, self.unit
        granule.valid_from, granule.valid_until = self.valid_from, self.valid_until
        after = granule.snapshot()
        if after == before:
            raise ValidationError(_("This is the module's licence already: nothing changes."))
        return Plan(Kind.GRANULE_CHANGED, before, after, granule.save)


@dataclass(frozen=True)
class GranuleRemoval:
    granule: Granule

    def plan(self, licence: Licence) -> Plan:
        granule = _granule_of(licence, self.granule)
        return Plan(Kind.GRANULE_REMOVED, granule.snapshot(), {}, granule.delete)


def _granule_check(quantity: int, valid_from: date | None, valid_until: date | None) -> None:
    if quantity is None or quantity < 1:
        raise ValidationError(_("The quantity must be at least 1."))
    _dates_check(valid_from, valid_until)


def _granule_of(licence: Licence, granule: Granule) -> Granule:
    """The granule as it is now in the database (the licence row is locked while a change is saved)."""
    current = licence.granules.select_related("module").filter(pk=granule.pk).first()
    if current is None:
        raise ValidationError(_("This module is no longer on the licence."))
    return current


type Change = TermsEdit | Suspension | Reactivation | GranuleAdd | GranuleEdit | GranuleRemoval


def last_change_id(licence: Licence) -> int:
    """The id of the licence's latest change (0 for none): a preview remembers it, so that a change confirmed
    after somebody else's is refused instead of saving over what the confirmer has not seen."""
    return licence.changes.order_by("-pk").values_list("pk", flat=True).first() or 0


def licence_change_preview(*, licence: Licence, change: Change) -> Plan:
    """What the change would do (before -> after), without writing anything; ValidationError if refused."""
    return change.plan(licence)


@transaction.atomic
def licence_change(
    *,
    licence: Licence,
    change: Change,
    by: User,
    reason: str,
    seen_change_id: int | None = None,
    ip_address: str | None = None,
) -> LicenceChange:
    """Apply one change to a licence: exactly one LicenceChange row (who, when, why, before -> after) and one
    audit event, or nothing at all."""
    reason = _reason_clean(reason)
    locked = Licence.objects.select_for_update().select_related("organization").get(pk=licence.pk)
    if seen_change_id is not None and last_change_id(locked) != seen_change_id:
        raise ValidationError(
            _("The licence was changed by somebody else meanwhile: review the change again.")
        )
    plan = change.plan(locked)
    plan.apply()
    return _change_record(locked, plan.kind, plan.before, plan.after, by, reason, ip_address)


def _reason_clean(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why the licence changes: the history keeps it."))
    check_length(reason, CHANGE_REASON_MAX)
    return reason


def _change_record(licence, kind, before, after, by, reason, ip_address) -> LicenceChange:
    change = LicenceChange.objects.create(
        licence=licence, kind=kind, by=by, reason=reason, before=before, after=after
    )
    audit_record(
        action=AuditEvent.Action.LICENCE_CHANGED,
        actor=by,
        organization=licence.organization,
        target=licence,
        details={"change": kind, "before": before, "after": after, "reason": reason},
        ip_address=ip_address,
    )
    return change


def _issue_check(organization, number: str, valid_from, valid_until, products) -> None:
    _dates_check(valid_from, valid_until)
    if not products:
        raise ValidationError(_("A licence covers at least one product."))
    if Licence.objects.filter(number=number).exists():
        raise ValidationError(_("Licence number %(number)s is taken.") % {"number": number})


def _modules(granules) -> list[dict]:
    """The modules of a new licence as its "issued" change keeps them (named in both languages)."""
    return [
        {"hr": granule.module.name_hr, "en": granule.module.name_en, "quantity": granule.quantity}
        for granule in granules
    ]


def _carried_granules(previous: Licence | None, products, copy_granules: bool) -> list[Granule]:
    """The previous licence's granules of the new licence's products (unsaved copies)."""
    if previous is None or not copy_granules:
        return []
    product_ids = {product.pk for product in products}
    return [
        Granule(module=granule.module, quantity=granule.quantity, unit=granule.unit)
        for granule in previous.granules.select_related("module")
        if granule.module.product_id in product_ids
    ]


def licence_issue_preview(
    *,
    organization: Organization,
    number: str,
    edition: str,
    valid_from: date,
    valid_until: date,
    support_until: date | None,
    products,
    copy_granules: bool = True,
) -> Plan:
    """What issuing the licence would write (the "issued" change's before and after), without writing."""
    number, products = number.strip(), list(products)
    _issue_check(organization, number, valid_from, valid_until, products)
    previous = Licence.objects.current().filter(organization=organization).first()
    after = {
        "number": number,
        "products": sorted(product.name for product in products),
        "edition": edition,
        "valid_from": valid_from.isoformat(),
        "valid_until": valid_until.isoformat(),
        "support_until": support_until.isoformat() if support_until else None,
        "is_suspended": False,
        "modules": _modules(_carried_granules(previous, products, copy_granules)),
    }
    return Plan(Kind.CREATED, {"number": previous.number} if previous else {}, after, lambda: None)


@transaction.atomic
def licence_issue(
    *,
    organization: Organization,
    number: str,
    edition: str,
    valid_from: date,
    valid_until: date,
    support_until: date | None,
    products,
    by: User | None,
    reason: str,
    copy_granules: bool = True,
    ip_address: str | None = None,
) -> Licence:
    """Issue a new current licence to the organization; its current one (if any) becomes a past licence,
    and with `copy_granules` its modules carry over. One "issued" LicenceChange row on the new licence."""
    reason = _reason_clean(reason)
    number, products = number.strip(), list(products)
    _issue_check(organization, number, valid_from, valid_until, products)
    # The organization's row is locked, so that two issues at once wait for each other (the second then
    # replaces the first's licence instead of failing on the one-current-licence constraint).
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    previous = Licence.objects.filter(organization=organization, is_current=True).first()
    if previous is not None:
        previous.is_current = False
        previous.save(update_fields=["is_current"])
    licence = Licence.objects.create(
        organization=organization,
        number=number,
        edition=edition,
        valid_from=valid_from,
        valid_until=valid_until,
        support_until=support_until,
    )
    licence.products.set(products)
    granules = _carried_granules(previous, products, copy_granules)
    for granule in granules:
        granule.licence = licence
    Granule.objects.bulk_create(granules)
    before = {"number": previous.number} if previous is not None else {}
    after = {**_terms(licence), "modules": _modules(granules)}
    _change_record(licence, Kind.CREATED, before, after, by, reason, ip_address)
    return licence


# --- Expiry reminders ---------------------------------------------------------------------------------------

# Days before a licence or its support ends when the organization's ADMINs and FIN_ADMINs are reminded.
REMINDER_DAYS = (60, 30, 7)


def reminder_threshold(days_left: int) -> int | None:
    """The reminder due with this many days left: the nearest threshold reached (so a day the task missed
    is caught up the next day, and a licence signed 20 days before its end gets the 30-day one only)."""
    if days_left < 0:
        return None
    reached = [days for days in REMINDER_DAYS if days_left <= days]
    return min(reached) if reached else None


@transaction.atomic
def reminders_claim_due(*, today: date) -> list[int]:
    """Claim the reminders due today (one unique row per licence, kind, threshold and end date) and return
    the ids of every claimed reminder not sent yet, also one whose sending was interrupted before. Running
    it twice claims nothing twice."""
    due = []
    for licence in Licence.objects.current().filter(is_suspended=False, valid_until__gte=today):
        ends = {ExpiryReminder.Kind.LICENCE: licence.valid_until}
        if licence.support_active_on(today):
            ends[ExpiryReminder.Kind.SUPPORT] = licence.support_until
        for kind, ends_on in ends.items():
            threshold = reminder_threshold((ends_on - today).days)
            if threshold is not None:
                due.append(ExpiryReminder(licence=licence, kind=kind, threshold=threshold, ends_on=ends_on))
    ExpiryReminder.objects.bulk_create(due, ignore_conflicts=True)
    return list(
        ExpiryReminder.objects.filter(sent_at__isnull=True, ends_on__gte=today)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
