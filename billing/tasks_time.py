"""The consultant-time tasks (billing-time); billing/tasks.py imports them so that workers register them."""

import logging
from datetime import date

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(
    acks_late=True, reject_on_worker_lost=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5
)
def hours_budget_check(organization_id: int, period_iso: str) -> None:
    """Tell the organization's FIN_ADMINs when the month's billable hours reach a threshold of the included
    hours; run twice (or for every entry logged past it), it tells each of them once (billing.alerts)."""
    from .alerts import hours_budget_check as check

    told = check(organization_id=organization_id, period=date.fromisoformat(period_iso))
    logger.info("Hours budget of organization %s for %s: notified %s", organization_id, period_iso, told)
