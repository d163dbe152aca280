"""The case page as a customer meets it: the reply form reads in order, closing is asked twice, and the
watch and mute buttons follow the current state."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import services
from cases.models import Case
from cases.tests.test_assignment import consultants, give_open_cases
from helpdesk.pagination import count_up_to
from tests.factories import case_create


def page(client, case) -> str:
    response = client.get(case.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def reply_card(html: str) -> str:
    return html[html.index('id="reply"') :]


def test_reply_text_comes_before_the_attachments_and_reply_is_said_once(
    organization, standard_user, client_for
):
    case = case_create(organization, standard_user)

    card = reply_card(page(client_for(standard_user), case))

    assert card.index('name="body"') < card.index('name="files"')
    assert len(re.findall(r">\s*Reply\s*<", card)) == 1


def test_closing_an_open_case_is_not_the_prominent_button_and_asks_first(
    organization, standard_user, client_for
):
    case = case_create(organization, standard_user)

    html = page(client_for(standard_user), case)

    close = re.search(r"<details[^>]*case-close-confirm.*?</details>", html, re.S)
    assert close is not None
    assert 'data-status="closed"' in close.group(0)
    # Only the confirmation inside <details> closes; nothing outside it is a close button.
    assert 'data-status="closed"' not in html.replace(close.group(0), "")
    assert "btn-success" not in close.group(0) and "btn-primary" not in close.group(0)


def test_confirming_a_resolution_stays_one_click(organization, standard_user, client_for):
    case = case_create(organization, standard_user)
    Case.objects.filter(pk=case.pk).update(status=Case.Status.RESOLVED)

    html = page(client_for(standard_user), case)

    assert "case-close-confirm" not in html
    assert re.search(r'data-status="closed">\s*Confirm the resolution', html)


def test_watch_and_mute_follow_the_current_state(organization, standard_user, admin_user, client_for):
    case = case_create(organization, standard_user)
    client = client_for(admin_user)

    html = page(client, case)
    assert ">Watch<" in html and "Stop watching" not in html
    assert "Mute notifications" in html and "Unmute" not in html

    services.case_watch(case=case, user=admin_user, watch=True)
    html = page(client, case)
    assert "Stop watching" in html and ">Watch<" not in html

    services.case_mute(case=case, user=admin_user, muted=True)
    html = page(client, case)
    assert "Unmute" in html and "Mute notifications" not in html


def test_the_list_says_how_many_cases_match(organization, standard_user, client_for):
    for _ in range(3):
        case_create(organization, standard_user)

    html = client_for(standard_user).get(reverse("cases:case-list")).content.decode()

    assert re.search(r'id="match-count">\s*3 cases match\.', html)


def test_the_count_stops_at_its_bound_in_one_query(organization, standard_user, django_assert_num_queries):
    for _ in range(4):
        case_create(organization, standard_user)

    with django_assert_num_queries(1) as captured:
        result = count_up_to(Case.objects.all(), bound=3)

    assert result == (3, True)
    assert "LIMIT 4" in captured.captured_queries[0]["sql"]
    assert count_up_to(Case.objects.all(), bound=4) == (4, False)


def test_the_assign_dialog_shows_availability_and_open_cases(
    organization, standard_user, dispatcher, client_for
):
    (busy,) = consultants(1)
    (away,) = consultants(1, available=False)
    give_open_cases(busy, 2, organization, standard_user)
    case = case_create(organization, standard_user)
    Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED, assignee=busy)  # not open: not counted
    case = case_create(organization, standard_user)
    url = reverse("cases:case-assign", args=[case.reference])
    client = client_for(dispatcher)
    client.get(url)

    with CaptureQueriesContext(connection) as few:
        html = client.get(url).content.decode()
    consultants(5)
    with CaptureQueriesContext(connection) as many:
        client.get(url)

    open_cases = Case.objects.open().filter(assignee=busy).count()
    assert f"{busy} (available, {open_cases} open cases)" in html
    assert f"{away} (not available, 0 open cases)" in html
    assert len(few) == len(many)
