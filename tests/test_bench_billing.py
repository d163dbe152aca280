"""The statements benchmark (bench/billing.py, `python -m bench --billing`) at a tiny size: generated
organizations with contracts and time entries, a real prefork worker on the real Redis broker, the monthly
task, and every statement with its PDF and every approver notified and mailed."""

import os

import pytest
from django.conf import settings
from django.db import connection

from accounts.services import staff_groups_sync
from bench import billing
from bench.timeline import CATEGORY_WEIGHTS
from billing.models import Statement, TimeEntry
from tests.factories import category_get, module_get
from tests.integration import database_url, redis_url
from tests.worker import tasks_sent_to

pytestmark = pytest.mark.redis


@pytest.fixture
def facts(transactional_db):
    # The migrations' groups, categories and modules, gone if an earlier transactional test flushed them.
    staff_groups_sync()
    for code in CATEGORY_WEIGHTS:
        category_get(code)
    module_get()
    return billing.billing_data(organizations=3, entries=5, vacuum=False, out=lambda message: None)


def test_statements_benchmark_makes_every_statement_through_a_real_worker(facts, worker_queue, tmp_path):
    assert facts["organizations"] == 3
    assert TimeEntry.objects.count() == facts["entries"] == 15
    base = {
        **os.environ,
        "DATABASE_URL": database_url(connection.settings_dict),
        "SECRET_KEY": settings.SECRET_KEY,
        "DEBUG": "1",
    }
    with billing.media_folder() as media_root, billing.smtp_sink() as (mailbox, smtp_port):
        env = billing.worker_env(
            base, redis_url=redis_url(), queue=worker_queue, smtp_port=smtp_port, media_root=media_root
        )
        worker = billing.Worker(env, queue=worker_queue, concurrency=2, log_path=tmp_path / "worker.log")
        with worker, tasks_sent_to(redis_url(), worker_queue):
            figures = billing.statements_run(timeout=90, out=lambda message: None)
        pdf_bytes = billing.pdf_bytes(media_root)

    assert worker.errors() == [], worker.tail()
    assert figures["organizations"] == figures["statements"] == figures["pdfs"] == 3
    assert figures["notifications"] > 0
    assert mailbox.count == figures["notifications"]
    assert pdf_bytes > 0
    # Every billable entry is on its organization's statement.
    assert not TimeEntry.objects.billable().filter(statement=None).exists()
    assert Statement.objects.filter(lines__kind="monthly_fee").distinct().count() == 3


def test_a_second_run_starts_from_nothing(facts):
    organization_id = TimeEntry.objects.values_list("organization_id", flat=True).first()
    statement = Statement.objects.create(organization_id=organization_id, period=billing.last_month())
    TimeEntry.objects.filter(organization_id=organization_id).update(statement=statement)

    assert billing.results_undo() >= 1

    assert not Statement.objects.exists()
    assert not TimeEntry.objects.exclude(statement=None).exists()
