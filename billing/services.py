"""Every write of billing: support contracts, statement generation, approval, dispute and new revisions.

A statement is computed in one transaction that holds the organization's row lock, so two generators of one
organization (a second beat, a re-run, a redelivered task) take turns and the second finds the first's
statement; the partial unique constraint "one live statement per organization and month" would refuse a
second one anyway. The PDF is rendered afterwards (statement_pdf_render), under the statement's row lock
and under a name made from the statement's number, so a re-run replaces a half-written file instead of
adding one. Approval is one conditional UPDATE (... WHERE state = 'awaiting'): of two at once, one wins.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organization
from helpdesk.limits import CASE_TEXT_MAX, check_length
from helpdesk.models import AuditEvent
from helpdesk.outbox import enqueue
from helpdesk.services import audit_record

from . import selectors
from .models import GenerationRun, OtherCharge, Statement, StatementLine, SupportContract, TimeEntry
from .money import (
    cents,
    hours_display,
    hours_of,
    money_display,
    month_display,
    month_end,
    month_start,
    vat_of,
)
from .oib import validate_oib

State = Statement.State
Kind = StatementLine.Kind

# The code of the cases category a disputed statement opens its case in (billing/migrations/0003).
BILLING_CATEGORY = "billing"


class StatementConflict(Exception):
    """The statement is no longer in the state the action needs (approved or disputed meanwhile): the
    views answer 409 with this message."""

    def __init__(self, statement: Statement):
        self.statement = statement
        super().__init__(str(self.message))

    @property
    def message(self) -> str:
        if self.statement.state == State.APPROVED:
            return _("This statement has already been approved. Approval is final; nothing was changed.")
        if self.statement.state == State.DISPUTED:
            return _(
                "This statement has been disputed and is waiting for a new revision; nothing was changed."
            )
        if self.statement.state == State.SUPERSEDED:
            return _("This statement has been replaced by a newer revision; nothing was changed.")
        return _("This statement cannot be changed now.")


# --- Support contracts --------------------------------------------------------------------------------------


def contract_terms_check(
    *, organization, oib: str, valid_from: date, valid_until: date | None, amounts
) -> None:
    """The rules of new contract terms, for the save and its preview alike: an OIB with a valid check digit,
    an end after the start, no negative amount, no contract already starting on or after `valid_from`, and
    no start in a month whose statement is approved."""
    validate_oib(oib)
    if valid_until is not None and valid_until < valid_from:
        raise ValidationError(_("The contract cannot end before it starts."), code="dates")
    if any(value < 0 for value in amounts):
        raise ValidationError(_("Amounts and hours cannot be negative."), code="negative")
    if SupportContract.objects.filter(organization=organization, valid_from__gte=valid_from).exists():
        raise ValidationError(
            _("A contract of this organization already starts on or after %(day)s; change that one instead."),
            code="overlap",
            params={"day": date_format(valid_from, "SHORT_DATE_FORMAT")},
        )
    if selectors.locked_months(organization, [valid_from]):
        raise ValidationError(
            _("The statement of %(month)s is approved; new terms can start only in a later month."),
            code="approved",
            params={"month": month_display(valid_from)},
        )


@transaction.atomic
def contract_save(
    *,
    organization: Organization,
    valid_from: date,
    monthly_fee: Decimal,
    included_hours: Decimal,
    hourly_rate: Decimal,
    sla_tier: str = SupportContract.SlaTier.STANDARD,
    valid_until: date | None = None,
    note: str = "",
    by,
) -> SupportContract:
    """Start new contract terms for the organization from `valid_from`. The contract in force then ends the
    day before (its history is kept); a contract that starts on or after `valid_from` is refused, as is an
    organization whose OIB fails the check digit (it goes on every statement and e-invoice)."""
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    contract_terms_check(
        organization=organization,
        oib=organization.oib,
        valid_from=valid_from,
        valid_until=valid_until,
        amounts=(monthly_fee, included_hours, hourly_rate),
    )
    contracts = SupportContract.objects.filter(organization=organization)
    previous = contracts.overlapping(valid_from, valid_until).order_by("-valid_from").first()
    if previous is not None:
        previous.valid_until = valid_from - timedelta(days=1)
        previous.save(update_fields=["valid_until"])
    contract = SupportContract.objects.create(
        organization=organization,
        valid_from=valid_from,
        valid_until=valid_until,
        monthly_fee=cents(monthly_fee),
        included_hours=Decimal(included_hours),
        hourly_rate=cents(hourly_rate),
        sla_tier=sla_tier,
        note=note,
        created_by=by,
    )
    audit_record(
        action=AuditEvent.Action.CONTRACT_SAVED,
        actor=by,
        organization=organization,
        target=contract,
        details={
            "valid_from": valid_from.isoformat(),
            "valid_until": valid_until.isoformat() if valid_until else None,
            "monthly_fee": str(contract.monthly_fee),
            "included_hours": str(contract.included_hours),
            "hourly_rate": str(contract.hourly_rate),
            "sla_tier": sla_tier,
            "previous_ends": previous.valid_until.isoformat() if previous else None,
        },
    )
    return contract


@transaction.atomic
def other_charge_create(
    *, organization, date: date, description: str, quantity: Decimal, unit_price: Decimal, case=None, by
) -> OtherCharge:
    """A one-off item for the organization's next statement (of its month, or the first one after)."""
    if quantity <= 0:
        raise ValidationError(_("The quantity must be more than zero."), code="quantity")
    if selectors.month_locked(organization, date):
        raise ValidationError(
            _("The statement of %(month)s is approved; date the item in a month not yet approved."),
            code="approved",
            params={"month": month_display(date)},
        )
    return OtherCharge.objects.create(
        organization=organization,
        date=date,
        description=description.strip(),
        quantity=quantity,
        unit_price=cents(unit_price),
        case=case,
        created_by=by,
    )


