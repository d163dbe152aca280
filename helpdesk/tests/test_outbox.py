"""The transactional outbox (helpdesk/outbox.py): a task commits or rolls back with its change, and reaches
the broker once, whether the broker is up at the commit or comes back later. The broker here is kombu's
in-memory one, in the queue of each test (a real Redis and worker: tests/test_faults.py)."""

import time
import uuid
from datetime import timedelta

import pytest
from celery.schedules import crontab
from celery.signals import before_task_publish
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cases.tasks import case_event_notify
from helpdesk import outbox, tasks
from helpdesk.celery import app
from helpdesk.models import OutboxMessage
from tests.concurrency import run_in_threads
from tests.worker import free_port, tasks_sent_to

TASK = "cases.tasks.case_event_notify"


@pytest.fixture
def queue_name():
    return f"test-outbox-{uuid.uuid4().hex}"


@pytest.fixture
def broker(queue_name):
    """Tasks go through the outbox to an in-memory broker, into this test's own queue."""
    with tasks_sent_to("memory://localhost/", queue_name):
        yield queue_name


@pytest.fixture
def warnings_logged(monkeypatch, caplog):
    """Every broker warning is logged (the throttle forgets the warnings of earlier tests)."""
    monkeypatch.setattr(outbox.warn_broker_down, "last_logged_at", None)
    return caplog


def dead_broker_url() -> str:
    return f"redis://127.0.0.1:{free_port()}/0"


def received(queue_name: str) -> list[tuple[str, list]]:
    """The tasks (name, args) the broker holds in the queue, taken out of it."""
    tasks_in_queue = []
    with app.connection_for_write() as connection:
        queue = connection.SimpleQueue(queue_name, no_ack=True)
        try:
            while True:
                message = queue.get_nowait()
                tasks_in_queue.append((message.headers["task"], message.payload[0]))
        except queue.Empty:
            pass
        finally:
            queue.close()
    return tasks_in_queue


def test_a_task_enqueued_in_a_rolled_back_transaction_leaves_nothing(
    db, broker, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        outbox.enqueue(case_event_notify, 41)
        raise RuntimeError("the change fails")

    assert not OutboxMessage.objects.exists()
    assert received(broker) == []


def test_after_commit_the_task_goes_to_the_broker_and_its_row_is_marked_sent(
    db, broker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        outbox.enqueue(case_event_notify, 41)
        assert OutboxMessage.objects.pending().get().args == [41]

    assert received(broker) == [(TASK, [41])]
    message = OutboxMessage.objects.get()
    assert message.sent_at is not None
    assert message.args == []  # forgotten once sent: an invitation's token must not stay in the table


def test_a_drain_while_the_broker_is_down_keeps_the_task_and_a_later_drain_sends_it_once(
    db, queue_name, warnings_logged, django_capture_on_commit_callbacks
):
    with tasks_sent_to(dead_broker_url(), queue_name):
        with django_capture_on_commit_callbacks(execute=True):
            outbox.enqueue(case_event_notify, 41)
        assert outbox.drain() == 0

    assert OutboxMessage.objects.pending().get().args == [41]
    assert "The broker cannot be reached; tasks wait in the outbox" in warnings_logged.text
    assert warnings_logged.text.count("The broker cannot be reached") == 1  # once a minute, not per drain

    with tasks_sent_to("memory://localhost/", queue_name):
        assert outbox.drain() == 1
        assert outbox.drain() == 0
        assert received(queue_name) == [(TASK, [41])]
    assert not OutboxMessage.objects.pending().exists()


def test_a_row_that_cannot_be_sent_does_not_hold_back_the_others(db, broker):
    OutboxMessage.objects.bulk_create(
        [OutboxMessage(task_name="gone.tasks.removed", args=[1]), OutboxMessage(task_name=TASK, args=[2])]
    )

    assert outbox.drain() == 1
    assert received(broker) == [(TASK, [2])]
    assert OutboxMessage.objects.pending().get().task_name == "gone.tasks.removed"


def test_two_drains_at_once_send_each_task_once(transactional_db, broker):
    OutboxMessage.objects.bulk_create([OutboxMessage(task_name=TASK, args=[number]) for number in range(40)])

    def slow_broker(**_kwargs):
        time.sleep(0.005)  # so that the two drains overlap over many batches

    before_task_publish.connect(slow_broker)
    try:
        run_in_threads(2, lambda _index: outbox.drain(batch_size=4))
    finally:
        before_task_publish.disconnect(slow_broker)

    assert sorted(args for _name, args in received(broker)) == [[number] for number in range(40)]
    assert not OutboxMessage.objects.pending().exists()


def test_without_a_broker_the_task_runs_after_commit_and_no_row_is_written(
    db, django_capture_on_commit_callbacks, monkeypatch
):
    ran = []
    monkeypatch.setattr(case_event_notify, "run", ran.append)
    with django_capture_on_commit_callbacks(execute=True):
        outbox.enqueue(case_event_notify, 41)  # conftest.py: tasks are eager in tests, as without REDIS_URL
        assert ran == []

    assert ran == [41]
    assert not OutboxMessage.objects.exists()


def test_sent_rows_are_purged_after_some_days_and_pending_ones_never(db):
    now = timezone.now()
    OutboxMessage.objects.create(task_name=TASK, sent_at=now - timedelta(days=8))
    recent = OutboxMessage.objects.create(task_name=TASK, sent_at=now - timedelta(days=1))
    pending = OutboxMessage.objects.create(task_name=TASK, args=[3], created_at=now - timedelta(days=30))

    tasks.outbox_purge()

    assert set(OutboxMessage.objects.values_list("pk", flat=True)) == {recent.pk, pending.pk}


def test_beat_drains_every_minute_and_purges_daily():
    schedule = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert schedule["helpdesk.tasks.outbox_drain"] == crontab()
    assert schedule["helpdesk.tasks.outbox_purge"] == crontab(hour=3, minute=45)
    assert {"helpdesk.tasks.outbox_drain", "helpdesk.tasks.outbox_purge"} <= set(app.tasks)
