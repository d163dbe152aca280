"""The morning reminder task run twice through a real Celery worker on the real Redis broker: each ADMIN and
FIN_ADMIN receives the reminder once, by SMTP (the worker and SMTP fixtures of tests/worker.py)."""

import re
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from licensing import tasks
from licensing.models import ExpiryReminder
from licensing.tests.factories import licence_make
from tests.integration import redis_url
from tests.worker import WAIT_SECONDS, mail_wait, tasks_sent_to, worker_running

pytestmark = pytest.mark.redis

DONE = re.compile(r"Licence reminders: (\d+) due, (\d+) recipients")


def _runs(worker) -> list[tuple[str, str]]:
    """(due, recipients) of each finished morning run."""
    return DONE.findall(worker.log())


def test_the_morning_task_run_twice_sends_each_reminder_once(
    transactional_db,
    smtp_server,
    worker_queue,
    tmp_path,
    organization,
    admin_user,
    fin_admin_user,
    sys_admin_user,
):
    mailbox, smtp_port = smtp_server
    today = timezone.localdate()
    licence = licence_make(
        organization, valid_until=today + timedelta(days=30), support_until=today + timedelta(days=200)
    )

    with (
        worker_running(
            broker_url=redis_url(),
            queue_name=worker_queue,
            smtp_port=smtp_port,
            log_path=tmp_path / "worker.log",
        ) as worker,
        tasks_sent_to(redis_url(), worker_queue),
    ):
        tasks.licence_reminders_due.delay()
        tasks.licence_reminders_due.delay()
        received = sorted(mail_wait(mailbox, worker).rcpt_tos[0] for _recipient in range(2))
        deadline = time.monotonic() + WAIT_SECONDS
        while len(_runs(worker)) < 2:
            if time.monotonic() > deadline:
                pytest.fail(f"the worker did not finish within {WAIT_SECONDS} s:\n{worker.log()}")
            time.sleep(0.1)

    assert received == sorted([admin_user.email, fin_admin_user.email])
    assert mailbox.envelopes.empty()  # the second run sent nothing again
    assert _runs(worker) == [("1", "2"), ("0", "0")]
    reminder = ExpiryReminder.objects.get(licence=licence)
    assert (reminder.kind, reminder.threshold, reminder.sent_at is not None) == ("licence", 30, True)