# --- Statement lines ----------------------------------------------------------------------------------------


@dataclass
class Line:
    """A statement line being computed, before it is saved."""

    kind: str
    description: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    entries: list = field(default_factory=list)
    other_charge: OtherCharge | None = None

    @property
    def amount(self) -> Decimal:
        return cents(self.quantity * self.unit_price)


def split_hours(entries: list[TimeEntry], included_hours: Decimal) -> tuple[Decimal, Decimal, list, list]:
    """The billable hours within the included hours and above them, with the entries behind each (in date
    order; the entry that crosses the limit belongs to both). Hours are summed in minutes and converted
    once, so twenty-minute entries do not lose a cent each."""
    total = hours_of(sum(entry.minutes for entry in entries))
    included = min(total, Decimal(included_hours))
    extra = total - included
    within, above, minutes = [], [], 0
    limit_minutes = Decimal(included_hours) * 60
    for entry in entries:
        if minutes < limit_minutes:
            within.append(entry)
        if minutes + entry.minutes > limit_minutes:
            above.append(entry)
        minutes += entry.minutes
    return included, extra, within, above


def statement_lines_compute(
    contract: SupportContract, period: date, entries: list[TimeEntry], charges: list[OtherCharge]
) -> list[Line]:
    """The lines of a month, in the active language: the fee, the included hours used, the extra hours at
    the hourly rate, then each other item."""
    month = month_display(period)
    lines = [
        Line(
            kind=Kind.MONTHLY_FEE,
            description=_("Monthly support fee (%(tier)s SLA), %(month)s")
            % {"tier": contract.get_sla_tier_display(), "month": month},
            quantity=Decimal(1),
            unit=StatementLine.Unit.MONTH,
            unit_price=contract.monthly_fee,
        )
    ]
    included, extra, within, above = split_hours(entries, contract.included_hours)
    if entries:
        lines.append(
            Line(
                kind=Kind.INCLUDED_HOURS,
                description=_("Consultant hours included in the fee (%(used)s of %(included)s h)")
                % {"used": hours_display(included), "included": hours_display(contract.included_hours)},
                quantity=included,
                unit=StatementLine.Unit.HOUR,
                unit_price=Decimal("0.00"),
                entries=within,
            )
        )
    if extra > 0:
        lines.append(
            Line(
                kind=Kind.EXTRA_HOURS,
                description=_("Consultant hours above the included hours"),
                quantity=extra,
                unit=StatementLine.Unit.HOUR,
                unit_price=contract.hourly_rate,
                entries=above,
            )
        )
    for charge in charges:
        lines.append(
            Line(
                kind=Kind.OTHER,
                description=charge.description,
                quantity=charge.quantity,
                unit=StatementLine.Unit.PIECE,
                unit_price=charge.unit_price,
                other_charge=charge,
            )
        )
    return lines


