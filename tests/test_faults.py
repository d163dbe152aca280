"""Nothing is lost when a service fails, proven with the real services: a Redis of the test's own that the
test stops and starts again (never the shared one), a real Celery worker on it, an SMTP server that counts.

- Redis stopped while a case is logged: the page answers as usual, the notification task waits in the outbox
  (helpdesk/outbox.py), and goes out once Redis is back, once.
- A worker killed (SIGKILL) inside a task: acks_late and reject_on_worker_lost (settings, CELERY_*) give the
  task back to the broker, it runs again, and its effect (a notification and its e-mail) happens once.
"""

import asyncio
import os
import re
import shutil
import subprocess
import threading
import time

import psutil
import pytest
import redis
from django.urls import reverse

from cases.models import Case
from helpdesk import outbox
from helpdesk.models import Notification, OutboxMessage
from helpdesk.tasks import outbox_drain
from tests.factories import case_create, category_get
from tests.worker import (
    WAIT_SECONDS,
    Mailbox,
    free_port,
    mail_wait,
    smtp_serving,
    tasks_sent_to,
    worker_running,
)

pytestmark = pytest.mark.redis

# The queue a worker takes by default: alone on its own Redis, it also takes the tasks the worker sends.
QUEUE = "celery"


class RedisServer:
    """A redis-server of the test's own, on a free port, without persistence; the test stops and starts it."""

    def __init__(self, directory):
        self.directory = directory
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                *("redis-server", "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--dir", str(self.directory)),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            try:
                redis.Redis.from_url(self.url, socket_connect_timeout=0.5).ping()
                return
            except redis.ConnectionError:
                if self.process.poll() is not None:
                    pytest.fail(f"redis-server exited ({self.process.returncode})")
                time.sleep(0.05)
        pytest.fail(f"redis-server did not answer within {WAIT_SECONDS} s")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture
def own_redis(tmp_path):
    if shutil.which("redis-server") is None:
        problem = "redis-server is not installed (apt-get install -y redis-server)"
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(f"{problem}; REQUIRE_SERVICES=1 forbids skipping", pytrace=False)
        pytest.skip(problem)
    server = RedisServer(tmp_path)
    server.start()
    yield server
    if server.process.poll() is None:
        server.stop()


def succeeded(worker, task_name: str) -> bool:
    return re.search(rf"Task {re.escape(task_name)}\[[\w-]+\] succeeded", worker.log()) is not None


def wait_until(condition, worker, what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what} did not happen within {WAIT_SECONDS} s; worker log:\n{worker.log()}")
        time.sleep(0.1)


def test_a_case_logged_while_redis_is_stopped_is_notified_once_after_it_returns(
    own_redis, smtp_server, tmp_path, transactional_db, standard_user, dispatcher, client_for
):
    mailbox, smtp_port = smtp_server
    data = {"title": "Stock report is wrong", "category": category_get().pk, "priority": "high"}
    data["description"] = "The totals differ from the warehouse list."
    log_path = tmp_path / "worker.log"

    with (
        worker_running(
            broker_url=own_redis.url, queue_name=QUEUE, smtp_port=smtp_port, log_path=log_path
        ) as worker,
        tasks_sent_to(own_redis.url, QUEUE),
    ):
        own_redis.stop()
        response = client_for(standard_user).post(reverse("cases:case-create"), data)
        case = Case.objects.get()
        assert response.status_code == 302
        assert response["Location"] == case.get_absolute_url()
        assert OutboxMessage.objects.pending().count() == 1
        assert not Notification.objects.exists()

        own_redis.start()
        # Beat's minute comes: its drain goes through the broker to the worker, which sends the waiting task.
        outbox_drain.delay()
        envelope = mail_wait(mailbox, worker)
        wait_until(lambda: succeeded(worker, "cases.tasks.case_event_notify"), worker, "the task")
        wait_until(lambda: not OutboxMessage.objects.pending().exists(), worker, "the drain")
        assert outbox.drain() == 0  # another drain finds nothing left to send
        time.sleep(1)

    assert envelope.rcpt_tos == [dispatcher.email]
    assert mailbox.envelopes.empty()
    assert list(Notification.objects.values_list("recipient", flat=True)) == [dispatcher.pk]


class HoldingMailbox(Mailbox):
    """Holds the first message at its recipient until the test releases it (its sending task is then inside,
    its notification row written but not committed); takes the others."""

    def __init__(self):
        super().__init__()
        self.holding = threading.Event()
        self.released = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if not self.holding.is_set():
            self.holding.set()
            while not self.released.is_set():
                await asyncio.sleep(0.05)
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.fixture
def holding_smtp_server():
    mailbox = HoldingMailbox()
    with smtp_serving(mailbox) as server:
        yield server
        mailbox.released.set()


def test_a_task_whose_worker_is_killed_inside_runs_again_and_notifies_once(
    own_redis, holding_smtp_server, tmp_path, transactional_db, organization, standard_user, dispatcher
):
    mailbox, smtp_port = holding_smtp_server
    log_path = tmp_path / "worker.log"

    with (
        worker_running(
            broker_url=own_redis.url, queue_name=QUEUE, smtp_port=smtp_port, log_path=log_path, pool="prefork"
        ) as worker,
        tasks_sent_to(own_redis.url, QUEUE),
    ):
        case_create(organization, standard_user)  # commits; its notification task goes to the worker
        if not mailbox.holding.wait(WAIT_SECONDS):
            pytest.fail(f"the task did not start its e-mail within {WAIT_SECONDS} s:\n{worker.log()}")
        [pool_process] = psutil.Process(worker.process.pid).children()
        pool_process.kill()  # SIGKILL, in the middle of the task
        pool_process.wait(timeout=10)
        mailbox.released.set()

        envelope = mail_wait(mailbox, worker)
        wait_until(lambda: succeeded(worker, "cases.tasks.case_event_notify"), worker, "the second run")
        time.sleep(1)

    assert "signal 9 (SIGKILL)" in worker.log()
    assert envelope.rcpt_tos == [dispatcher.email]
    assert mailbox.envelopes.empty()
    assert list(Notification.objects.values_list("recipient", flat=True)) == [dispatcher.pk]
