"""Demo part of cases (seed_demo): a year of support history in the three demo organizations of accounts.

Every change goes through cases.services, so references, timelines, watchers, attachments and the search
index are what the portal itself makes. The services stamp everything "now"; afterwards the timestamps are
moved into the past with update(), which only demo data may do. Does nothing when the demo organizations
already hold DEMO_CASES cases or more, so seed_demo can run it on every `make run`.
"""

import random
from datetime import datetime, timedelta
from functools import partial

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from accounts.demo import ORGANIZATIONS, STAFF
from accounts.models import Membership, Organization, User
from accounts.roles import StaffGroup
from cases import demo_texts as texts
from cases import services
from cases.models import Attachment, Case, CaseEvent, CaseNumber, CaseWatcher, Category
from releases.models import Module

DEMO_CASES = 300
# Which demo organization (index in accounts.demo.ORGANIZATIONS) logs each next case: Jadran and Slavonija
# 3 in 8, Northwind 2 in 8; a fixed cycle, so that even a small demo has cases in every organization.
ORGANIZATION_CYCLE = (0, 1, 2, 0, 1, 0, 1, 2)
Status = Case.Status

# (age in days below which, {target status: weight}): the older a case, the likelier it is closed.
STATUS_MIX = [
    (2, {Status.ASSIGNED: 25, Status.IN_PROGRESS: 45, Status.WAITING: 15, Status.RESOLVED: 15}),
    (
        14,
        {
            Status.ASSIGNED: 5,
            Status.IN_PROGRESS: 18,
            Status.WAITING: 12,
            Status.RESOLVED: 25,
            Status.CLOSED: 40,
        },
    ),
    (30, {Status.IN_PROGRESS: 6, Status.WAITING: 4, Status.RESOLVED: 10, Status.CLOSED: 80}),
    (400, {Status.IN_PROGRESS: 2, Status.WAITING: 2, Status.CLOSED: 96}),
]


def minimal_pdf(text: str) -> bytes:
    """A valid one-page PDF showing one line of (ASCII) text."""
    stream = f"BT /F1 14 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    pdf, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return pdf


def office_hours(at: datetime) -> datetime:
    """The moment if it falls in office hours (Monday to Friday, 7 to 19 in Zagreb), else the same minute of
    an hour between 8 and 11 on the next working morning."""
    local = timezone.localtime(at)
    if 7 <= local.hour < 19 and local.weekday() < 5:
        return at
    if local.hour >= 19:
        local += timedelta(days=1)
    while local.weekday() >= 5:
        local += timedelta(days=1)
    return local.replace(hour=8 + local.hour % 4)


