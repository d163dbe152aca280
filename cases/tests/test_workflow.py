"""The status workflow (services.TRANSITIONS), replies and the timestamps they set, in the service and in
the case page."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import Case, CaseEvent
from tests.factories import case_create

Status = Case.Status
SIDES = ("staff", "customer")


def case_in(status: str, *, organization, reporter, assignee, resolved_days_ago: int = 1) -> Case:
    """A case logged through the service and then put straight into `status`, as if it had got there."""
    case = case_create(organization, reporter)
    now = timezone.now()
    fields = {"status": status}
    if status != Status.NEW:
        fields["assignee"] = assignee
    if status in (Status.RESOLVED, Status.CLOSED):
        fields["resolved_at"] = now - timedelta(days=resolved_days_ago)
    if status == Status.CLOSED:
        fields["closed_at"] = now - timedelta(days=resolved_days_ago)
    Case.objects.filter(pk=case.pk).update(**fields)
    case.refresh_from_db()
    return case


@pytest.fixture
def make_case(organization, standard_user, consultant):
    def make(status, **kwargs):
        return case_in(
            status, organization=organization, reporter=standard_user, assignee=consultant, **kwargs
        )

    return make


def status_events(case) -> list[tuple[str, str]]:
    return [
        (event.data["old"], event.data["new"])
        for event in case.events.filter(kind=CaseEvent.Kind.STATUS).order_by("pk")
    ]


ALL_MOVES = [(old, new, side) for old in Status.values for new in Status.values for side in SIDES]


@pytest.mark.parametrize(("old", "new", "side"), ALL_MOVES, ids=lambda value: str(value))
def test_every_move_is_allowed_exactly_as_the_table_says(
    old, new, side, make_case, standard_user, consultant
):
    case = make_case(old)
    user = consultant if side == "staff" else standard_user

    if side in services.TRANSITIONS.get((old, new), ()):
        changed = services.case_change_status(case=case, to=new, by=user)
        assert changed.status == new
        assert Case.objects.get(pk=case.pk).status == new
        assert status_events(case) == [(old, new)]
    else:
        with pytest.raises(ValidationError):
            services.case_change_status(case=case, to=new, by=user)
        assert Case.objects.get(pk=case.pk).status == old
        assert status_events(case) == []


def test_the_table_keeps_the_rules_of_the_brief():
    """Guards the table itself: a careless edit of TRANSITIONS would otherwise pass the test above."""
    customer_targets = {new for (_old, new), sides in services.TRANSITIONS.items() if "customer" in sides}
    assert customer_targets == {Status.IN_PROGRESS, Status.CLOSED}
    assert not any(
        "staff" in sides for (old, new), sides in services.TRANSITIONS.items() if new == "assigned"
    )
    assert (Status.RESOLVED, Status.IN_PROGRESS) in services.TRANSITIONS


def test_an_unknown_status_is_refused(make_case, consultant):
    case = make_case(Status.IN_PROGRESS)
    with pytest.raises(ValidationError):
        services.case_change_status(case=case, to="deleted", by=consultant)


@pytest.mark.parametrize("old", [Status.RESOLVED, Status.CLOSED])
def test_customer_reopens_within_14_days(old, make_case, standard_user):
    case = make_case(old, resolved_days_ago=13)

    reopened = services.case_change_status(case=case, to=Status.IN_PROGRESS, by=standard_user)

    assert reopened.status == Status.IN_PROGRESS
    assert reopened.resolved_at is None
    assert reopened.closed_at is None


@pytest.mark.parametrize("old", [Status.RESOLVED, Status.CLOSED])
def test_customer_cannot_reopen_after_14_days(old, make_case, standard_user):
    case = make_case(old, resolved_days_ago=15)

    assert Status.IN_PROGRESS not in services.allowed_transitions(case, standard_user)
    with pytest.raises(ValidationError):
        services.case_change_status(case=case, to=Status.IN_PROGRESS, by=standard_user)
    assert Case.objects.get(pk=case.pk).status == old


def test_resolving_and_closing_record_their_times(make_case, consultant, standard_user):
    case = make_case(Status.IN_PROGRESS)

    resolved = services.case_change_status(case=case, to=Status.RESOLVED, by=consultant)
    assert resolved.resolved_at is not None
    assert resolved.closed_at is None

    closed = services.case_change_status(case=resolved, to=Status.CLOSED, by=standard_user)
    assert closed.closed_at is not None
    assert closed.resolved_at == resolved.resolved_at
    assert status_events(case) == [("in_progress", "resolved"), ("resolved", "closed")]


def test_customer_reply_on_waiting_case_moves_it_to_in_progress(make_case, standard_user):
    case = make_case(Status.WAITING)

    services.case_reply(case=case, author=standard_user, body="Here is the log you asked for.")

    assert Case.objects.get(pk=case.pk).status == Status.IN_PROGRESS
    assert status_events(case) == [("waiting", "in_progress")]


def test_staff_reply_on_waiting_case_keeps_it_waiting(make_case, consultant):
    case = make_case(Status.WAITING)

    services.case_reply(case=case, author=consultant, body="Still waiting for the log.")

    assert Case.objects.get(pk=case.pk).status == Status.WAITING


def test_first_response_is_the_first_public_staff_reply(make_case, standard_user, consultant):
    case = make_case(Status.ASSIGNED)

    services.case_reply(case=case, author=consultant, body="Checking the print queue.", internal=True)
    services.case_reply(case=case, author=standard_user, body="It happens on every invoice.")
    assert Case.objects.get(pk=case.pk).first_response_at is None

    services.case_reply(case=case, author=consultant, body="Please send a screenshot.")
    first = Case.objects.get(pk=case.pk).first_response_at
    assert first is not None

    services.case_reply(case=case, author=consultant, body="Any news?")
    assert Case.objects.get(pk=case.pk).first_response_at == first


def test_only_staff_write_internal_notes(make_case, standard_user):
    case = make_case(Status.ASSIGNED)

    with pytest.raises(ValidationError):
        services.case_reply(case=case, author=standard_user, body="Psst", internal=True)
    assert not case.events.filter(kind=CaseEvent.Kind.NOTE).exists()


def test_an_empty_reply_is_refused(make_case, standard_user):
    case = make_case(Status.ASSIGNED)

    with pytest.raises(ValidationError):
        services.case_reply(case=case, author=standard_user, body="   ")


def test_closed_case_refuses_public_replies_but_takes_internal_notes(make_case, standard_user, consultant):
    case = make_case(Status.CLOSED)

    for author in (standard_user, consultant):
        with pytest.raises(ValidationError):
            services.case_reply(case=case, author=author, body="One more thing")
    assert not case.events.filter(kind=CaseEvent.Kind.REPLY).exists()

    services.case_reply(case=case, author=consultant, body="Customer called, all fine.", internal=True)
    assert case.events.filter(kind=CaseEvent.Kind.NOTE).count() == 1


def test_reply_to_closed_case_in_the_page_says_why_and_adds_nothing(make_case, standard_user, client_for):
    case = make_case(Status.CLOSED)
    client = client_for(standard_user)

    page = client.get(case.get_absolute_url())
    assert 'id="reply"' not in page.content.decode()

    response = client.post(reverse("cases:case-reply", args=[case.reference]), {"body": "One more thing"})
    assert response.status_code == 400
    assert "This case is closed. Reopen it to continue the conversation." in response.content.decode()
    assert not case.events.filter(kind=CaseEvent.Kind.REPLY).exists()


def buttons(response) -> set[str]:
    return set(re.findall(r'data-status="([a-z_]+)"', response.content.decode()))


@pytest.mark.parametrize(
    ("status", "side", "resolved_days_ago", "expected"),
    [
        (Status.NEW, "customer", 1, {"closed"}),
        (Status.NEW, "staff", 1, set()),
        (Status.IN_PROGRESS, "customer", 1, {"closed"}),
        (Status.IN_PROGRESS, "staff", 1, {"waiting", "resolved", "closed"}),
        (Status.WAITING, "customer", 1, {"in_progress", "closed"}),
        (Status.RESOLVED, "customer", 1, {"closed", "in_progress"}),
        (Status.RESOLVED, "customer", 20, {"closed"}),
        (Status.RESOLVED, "staff", 1, {"closed"}),
        (Status.CLOSED, "customer", 1, {"in_progress"}),
        (Status.CLOSED, "staff", 1, set()),
    ],
)
def test_case_page_shows_only_the_allowed_moves(
    status, side, resolved_days_ago, expected, make_case, standard_user, consultant, client_for
):
    case = make_case(status, resolved_days_ago=resolved_days_ago)
    user = consultant if side == "staff" else standard_user

    response = client_for(user).get(case.get_absolute_url())

    assert response.status_code == 200
    assert buttons(response) == expected
    assert expected == set(services.allowed_transitions(case, user))


def test_forged_post_of_a_refused_move_gives_a_message_and_changes_nothing(
    make_case, standard_user, client_for
):
    case = make_case(Status.IN_PROGRESS)

    response = client_for(standard_user).post(
        reverse("cases:case-status", args=[case.reference]), {"status": "resolved"}, follow=True
    )

    assert response.redirect_chain[-1][0] == case.get_absolute_url()
    assert "A case cannot go from “In progress” to “Resolved”." in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == Status.IN_PROGRESS
    assert status_events(case) == []


def test_forged_post_of_an_unknown_status_gives_a_message(make_case, consultant, client_for):
    case = make_case(Status.IN_PROGRESS)

    response = client_for(consultant).post(
        reverse("cases:case-status", args=[case.reference]), {"status": "deleted"}, follow=True
    )

    assert "Choose a valid status." in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == Status.IN_PROGRESS


def test_allowed_move_through_the_page(make_case, consultant, client_for):
    case = make_case(Status.IN_PROGRESS)

    response = client_for(consultant).post(
        reverse("cases:case-status", args=[case.reference]),
        {"status": "waiting", "note": "Asked for the log."},
        follow=True,
    )

    assert "The case is now “Waiting for customer”." in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == Status.WAITING
    assert case.events.get(kind=CaseEvent.Kind.STATUS).body == "Asked for the log."
