"""The transactional outbox: a task is written in the transaction of the change it belongs to, and handed to
Celery once that transaction has committed.

`transaction.on_commit(lambda: task.delay(...))` loses the task when the broker is down at that moment (and
fails the request after its change was committed). Instead a service calls `enqueue(task, *args)` inside its
transaction: the OutboxMessage row commits or rolls back with the change. After the commit the row is
drained (sent to the broker and marked sent); whatever a drain could not send (the broker was down) stays
pending, and the periodic `helpdesk.tasks.outbox_drain` sends it later. A row is marked sent only after the
broker accepted the task, so a task may go out twice (a crash between the two) but is never lost: tasks are
idempotent (ARCHITECTURE.md, "The way a background task goes"). Drains lock the rows they send with
SELECT ... FOR UPDATE SKIP LOCKED, so two drains at once never send one row twice.

Without a broker (eager tasks: `make run`, the tests) there is nothing to lose, and no row is written: the
task runs after commit as before.
"""

import logging
from functools import partial

from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from .celery import app
from .logs import ThrottledWarning, current_request_id
from .models import OutboxMessage

logger = logging.getLogger(__name__)
warn_broker_down = ThrottledWarning(logger)

BATCH_SIZE = 100
# A request waits at most about a second for a broker that refuses connections, then leaves its tasks to
# the periodic drain.
RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}


def enqueue(task, *args) -> None:
    """Run `task(*args)` after the current transaction commits, and never lose it. Arguments must be JSON."""
    if task.app.conf.task_always_eager:
        transaction.on_commit(partial(task.delay, *args))
        return
    message = OutboxMessage.objects.create(
        task_name=task.name, args=list(args), request_id=current_request_id() or ""
    )
    # Robust: the change is committed, so a failing drain must not turn the response into an error.
    transaction.on_commit(partial(drain, ids=[message.pk]), robust=True)


def drain(*, ids: list[int] | None = None, batch_size: int = BATCH_SIZE) -> int:
    """Send the pending messages (all, or those of `ids`) to the broker, oldest first; returns how many it
    accepted. Stops at the first broker error: the rest waits for the next drain."""
    sent = 0
    after = 0
    while True:
        with transaction.atomic():
            pending = OutboxMessage.objects.pending().filter(pk__gt=after).order_by("pk")
            if ids is not None:
                pending = pending.filter(pk__in=ids)
            messages = list(pending.select_for_update(skip_locked=True)[:batch_size])
            accepted, broker_down = _send(messages)
            if accepted:
                OutboxMessage.objects.filter(pk__in=accepted).update(sent_at=timezone.now(), args=[])
        sent += len(accepted)
        if broker_down or len(messages) < batch_size:
            return sent
        after = messages[-1].pk


def _send(messages: list[OutboxMessage]) -> tuple[list[int], bool]:
    """Hand the messages to the broker in order: the ids it accepted, and whether it was unreachable."""
    accepted = []
    for message in messages:
        try:
            task = app.tasks[message.task_name]
            # The id of the request that enqueued it, also when the periodic drain sends it (logs.py).
            headers = {"request_id": message.request_id} if message.request_id else None
            task.apply_async(args=message.args, headers=headers, retry=True, retry_policy=RETRY_POLICY)
        except OperationalError as error:  # kombu's word for "the broker cannot be reached"
            warn_broker_down("The broker cannot be reached; tasks wait in the outbox: %s", error)
            return accepted, True
        except Exception:
            # One bad row (a task that no longer exists) must not hold back the others; it stays pending.
            logger.exception("Outbox message %s (%s) could not be sent", message.pk, message.task_name)
        else:
            accepted.append(message.pk)
    return accepted, False


def purge(*, older_than) -> int:
    """Delete the messages sent before `older_than`; returns how many."""
    deleted, _by_model = OutboxMessage.objects.filter(sent_at__lt=older_than).delete()
    return deleted
