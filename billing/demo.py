"""Demo part of billing (seed_demo): a support contract for every demo organization (Jadran's with a change
of terms), a year of consultant time on the demo cases and as general work (trainings, on-site days), and the
monthly statements of that year, generated through billing.services with their real lines and PDFs, each
approved by the organization's finance administrator, except Jadran's last month, which awaits approval.
Slavonija disputed one month: the vendor made the time on its own release's fault non-billable and answered
with a second revision, which was approved; the disputed revision stays readable.

Everything is written through the services and then moved into the past with update(), as the cases part
does (only demo data may do that). Safe to run again: contracts, time and each month's statement are made
only when missing.
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import partial

from django.contrib.auth.models import Group
from django.core.management.base import CommandError
from django.db.models import BigIntegerField, OuterRef, Subquery
from django.db.models.functions import Cast
from django.utils import timezone

from accounts.demo import ORGANIZATIONS, STAFF
from accounts.models import Organization, User
from accounts.roles import StaffGroup
from cases import services as case_services
from cases.models import Case, CaseEvent
from helpdesk.models import AuditEvent
from helpdesk.services import audit_trail_unlocked

from . import demo_texts as texts
from . import notifications, services, timelog
from .models import OtherCharge, Statement, StatementLine, SupportContract, TimeEntry
from .money import next_month

Status = Case.Status

# Per demo organization (its slug in accounts.demo.ORGANIZATIONS): the contracts, each (months before this
# month it started, monthly fee, included hours, hourly rate, SLA tier, note). Jadran's terms changed five
# months ago, so its contract has a history.
CONTRACTS = {
    "jadran": [
        (16, "450.00", "8", "55.00", SupportContract.SlaTier.STANDARD, "Ugovor o održavanju br. 2025-014."),
        (5, "520.00", "10", "58.00", SupportContract.SlaTier.STANDARD, "Aneks 1: više uključenih sati."),
    ],
    "slavonija": [
        (22, "820.00", "12", "52.00", SupportContract.SlaTier.PREMIUM, "Ugovor o održavanju br. 2024-031."),
    ],
    "northwind": [
        (13, "290.00", "5", "65.00", SupportContract.SlaTier.BASIC, "Support agreement SA-2025-077."),
    ],
}
MONTHS = 12  # statements of the twelve months before this one
# Who approves each organization's statements (the FIN_ADMIN demo login) and from which address
# (documentation ranges: RFC 5737).
APPROVERS = {
    "jadran": ("financije@jadran.demo", "192.0.2.41"),
    "slavonija": ("financije@slavonija.demo", "198.51.100.17"),
    "northwind": ("financije@northwind.demo", "203.0.113.88"),
}
AWAITING = ("jadran", 1)  # Jadran's statement of last month awaits approval
# Slavonija disputed one of these months (months before this one): the first that billed extra hours, so
# that the revision costs less; the last of them in any case.
DISPUTED = ("slavonija", (4, 3, 2))
# Hotfix releases a fault of which is not billed (releases.demo.RELEASES).
VERSIONS = ["2026.1.1", "2026.1.2", "2026.4"]


def _months_before(day: date, months: int) -> date:
    """The first day of the month `months` months before the day's month."""
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    """An aware moment of a local day."""
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _working_day(day: date) -> date:
    """The day, or the Monday after it when it falls at a weekend."""
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def seed() -> str:
    """Create the demo contracts, time and statements that are missing."""
    slugs = {row[1]: row[4] for row in ORGANIZATIONS}
    organizations = {slugs[org.oib]: org for org in Organization.objects.filter(oib__in=slugs)}
    if len(organizations) != len(slugs):
        raise CommandError("The demo organizations are missing: the accounts part of seed_demo makes them.")
    staff = _staff()
    today = timezone.localdate()
    # The invented history is backdated, audit events included.
    with audit_trail_unlocked():
        contracts = _contracts(organizations, staff["admin"], today)
        entries = 0
        if not TimeEntry.objects.filter(organization__in=organizations.values()).exists():
            entries = _time(organizations, staff, today)
        made = _statements(organizations, staff, today)
    shown = Statement.objects.filter(organization__in=organizations.values())
    pdfs = shown.exclude(pdf_sha256="").count()
    time_count = TimeEntry.objects.filter(organization__in=organizations.values()).count()
    return (
        f"{SupportContract.objects.filter(organization__in=organizations.values()).count()} contracts "
        f"({contracts} new), {time_count:,} time entries ({entries} new), {shown.count()} statements "
        f"({made} new, {pdfs} PDFs, {shown.filter(state=Statement.State.AWAITING).count()} awaiting approval)"
    )


