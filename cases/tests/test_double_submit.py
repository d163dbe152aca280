"""A form sent twice (a double click, a repeated request) logs one case and adds one reply, also when both
arrive at the same moment (helpdesk.idempotency)."""

import time

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from cases import services
from cases.models import Case, CaseEvent
from helpdesk.models import FormSubmission
from tests.concurrency import run_in_threads
from tests.factories import case_create, category_get

NEW_CASE = reverse("cases:case-create")


def token_of(response, form="form") -> str:
    return response.context[form]["submission_token"].value()


def new_case_data(token: str) -> dict:
    return {
        "title": "Stock report is wrong",
        "category": category_get().pk,
        "priority": "normal",
        "description": "The totals differ from the warehouse list.",
        "submission_token": token,
    }


def test_each_new_case_form_gets_its_own_token(client_for, standard_user):
    client = client_for(standard_user)

    page = client.get(NEW_CASE)
    first, second = token_of(page), token_of(client.get(NEW_CASE))

    assert len(first) >= 32 and first != second
    assert f'value="{first}"' in page.content.decode()


def test_a_new_case_form_sent_twice_logs_one_case(client_for, standard_user):
    client = client_for(standard_user)
    data = new_case_data(token_of(client.get(NEW_CASE)))

    first = client.post(NEW_CASE, data)
    second = client.post(NEW_CASE, data)

    case = Case.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == case.get_absolute_url()
    assert "This form had already been sent; here is its result." in [
        str(message) for message in get_messages(second.wsgi_request)
    ]
    # A new form is a new case.
    assert client.post(NEW_CASE, new_case_data(token_of(client.get(NEW_CASE)))).status_code == 302
    assert Case.objects.count() == 2


def test_a_form_shown_again_after_an_error_keeps_its_token_and_goes_through(client_for, standard_user):
    client = client_for(standard_user)
    token = token_of(client.get(NEW_CASE))

    refused = client.post(NEW_CASE, {**new_case_data(token), "title": ""})
    assert token_of(refused) == token
    assert not FormSubmission.objects.exists()

    assert client.post(NEW_CASE, new_case_data(token)).status_code == 302
    assert Case.objects.count() == 1


def test_a_form_without_token_is_simply_done(client_for, standard_user):
    client = client_for(standard_user)
    data = new_case_data("")

    client.post(NEW_CASE, data)
    client.post(NEW_CASE, data)

    assert Case.objects.count() == 2


def test_a_reply_sent_twice_is_added_once(client_for, organization, standard_user):
    case = case_create(organization, standard_user)
    client = client_for(standard_user)
    token = token_of(client.get(case.get_absolute_url()), "reply_form")
    url = reverse("cases:case-reply", args=[case.reference])

    responses = [client.post(url, {"body": "Still broken.", "submission_token": token}) for _ in range(2)]

    assert [response.status_code for response in responses] == [302, 302]
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.REPLY).count() == 1


def test_a_reply_refused_by_the_service_keeps_its_token_unused(client_for, organization, standard_user):
    case = case_create(organization, standard_user)
    client = client_for(standard_user)
    token = token_of(client.get(case.get_absolute_url()), "reply_form")
    Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED)  # closed meanwhile, in another tab

    response = client.post(
        reverse("cases:case-reply", args=[case.reference]), {"body": "Hello?", "submission_token": token}
    )

    assert response.status_code == 400
    assert not FormSubmission.objects.exists()


def test_another_user_with_the_same_token_is_not_shown_the_first_result(
    client_for, organization, standard_user, admin_user
):
    data = new_case_data("the-same-token")

    client_for(standard_user).post(NEW_CASE, data)
    response = client_for(admin_user).post(NEW_CASE, data)

    assert Case.objects.count() == 2
    assert response["Location"] == Case.objects.get(reporter=admin_user).get_absolute_url()


@pytest.mark.django_db(transaction=True)
def test_a_new_case_form_sent_twice_at_the_same_moment_logs_one_case(
    client_for, organization, standard_user, monkeypatch
):
    client = client_for(standard_user)
    data = new_case_data(token_of(client.get(NEW_CASE)))
    create = services.case_create

    def slow_create(**arguments):
        case = create(**arguments)
        time.sleep(0.5)  # the other sending arrives while this one has not committed yet
        return case

    monkeypatch.setattr(services, "case_create", slow_create)
    clients = [client_for(standard_user), client_for(standard_user)]
    responses = [None, None]

    def send(index):
        responses[index] = clients[index].post(NEW_CASE, data)

    run_in_threads(2, send)

    case = Case.objects.get()
    assert [response.status_code for response in responses] == [302, 302]
    assert {response["Location"] for response in responses} == {case.get_absolute_url()}
