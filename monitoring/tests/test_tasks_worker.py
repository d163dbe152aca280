"""The monitoring beat tasks through a real Celery worker on the real Redis broker, each sent twice as a beat
that fires again (or a redelivered message) would: a silent check turns stale once, the incident whose grace
passed opens one case, told once by e-mail to the organization's SYS_ADMIN and ADMIN (and its assignment to
the consultant), and old results are folded once (the worker and SMTP fixtures of tests/worker.py)."""

import re
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from cases import services as case_services
from cases.models import Case
from helpdesk.models import Notification, OutboxMessage
from monitoring import services, tasks
from monitoring.models import HourlyRollup, Incident, Installation, LatestResult, Result, Status
from tests.integration import redis_url
from tests.worker import WAIT_SECONDS, mail_wait, tasks_sent_to, worker_running

pytestmark = pytest.mark.redis

DONE = re.compile(r"Monitoring (staleness|incidents due|retention): ")


def _runs(worker) -> list[str]:
    return DONE.findall(worker.log())


def result(component, check, status, measured_at, **extra):
    return {"component": component, "check": check, "status": status, "measured_at": measured_at, **extra}


def test_the_beat_tasks_run_twice_do_their_work_once(
    transactional_db,
    smtp_server,
    worker_queue,
    tmp_path,
    monkeypatch,
    organization,
    sys_admin_user,
    admin_user,
    standard_user,
    consultant,
):
    mailbox, smtp_port = smtp_server
    case_services.consultant_set_availability(user=consultant, available=True)
    installation = Installation.objects.create(organization=organization, name="Produkcija")
    now = timezone.now()
    services.results_ingest(
        installation=installation,
        results=[
            # Critical for 10 minutes, and no result since: the grace passed without one.
            result("Baza podataka", "disk free", Status.CRITICAL, now - timedelta(minutes=10), interval=300),
            # Silent for an hour: overdue.
            result("Backup", "age", Status.OK, now - timedelta(hours=1), interval=300),
            # 40 days old: folded into its hour's rollup.
            result("Backup", "age", Status.OK, now - timedelta(days=40), value=7.0),
        ],
        now=now - timedelta(minutes=10),
    )
    assert Case.objects.count() == 0
    # Tasks the worker enqueues itself (the incident's notification) come back to its own queue.
    monkeypatch.setenv("CELERY_QUEUE", worker_queue)

    with (
        worker_running(
            broker_url=redis_url(),
            queue_name=worker_queue,
            smtp_port=smtp_port,
            log_path=tmp_path / "worker.log",
        ) as worker,
        tasks_sent_to(redis_url(), worker_queue),
    ):
        for task in (tasks.incidents_due, tasks.staleness_sweep, tasks.retention_sweep) * 2:
            task.delay()
        received = sorted(mail_wait(mailbox, worker).rcpt_tos[0] for _recipient in range(3))
        deadline = time.monotonic() + WAIT_SECONDS
        while len(_runs(worker)) < 6 or OutboxMessage.objects.pending().exists():
            if time.monotonic() > deadline:
                pytest.fail(f"the worker did not finish within {WAIT_SECONDS} s:\n{worker.log()}")
            time.sleep(0.1)
        time.sleep(1)  # a second e-mail would have come by now

    assert received == sorted([admin_user.email, consultant.email, sys_admin_user.email])
    assert mailbox.envelopes.empty()
    case = Case.objects.get()
    assert (case.status, case.assignee, case.priority) == (
        Case.Status.ASSIGNED,
        consultant,
        Case.Priority.HIGH,
    )
    assert Incident.objects.get().case == case
    opened = Notification.objects.filter(verb="monitoring.incident_case_opened")
    assert sorted(opened.values_list("recipient__email", flat=True)) == sorted(
        [admin_user.email, sys_admin_user.email]
    )
    stale = LatestResult.objects.get(check_item__name="age")
    assert (stale.status, stale.is_stale) == (Status.UNKNOWN, True)
    assert LatestResult.objects.get(check_item__name="disk free").is_stale is False
    assert HourlyRollup.objects.get().count == 1
    assert Result.objects.count() == 2
    assert "monitoring.tasks.incident_notify" in set(
        OutboxMessage.objects.values_list("task_name", flat=True)
    )