def statement_totals(lines, vat_rate) -> tuple[Decimal, Decimal, Decimal]:
    """Subtotal, VAT and total: each line rounded to cents, VAT computed once on the subtotal (as EN 16931
    computes it per VAT rate) and rounded half-up."""
    subtotal = sum((line.amount for line in lines), Decimal("0.00"))
    vat = vat_of(subtotal, vat_rate)
    return subtotal, vat, subtotal + vat


# --- Generation ---------------------------------------------------------------------------------------------


def _billable_entries(organization, period: date) -> list[TimeEntry]:
    """Billable time of the month and any logged late for an earlier month, not yet on a statement (a
    superseded statement gives its time back)."""
    return list(
        TimeEntry.objects.billable()
        .filter(organization=organization, date__lte=month_end(period), statement__isnull=True)
        .order_by("date", "created_at", "pk")
        .select_for_update(of=("self",))
    )


def _other_charges(organization, period: date) -> list[OtherCharge]:
    return list(
        OtherCharge.objects.filter(
            organization=organization, date__lte=month_end(period), statement__isnull=True
        )
        .order_by("date", "pk")
        .select_for_update(of=("self",))
    )


@transaction.atomic
def statement_generate(*, organization: Organization, period: date, by=None) -> Statement | None:
    """The organization's statement of the month: the live one if it exists (a re-run, a second beat),
    else a new revision computed from the contract, the billable time and the other items. None when no
    contract covers the month. The PDF and the notification follow in tasks (billing.tasks)."""
    period = month_start(period)
    # Generators of one organization take turns here; the second finds the first's statement.
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    live = selectors.statement_for_period(organization, period)
    if live is not None:
        return live
    contract = selectors.contract_for_period(organization, period)
    if contract is None:
        return None
    entries = _billable_entries(organization, period)
    charges = _other_charges(organization, period)
    with translation.override(organization.language):
        lines = statement_lines_compute(contract, period, entries, charges)
    subtotal, vat, total = statement_totals(lines, contract.vat_rate)
    last = Statement.objects.filter(organization=organization, period=period).aggregate(last=Max("revision"))
    statement = Statement.objects.create(
        organization=organization,
        contract=contract,
        period=period,
        revision=(last["last"] or 0) + 1,
        vat_rate=contract.vat_rate,
        subtotal=subtotal,
        vat_amount=vat,
        total=total,
        language=organization.language,
        generated_at=timezone.now(),
        generated_by=by,
    )
    _lines_save(statement, lines)
    TimeEntry.objects.filter(pk__in=[entry.pk for entry in entries]).update(statement=statement)
    OtherCharge.objects.filter(pk__in=[charge.pk for charge in charges]).update(statement=statement)
    audit_record(
        action=AuditEvent.Action.STATEMENT_GENERATED,
        actor=by,
        organization=organization,
        target=statement,
        details={"period": period.isoformat(), "revision": statement.revision, "total": str(total)},
    )
    return statement


