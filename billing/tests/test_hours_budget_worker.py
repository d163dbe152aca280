"""The hour budget alert through the outbox, a real Celery worker on the real Redis broker and a real SMTP
server: time logged past 80 % twice tells the FIN_ADMIN once, by e-mail and in the bell (the worker and SMTP
fixtures of tests/worker.py)."""

import re
import time

import pytest
from django.utils import timezone

from billing import timelog
from billing.tests.factories import contract_make
from helpdesk.models import Notification, OutboxMessage
from tests.integration import redis_url
from tests.worker import WAIT_SECONDS, mail_wait, tasks_sent_to

pytestmark = pytest.mark.redis

DONE = re.compile(r"Hours budget of organization \d+ for [\d-]+: notified (\d+)")


def _runs(worker) -> list[str]:
    return DONE.findall(worker.log())


def test_time_logged_past_80_percent_twice_tells_the_fin_admin_once(
    celery_worker, smtp_server, worker_queue, organization, fin_admin_user, standard_user, consultant
):
    mailbox, _port = smtp_server
    contract_make(organization, included_hours="10")

    with tasks_sent_to(redis_url(), worker_queue):
        # In a transactional test each service call commits at once, and its outbox row is then drained.
        for minutes in (8 * 60, 30):
            timelog.time_entry_log(
                by=consultant,
                organization=organization,
                day=timezone.localdate(),
                minutes=minutes,
                description="Work",
            )
        envelope = mail_wait(mailbox, celery_worker)
        deadline = time.monotonic() + WAIT_SECONDS
        while len(_runs(celery_worker)) < 2:
            if time.monotonic() > deadline:
                pytest.fail(
                    f"the worker did not run both checks within {WAIT_SECONDS} s:\n{celery_worker.log()}"
                )
            time.sleep(0.1)

    assert envelope.rcpt_tos == [fin_admin_user.email]
    assert mailbox.envelopes.empty()  # the second check told nobody again
    assert sorted(_runs(celery_worker)) == ["0", "1"]
    notification = Notification.objects.get()
    assert (notification.recipient, notification.verb) == (fin_admin_user, "billing.hours_budget")
    assert "80 %" in notification.title
    assert OutboxMessage.objects.pending().count() == 0  # both tasks went through the outbox
    assert OutboxMessage.objects.count() == 2