class CaseSeeder:
    """Writes one demo case at a time: plans its story, runs it through the services, then backdates it."""

    def __init__(self, *, rng: random.Random, now: datetime, dispatcher, consultants):
        self.rng = rng
        self.now = now
        self.dispatcher = dispatcher
        self.consultants = consultants
        self.categories = {category.code: category for category in Category.objects.all()}
        self.modules = {module.code: module for module in Module.objects.all()}

    def words(self, language: str) -> dict:
        rng = self.rng
        return {
            "n": f"{rng.randint(1, 9999)}/{rng.randint(1, 9)}/{rng.randint(1, 3)}",
            "version": f"2026.{rng.randint(1, 4)}.{rng.randint(0, 12)}",
            "dev": f"DEV-{rng.randint(1200, 4800)}",
            # Counts Croatian declines like 5 (not 2 to 4, which take another form).
            "count": rng.choice([5, 8, 12, 25, 40, 120]),
            "month": rng.choice(texts.MONTHS.get(language).split("|")),
        }

    def file(self, language: str) -> SimpleUploadedFile:
        rng = self.rng
        number = rng.randint(100, 999)
        match rng.choice(["log", "pdf", "csv"]):
            case "log":
                lines = [
                    f"2026-03-{day:02d} 09:{day:02d}:17 ERROR Record is locked (id {number})"
                    for day in range(1, 8)
                ]
                name = "greska.log" if language == "hr" else "error.log"
                return SimpleUploadedFile(name, "\n".join(lines).encode(), "text/plain")
            case "pdf":
                name = f"racun-{number}.pdf" if language == "hr" else f"invoice-{number}.pdf"
                return SimpleUploadedFile(name, minimal_pdf(f"Invoice {number}"), "application/pdf")
            case _:
                rows = ["sifra;naziv;kolicina"] + [f"A{number}{i};Čokolada {i};{i * 3}" for i in range(1, 6)]
                name = "artikli.csv" if language == "hr" else "items.csv"
                return SimpleUploadedFile(name, "\n".join(rows).encode(), "text/csv")

    def target_status(self, age: timedelta) -> str:
        for days, weights in STATUS_MIX:
            if age < timedelta(days=days):
                return self.rng.choices(list(weights), weights=list(weights.values()))[0]
        return Status.CLOSED

    def seed(self, *, organization, reporters, created_at: datetime) -> Case:
        rng = self.rng
        language = organization.language
        scenario = rng.choice(texts.SCENARIOS)
        words = self.words(language)
        case = services.case_create(
            organization=organization,
            reporter=rng.choice(reporters),
            category=self.categories[scenario.category],
            module=self.modules.get(scenario.module),
            priority=rng.choice(scenario.priorities),
            title=scenario.title.get(language).format(**words),
            description=scenario.description.get(language).format(**words),
            files=[self.file(language)] if scenario.category == "problem" and rng.random() < 0.25 else [],
        )
        steps = self.plan(case, scenario, language, words, self.target_status(self.now - created_at))
        self.run(case, steps, created_at)
        return case

    def plan(self, case: Case, scenario, language: str, words: dict, target: str) -> list[tuple]:
        """The case's story after its creation, up to the target status: a list of (hours after the step
        before, service call, what the step marks among the case's dates)."""
        rng = self.rng
        steps = []
        kind = "problem" if scenario.category == "problem" else "request"
        assignee, reporter = case.assignee, case.reporter

        def then(hours, call, mark=None):
            steps.append((hours, call, mark))

        def say(author, text, internal=False, files=()):
            body = text if isinstance(text, str) else text.get(language)
            return partial(
                services.case_reply,
                case=case,
                author=author,
                body=body.format(**words),
                internal=internal,
                files=files,
            )

        def status(to, by):
            return partial(services.case_change_status, case=case, to=to, by=by)

        if assignee is None or rng.random() < 0.1:  # the dispatcher gives it to someone who knows the module
            assignee = rng.choice([c for c in self.consultants if c != assignee])
            then(
                rng.uniform(0.2, 1.5),
                partial(services.case_assign, case=case, consultant=assignee, by=self.dispatcher),
            )
        if target == Status.ASSIGNED:
            return steps
        then(rng.uniform(0.1, 3), status(Status.IN_PROGRESS, assignee))
        then(rng.uniform(0.05, 0.5), say(assignee, rng.choice(texts.FIRST_RESPONSES[kind])), "response")
        if rng.random() < 0.35:
            colleague = rng.choice(self.consultants)
            if colleague != assignee and rng.random() < 0.5:
                then(rng.uniform(0.2, 4), partial(services.case_join, case=case, user=colleague))
            then(rng.uniform(0.1, 6), say(colleague, rng.choice(texts.INTERNAL_NOTES[kind]), internal=True))
        rounds = 1 if target == Status.WAITING else rng.choice([0, 0, 1, 1, 2])
        # Nobody asks (or answers) the same thing twice.
        questions, answers = (
            rng.sample(texts.QUESTIONS[kind], rounds),
            rng.sample(texts.ANSWERS[kind], rounds),
        )
        for question, answer in zip(questions, answers, strict=True):
            then(rng.uniform(0.5, 6), say(assignee, question), "response")
            then(0.02, status(Status.WAITING, assignee))
            if target == Status.WAITING and question == questions[-1]:
                return steps
            files = [self.file(language)] if kind == "problem" and rng.random() < 0.3 else []
            then(rng.uniform(2, 48), say(reporter, answer, files=files))
            then(rng.uniform(0.5, 24), say(assignee, rng.choice(texts.FOLLOW_UPS)), "response")
        if target == Status.IN_PROGRESS:
            return steps
        then(rng.uniform(1, 72), say(assignee, scenario.solution), "response")
        then(0.03, status(Status.RESOLVED, assignee), "resolved")
        if target == Status.CLOSED:
            if kind == "problem" and rng.random() < 0.08:  # the fix was incomplete: the customer reopens it
                then(rng.uniform(4, 96), status(Status.IN_PROGRESS, reporter), "reopened")
                then(0.05, say(reporter, rng.choice(texts.REOPEN_REASONS)))
                then(rng.uniform(1, 24), say(assignee, rng.choice(texts.SECOND_FIXES)), "response")
                then(0.03, status(Status.RESOLVED, assignee), "resolved")
            if rng.random() < 0.8:
                if rng.random() < 0.6:
                    then(rng.uniform(1, 72), say(reporter, rng.choice(texts.THANKS[kind])))
                then(rng.uniform(0.05, 48), status(Status.CLOSED, reporter), "closed")
            else:  # the customer never answered
                then(rng.uniform(7 * 24, 15 * 24), say(assignee, texts.STAFF_CLOSING))
                then(0.02, status(Status.CLOSED, assignee), "closed")
        return steps

    def run(self, case: Case, steps: list[tuple], created_at: datetime) -> None:
        """Run the steps, moving each one's timeline events to its planned time; then the case's dates."""
        backdate = partial(CaseEvent.objects.filter, case=case, created_at__gt=self.now)
        backdate().update(created_at=created_at)
        # A recent case's story is squeezed so that it ends a few minutes ago.
        room = (self.now - timedelta(minutes=5) - created_at).total_seconds() / 3600
        total = sum(hours for hours, _call, _mark in steps)
        scale = min(1.0, room / total) if total else 1.0
        at, limit = created_at, self.now - timedelta(minutes=5)
        dates = {"created_at": created_at, "first_response_at": None, "resolved_at": None, "closed_at": None}
        for hours, call, mark in steps:
            at = min(at + timedelta(hours=hours * scale), limit)
            if office_hours(at) <= limit:
                at = office_hours(at)
            call()
            backdate().update(created_at=at)
            if mark == "response" and dates["first_response_at"] is None:
                dates["first_response_at"] = at
            elif mark == "reopened":
                dates["resolved_at"] = dates["closed_at"] = None
            elif mark in ("resolved", "closed"):
                dates[f"{mark}_at"] = at
        Case.objects.filter(pk=case.pk).update(last_activity_at=at, **dates)