def _staff() -> dict:
    emails = {group: [email for email, _name, g in STAFF if g == group] for group in StaffGroup}
    admin = User.objects.filter(groups__in=Group.objects.filter(name=StaffGroup.VENDOR_ADMIN)).first()
    consultants = list(User.objects.filter(email__in=emails[StaffGroup.CONSULTANT]).order_by("email"))
    dispatcher = User.objects.filter(email__in=emails[StaffGroup.DISPATCHER]).first()
    if admin is None or not consultants:
        raise CommandError("The billing demo needs the demo staff: the accounts part makes them.")
    return {"admin": admin, "consultants": consultants, "dispatcher": dispatcher}


# --- Contracts ----------------------------------------------------------------------------------------------


def _contracts(organizations: dict, admin, today: date) -> int:
    made = 0
    for slug, terms in CONTRACTS.items():
        organization = organizations[slug]
        if SupportContract.objects.filter(organization=organization).exists():
            continue
        for months, fee, hours, rate, tier, note in terms:
            valid_from = _months_before(today, months)
            contract = services.contract_save(
                organization=organization,
                valid_from=valid_from,
                monthly_fee=Decimal(fee),
                included_hours=Decimal(hours),
                hourly_rate=Decimal(rate),
                sla_tier=tier,
                note=note,
                by=admin,
            )
            signed = _at(_working_day(valid_from - timedelta(days=12)), 11)
            SupportContract.objects.filter(pk=contract.pk).update(created_at=signed)
            _audit_backdate(contract, AuditEvent.Action.CONTRACT_SAVED, signed)
            made += 1
    return made


# --- Consultant time ----------------------------------------------------------------------------------------


def _time(organizations: dict, staff: dict, today: date) -> int:
    """A year of time: a few entries on each demo case that was worked on, and general work every few months
    (trainings, on-site days with their travel costs). Written through billing.timelog, then backdated."""
    rng = random.Random(2026)  # the same demo every time
    first_day = _months_before(today, MONTHS)
    consultants = staff["consultants"]
    logged = []  # (entry, when it was logged)
    cases = (
        Case.objects.filter(organization__in=organizations.values(), created_at__date__gte=first_day)
        .exclude(status__in=[Status.NEW, Status.ASSIGNED])
        .select_related("organization", "category", "module", "assignee")
        .order_by("created_at", "pk")
    )
    for case in cases:
        for entry_day, entry in _case_time(case, consultants, rng, today):
            logged.append((entry, _logged_at(entry_day, case.created_at, rng)))
    for index, organization in enumerate(organizations.values()):
        logged += _general_time(organization, index, consultants, staff["admin"], rng, today, first_day)
    now = timezone.now()
    for entry, when in logged:
        entry.created_at = entry.updated_at = min(when, now - timedelta(minutes=10))
    TimeEntry.objects.bulk_update([entry for entry, _when in logged], ["created_at", "updated_at"])
    created = TimeEntry.objects.filter(pk=OuterRef("target_id_int")).values("created_at")[:1]
    AuditEvent.objects.filter(
        action=AuditEvent.Action.TIME_LOGGED, organization__in=organizations.values()
    ).annotate(target_id_int=Cast("target_id", BigIntegerField())).update(created_at=Subquery(created))
    return len(logged)


