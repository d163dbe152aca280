"""Reads of cases shared by views, tasks, exports and the benchmark. Visibility is decided only here."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import pgettext

from accounts.models import Membership, Organization
from helpdesk.permissions import get_visible_or_404, has_org_perm, organization_scope
from licensing import selectors as licensing_selectors

from .models import Attachment, Case, CaseEvent, CaseWatcher


def cases_visible_to(user) -> QuerySet[Case]:
    """Every case the user may see, filtered in SQL: staff see all; a customer sees every case of the
    organizations where they see everything, and elsewhere, where the organization shows its standard
    users only their own cases, their own and watched cases."""
    see_all = organization_scope(user, "cases.view_all_org_cases")
    if see_all.everywhere:
        return Case.objects.all()
    member = organization_scope(user, "cases.view_org_cases")
    if not member:
        return Case.objects.none()
    # Organizations are few (thousands at most); their ids keep the case filter on the indexed column.
    restricted = Organization.objects.filter(standard_users_see_own_cases_only=True)
    restricted_ids = set(member.filter(restricted, field="pk").values_list("pk", flat=True)) - see_all.ids
    if member.everywhere:  # view_org_cases held globally: every organization but the restricted ones
        scope = ~Q(organization_id__in=sorted(restricted_ids)) if restricted_ids else Q()
    else:
        scope = Q(organization_id__in=sorted(see_all.ids | (member.ids - restricted_ids)))
    if restricted_ids:
        watched = CaseWatcher.objects.filter(case=OuterRef("pk"), user=user)
        scope |= Q(organization_id__in=sorted(restricted_ids)) & (Q(reporter=user) | Exists(watched))
    return Case.objects.filter(scope)


def get_case_for(user, reference: str, perm: str | None = None) -> Case:
    """The case if the user may see it (else 404, hiding its existence), and do `perm` on it (else 403)."""
    case = get_visible_or_404(cases_visible_to(user).for_detail(), reference=reference)
    if perm is not None and not has_org_perm(user, perm, case.organization):
        raise PermissionDenied(perm)
    return case


def case_timeline(case: Case, *, include_internal: bool) -> list[CaseEvent]:
    """The case's events in order, with their authors and attachments; internal ones only for staff."""
    events = case.events.select_related("author").prefetch_related(
        Prefetch("attachments", queryset=Attachment.objects.order_by("pk"))
    )
    if not include_internal:
        events = events.filter(is_internal=False)
    return list(events.order_by("created_at", "pk"))


def case_watch_state(case: Case, user) -> CaseWatcher | None:
    return CaseWatcher.objects.filter(case=case, user=user).first()


def attachments_visible(case: Case, *, include_internal: bool) -> QuerySet[Attachment]:
    attachments = case.attachments.all()
    return attachments if include_internal else attachments.filter(is_internal=False)


@dataclass(frozen=True)
class LicenceBadge:
    """What staff see beside a case: whether its organization licenses the case's module, with support."""

    tone: str  # the Bootstrap colour of the badge
    label: str


def _licence_badge(module_id: int | None, facts) -> LicenceBadge:
    if module_id is not None and not (facts and facts.covers(module_id)):
        return LicenceBadge("danger", pgettext("licence badge", "Not licensed"))
    if facts is None:  # no module named, and no current licence either
        return LicenceBadge("secondary", pgettext("licence badge", "No licence"))
    if module_id is None:
        if facts.support_active:
            return LicenceBadge("success", pgettext("licence badge", "Support active"))
        return LicenceBadge("warning", pgettext("licence badge", "Support expired"))
    if facts.support_active:
        return LicenceBadge("success", pgettext("licence badge", "Licensed · support active"))
    return LicenceBadge("warning", pgettext("licence badge", "Licensed · support expired"))


def licence_badges_add(cases: Iterable[Case]) -> None:
    """Give each case its `licence_badge` (for staff's lists and case page), reading the licences of all
    their organizations in one query, however many cases and organizations the page shows."""
    cases = list(cases)
    if not cases:
        return
    facts = licensing_selectors.licence_facts({case.organization_id for case in cases})
    for case in cases:
        case.licence_badge = _licence_badge(case.module_id, facts.get(case.organization_id))


