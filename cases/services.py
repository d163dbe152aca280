"""Every change to a case: creation, replies, the status workflow, assignment, joining and watching.

Each function is one transaction, records its timeline event and enqueues notifications after commit.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk import outbox
from helpdesk.files import file_facts, staged_claim, validate_upload
from helpdesk.fulltext import SEARCH_CONFIG
from helpdesk.limits import CASE_TEXT_MAX, TOO_LONG_CASE_TEXT, check_length
from helpdesk.permissions import has_org_perm, is_staff

from . import tasks
from .models import Attachment, Case, CaseEvent, CaseWatcher, ConsultantStatus

Status = Case.Status
REOPEN_DAYS = 14

# The workflow: (from, to) -> who may make that move. "staff" works the case, "customer" is its
# organization's user, "system" is the portal itself (by=None): monitoring resolves the case an incident
# opened once the component is OK again, and reopens it when the component fails again soon after
# (monitoring/incidents.py); an unassigned case goes back to the queue. Assignment (new -> assigned)
# happens only through case_assign.
TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    (Status.NEW, Status.RESOLVED): frozenset({"system"}),
    (Status.ASSIGNED, Status.IN_PROGRESS): frozenset({"staff"}),
    (Status.ASSIGNED, Status.WAITING): frozenset({"staff"}),
    (Status.ASSIGNED, Status.RESOLVED): frozenset({"staff", "system"}),
    (Status.IN_PROGRESS, Status.WAITING): frozenset({"staff"}),
    (Status.IN_PROGRESS, Status.RESOLVED): frozenset({"staff", "system"}),
    (Status.WAITING, Status.IN_PROGRESS): frozenset({"staff", "customer"}),
    (Status.WAITING, Status.RESOLVED): frozenset({"staff", "system"}),
    # The customer confirms the resolution (or staff close it); the customer may reopen within 14 days.
    (Status.RESOLVED, Status.CLOSED): frozenset({"staff", "customer"}),
    (Status.RESOLVED, Status.IN_PROGRESS): frozenset({"customer", "system"}),
    (Status.CLOSED, Status.IN_PROGRESS): frozenset({"customer", "system"}),
    (Status.RESOLVED, Status.NEW): frozenset({"system"}),
    (Status.CLOSED, Status.NEW): frozenset({"system"}),
    # A customer may withdraw a case that is still open.
    (Status.NEW, Status.CLOSED): frozenset({"customer"}),
    (Status.ASSIGNED, Status.CLOSED): frozenset({"customer", "staff"}),
    (Status.IN_PROGRESS, Status.CLOSED): frozenset({"customer", "staff"}),
    (Status.WAITING, Status.CLOSED): frozenset({"customer", "staff"}),
}


def actor_side(user) -> str:
    if user is None:
        return "system"
    return "staff" if is_staff(user) else "customer"


def allowed_transitions(case: Case, user, now=None) -> list[str]:
    """The statuses this user (None: the portal itself) may move the case to now (for buttons and for the
    rule check alike)."""
    side = actor_side(user)
    allowed = [to for (frm, to), sides in TRANSITIONS.items() if frm == case.status and side in sides]
    if case.status in (Status.RESOLVED, Status.CLOSED):
        now = now or timezone.now()
        if case.resolved_at is None or now - case.resolved_at > timedelta(days=REOPEN_DAYS):
            allowed = [to for to in allowed if to not in (Status.IN_PROGRESS, Status.NEW)]
    return allowed


def _allocate_reference(year: int) -> str:
    """The next number of the year. The row stays locked until the creating transaction ends, so numbers
    are unique and, since a rolled-back creation also rolls back its increment, without gaps."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO cases_casenumber (year, last_number) VALUES (%s, 1) "
            "ON CONFLICT (year) DO UPDATE SET last_number = cases_casenumber.last_number + 1 "
            "RETURNING last_number",
            [year],
        )
        number = cursor.fetchone()[0]
    return f"JS-{year}-{number:06d}"