def seed() -> str:
    """Create DEMO_CASES demo cases unless the demo organizations already hold that many."""
    oibs = [row[1] for row in ORGANIZATIONS]
    organizations = sorted(Organization.objects.filter(oib__in=oibs), key=lambda org: oibs.index(org.oib))
    if len(organizations) != len(oibs):
        raise CommandError("The demo organizations are missing: the accounts part of seed_demo makes them.")
    cases = Case.objects.filter(organization__in=organizations)
    if cases.count() < DEMO_CASES:
        # The events are backdated before commit, so their notification tasks find old history and announce
        # nothing (cases.notifications.ANNOUNCE_WITHIN) except the last two days' news.
        with transaction.atomic():
            _seed(organizations, DEMO_CASES, timezone.now())
    events = CaseEvent.objects.filter(case__in=cases).count()
    attachments = Attachment.objects.filter(case__in=cases).count()
    return f"{cases.count():,} cases, {events:,} events, {attachments:,} attachments"


def _seed(organizations, count: int, now: datetime) -> list[int]:
    rng = random.Random(2026)  # the same demo every time
    emails = {group: [email for email, _name, g in STAFF if g == group] for group in StaffGroup}
    consultants = list(User.objects.filter(email__in=emails[StaffGroup.CONSULTANT]).order_by("email"))
    dispatcher = User.objects.get(email=emails[StaffGroup.DISPATCHER][0])
    numbers_before = dict(CaseNumber.objects.values_list("year", "last_number"))
    # Everybody on duty while the history is written (new cases are assigned automatically); at the
    # end consultants 1 and 2 stay available so that cases logged in the demo find someone.
    for consultant in consultants:
        services.consultant_set_availability(user=consultant, available=True)
    reporters = {}
    for organization in organizations:
        members = Membership.objects.active().filter(organization=organization).select_related("user")
        # Standard users report most cases.
        reporters[organization.pk] = [
            m.user for m in members for _ in range(3 if m.user.email.startswith("korisnik@") else 1)
        ]
    seeder = CaseSeeder(rng=rng, now=now, dispatcher=dispatcher, consultants=consultants)
    case_ids = []
    for number, created_at in enumerate(sorted(_creation_times(rng, now, count))):
        organization = organizations[ORGANIZATION_CYCLE[number % len(ORGANIZATION_CYCLE)]]
        case = seeder.seed(
            organization=organization, reporters=reporters[organization.pk], created_at=created_at
        )
        case_ids.append(case.pk)
    for consultant in consultants[2:]:
        services.consultant_set_availability(user=consultant, available=False)
    _references_renumber(case_ids, numbers_before)
    event_time = CaseEvent.objects.filter(pk=OuterRef("event_id")).values("created_at")
    Attachment.objects.filter(case__in=case_ids).update(created_at=Subquery(event_time))
    case_time = Case.objects.filter(pk=OuterRef("case_id")).values("created_at")
    CaseWatcher.objects.filter(case__in=case_ids).update(created_at=Subquery(case_time))
    return case_ids


def _creation_times(rng: random.Random, now: datetime, count: int) -> list[datetime]:
    """Creation times over the last 12 months, more of them recent, in office hours, few at weekends.
    Each takes the same random draws whatever today's date, so the demo tells the same story every day."""
    times = []
    while len(times) < count:
        day = timezone.localtime(now - timedelta(days=365 * rng.random() ** 1.5))
        weekend_work = rng.random() < 0.15
        if day.weekday() >= 5 and not weekend_work:
            day -= timedelta(days=day.weekday() - 4)  # to the Friday before
        at = day.replace(hour=rng.randint(7, 17), minute=rng.randint(0, 59), second=rng.randint(0, 59))
        if at < now - timedelta(minutes=30):
            times.append(at)
    return times


def _references_renumber(case_ids: list[int], numbers_before: dict[int, int]) -> None:
    """The services number every case in the current year; give each demo case the next number of the
    year it was (back)dated to, in date order, keeping each year's sequence without gaps."""
    cases = list(Case.objects.filter(pk__in=case_ids).order_by("created_at", "pk").only("pk", "created_at"))
    for case in cases:
        case.reference = f"TMP-{case.pk}"  # out of the way of the final numbers (unique)
    Case.objects.bulk_update(cases, ["reference"])
    last = dict(numbers_before)
    for case in cases:
        year = timezone.localtime(case.created_at).year
        last[year] = last.get(year, 0) + 1
        case.reference = f"JS-{year}-{last[year]:06d}"  # as services._allocate_reference writes them
    Case.objects.bulk_update(cases, ["reference"])
    for year, number in last.items():
        CaseNumber.objects.update_or_create(year=year, defaults={"last_number": number})