def _lines_save(statement: Statement, lines: list[Line]) -> None:
    rows = StatementLine.objects.bulk_create(
        [
            StatementLine(
                statement=statement,
                position=position,
                kind=line.kind,
                description=line.description[:300],
                quantity=line.quantity,
                unit=line.unit,
                unit_price=line.unit_price,
                amount=line.amount,
                other_charge=line.other_charge,
            )
            for position, line in enumerate(lines, start=1)
        ]
    )
    EntryLink = StatementLine.time_entries.through
    CaseLink = StatementLine.cases.through
    entry_links, case_links = [], []
    for row, line in zip(rows, lines, strict=True):
        entry_links += [EntryLink(statementline_id=row.pk, timeentry_id=entry.pk) for entry in line.entries]
        case_ids = {entry.case_id for entry in line.entries if entry.case_id}
        if line.other_charge is not None and line.other_charge.case_id:
            case_ids.add(line.other_charge.case_id)
        case_links += [CaseLink(statementline_id=row.pk, case_id=case_id) for case_id in sorted(case_ids)]
    EntryLink.objects.bulk_create(entry_links)
    CaseLink.objects.bulk_create(case_links)


def statement_pdf_name(statement: Statement) -> str:
    """The storage name of the statement's PDF: one per statement, so a re-render replaces, never adds."""
    return f"billing/statements/{statement.period:%Y/%m}/{statement.number}.pdf"


@transaction.atomic
def statement_pdf_render(*, statement_id: int) -> Statement:
    """Render and store the statement's PDF unless it has one. The row lock makes a second renderer wait
    and then find the PDF; a renderer killed after writing the file but before its commit leaves a file that
    the next one replaces under the same name."""
    from .pdf import statement_pdf

    statement = (
        Statement.objects.select_for_update(of=("self",))
        .select_related("organization", "contract")
        .get(pk=statement_id)
    )
    if statement.pdf_sha256:
        return statement
    content = statement_pdf(statement)
    storage = statement.pdf.storage
    name = statement_pdf_name(statement)
    if storage.exists(name):
        storage.delete(name)
    saved = storage.save(name, ContentFile(content))
    statement.pdf.name = saved
    statement.pdf_sha256 = hashlib.sha256(content).hexdigest()
    statement.save(update_fields=["pdf", "pdf_sha256"])
    return statement


# --- Approval and dispute -----------------------------------------------------------------------------------


@transaction.atomic
def statement_approve(*, statement_id: int, by, ip_address: str | None = None) -> Statement:
    """Approve an awaiting statement: final, recorded with who, when, from where and the SHA-256 of the PDF
    they saw. Exactly once: the UPDATE changes the row only while it is awaiting, so of two approvals at
    once the second changes nothing and raises StatementConflict."""
    statement = Statement.objects.select_related("organization").get(pk=statement_id)
    if statement.is_awaiting and not statement.has_pdf:
        raise ValidationError(
            _("The statement's PDF is still being prepared; approve it once you can open the PDF."),
            code="no_pdf",
        )
    now = timezone.now()
    claimed = (
        Statement.objects.filter(pk=statement_id, state=State.AWAITING)
        .exclude(pdf_sha256="")
        .update(
            state=State.APPROVED,
            approved_by=by,
            approved_at=now,
            approved_ip=ip_address,
            approved_pdf_sha256=F("pdf_sha256"),
        )
    )
    statement.refresh_from_db()
    if claimed != 1:
        raise StatementConflict(statement)
    audit_record(
        action=AuditEvent.Action.STATEMENT_APPROVED,
        actor=by,
        organization=statement.organization,
        target=statement,
        details={"total": str(statement.total), "pdf_sha256": statement.approved_pdf_sha256},
        ip_address=ip_address,
    )
    return statement


DISPUTE_COMMENT_MAX = 5_000