def _case_time(case: Case, consultants: list, rng: random.Random, today: date):
    """The entries of one case, logged by its consultant (now and then a colleague), between its creation
    and its resolution; on a fault of our own release, not billed."""
    language = case.organization.language
    category = case.category.code if case.category.code in texts.CASE_WORK else "other"
    if case.module is not None:
        module = case.module.name_en if language == "en" else case.module.name_hr
    else:
        module = "the ERP" if language == "en" else "ERP"
    start = timezone.localtime(case.created_at).date()
    end_at = case.closed_at or case.resolved_at or case.last_activity_at or case.created_at
    end = min(timezone.localtime(end_at).date(), today)
    count = rng.choice({"problem": [1, 1, 1, 2, 2, 3], "question": [1, 1, 2]}.get(category, [1, 1, 2]))
    not_billed = category == "problem" and rng.random() < 0.08
    minutes_options, weights = zip(*texts.CASE_DURATIONS, strict=True)
    entries = []
    for _number in range(count):
        day = start + timedelta(days=rng.randint(0, max(0, (end - start).days)))
        if day.weekday() >= 5 and day - timedelta(days=day.weekday() - 4) >= start:
            day -= timedelta(days=day.weekday() - 4)  # to the Friday before
        consultant = case.assignee if case.assignee in consultants else rng.choice(consultants)
        if rng.random() < 0.15:
            consultant = rng.choice(consultants)
        version = rng.choice(VERSIONS)
        if not_billed:
            hr, en, note = texts.NOT_BILLED
        else:
            hr, en = rng.choice(texts.CASE_WORK[category])
            note = rng.choice(texts.INTERNAL_NOTES) if rng.random() < 0.15 else ""
        description = (en if language == "en" else hr).format(module=module, version=version)
        entry = timelog.time_entry_log(
            by=consultant,
            day=day,
            minutes=rng.choices(minutes_options, weights=weights)[0],
            description=description,
            is_billable=not not_billed,
            internal_note=note.format(version=version),
            case=case,
        )
        entries.append((day, entry))
    return entries


def _logged_at(day: date, case_created: datetime, rng: random.Random) -> datetime:
    """Consultants log their time at the end of the working day; never before the case existed."""
    at = _at(day, rng.randint(15, 18), rng.randint(0, 59))
    return max(at, case_created + timedelta(minutes=rng.randint(20, 90)))


def _general_time(organization, index: int, consultants, admin, rng, today: date, first_day: date) -> list:
    logged = []
    language = organization.language
    for month in range(MONTHS + 1):
        period = _months_before(today, MONTHS - month)
        for number, (minutes, hr, en, every) in enumerate(texts.GENERAL_WORK):
            if (month + index + number) % every:
                continue
            day = _working_day(period + timedelta(days=rng.randint(4, 20)))
            if day >= today or day < first_day:
                continue
            entry = timelog.time_entry_log(
                by=rng.choice(consultants),
                day=day,
                minutes=minutes,
                description=en if language == "en" else hr,
                organization=organization,
            )
            logged.append((entry, _at(day, 17, rng.randint(0, 59))))
            if minutes >= 8 * 60:  # an on-site day: the travel goes on the statement too
                travel_hr, travel_en, amount = texts.TRAVEL
                charge = services.other_charge_create(
                    organization=organization,
                    date=day,
                    description=travel_en if language == "en" else travel_hr,
                    quantity=Decimal(1),
                    unit_price=Decimal(amount),
                    by=admin,
                )
                OtherCharge.objects.filter(pk=charge.pk).update(created_at=_at(day, 18))
    return logged


# --- Statements ---------------------------------------------------------------------------------------------


