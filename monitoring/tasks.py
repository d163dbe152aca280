"""The monitoring's background work: the beat's sweeps (staleness, incidents whose grace passed,
retention) and the notification of a case an incident opened. Each is idempotent: run twice, or again
after a worker died halfway, it does its work once."""

import logging

from celery import shared_task
from django.utils import timezone

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def staleness_sweep() -> None:
    """Every minute: the checks silent for 3 of their intervals turn UNKNOWN (stale)."""
    from .staleness import checks_mark_stale

    marked = checks_mark_stale(now=timezone.now())
    logger.info("Monitoring staleness: %s checks turned stale", marked)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def incidents_due() -> None:
    """Every minute: open the cases of the incidents whose grace passed without a new result."""
    from .incidents import incidents_due as due

    looked_at = due(now=timezone.now())
    logger.info("Monitoring incidents due: %s components evaluated", looked_at)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def retention_sweep() -> None:
    """Every hour: raw results past 30 days folded into hourly rollups, rollups past 2 years deleted."""
    from .retention import retention_apply

    outcome = retention_apply(now=timezone.now())
    logger.info(
        "Monitoring retention: %s results folded in %s batches, %s rollups expired, finished %s",
        outcome.folded,
        len(outcome.batches),
        outcome.rollups_expired,
        outcome.finished,
    )


@shared_task(
    acks_late=True, reject_on_worker_lost=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5
)
def incident_notify(incident_id: int, case_id: int) -> None:
    """Tell the organization's SYS_ADMINs and ADMINs that an incident opened a case (once each)."""
    from .notifications import incident_case_opened_notify

    incident_case_opened_notify(incident_id=incident_id, case_id=case_id)
