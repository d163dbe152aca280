"""Auto-assignment to the first available consultant, the queue, manual reassignment and joining."""

import itertools
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.roles import StaffGroup
from cases import selectors, services
from cases.models import Case, CaseEvent, CaseWatcher, ConsultantStatus
from conftest import staff_create
from tests.concurrency import run_in_threads
from tests.factories import case_create

Status = Case.Status


NUMBERS = itertools.count(1)


def consultants(count: int, *, available: bool = True) -> list:
    """`count` new consultants, each with a ConsultantStatus row, available or away."""
    numbers = [next(NUMBERS) for _ in range(count)]
    people = [
        staff_create(StaffGroup.CONSULTANT, email=f"consultant{n}@jupiter.test", full_name=f"Consultant {n}")
        for n in numbers
    ]
    for person in people:
        services.consultant_set_availability(user=person, available=available)
    return people


def set_idle_since(user, minutes_ago: int) -> None:
    ConsultantStatus.objects.filter(user=user).update(
        idle_since=timezone.now() - timedelta(minutes=minutes_ago)
    )


def give_open_cases(user, count: int, organization, reporter) -> None:
    for _ in range(count):
        case = case_create(organization, reporter)
        Case.objects.filter(pk=case.pk).update(status=Status.IN_PROGRESS, assignee=user)


def test_new_case_goes_to_the_available_consultant_with_fewest_open_cases(organization, standard_user):
    busy, light, free = consultants(3, available=False)
    give_open_cases(busy, 3, organization, standard_user)
    give_open_cases(light, 1, organization, standard_user)
    # Resolved and closed cases are not load.
    give_open_cases(free, 2, organization, standard_user)
    Case.objects.filter(assignee=free).update(status=Status.RESOLVED)
    for person in (busy, light, free):
        services.consultant_set_availability(user=person, available=True)

    case = case_create(organization, standard_user)

    assert case.assignee == free
    assert case.status == Status.ASSIGNED
    event = case.events.get(kind=CaseEvent.Kind.ASSIGNMENT)
    assert event.data["automatic"] is True
    assert event.author is None
    assert CaseWatcher.objects.get(case=case, user=free).kind == CaseWatcher.Kind.PARTICIPANT


def test_a_tie_goes_to_the_consultant_idle_longest(organization, standard_user):
    first, second, third = consultants(3)
    set_idle_since(first, 10)
    set_idle_since(second, 30)
    set_idle_since(third, 20)

    assignees = [case_create(organization, standard_user).assignee for _ in range(3)]

    # Each assignment resets the consultant's idle time, so the next tie goes to the next longest idle.
    assert assignees == [second, third, first]


def test_without_an_available_consultant_the_case_waits_in_the_queue(
    organization, standard_user, dispatcher, client_for, django_capture_on_commit_callbacks
):
    (away,) = consultants(1, available=False)

    case = case_create(organization, standard_user, title="Nobody is here")

    assert case.status == Status.NEW
    assert case.assignee is None
    assert selectors.queue_sections(now=timezone.now())["waiting"] == [case]
    assert case.reference in client_for(dispatcher).get(reverse("cases:queue")).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        services.consultant_set_availability(user=away, available=True)

    case.refresh_from_db()
    assert case.assignee == away
    assert case.status == Status.ASSIGNED
    assert selectors.queue_sections(now=timezone.now())["waiting"] == []


def test_becoming_available_through_the_header_switch_takes_the_oldest_waiting_case(
    organization, standard_user, consultant, client_for, django_capture_on_commit_callbacks
):
    older = case_create(organization, standard_user)
    newer = case_create(organization, standard_user)
    services.consultant_set_availability(user=consultant, available=False)
    assert older.assignee is None

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(consultant).post(reverse("cases:availability"), {"available": "1"})

    assert response.status_code == 302
    assert ConsultantStatus.objects.get(user=consultant).is_available
    assert Case.objects.get(pk=older.pk).assignee == consultant
    assert Case.objects.get(pk=newer.pk).assignee == consultant


def test_queue_assignment_run_twice_assigns_once(organization, standard_user):
    (person,) = consultants(1, available=False)
    case = case_create(organization, standard_user)
    ConsultantStatus.objects.filter(user=person).update(is_available=True)

    assert services.queue_assign_waiting() == 1
    assert services.queue_assign_waiting() == 0
    assert case.events.filter(kind=CaseEvent.Kind.ASSIGNMENT).count() == 1


def test_away_consultants_never_get_cases(organization, standard_user, django_capture_on_commit_callbacks):
    present, gone = consultants(2)
    services.consultant_set_availability(user=gone, available=False)
    set_idle_since(gone, 1000)  # would win every tie

    with django_capture_on_commit_callbacks(execute=True):
        cases = [case_create(organization, standard_user) for _ in range(4)]
        services.consultant_set_availability(user=present, available=False)
        waiting = case_create(organization, standard_user)

    assert {case.assignee for case in cases} == {present}
    waiting.refresh_from_db()
    assert waiting.assignee is None
    assert not Case.objects.filter(assignee=gone).exists()


def test_inactive_consultant_gets_no_cases(organization, standard_user):
    (person,) = consultants(1)
    person.is_active = False
    person.save(update_fields=["is_active"])

    assert case_create(organization, standard_user).assignee is None