# PostgreSQL refuses a tsvector over 1 MB, and a case's vector grows with every public reply. Each text adds
# at most INDEX_CHARS characters, whose vector is at most about 10.5 bytes a character (the worst measured:
# distinct hyphenated CJK words; ordinary prose is under 1, 100,000 distinct URLs 2.5), so 210 KB; a text is
# added only while the vector stays within SEARCH_VECTOR_MAX_BYTES, so it never comes near 1 MB. Title and
# description come first and are always indexed; the replies of a case that long beyond that bound are not.
INDEX_CHARS = CASE_TEXT_MAX
SEARCH_VECTOR_MAX_BYTES = 512 * 1024


def _index_text(case_id: int, text: str, weight: str) -> None:
    """Add text to the case's full-text vector (title, description, public replies; never notes)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH grown AS (SELECT coalesce(search_vector, ''::tsvector) "
            "  || setweight(to_tsvector(%s::regconfig, left(%s, %s)), %s) AS vector "
            "  FROM cases_case WHERE id = %s FOR UPDATE) "
            "UPDATE cases_case SET search_vector = grown.vector FROM grown "
            "WHERE cases_case.id = %s AND pg_column_size(grown.vector) <= %s",
            [SEARCH_CONFIG, text, INDEX_CHARS, weight, case_id, case_id, SEARCH_VECTOR_MAX_BYTES],
        )


def _event(case: Case, kind: str, author, *, body: str = "", internal: bool = False, **data) -> CaseEvent:
    event = CaseEvent.objects.create(
        case=case, kind=kind, author=author, body=body, is_internal=internal, data=data
    )
    outbox.enqueue(tasks.case_event_notify, event.pk)
    return event


def _store_files(
    case: Case, event: CaseEvent, files, staged, by, *, internal: bool = False
) -> list[Attachment]:
    stored = []
    for upload in files:
        validate_upload(upload, by=by)
        facts = file_facts(upload)
        attachment = Attachment(case=case, event=event, uploaded_by=by, is_internal=internal, **facts)
        attachment.file.save(facts["storage_key"], upload, save=False)
        attachment.save()
        stored.append(attachment)
    for upload in staged:
        fields = staged_claim(upload, by=by)
        stored.append(
            Attachment.objects.create(case=case, event=event, uploaded_by=by, is_internal=internal, **fields)
        )
    if stored and not internal and not case.has_attachments:
        Case.objects.filter(pk=case.pk).update(has_attachments=True)
        case.has_attachments = True
    return stored


@transaction.atomic
def case_create(
    *,
    organization,
    reporter,
    category,
    title: str,
    description: str,
    priority: str = Case.Priority.NORMAL,
    module=None,
    files=(),
    staged=(),
) -> Case:
    """Log a case with a gap-free reference, its attachments and timeline, and hand it to a consultant."""
    check_length(description, CASE_TEXT_MAX, TOO_LONG_CASE_TEXT)
    now = timezone.now()
    case = Case.objects.create(
        reference=_allocate_reference(timezone.localtime(now).year),
        organization=organization,
        reporter=reporter,
        category=category,
        module=module,
        priority=priority,
        title=title.strip(),
        description=description,
        created_at=now,
        last_activity_at=now,
    )
    event = _event(case, CaseEvent.Kind.CREATED, reporter)
    _store_files(case, event, files, staged, reporter)
    CaseWatcher.objects.get_or_create(case=case, user=reporter)
    _index_text(case.pk, case.title, "A")
    _index_text(case.pk, case.description, "B")
    case_auto_assign(case=case)
    return case


def _consultant_loads():
    """Available consultants with their number of open cases, least loaded and longest idle first."""
    open_cases = (
        Case.objects.filter(assignee=OuterRef("user_id"))
        .open()
        .order_by()
        .values("assignee")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        ConsultantStatus.objects.filter(is_available=True, user__is_active=True)
        .annotate(load=Coalesce(Subquery(open_cases), 0))
        .order_by("load", "idle_since", "user_id")
    )


def _pick_consultant() -> ConsultantStatus | None:
    """Lock and return the best available consultant. Concurrent assignments skip a row another one holds,
    so two cases created at once take two different least-loaded slots; only when every available row is
    held do we wait for one. A consultant switching to away takes the same lock, so is never picked after."""
    picked = _consultant_loads().select_for_update(skip_locked=True, of=("self",)).first()
    if picked is None and ConsultantStatus.objects.filter(is_available=True).exists():
        picked = _consultant_loads().select_for_update(of=("self",)).first()
    return picked


def case_auto_assign(*, case: Case) -> Case:
    """Give a new, unassigned case to the least loaded available consultant, or leave it in the queue."""
    if case.status != Status.NEW or case.assignee_id is not None:
        return case
    picked = _pick_consultant()
    if picked is None:
        return case
    return _assign(case, picked.user, by=None)


def _assign(case: Case, consultant, *, by) -> Case:
    previous = case.assignee
    case.assignee = consultant
    if case.status == Status.NEW:
        case.status = Status.ASSIGNED
    case.last_activity_at = timezone.now()
    case.save(update_fields=["assignee", "status", "last_activity_at"])
    ConsultantStatus.objects.filter(user=consultant).update(idle_since=timezone.now())
    CaseWatcher.objects.get_or_create(
        case=case, user=consultant, defaults={"kind": CaseWatcher.Kind.PARTICIPANT}
    )
    _event(
        case,
        CaseEvent.Kind.ASSIGNMENT,
        by,
        assignee=consultant.pk,
        assignee_name=str(consultant),
        previous=previous.pk if previous else None,
        automatic=by is None,
    )
    return case


@transaction.atomic
def case_assign(*, case: Case, consultant, by) -> Case:
    """Assign (or reassign) a case by hand; the consultant must be vendor staff who works cases."""
    if not (consultant.is_active and consultant.has_perm("cases.work_case")):
        raise ValidationError(_("%(name)s cannot work on cases.") % {"name": consultant})
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not case.is_open:
        raise ValidationError(_("A resolved or closed case cannot be assigned."))
    if case.assignee_id == consultant.pk:
        return case
    return _assign(case, consultant, by=by)


@transaction.atomic
def queue_assign_waiting(*, limit: int = 200) -> int:
    """Hand the cases waiting in the queue, oldest first, to available consultants. Returns how many."""
    assigned = 0
    waiting = Case.objects.filter(status=Status.NEW, assignee__isnull=True).order_by("created_at")
    for case in waiting.select_for_update(skip_locked=True)[:limit]:
        if case_auto_assign(case=case).assignee_id is None:
            break
        assigned += 1
    return assigned


@transaction.atomic
def consultant_set_availability(*, user, available: bool) -> ConsultantStatus:
    """Switch a consultant between available and away; becoming available takes waiting cases."""
    status, _created = ConsultantStatus.objects.get_or_create(user=user)
    status = ConsultantStatus.objects.select_for_update().get(pk=status.pk)
    if status.is_available != available:
        status.is_available = available
        if available:
            status.idle_since = timezone.now()
        status.save(update_fields=["is_available", "idle_since"])
        if available:
            outbox.enqueue(tasks.queue_assign)
    return status


def may_see_internal(user) -> bool:
    """Internal notes (and their files) are for the vendor's people only."""
    return user.has_perm("cases.view_internal")


