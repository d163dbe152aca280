"""Rows of generated cases, their timeline events and watchers, consistent with what cases.services writes:
statuses follow the workflow, times only grow, a new case has no assignee, last activity is the last event,
the first response is the first public staff reply, references count up per local year without gaps.
"""

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

from cases.models import Case, CaseEvent, CaseWatcher

from .words import Texts

S = Case.Status
K = CaseEvent.Kind
SPAN_DAYS = 5 * 365
DETAIL_EVENTS = 50
MEAN_GAP_SECONDS = 4 * 3600

CASE_COLUMNS = (
    "id, reference, organization_id, reporter_id, category_id, module_id, priority, status, title, "
    "description, assignee_id, created_at, first_response_at, resolved_at, closed_at, last_activity_at, "
    "has_attachments"
)
EVENT_COLUMNS = "id, case_id, kind, author_id, body, is_internal, data, created_at"
WATCHER_COLUMNS = "id, case_id, user_id, kind, is_muted, created_at"

# Status by the age of the case: recent ones are still worked on, old ones are almost all closed.
STATUS_BY_AGE = [
    (2 / 24, [(S.NEW, 50), (S.ASSIGNED, 30), (S.IN_PROGRESS, 20)]),
    (1, [(S.NEW, 5), (S.ASSIGNED, 30), (S.IN_PROGRESS, 45), (S.WAITING, 15), (S.RESOLVED, 5)]),
    (7, [(S.ASSIGNED, 5), (S.IN_PROGRESS, 25), (S.WAITING, 20), (S.RESOLVED, 30), (S.CLOSED, 20)]),
    (30, [(S.IN_PROGRESS, 5), (S.WAITING, 5), (S.RESOLVED, 20), (S.CLOSED, 70)]),
    (None, [(S.IN_PROGRESS, 1), (S.WAITING, 1), (S.RESOLVED, 2), (S.CLOSED, 1996)]),
]
CATEGORY_WEIGHTS = {"problem": 45, "question": 30, "suggestion": 10, "change-request": 10, "other": 5}
PRIORITY_WEIGHTS = {
    Case.Priority.LOW: 15,
    Case.Priority.NORMAL: 60,
    Case.Priority.HIGH: 20,
    Case.Priority.CRITICAL: 5,
}


