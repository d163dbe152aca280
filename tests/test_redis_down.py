"""Redis is down (REDIS_URL names a port nobody listens on): the cache degrades to no cache and the tasks wait
in the outbox, so the pages still answer, and a case is created once, with its notification kept for later."""

import pytest
from django.urls import reverse

from cases.models import Case
from helpdesk.models import OutboxMessage
from tests.factories import UserFactory, case_create, category_get
from tests.worker import free_port, tasks_sent_to


@pytest.fixture
def redis_down(db, settings):
    """The production cache and broker settings, on a Redis that is not there."""
    url = f"redis://127.0.0.1:{free_port()}/0"
    settings.CACHES = {
        "default": {"BACKEND": "helpdesk.cache.FailSoftRedisCache", "LOCATION": url, "KEY_PREFIX": "helpdesk"}
    }
    with tasks_sent_to(url, "nobody-listens"):
        yield


def test_the_case_pages_answer_without_the_cache_and_say_so_in_the_log(
    redis_down, organization, admin_user, client_for, caplog
):
    case_create(organization, admin_user)
    client = client_for(admin_user)

    assert client.get(reverse("cases:case-list")).status_code == 200
    assert client.get(reverse("cases:case-analysis")).status_code == 200
    assert client.get(reverse("cases:case-analysis"), {"priority": "high"}).status_code == 200

    warnings = [record for record in caplog.records if record.name == "helpdesk.cache"]
    assert [record.levelname for record in warnings] == ["WARNING"]  # once, not per request
    assert "The cache (Redis) cannot be reached" in warnings[0].getMessage()


def test_a_case_logged_while_the_broker_is_down_is_created_once_and_its_task_waits(
    redis_down, standard_user, client_for, django_capture_on_commit_callbacks
):
    data = {"title": "Stock report is wrong", "category": category_get().pk, "priority": "high"}
    data["description"] = "The totals differ from the warehouse list."

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(standard_user).post(reverse("cases:case-create"), data)

    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == case.get_absolute_url()
    waiting = OutboxMessage.objects.pending().get()
    assert (waiting.task_name, waiting.args) == ("cases.tasks.case_event_notify", [case.events.get().pk])


def test_the_password_reset_answers_while_the_broker_is_down(
    redis_down, client_for, django_capture_on_commit_callbacks
):
    user = UserFactory(email="reset.me@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for().post(reverse("accounts:password-reset"), {"email": user.email})

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password-reset-done")
    waiting = OutboxMessage.objects.pending().get()
    assert (waiting.task_name, waiting.args) == ("accounts.tasks.password_reset_send", [user.pk])
