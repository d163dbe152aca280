"""A time change racing the approval of its month, on real PostgreSQL with two connections: the change waits
for the approval's transaction and is then refused, so no approved month ever changes underneath its
statement (billing.timelog locks the month's statement row, which the approval updates)."""

import threading
import time

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from billing import services, timelog
from billing.models import Statement
from billing.money import previous_month


def test_a_change_racing_the_approval_waits_for_it_and_is_refused(
    transactional_db, organization, consultant, fin_admin_user
):
    last_month = previous_month(timezone.localdate())
    entry = timelog.time_entry_log(
        by=consultant, organization=organization, day=last_month, minutes=60, description="Audit"
    )
    statement = Statement.objects.create(organization=organization, period=last_month, pdf_sha256="0" * 64)
    approving = threading.Event()
    outcome = {}

    def approve():
        try:
            with transaction.atomic():
                services.statement_approve(statement_id=statement.pk, by=fin_admin_user)
                approving.set()
                time.sleep(0.5)  # the change arrives while the approval is not yet committed
        finally:
            connection.close()

    def change():
        try:
            approving.wait(timeout=10)
            timelog.time_entry_update(
                entry=entry, by=consultant, day=last_month, minutes=600, description="More", is_billable=True
            )
            outcome["changed"] = True
        except ValidationError as error:
            outcome["refused"] = error.code
        finally:
            connection.close()

    threads = [threading.Thread(target=approve), threading.Thread(target=change)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert outcome == {"refused": "month_approved"}
    entry.refresh_from_db()
    assert (entry.minutes, entry.description) == (60, "Audit")
