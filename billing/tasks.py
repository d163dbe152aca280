"""Billing's background work: the monthly statements (fanned out one task per organization) and their
PDFs and notifications. Every task may run twice (a second beat, a redelivered message after a worker was
killed): the services find what is already done (billing.services)."""

import logging
from datetime import date

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from helpdesk.outbox import enqueue

# Consultant time's task lives in its own module; importing it here lets workers register it.
from .tasks_time import hours_budget_check  # noqa: F401

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def statements_monthly() -> int:
    """On the 1st of each month: last month's statement of every organization with a contract in it, one
    task per organization, handed out through the outbox in one transaction."""
    from . import selectors
    from .money import previous_month

    period = previous_month(timezone.localdate())
    with transaction.atomic():
        ids = list(
            selectors.organizations_with_contract_in(period).order_by("pk").values_list("pk", flat=True)
        )
        for organization_id in ids:
            enqueue(statement_generate_for, organization_id, period.isoformat())
    logger.info("Statements of %s: %s organizations", period, len(ids))
    return len(ids)


# Rendering a PDF takes a fraction of a second; the limits leave room for a busy machine.
@shared_task(acks_late=True, reject_on_worker_lost=True, soft_time_limit=120, time_limit=150)
def statement_generate_for(organization_id: int, period_iso: str, run_id: int | None = None) -> int | None:
    """One organization's statement of a month, its PDF and the notification of its approvers."""
    from accounts.models import Organization

    from . import notifications, services
    from .models import GenerationRun

    Run = GenerationRun.State
    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is None:
        return None
    try:
        services.run_step(run_id, Run.RUNNING, "lines")
        statement = services.statement_generate(
            organization=organization, period=date.fromisoformat(period_iso), by=_requester(run_id)
        )
        if statement is None:
            services.run_step(run_id, Run.FAILED, "no_contract")
            return None
        services.run_step(run_id, Run.RUNNING, "pdf", statement)
        statement = services.statement_pdf_render(statement_id=statement.pk)
        services.run_step(run_id, Run.RUNNING, "notify", statement)
        notifications.statement_ready_notify(statement)
        services.run_step(run_id, Run.DONE, "", statement)
        return statement.pk
    except Exception:
        services.run_step(run_id, Run.FAILED, "error")
        raise


def _requester(run_id):
    if run_id is None:
        return None
    from .models import GenerationRun

    run = GenerationRun.objects.select_related("requested_by").filter(pk=run_id).first()
    return run.requested_by if run else None