@pytest.mark.django_db(transaction=True)
def test_concurrent_creations_are_balanced_and_skip_away_consultants(organization, standard_user):
    available = consultants(3)
    (away,) = consultants(1, available=False)
    per_thread = 2

    def work(index):
        for n in range(per_thread):
            case_create(organization, standard_user, title=f"Thread {index} case {n}")

    run_in_threads(6, work)

    loads = Counter(Case.objects.values_list("assignee", flat=True))
    assert sum(loads.values()) == 12
    assert None not in loads
    assert away.pk not in loads
    assert sorted(loads) == sorted(person.pk for person in available)
    assert max(loads.values()) - min(loads.values()) <= 1


@pytest.mark.django_db(transaction=True)
def test_a_consultant_going_away_meanwhile_gets_nothing_after(organization, standard_user):
    leaving, staying, other = consultants(3)
    set_idle_since(leaving, 1000)  # the favourite of every tie until they leave
    went_away_at = {}

    def work(index):
        if index == 0:
            time.sleep(0.05)
            services.consultant_set_availability(user=leaving, available=False)
            went_away_at["time"] = timezone.now()  # after the commit
        else:
            for n in range(3):
                case_create(organization, standard_user, title=f"Thread {index} case {n}")

    run_in_threads(5, work)
    after = case_create(organization, standard_user, title="After the switch")

    assert after.assignee in (staying, other)
    assert not ConsultantStatus.objects.get(user=leaving).is_available
    late = Case.objects.filter(created_at__gt=went_away_at["time"])
    assert not late.filter(assignee=leaving).exists()
    # No assignment to them was written after they went away, whenever its case was logged.
    to_leaving = CaseEvent.objects.filter(kind=CaseEvent.Kind.ASSIGNMENT, data__assignee=leaving.pk)
    assert not to_leaving.filter(created_at__gt=went_away_at["time"]).exists()
    assert Case.objects.filter(assignee__isnull=True).count() == 0


def test_dispatcher_reassigns_by_hand(organization, standard_user, dispatcher, client_for):
    first, second = consultants(2)
    case = case_create(organization, standard_user)
    assert case.assignee in (first, second)
    target = second if case.assignee == first else first

    page = client_for(dispatcher).get(reverse("cases:case-assign", args=[case.reference]))
    assert page.status_code == 200
    response = client_for(dispatcher).post(
        reverse("cases:case-assign", args=[case.reference]), {"consultant": target.pk}
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.assignee == target
    event = case.events.filter(kind=CaseEvent.Kind.ASSIGNMENT).latest("pk")
    assert event.author == dispatcher
    assert event.data["automatic"] is False
    assert event.data["assignee"] == target.pk
    assert CaseWatcher.objects.get(case=case, user=target).kind == CaseWatcher.Kind.PARTICIPANT


def test_dispatcher_assigns_a_waiting_case(organization, standard_user, dispatcher, consultant):
    case = case_create(organization, standard_user)
    assert case.status == Status.NEW

    services.case_assign(case=case, consultant=consultant, by=dispatcher)

    case.refresh_from_db()
    assert (case.status, case.assignee) == (Status.ASSIGNED, consultant)


def test_a_consultant_who_is_not_a_dispatcher_cannot_reassign(
    organization, standard_user, consultant, client_for
):
    (other,) = consultants(1)
    case = case_create(organization, standard_user)
    url = reverse("cases:case-assign", args=[case.reference])

    assert client_for(consultant).get(url).status_code == 403
    assert client_for(consultant).post(url, {"consultant": consultant.pk}).status_code == 403
    assert Case.objects.get(pk=case.pk).assignee == other


def test_only_staff_who_work_cases_can_be_assigned(organization, standard_user, dispatcher, client_for):
    case = case_create(organization, standard_user)

    with pytest.raises(ValidationError):
        services.case_assign(case=case, consultant=standard_user, by=dispatcher)
    response = client_for(dispatcher).post(
        reverse("cases:case-assign", args=[case.reference]), {"consultant": standard_user.pk}
    )
    assert response.status_code == 200  # the form again, with the error
    assert Case.objects.get(pk=case.pk).assignee is None


def test_a_closed_case_cannot_be_assigned(organization, standard_user, dispatcher, consultant):
    case = case_create(organization, standard_user)
    services.case_change_status(case=case, to=Status.CLOSED, by=standard_user)

    with pytest.raises(ValidationError):
        services.case_assign(case=case, consultant=consultant, by=dispatcher)


def test_any_consultant_joins_any_case(organization, standard_user, consultant, client_for):
    (assignee,) = consultants(1)
    case = case_create(organization, standard_user)
    assert case.assignee == assignee
    url = reverse("cases:case-join", args=[case.reference])

    page = client_for(consultant).get(case.get_absolute_url())
    assert f'action="{url}"' in page.content.decode()
    assert client_for(consultant).post(url).status_code == 302
    assert client_for(consultant).post(url).status_code == 302  # joining twice is one join

    watcher = CaseWatcher.objects.get(case=case, user=consultant)
    assert watcher.kind == CaseWatcher.Kind.PARTICIPANT
    join = case.events.get(kind=CaseEvent.Kind.JOIN)
    assert join.author == consultant
    assert case.assignee == assignee  # joining does not take the case over
    assert f'action="{url}"' not in client_for(consultant).get(case.get_absolute_url()).content.decode()
    assert [row.pk for row in selectors.consultant_work(consultant)["joined"]] == [case.pk]


def test_a_watching_customer_does_not_become_a_participant(
    organization, standard_user, admin_user, client_for
):
    case = case_create(organization, standard_user)

    assert client_for(admin_user).post(reverse("cases:case-join", args=[case.reference])).status_code == 403
    assert not case.events.filter(kind=CaseEvent.Kind.JOIN).exists()