def _statements(organizations: dict, staff: dict, today: date) -> int:
    """Each month's statement in date order (a statement bills the time not yet billed up to its month's
    end), generated as the monthly schedule does at 02:00 on the 1st, its PDF rendered, then approved a few
    working days later; one awaiting and one disputed with its revision."""
    rng = random.Random(4)
    made = 0
    for months_back in range(MONTHS, 0, -1):
        period = _months_before(today, months_back)
        for slug, organization in organizations.items():
            if Statement.objects.filter(organization=organization, period=period).exists():
                continue
            statement = services.statement_generate(organization=organization, period=period)
            if statement is None:
                continue
            made += 1
            generated = _at(next_month(period), 2, 0) + timedelta(seconds=len(slug))
            statement = _render(statement, generated)
            if (slug, months_back) == AWAITING:
                # As the monthly task does: its approvers are told (in-app; seed_demo sends no e-mail).
                notifications.statement_ready_notify(statement)
                continue
            approver, address = APPROVERS[slug]
            approver = User.objects.get(email=approver)
            if _disputes(slug, months_back, statement):
                revision, generated = _dispute(statement, approver, address, staff, generated)
                made += revision != statement
                statement = revision
            _approve(statement, approver, address, generated, rng)
    return made


def _disputes(slug: str, months_back: int, statement: Statement) -> bool:
    """Whether the organization disputes this statement (see DISPUTED): once, and only where it matters."""
    disputing, months = DISPUTED
    if slug != disputing or months_back not in months:
        return False
    if Statement.objects.filter(organization=statement.organization, revision__gt=1).exists():
        return False
    extra = statement.lines.filter(kind=StatementLine.Kind.EXTRA_HOURS).exists()
    return extra or months_back == months[-1]


def _render(statement: Statement, generated: datetime) -> Statement:
    statement = services.statement_pdf_render(statement_id=statement.pk)
    Statement.objects.filter(pk=statement.pk).update(generated_at=generated, created_at=generated)
    _audit_backdate(statement, AuditEvent.Action.STATEMENT_GENERATED, generated)
    return statement


def _approve(statement: Statement, approver, address: str, generated: datetime, rng) -> None:
    day = _working_day(timezone.localtime(generated).date() + timedelta(days=rng.randint(2, 7)))
    planned = _at(day, rng.randint(8, 14), rng.randint(0, 59))
    # Last month's statement was generated this morning: approved since, not in the future.
    when = max(generated + timedelta(minutes=7), min(planned, timezone.now() - timedelta(minutes=15)))
    services.statement_approve(statement_id=statement.pk, by=approver, ip_address=address)
    Statement.objects.filter(pk=statement.pk).update(approved_at=when)
    _audit_backdate(statement, AuditEvent.Action.STATEMENT_APPROVED, when)


