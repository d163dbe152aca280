"""The portal's own moves (by=None, the "system" side of services.TRANSITIONS): monitoring resolves the case
an incident opened, and reopens it within 14 days; the buttons of people never offer them."""

import pytest
from django.core.exceptions import ValidationError

from cases import services
from cases.models import Case, CaseEvent
from cases.tests.test_workflow import case_in

Status = Case.Status


@pytest.fixture
def make_case(organization, standard_user, consultant):
    def make(status, **kwargs):
        return case_in(
            status, organization=organization, reporter=standard_user, assignee=consultant, **kwargs
        )

    return make


@pytest.mark.parametrize("old", [Status.NEW, Status.ASSIGNED, Status.IN_PROGRESS, Status.WAITING])
def test_the_portal_resolves_an_open_case_with_its_note(old, make_case):
    case = make_case(old)

    services.case_change_status(case=case, to=Status.RESOLVED, by=None, note="The disk is OK again.")

    case.refresh_from_db()
    assert case.status == Status.RESOLVED and case.resolved_at is not None
    event = case.events.get(kind=CaseEvent.Kind.STATUS)
    assert (event.author, event.body, event.data["new"]) == (None, "The disk is OK again.", Status.RESOLVED)


@pytest.mark.parametrize("old", [Status.RESOLVED, Status.CLOSED])
@pytest.mark.parametrize("to", [Status.IN_PROGRESS, Status.NEW])
def test_the_portal_reopens_within_14_days_only(old, to, make_case):
    assert to in services.allowed_transitions(make_case(old, resolved_days_ago=13), None)
    stale = make_case(old, resolved_days_ago=15)
    assert to not in services.allowed_transitions(stale, None)
    with pytest.raises(ValidationError):
        services.case_change_status(case=stale, to=to, by=None)


@pytest.mark.parametrize("to", [Status.CLOSED, Status.WAITING, Status.ASSIGNED])
def test_the_portal_neither_closes_nor_works_a_case(to, make_case):
    with pytest.raises(ValidationError):
        services.case_change_status(case=make_case(Status.IN_PROGRESS), to=to, by=None)


def test_people_are_never_offered_the_portal_s_moves(make_case, standard_user, consultant):
    case = make_case(Status.NEW)
    assert Status.RESOLVED not in services.allowed_transitions(case, consultant)
    assert Status.RESOLVED not in services.allowed_transitions(case, standard_user)
    assert Status.NEW not in services.allowed_transitions(make_case(Status.RESOLVED), standard_user)