class CaseRows:
    """Makes the rows of one case after another, in creation order; ids are given here, not taken from
    the sequences (reset at the end). Works on plain ids: this loop runs millions of times."""

    def __init__(
        self, rng, people, categories, modules, *, now, first_ids, numbers, events_per_case=4, text_pool=4000
    ):
        self.rng = rng
        self.event_count = events_per_case
        self.texts = Texts(rng, pool=text_pool)
        self.now = now.timestamp()
        self.case_id, self.event_id, self.watcher_id = first_ids
        self.numbers = dict(numbers)  # local year -> last reference number used
        self.zone = ZoneInfo(settings.TIME_ZONE)
        self.organization_ids = [organization.pk for organization in people.organizations]
        self.organization_weights = people.weights
        self.languages = {organization.pk: organization.language for organization in people.organizations}
        self.members = {pk: [user.pk for user in users] for pk, users in people.customers.items()}
        self.consultants = [user.pk for user in people.consultants]
        self.dispatcher = people.dispatcher.pk
        self.detail_case = (people.organizations[0].pk, people.customer.pk)
        self.categories = [categories[code].pk for code in CATEGORY_WEIGHTS]
        self.modules = [None, *(module.pk for module in modules)]
        self.module_weights = [15] + [85 / len(modules)] * len(modules)
        self.statuses = [
            (limit if limit is not None else float("inf"), [s for s, _w in choices], [w for _s, w in choices])
            for limit, choices in STATUS_BY_AGE
        ]
        self.assignment_data = {
            user.pk: json.dumps(
                {"assignee": user.pk, "assignee_name": str(user), "previous": None, "automatic": True}
            )
            for user in people.consultants
        }

    def batch(self, count: int, start: float, step: float, detail_at: int | None, first_index: int):
        """`count` cases created one `step` (seconds) apart from `start`; the one at `detail_at` (an index
        of the whole run) is the detail page's case with exactly 50 events."""
        rng = self.rng
        random = rng.random
        organizations = rng.choices(self.organization_ids, weights=self.organization_weights, k=count)
        categories = rng.choices(self.categories, weights=list(CATEGORY_WEIGHTS.values()), k=count)
        modules = rng.choices(self.modules, weights=self.module_weights, k=count)
        priorities = rng.choices(list(PRIORITY_WEIGHTS), weights=list(PRIORITY_WEIGHTS.values()), k=count)
        cases, events, watchers = [], [], []
        for offset in range(count):
            index = first_index + offset
            created = start + (index + random()) * step
            organization = organizations[offset]
            members = self.members[organization]
            reporter = members[int(random() * len(members))]
            status = self._status(self.now - created)
            event_count = self.event_count
            if index == detail_at:
                (organization, reporter), status, event_count = self.detail_case, S.IN_PROGRESS, DETAIL_EVENTS
            assignee = None if status == S.NEW else self.consultants[int(random() * len(self.consultants))]
            lang = self.languages[organization]
            times = self._timeline(status, reporter, assignee, lang, created, event_count, events)
            created_at = _utc(created)
            cases.append(
                (
                    self.case_id,
                    self._reference(created_at),
                    organization,
                    reporter,
                    categories[offset],
                    modules[offset],
                    priorities[offset],
                    status,
                    self.texts.title(lang),
                    self.texts.description(lang),
                    assignee,
                    created_at,
                    *times,
                    False,
                )
            )
            watchers.append((self.watcher_id, self.case_id, reporter, WATCHER, False, created_at))
            self.watcher_id += 1
            if assignee:
                watchers.append((self.watcher_id, self.case_id, assignee, PARTICIPANT, False, created_at))
                self.watcher_id += 1
            self.case_id += 1
        return cases, events, watchers

    def _status(self, age_seconds: float) -> str:
        age_days = age_seconds / 86400
        for limit, statuses, weights in self.statuses:
            if age_days < limit:
                return self.rng.choices(statuses, weights=weights)[0]
        raise AssertionError("unreachable")

    def _reference(self, created_at: datetime) -> str:
        year = created_at.astimezone(self.zone).year
        self.numbers[year] = self.numbers.get(year, 0) + 1
        return f"JS-{year}-{self.numbers[year]:06d}"

    def _plan(self, status: str, assignee: int | None, count: int) -> list[tuple]:
        """(kind, side, data, new status) of each event: the workflow's steps first and last, replies and
        notes in between."""
        head = [(K.CREATED, "customer", "{}", None)]
        tail = []
        if status != S.NEW:
            head.append((K.ASSIGNMENT, None, self.assignment_data[assignee], None))
        if status == S.IN_PROGRESS:
            head.append(STEPS[S.ASSIGNED, S.IN_PROGRESS])
        elif status in (S.WAITING, S.RESOLVED):
            tail.append(STEPS[S.ASSIGNED, status])
        elif status == S.CLOSED:
            # Half the customers confirm the resolution; the other cases are closed by staff straight away.
            if self.rng.random() < 0.5:
                tail = [STEPS[S.ASSIGNED, S.RESOLVED], STEPS[S.RESOLVED, S.CLOSED]]
            else:
                tail = [STEPS[S.ASSIGNED, S.CLOSED]]
        middle = []
        staff_turn = status != S.NEW
        for _ in range(max(0, count - len(head) - len(tail))):
            if staff_turn and self.rng.random() < 0.12:
                middle.append(NOTE)
                continue
            middle.append(STAFF_REPLY if staff_turn else CUSTOMER_REPLY)
            staff_turn = not staff_turn and status != S.NEW
        return (head + middle + tail)[:count]

    def _timeline(self, status, reporter, assignee, lang, created: float, count: int, events: list) -> tuple:
        """Append the case's events; return its first response, resolved, closed and last activity times."""
        expovariate = self.rng.expovariate
        plan = self._plan(status, assignee, count)
        gaps = [0.0] + [expovariate(1 / MEAN_GAP_SECONDS) for _ in plan[1:]]
        total = sum(gaps)
        scale = min(1.0, max(1.0, self.now - 60 - created) / total) if total else 1.0
        authors = {"customer": reporter, "staff": assignee or self.dispatcher, None: None}
        moment = created
        first_response = resolved = closed = None
        for (kind, side, data, new), gap in zip(plan, gaps, strict=True):
            moment += gap * scale
            at = _utc(moment)
            body = ""
            if kind == K.REPLY:
                body = self.texts.reply(lang, side)
                if side == "staff" and first_response is None:
                    first_response = at
            elif kind == K.NOTE:
                body = self.texts.reply(lang, "note")
            elif new == S.RESOLVED:
                resolved = at
            elif new == S.CLOSED:
                closed = at
            events.append((self.event_id, self.case_id, kind, authors[side], body, kind == K.NOTE, data, at))
            self.event_id += 1
        return first_response, resolved, closed, _utc(moment)


def _status_step(old: str, new: str, side: str = "staff") -> tuple:
    return (K.STATUS, side, json.dumps({"old": old, "new": new}), new)


STEPS = {
    (S.ASSIGNED, S.IN_PROGRESS): _status_step(S.ASSIGNED, S.IN_PROGRESS),
    (S.ASSIGNED, S.WAITING): _status_step(S.ASSIGNED, S.WAITING),
    (S.ASSIGNED, S.RESOLVED): _status_step(S.ASSIGNED, S.RESOLVED),
    (S.ASSIGNED, S.CLOSED): _status_step(S.ASSIGNED, S.CLOSED),
    # The customer confirms the resolution.
    (S.RESOLVED, S.CLOSED): _status_step(S.RESOLVED, S.CLOSED, "customer"),
}
NOTE = (K.NOTE, "staff", "{}", None)
STAFF_REPLY = (K.REPLY, "staff", "{}", None)
CUSTOMER_REPLY = (K.REPLY, "customer", "{}", None)
WATCHER = CaseWatcher.Kind.WATCHER.value
PARTICIPANT = CaseWatcher.Kind.PARTICIPANT.value


def _utc(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, UTC)


def span_start(now: datetime) -> float:
    return (now - timedelta(days=SPAN_DAYS)).timestamp()