def _dispute(statement: Statement, customer, address: str, staff: dict, generated: datetime):
    """The customer disputes the time billed on a fault of the vendor's release; the vendor agrees, makes
    that time non-billable and generates revision 2. Returns the new revision and when it was made."""
    entries = list(statement.time_entries.filter(case__category__code="problem").select_related("case"))
    if not entries:
        entries = list(statement.time_entries.exclude(case=None).select_related("case"))
    if not entries:
        return statement, generated
    by_case = {}
    for entry in entries:
        by_case.setdefault(entry.case, []).append(entry)
    case, disputed = max(by_case.items(), key=lambda item: sum(entry.minutes for entry in item[1]))
    hours = (Decimal(sum(entry.minutes for entry in disputed)) / 60).quantize(Decimal("0.01"))
    start = timezone.now()
    times = iter(_dispute_times(generated))
    disputed_at = next(times)
    statement = services.statement_dispute(
        statement_id=statement.pk,
        by=customer,
        comment=texts.DISPUTE_COMMENT.format(hours=str(hours).replace(".", ","), reference=case.reference),
        ip_address=address,
    )
    Statement.objects.filter(pk=statement.pk).update(disputed_at=disputed_at)
    _audit_backdate(statement, AuditEvent.Action.STATEMENT_DISPUTED, disputed_at)
    dispute_case = statement.dispute_case
    Case.objects.filter(pk=dispute_case.pk).update(created_at=disputed_at)
    CaseEvent.objects.filter(case=dispute_case, created_at__gte=start).update(created_at=disputed_at)

    answered_at = next(times)
    hr, _en, note = texts.NOT_BILLED
    for entry in disputed:
        timelog.time_entry_update(
            entry=entry,
            by=staff["admin"],
            day=entry.date,
            minutes=entry.minutes,
            description=entry.description,
            is_billable=False,
            internal_note=note,
        )
    TimeEntry.objects.filter(pk__in=[entry.pk for entry in disputed]).update(updated_at=answered_at)
    run = services.statement_revise(statement=statement, by=staff["admin"])
    # The task that the request enqueued runs after this part commits; the revision is made now so that it
    # can be approved here, and the task then finds it (statement_generate returns the live revision).
    revision = services.statement_generate(
        organization=statement.organization, period=statement.period, by=staff["admin"]
    )
    services.run_step(run.pk, run.State.DONE, statement=revision)
    revision = _render(revision, answered_at)
    Statement.objects.filter(pk=revision.pk).update(generated_by=staff["admin"])
    _audit_backdate(statement, AuditEvent.Action.STATEMENT_SUPERSEDED, answered_at)
    _dispute_case_answer(dispute_case, case.reference, customer, staff, answered_at, next(times))
    return revision, answered_at


def _dispute_times(generated: datetime) -> list[datetime]:
    """When the customer disputed, the vendor answered and the customer confirmed."""
    disputed = _at(_working_day(timezone.localtime(generated).date() + timedelta(days=3)), 9, 40)
    answered = _at(_working_day(disputed.date() + timedelta(days=2)), 13, 15)
    confirmed = _at(_working_day(answered.date() + timedelta(days=1)), 10, 5)
    return [disputed, answered, confirmed]


def _dispute_case_answer(
    case: Case, reference: str, customer, staff: dict, answered_at, confirmed_at
) -> None:
    """The billing case of the dispute: answered and resolved by its consultant, closed by the customer;
    each step moved to its time."""
    case.refresh_from_db()
    if case.assignee is None:  # nobody was on duty: the dispatcher gives it to a consultant
        _at_time(answered_at, case, partial(
            case_services.case_assign, case=case, consultant=staff["consultants"][0], by=staff["dispatcher"]
        ))  # fmt: skip
        case.refresh_from_db()
    answer = texts.DISPUTE_ANSWER.format(reference=reference)
    _at_time(
        answered_at, case, partial(case_services.case_reply, case=case, author=case.assignee, body=answer)
    )
    resolve = partial(case_services.case_change_status, case=case, to=Status.RESOLVED, by=case.assignee)
    _at_time(answered_at, case, resolve)
    thanks = partial(case_services.case_reply, case=case, author=customer, body=texts.DISPUTE_THANKS)
    _at_time(confirmed_at, case, thanks)
    close = partial(case_services.case_change_status, case=case, to=Status.CLOSED, by=customer)
    _at_time(confirmed_at, case, close)
    Case.objects.filter(pk=case.pk).update(
        first_response_at=answered_at,
        resolved_at=answered_at,
        closed_at=confirmed_at,
        last_activity_at=confirmed_at,
    )


def _at_time(when: datetime, case: Case, step) -> None:
    """Run a step of the case and move the timeline events it wrote to `when`."""
    start = timezone.now()
    step()
    CaseEvent.objects.filter(case=case, created_at__gte=start).update(created_at=when)


def _audit_backdate(target, action: str, when: datetime) -> None:
    AuditEvent.objects.filter(
        action=action, target_type=target._meta.label_lower, target_id=str(target.pk)
    ).update(created_at=when)
