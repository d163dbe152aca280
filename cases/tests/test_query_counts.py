"""Every cases page runs a bounded number of queries, the same with one row as with many (STYLE.md)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from cases import services
from cases.models import Attachment, Case, CaseEvent, CaseWatcher
from tests.factories import case_create, category_get, member_create, module_get

# Upper bounds, with room for a few queries of the shared layout (header, notifications) above today's.
# Staff's pages read the licences of the organizations shown once per page (the licence badge): one query
# more on the case page than before. The case page reads its consultant time (billing.timelog) in one more
# query, the month's approval included as an EXISTS in it, however many entries the case has.
LIST_MAX = 12
DETAIL_MAX = 14
PAGE_MAX = 14


def queries_for(client, url, **extra) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **extra)
    assert response.status_code == 200
    return len(captured.captured_queries)


def measure(client, url, grow, **extra) -> tuple[int, int]:
    """Queries of the page before and after `grow()` adds many rows; a first request warms the caches."""
    client.get(url, **extra)
    small = queries_for(client, url, **extra)
    grow()
    large = queries_for(client, url, **extra)
    return small, large


def many_cases(organization, reporter, count, *, assignee=None, status=Case.Status.IN_PROGRESS):
    """Cases of varied categories, modules, reporters and assignees, as a list page meets them."""
    module = module_get("finance", "Financije", "Finance")
    colleague = member_create(organization, [Role.STANDARD])
    cases = []
    for index in range(count):
        case = case_create(
            organization,
            reporter if index % 2 else colleague,
            category=category_get("question" if index % 3 else "problem"),
            module=module if index % 2 else None,
            title=f"Case {index}",
        )
        if assignee is not None:
            Case.objects.filter(pk=case.pk).update(status=status, assignee=assignee)
        cases.append(case)
    return cases


@pytest.mark.parametrize("persona", ["standard_user", "dispatcher"])
def test_case_list(persona, organization, standard_user, consultant, request, client_for):
    client = client_for(request.getfixturevalue(persona))
    case_create(organization, standard_user)

    small, large = measure(
        client,
        reverse("cases:case-list"),
        lambda: many_cases(organization, standard_user, 30, assignee=consultant),
    )

    assert small == large
    assert large <= LIST_MAX


def test_case_list_search(organization, standard_user, client_for):
    client = client_for(standard_user)
    case_create(organization, standard_user, title="Printer")

    small, large = measure(
        client,
        reverse("cases:case-list") + "?q=case&sort=-priority",
        lambda: many_cases(organization, standard_user, 30),
    )

    assert small == large


def add_timeline(case, authors, count):
    """`count` events of every kind, by several authors, with attachments on the replies."""
    now = timezone.now()
    kinds = [CaseEvent.Kind.REPLY, CaseEvent.Kind.NOTE, CaseEvent.Kind.STATUS, CaseEvent.Kind.ASSIGNMENT]
    events = CaseEvent.objects.bulk_create(
        CaseEvent(
            case=case,
            kind=kinds[index % len(kinds)],
            author=authors[index % len(authors)],
            body=f"Event **{index}**",
            is_internal=kinds[index % len(kinds)] == CaseEvent.Kind.NOTE,
            data={"old": "assigned", "new": "in_progress", "assignee_name": "Ivan", "automatic": False},
            created_at=now + timedelta(seconds=index),
        )
        for index in range(count)
    )
    Attachment.objects.bulk_create(
        Attachment(
            case=case,
            event=event,
            file=f"attachments/{index}.pdf",
            storage_key=f"{index:032x}.pdf",
            original_name=f"log-{index}.pdf",
            size=100 + index,
            sha256="0" * 64,
            uploaded_by=event.author,
            is_internal=event.is_internal,
        )
        for index, event in enumerate(events)
        if event.kind in (CaseEvent.Kind.REPLY, CaseEvent.Kind.NOTE)
    )


def add_time(case, consultant, count):
    """`count` time entries on the case over two months, billable and not, the earlier month approved."""
    from billing.models import Statement, TimeEntry
    from billing.money import month_start, previous_month

    this_month = month_start(timezone.localdate())
    TimeEntry.objects.bulk_create(
        TimeEntry(
            consultant=consultant,
            organization=case.organization,
            case=case,
            date=this_month if index % 2 else previous_month(this_month),
            minutes=30 + index,
            is_billable=index % 3 != 0,
            description=f"Work {index}",
            internal_note=f"Note {index}",
        )
        for index in range(count)
    )
    Statement.objects.create(
        organization=case.organization,
        period=previous_month(this_month),
        state=Statement.State.APPROVED,
        approved_by=consultant,
        approved_at=timezone.now(),
    )


@pytest.mark.parametrize("persona", ["standard_user", "consultant"])
def test_case_detail_with_1_or_50_events(
    persona, organization, standard_user, admin_user, consultant, dispatcher, request, client_for
):
    case = case_create(organization, standard_user)  # one event: "logged"
    services.case_watch(case=case, user=request.getfixturevalue(persona), watch=True)
    client = client_for(request.getfixturevalue(persona))

    def grow():
        add_timeline(case, [standard_user, admin_user, consultant, dispatcher], 49)
        add_time(case, consultant, 20)

    small, large = measure(client, case.get_absolute_url(), grow)

    assert case.events.count() == 50
    assert small == large
    assert large <= DETAIL_MAX


def test_queue_page_and_its_partial(organization, standard_user, dispatcher, consultant, client_for):
    client = client_for(dispatcher)
    case_create(organization, standard_user)

    def grow():
        many_cases(organization, standard_user, 12)  # waiting: nobody is available
        many_cases(organization, standard_user, 12, assignee=consultant)  # arrived today, assigned

    url = reverse("cases:queue")
    small, large = measure(client, url, grow)
    assert small == large
    assert large <= PAGE_MAX

    htmx = {"headers": {"HX-Request": "true"}}
    small_partial = queries_for(client, url, **htmx)
    grow()
    assert queries_for(client, url, **htmx) == small_partial


def test_my_work(organization, standard_user, consultant, client_for):
    client = client_for(consultant)
    # One case of the consultant's own: an empty page has no licences to read.
    many_cases(organization, standard_user, 1, assignee=consultant)

    def grow():
        many_cases(organization, standard_user, 10, assignee=consultant)
        many_cases(organization, standard_user, 10, assignee=consultant, status=Case.Status.WAITING)
        for case in many_cases(organization, standard_user, 10):
            CaseWatcher.objects.create(case=case, user=consultant, kind=CaseWatcher.Kind.PARTICIPANT)

    small, large = measure(client, reverse("cases:my-work"), grow)

    assert small == large
    assert large <= PAGE_MAX


@pytest.mark.parametrize("persona", ["standard_user", "dispatcher", "consultant"])
def test_dashboard(persona, organization, standard_user, consultant, request, client_for):
    client = client_for(request.getfixturevalue(persona))
    case_create(organization, standard_user)

    def grow():
        many_cases(organization, standard_user, 12, assignee=consultant)
        many_cases(organization, standard_user, 12, assignee=consultant, status=Case.Status.WAITING)
        many_cases(organization, standard_user, 12)

    small, large = measure(client, reverse("dashboard"), grow)

    assert small == large
    assert large <= PAGE_MAX + 4  # every app adds its panels to the dashboard