def reply_refusal(case: Case, user, *, internal: bool = False) -> str | None:
    """Why the user may not add this reply (or internal note) to the case now; None when they may."""
    if not has_org_perm(user, "cases.reply_case", case.organization):
        return _("You may not reply to this case.")
    if internal:
        return None if may_see_internal(user) else _("Only support staff can write internal notes.")
    if case.status == Status.CLOSED:
        return _("This case is closed. Reopen it to continue the conversation.")
    return None


def may_reply(case: Case, user, *, internal: bool = False) -> bool:
    return reply_refusal(case, user, internal=internal) is None


@transaction.atomic
def case_reply(*, case: Case, author, body: str, internal: bool = False, files=(), staged=()) -> CaseEvent:
    """Add a public reply or (staff only) an internal note, with attachments."""
    if not body.strip() and not files and not staged:
        raise ValidationError(_("Write a reply or attach a file."))
    check_length(body, CASE_TEXT_MAX, TOO_LONG_CASE_TEXT)
    case = Case.objects.select_for_update().select_related("organization").get(pk=case.pk)
    refusal = reply_refusal(case, author, internal=internal)
    if refusal:
        raise ValidationError(refusal)
    staff = is_staff(author)
    kind = CaseEvent.Kind.NOTE if internal else CaseEvent.Kind.REPLY
    event = _event(case, kind, author, body=body.strip(), internal=internal)
    _store_files(case, event, files, staged, author, internal=internal)
    now = timezone.now()
    fields = {"last_activity_at": now}
    if not internal:
        _index_text(case.pk, body, "C")
        if staff and case.first_response_at is None:
            fields["first_response_at"] = now
        if not staff and case.status == Status.WAITING:
            fields["status"] = Status.IN_PROGRESS
            _event(case, CaseEvent.Kind.STATUS, author, old=case.status, new=Status.IN_PROGRESS)
    Case.objects.filter(pk=case.pk).update(**fields)
    return event


