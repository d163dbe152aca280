"""A real Celery worker on the real Redis broker, and an SMTP server that keeps what it receives: the
fixtures of the tests that prove a task path end to end (registered for every test by conftest.py)."""

import os
import queue
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.db import connection
from kombu import pools as kombu_pools

from helpdesk.celery import app
from tests.integration import database_url, process_stop, redis_url

WAIT_SECONDS = 30


class Mailbox:
    """An aiosmtpd handler that keeps what it receives."""

    def __init__(self):
        self.envelopes = queue.Queue()

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.put(envelope)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def smtp_serving(mailbox):
    """An SMTP server on a free local port that hands what it receives to `mailbox` (an aiosmtpd handler)."""
    from aiosmtpd.controller import Controller

    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield mailbox, controller.port
    finally:
        controller.stop()


@pytest.fixture
def smtp_server():
    with smtp_serving(Mailbox()) as server:
        yield server


@pytest.fixture
def worker_queue():
    """A queue of this test's own, so that no other worker on the same Redis takes its tasks."""
    name = f"test-{uuid.uuid4().hex}"
    yield name
    import redis

    client = redis.Redis.from_url(redis_url())
    for key in client.scan_iter(match=f"*{name}*"):
        client.delete(key)


class Worker:
    def __init__(self, process, log_path):
        self.process = process
        self.log_path = log_path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_until_ready(self):
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"the Celery worker exited ({self.process.returncode}):\n{self.log()}")
            if " ready." in self.log():
                return
            time.sleep(0.1)
        pytest.fail(f"the Celery worker was not ready within {WAIT_SECONDS} s:\n{self.log()}")


@contextmanager
def worker_running(
    *,
    broker_url: str,
    queue_name: str,
    smtp_port: int,
    log_path,
    pool: str = "solo",
    extra_env: dict | None = None,
):
    """`celery worker` in its own process on `broker_url`, on the test database, sending mail to the test
    SMTP server (with `extra_env` added to its environment); stopped when the block ends."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url(connection.settings_dict),
        "REDIS_URL": broker_url,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_USE_TLS": "0",
        "SECRET_KEY": settings.SECRET_KEY,  # the reset token it makes must check out here
        "DEBUG": "1",
        **(extra_env or {}),
    }
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "celery", "-A", "helpdesk", "worker"),
                *(f"--pool={pool}", "--concurrency=1", "-Q", queue_name, "--loglevel=INFO"),
                *("--without-heartbeat", "--without-gossip", "--without-mingle"),
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    worker = Worker(process, log_path)
    try:
        worker.wait_until_ready()
        yield worker
    finally:
        process_stop(process)


@pytest.fixture
def celery_worker(transactional_db, smtp_server, worker_queue, tmp_path):
    """A worker on the real Redis broker, taking the tasks of this test's own queue."""
    _mailbox, smtp_port = smtp_server
    with worker_running(
        broker_url=redis_url(), queue_name=worker_queue, smtp_port=smtp_port, log_path=tmp_path / "worker.log"
    ) as worker:
        yield worker


@contextmanager
def tasks_sent_to(broker_url: str, queue_name: str):
    """Send this process's tasks to the broker instead of running them eagerly (conftest.py)."""
    names = ("task_always_eager", "broker_url", "task_default_queue")
    saved = {name: getattr(app.conf, name) for name in names}

    def forget_connections():
        # The producer pool and the queue table are built on first use from the configuration. The
        # connection pools also live in kombu's global registry: closing one there without clearing it
        # leaves later eager tasks (which acquire a producer too) an "Acquire on closed pool".
        kombu_pools.reset()
        app._pool = None
        app.__dict__.pop("amqp", None)

    app.conf.update(task_always_eager=False, broker_url=broker_url, task_default_queue=queue_name)
    forget_connections()
    try:
        yield
    finally:
        forget_connections()
        app.conf.update(saved)


def mail_wait(mailbox, worker):
    """The next message the SMTP server receives, or the test fails with the worker's log."""
    try:
        return mailbox.envelopes.get(timeout=WAIT_SECONDS)
    except queue.Empty:
        pytest.fail(f"no mail reached the SMTP server within {WAIT_SECONDS} s; worker log:\n{worker.log()}")
