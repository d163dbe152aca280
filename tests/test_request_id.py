"""Logs are JSON lines with a request id, and the id of a request reaches the log lines of the Celery tasks it
started: through the outbox, the real Redis broker and a real worker."""

import io
import json
import logging
import time
from contextlib import contextmanager

import pytest
from celery.signals import before_task_publish
from django.urls import reverse

from helpdesk import logs, outbox
from helpdesk.logs import JsonFormatter, RequestContextFilter
from helpdesk.models import OutboxMessage
from tests.factories import UserFactory
from tests.integration import redis_url
from tests.worker import WAIT_SECONDS, free_port, mail_wait, tasks_sent_to, worker_running


@contextmanager
def json_lines(logger_name: str = ""):
    """The lines logged through `logger_name` while the block runs, formatted as settings.LOGGING does in
    production (JSON, with the request's context)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestContextFilter())
    logger = logging.getLogger(logger_name)
    logger.addHandler(handler)
    lines: list[dict] = []
    try:
        yield lines
    finally:
        logger.removeHandler(handler)
        lines += [json.loads(line) for line in stream.getvalue().splitlines()]


def test_production_logs_json_lines_and_development_text():
    assert logs.logging_config(json_lines=True, level="INFO")["formatters"]["line"] == {"()": JsonFormatter}
    assert "request_id" in logs.logging_config(json_lines=False, level="INFO")["formatters"]["line"]["format"]


def test_a_well_formed_request_id_is_kept_and_returned(db, standard_user, client_for):
    with json_lines("helpdesk.request") as lines:
        response = client_for(standard_user).get(
            reverse("dashboard"), headers={"X-Request-ID": "lb-1234abcd"}
        )
    assert response["X-Request-ID"] == "lb-1234abcd"
    [line] = lines
    assert line["request_id"] == "lb-1234abcd"
    assert line["user_id"] == standard_user.pk
    assert (line["path"], line["method"], line["status"]) == ("/", "GET", 200)
    assert line["duration_ms"] > 0
    assert (
        line["level"] == "INFO" and line["logger"] == "helpdesk.request" and line["time"].endswith("+00:00")
    )


@pytest.mark.parametrize("header", ["", "short", 'x" injected "y', "a" * 200, "spaces are not ids"])
def test_a_malformed_request_id_is_replaced(db, client_for, header):
    response = client_for().get(reverse("health-live"), headers={"X-Request-ID": header})
    assert response["X-Request-ID"] != header
    assert logs.REQUEST_ID_PATTERN.fullmatch(response["X-Request-ID"])


def test_every_line_of_a_request_carries_its_id(db, client_for):
    """A line some code logs during the request (here Django's own 404 warning) has the id too."""
    with json_lines() as lines:
        response = client_for().get("/no-such-page/", headers={"X-Request-ID": "trace-0001-0002"})
    assert response.status_code == 404
    assert {line["logger"] for line in lines} >= {"django.request", "helpdesk.request"}
    assert {line["request_id"] for line in lines} == {"trace-0001-0002"}


@pytest.mark.redis
def test_the_outbox_row_carries_the_request_id_to_the_task_headers(transactional_db, worker_queue):
    """Sent later by the periodic drain, outside any request, the task still gets its request's id."""
    from accounts.tasks import password_reset_send

    published = []

    def capture(headers=None, **kwargs):
        published.append(dict(headers))

    token = logs.request_id_var.set("req-outbox-42")
    try:
        with tasks_sent_to(f"redis://127.0.0.1:{free_port()}/0", worker_queue):
            outbox.enqueue(password_reset_send, 1)  # the broker is down: the row waits
    finally:
        logs.request_id_var.reset(token)
    assert OutboxMessage.objects.pending().get().request_id == "req-outbox-42"

    before_task_publish.connect(capture)
    try:
        with tasks_sent_to(redis_url(), worker_queue):
            assert outbox.drain() == 1
    finally:
        before_task_publish.disconnect(capture)
    assert published[0]["request_id"] == "req-outbox-42"


@pytest.fixture
def json_worker(transactional_db, smtp_server, worker_queue, tmp_path):
    """A worker whose log is JSON lines, as in production."""
    _mailbox, smtp_port = smtp_server
    with worker_running(
        broker_url=redis_url(),
        queue_name=worker_queue,
        smtp_port=smtp_port,
        log_path=tmp_path / "worker.log",
        extra_env={"LOG_FORMAT": "json"},
    ) as worker:
        yield worker


def task_lines(worker, message_start: str) -> list[dict]:
    """The worker's JSON lines whose message starts so, waited for."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        found = []
        for text in worker.log().splitlines():
            if text.startswith("{"):
                line = json.loads(text)
                if line["message"].startswith(message_start):
                    found.append(line)
        if found:
            return found
        time.sleep(0.1)
    pytest.fail(f"no worker log line {message_start!r} within {WAIT_SECONDS} s:\n{worker.log()}")


@pytest.mark.redis
def test_the_request_id_reaches_the_log_lines_of_the_task_it_started(
    json_worker, smtp_server, worker_queue, client_for
):
    mailbox, _port = smtp_server
    user = UserFactory(email="trace.me@example.com")

    with json_lines("helpdesk.request") as web_lines, tasks_sent_to(redis_url(), worker_queue):
        response = client_for().post(
            reverse("accounts:password-reset"),
            {"email": user.email},
            headers={"X-Request-ID": "req-7f3a9c21"},
        )
    assert response.status_code == 302
    assert response["X-Request-ID"] == "req-7f3a9c21"
    [web_line] = web_lines
    assert (web_line["request_id"], web_line["path"], web_line["status"]) == (
        "req-7f3a9c21",
        reverse("accounts:password-reset"),
        302,
    )

    mail_wait(mailbox, json_worker)
    [task_line] = task_lines(json_worker, f"Sent password reset to user {user.pk}")
    assert task_line["request_id"] == "req-7f3a9c21"
    assert task_line["task_name"] == "accounts.tasks.password_reset_send"
    assert task_line["level"] == "INFO" and task_line["logger"] == "accounts.tasks"