@transaction.atomic
def case_change_status(*, case: Case, to: str, by, note: str = "") -> Case:
    """Move the case along the workflow; a move the user (None: the portal itself) may not make is refused
    here, not only hidden."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if to not in allowed_transitions(case, by):
        raise ValidationError(
            _("A case cannot go from “%(old)s” to “%(new)s”.")
            % {"old": Status(case.status).label, "new": Status(to).label if to in Status.values else to}
        )
    now = timezone.now()
    old = case.status
    case.status = to
    case.last_activity_at = now
    if to == Status.RESOLVED:
        case.resolved_at = now
    elif to == Status.CLOSED:
        case.closed_at = now
    elif old in (Status.RESOLVED, Status.CLOSED):  # reopened
        case.resolved_at = None
        case.closed_at = None
    case.save()
    _event(case, CaseEvent.Kind.STATUS, by, body=note.strip(), old=old, new=to)
    return case


@transaction.atomic
def case_join(*, case: Case, user) -> CaseWatcher:
    """A consultant joins a case: becomes a participant and is notified from then on."""
    watcher, created = CaseWatcher.objects.get_or_create(
        case=case, user=user, defaults={"kind": CaseWatcher.Kind.PARTICIPANT}
    )
    if created or watcher.kind != CaseWatcher.Kind.PARTICIPANT:
        watcher.kind = CaseWatcher.Kind.PARTICIPANT
        watcher.save(update_fields=["kind"])
        _event(case, CaseEvent.Kind.JOIN, user)
    return watcher


@transaction.atomic
def case_watch(*, case: Case, user, watch: bool) -> None:
    """Start or stop watching a case (notifications about its replies and status)."""
    if watch:
        CaseWatcher.objects.get_or_create(case=case, user=user)
    else:
        CaseWatcher.objects.filter(case=case, user=user).delete()


@transaction.atomic
def case_mute(*, case: Case, user, muted: bool) -> CaseWatcher:
    """Silence (or restore) notifications of one case for one person, whatever their role on it."""
    watcher, _created = CaseWatcher.objects.get_or_create(case=case, user=user)
    watcher.is_muted = muted
    watcher.save(update_fields=["is_muted"])
    return watcher