@transaction.atomic
def statement_dispute(*, statement_id: int, by, comment: str, ip_address: str | None = None) -> Statement:
    """Dispute an awaiting statement with a comment: a billing case is opened for the vendor (reported by
    the disputing user, linked to the statement), and staff answer with a new revision."""
    from cases.models import Category
    from cases.services import case_create

    comment = comment.strip()
    if not comment:
        raise ValidationError(_("Say what is wrong with the statement."), code="required")
    check_length(comment, DISPUTE_COMMENT_MAX)
    statement = Statement.objects.select_for_update().select_related("organization").get(pk=statement_id)
    if not statement.is_awaiting:
        raise StatementConflict(statement)
    category, _created = Category.objects.get_or_create(
        code=BILLING_CATEGORY, defaults={"name_hr": "Obračun i naplata", "name_en": "Billing"}
    )
    with translation.override(by.language):
        title = _("Statement %(number)s disputed") % {"number": statement.number}
        description = _(
            "Statement %(number)s for %(month)s (total %(total)s EUR) is disputed:\n\n%(comment)s"
        ) % {
            "number": statement.number,
            "month": month_display(statement.period),
            "total": money_display(statement.total),
            "comment": comment,
        }
    check_length(description, CASE_TEXT_MAX)
    case = case_create(
        organization=statement.organization,
        reporter=by,
        category=category,
        title=title,
        description=description,
    )
    statement.state = State.DISPUTED
    statement.disputed_by = by
    statement.disputed_at = timezone.now()
    statement.dispute_comment = comment
    statement.dispute_case = case
    statement.save(update_fields=["state", "disputed_by", "disputed_at", "dispute_comment", "dispute_case"])
    audit_record(
        action=AuditEvent.Action.STATEMENT_DISPUTED,
        actor=by,
        organization=statement.organization,
        target=statement,
        details={"case": case.reference},
        ip_address=ip_address,
    )
    return statement


# --- Generation from the portal and new revisions -----------------------------------------------------------

NOT_APPROVED_TEXT = gettext_lazy(
    "The statement of %(month)s is approved; an approved statement is final and cannot be generated again."
)


@transaction.atomic
def generation_request(*, organization: Organization, period: date, by) -> GenerationRun:
    """Staff generate an organization's statement of a month now: a new statement, or a new revision of
    an awaiting or disputed one (which is superseded and stays readable). A task does the work; the run
    shows its progress."""
    period = month_start(period)
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if period > month_start(timezone.localdate()):
        raise ValidationError(
            _("A statement can be generated only for this month or an earlier one."), code="future"
        )
    if selectors.contract_for_period(organization, period) is None:
        raise ValidationError(
            _("%(organization)s has no support contract in %(month)s."),
            code="no_contract",
            params={"organization": organization.name, "month": month_display(period)},
        )
    live = selectors.statement_for_period(organization, period)
    if live is not None:
        if live.is_approved:
            raise ValidationError(NOT_APPROVED_TEXT, code="approved", params={"month": month_display(period)})
        _supersede(live, by)
    run = GenerationRun.objects.create(organization=organization, period=period, requested_by=by)
    from .tasks import statement_generate_for

    enqueue(statement_generate_for, organization.pk, period.isoformat(), run.pk)
    return run


def statement_revise(*, statement: Statement, by) -> GenerationRun:
    """Answer a dispute (or correct an awaiting statement) with a new revision of its month."""
    return generation_request(organization=statement.organization, period=statement.period, by=by)


def _supersede(statement: Statement, by) -> None:
    """The statement stays readable but no longer counts; its time and items go to the next revision."""
    Statement.objects.filter(pk=statement.pk).update(state=State.SUPERSEDED)
    TimeEntry.objects.filter(statement=statement).update(statement=None)
    OtherCharge.objects.filter(statement=statement).update(statement=None)
    audit_record(
        action=AuditEvent.Action.STATEMENT_SUPERSEDED,
        actor=by,
        organization=statement.organization,
        target=statement,
        details={"revision": statement.revision},
    )


def run_step(run_id: int | None, state: str, step: str = "", statement: Statement | None = None) -> None:
    """Record a generation run's progress for its status page (no run: the monthly schedule)."""
    if run_id is None:
        return
    values = {"state": state, "step": step[:200]}
    if statement is not None:
        values["statement"] = statement
    if state in (GenerationRun.State.DONE, GenerationRun.State.FAILED):
        values["finished_at"] = timezone.now()
    GenerationRun.objects.filter(pk=run_id).update(**values)
