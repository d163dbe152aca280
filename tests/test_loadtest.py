"""The load test (bench/soak.py, `make loadtest`) at a tiny size: generated people sign in through a real
gunicorn, go round the main pages and log cases, and every answer is counted."""

import pytest

from accounts.services import staff_groups_sync
from bench import soak
from bench.generate import generate
from bench.timeline import CATEGORY_WEIGHTS
from cases.models import Case
from tests.factories import category_get, module_get
from tests.server import PortalServer


@pytest.fixture
def facts(transactional_db):
    # The migrations' groups, categories and modules, gone if an earlier transactional test flushed them.
    staff_groups_sync()
    for code in CATEGORY_WEIGHTS:
        category_get(code)
    module_get()
    facts = generate(cases=40, organizations=3, customers=6, vacuum=False, out=lambda message: None)
    return facts.as_dict()


def test_load_test_signs_in_drives_every_page_and_finds_no_error(facts):
    people = soak.personas(facts, count=4)
    assert len(people) == 4
    cases_before = Case.objects.count()

    with PortalServer("soak") as server:
        figures = soak.soak_run(server.port, people, clients=4, duration=3, out=lambda message: None)

    assert figures["errors"] == 0, figures["error_samples"]
    # The form and sending it, for each client; then the code form and its answer for staff.
    assert figures["sign_ins"] == sum(4 if "authenticator" in person else 2 for person in people)
    assert any("authenticator" in person for person in people)  # the dispatcher
    assert set(figures["pages"]) == {
        "case-list",
        "case-detail",
        "dashboard",
        "knowledge-search",
        "create-form",
        "create",
    }
    assert figures["statuses"].keys() <= {200, 302}
    assert Case.objects.count() - cases_before == figures["pages"]["create"]["requests"]


def test_a_failed_sign_in_is_an_error(facts):
    people = soak.personas(facts, count=1)
    people[0]["password"] = "not-the-password"  # noqa: S105

    with PortalServer("soak") as server:
        figures = soak.soak_run(server.port, people, clients=1, duration=0, out=lambda message: None)

    assert figures["errors"] == 1  # the sign-in answered 200 (the form again), not 302


def test_an_unexpected_answer_is_an_error():
    tally = soak.Tally()
    assert tally.count("case-list", 200, 0.0, 200)
    assert not tally.count("case-list", 302, 0.0, 200, "redirected to /accounts/login/?next=/cases/")
    assert not tally.count("dashboard", 500, 0.0, 200)
    figures = soak.soak_figures(tally, seconds=1.0, cpu_busy=None)
    assert figures["errors"] == 2
    assert figures["statuses"] == {200: 1, 302: 1, 500: 1}
