"""A statement generated through a real Celery worker (prefork) on the real Redis broker, whose pool process
is killed with SIGKILL twice in the middle: once inside the generating transaction, once while it e-mails the
approvers. The task comes back each time (acks_late, reject_on_worker_lost) and in the end there is exactly
one statement, one PDF file and one notification and e-mail per approver."""

import time

import psutil
import psycopg
import pytest
from django.conf import settings
from django.db import connection

from billing import tasks
from billing.models import Statement
from billing.tests.factories import contract_make, entry_make
from helpdesk.models import Notification
from tests.integration import database_url, redis_url
from tests.test_faults import HoldingMailbox, succeeded, wait_until
from tests.worker import WAIT_SECONDS, smtp_serving, tasks_sent_to, worker_running

pytestmark = pytest.mark.redis

TASK = "billing.tasks.statement_generate_for"


def waiting_on_a_lock(cursor) -> bool:
    """Whether another session of the test database waits for a row lock (the worker, behind the test's)."""
    cursor.execute(
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    return cursor.fetchone()[0] > 0


def kill_pool_process(worker) -> None:
    [pool_process] = psutil.Process(worker.process.pid).children()
    pool_process.kill()  # SIGKILL, in the middle of the task
    pool_process.wait(timeout=10)


def test_a_worker_killed_twice_while_generating_leaves_one_statement_one_pdf_one_notification(
    transactional_db,
    worker_queue,
    tmp_path,
    monkeypatch,
    organization,
    fin_admin_user,
    admin_user,
    consultant,
):
    contract_make(organization)
    entry = entry_make(organization, consultant, minutes=90)
    media = settings.MEDIA_ROOT
    monkeypatch.setenv("MEDIA_ROOT", str(media))  # the worker stores the PDF where this test looks
    mailbox = HoldingMailbox()

    with (
        smtp_serving(mailbox) as (_mailbox, smtp_port),
        psycopg.connect(database_url(connection.settings_dict), autocommit=False) as blocker,
        worker_running(
            broker_url=redis_url(),
            queue_name=worker_queue,
            smtp_port=smtp_port,
            log_path=tmp_path / "worker.log",
            pool="prefork",
        ) as worker,
        tasks_sent_to(redis_url(), worker_queue),
    ):
        # The test holds the time entry's row: the generating transaction stops there, half done.
        blocker.execute("SELECT id FROM billing_timeentry WHERE id = %s FOR UPDATE", [entry.pk])
        with psycopg.connect(database_url(connection.settings_dict), autocommit=True) as watcher:
            tasks.statements_monthly()  # the beat's run: one task for the one organization
            wait_until(
                lambda: waiting_on_a_lock(watcher.cursor()), worker, "the generation reaching the lock"
            )
            kill_pool_process(worker)
        blocker.rollback()  # the killed transaction is rolled back; the task runs again

        # The second run commits the statement and its PDF and starts e-mailing the approvers: killed again.
        if not mailbox.holding.wait(WAIT_SECONDS):
            pytest.fail(f"the task did not start its e-mail within {WAIT_SECONDS} s:\n{worker.log()}")
        kill_pool_process(worker)
        mailbox.released.set()

        wait_until(lambda: succeeded(worker, TASK), worker, "the third run")
        time.sleep(1)

    log = worker.log()
    assert log.count("exited with 'signal 9 (SIGKILL)'") == 2
    assert log.count(f"Task {TASK}[") == 4  # received three times, succeeded once
    statement = Statement.objects.get()
    assert statement.has_pdf and statement.revision == 1
    assert statement.time_entries.get() == entry
    pdfs = list((media / "billing" / "statements").rglob("*.pdf"))
    assert [path.name for path in pdfs] == [f"{statement.number}.pdf"]
    assert statement.pdf.read().startswith(b"%PDF")
    recipients = sorted(Notification.objects.values_list("recipient", flat=True))
    assert recipients == sorted([fin_admin_user.pk, admin_user.pk])
    envelopes = []
    while not mailbox.envelopes.empty():
        envelopes.append(mailbox.envelopes.get())
    assert sorted(address for envelope in envelopes for address in envelope.rcpt_tos) == sorted(
        [fin_admin_user.email, admin_user.email]
    )
