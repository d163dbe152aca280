"""The customer's dashboard panel of cases (cases.selectors.customer_dashboard): "open" is every case not
closed, as the customer thinks of it, so the panel never says "no open cases" beside a case waiting for
them."""

import re

from django.urls import reverse

from cases.models import Case
from cases.selectors import customer_dashboard
from tests.factories import case_create


def with_status(case: Case, status: str) -> Case:
    Case.objects.filter(pk=case.pk).update(status=status)
    return case


def open_panel(html: str) -> str:
    return re.search(r'<ul class="list-group list-group-flush" id="my-open-cases">(.*?)</ul>', html, re.S)[1]


def test_a_case_waiting_for_the_customer_is_one_of_their_open_cases(client_for, organization, standard_user):
    waiting = with_status(case_create(organization, standard_user), Case.Status.WAITING)

    html = client_for(standard_user).get(reverse("dashboard")).content.decode()

    assert "You have no open cases." not in html
    assert waiting.reference in open_panel(html)
    assert re.search(r'id="waiting-for-me">.*?' + waiting.reference, html, re.S)
    assert '<span class="badge rounded-pill text-bg-secondary" id="my-open-count">1</span>' in html


def test_open_means_every_case_not_closed(organization, standard_user, admin_user):
    statuses = [Case.Status.NEW, Case.Status.IN_PROGRESS, Case.Status.WAITING, Case.Status.RESOLVED]
    cases = {status: with_status(case_create(organization, standard_user), status) for status in statuses}
    with_status(case_create(organization, standard_user), Case.Status.CLOSED)
    case_create(organization, admin_user)  # someone else's

    data = customer_dashboard(standard_user, organization)

    assert data["my_open_count"] == 4
    assert {case.pk for case in data["my_open_cases"]} == {case.pk for case in cases.values()}
    assert [case.pk for case in data["waiting_for_me"]] == [cases[Case.Status.WAITING].pk]


def test_a_customer_with_only_closed_cases_has_no_open_cases(client_for, organization, standard_user):
    with_status(case_create(organization, standard_user), Case.Status.CLOSED)

    html = client_for(standard_user).get(reverse("dashboard")).content.decode()

    assert "You have no open cases." in open_panel(html)
    assert 'id="my-open-count">0</span>' in html