QUEUE_LIMIT = 50


def queue_sections(*, now, with_recent: bool = True) -> dict:
    """The first-line queue: cases waiting for a consultant (oldest first), then the latest arrivals."""
    cases = Case.objects.for_list()
    sections = {
        "waiting": list(cases.filter(status=Case.Status.NEW).order_by("created_at", "pk")[:QUEUE_LIMIT])
    }
    if with_recent:
        sections["recent"] = list(
            cases.filter(created_at__gte=now - timedelta(hours=24))
            .exclude(status=Case.Status.NEW)
            .order_by("-created_at", "-pk")[:QUEUE_LIMIT]
        )
    return sections


def consultant_work(user, *, limit: int = 100, with_joined: bool = True) -> dict:
    """A consultant's own work: assigned to them, those waiting for the customer, and cases they joined
    (the costliest list: it looks through every open case)."""
    open_cases = Case.objects.for_list().open()
    assigned = open_cases.filter(assignee=user)
    joined = open_cases.filter(
        Exists(CaseWatcher.objects.filter(case=OuterRef("pk"), user=user, kind=CaseWatcher.Kind.PARTICIPANT))
    ).exclude(assignee=user)
    work = {
        "assigned": list(assigned.exclude(status=Case.Status.WAITING).order_by("-last_activity_at")[:limit]),
        "waiting": list(assigned.filter(status=Case.Status.WAITING).order_by("last_activity_at")[:limit]),
    }
    if with_joined:
        work["joined"] = list(joined.order_by("-last_activity_at")[:limit])
    return work


def customer_dashboard(user, organization) -> dict:
    """A customer's dashboard: their open cases and those waiting for their answer.

    "Open" as a customer thinks of it: every case not closed, those waiting for them and those resolved but
    not yet closed included (unlike `.open()`, the support's work queue), so the waiting list is always a
    part of the open one and the two panels never contradict each other."""
    mine = (
        cases_visible_to(user)
        .for_list()
        .filter(reporter=user, organization=organization)
        .exclude(status=Case.Status.CLOSED)
    )
    return {
        "my_open_cases": list(mine.order_by("-last_activity_at")[:10]),
        "my_open_count": mine.count(),
        "waiting_for_me": list(mine.filter(status=Case.Status.WAITING).order_by("last_activity_at")[:10]),
    }


def cases_for_analysis(user) -> QuerySet[Case]:
    """The cases the user may search, analyse and export: those visible to them, in the organizations where
    they hold `cases.analyse_cases` (every organization for staff)."""
    return organization_scope(user, "cases.analyse_cases").filter(cases_visible_to(user))


def support_replies(case: Case) -> list[str]:
    """The texts of the public replies the vendor wrote on the case (not the customer's people), in order:
    what an FAQ answer drawn from the case may use. Internal notes are never among them."""
    member_ids = Membership.objects.filter(organization=case.organization_id).values("user_id")
    replies = (
        CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.REPLY, is_internal=False)
        .exclude(author_id__in=member_ids)
        .exclude(body="")
        .order_by("created_at", "pk")
        .values_list("body", flat=True)
    )
    return [body.strip() for body in replies if body.strip()]


def cases_logged_since(reporter_ids, since) -> dict[int, list]:
    """reporter id -> the times (ascending) at which they logged cases since `since`."""
    logged: dict[int, list] = {}
    rows = (
        Case.objects.filter(reporter_id__in=reporter_ids, created_at__gte=since)
        .order_by("reporter_id", "created_at")
        .values_list("reporter_id", "created_at")
    )
    for reporter_id, created_at in rows:
        logged.setdefault(reporter_id, []).append(created_at)
    return logged


def case_deliveries(case: Case) -> list:
    """The published releases that deliver the case, oldest first: "delivered in X.Y". Only suggestions are
    delivered, so other cases cost no query."""
    if case.category.code != "suggestion":
        return []
    return list(case.delivered_in.published().select_related("product").order_by("released_on", "pk"))
