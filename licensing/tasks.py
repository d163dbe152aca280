import logging

from celery import shared_task
from django.utils import timezone

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def licence_reminders_due() -> None:
    """Every morning: the licence and support expiry reminders due today. Run twice, or again after a worker
    died halfway, it tells nobody twice (licensing.notifications)."""
    from .notifications import reminders_send_due

    due, told = reminders_send_due(today=timezone.localdate())
    logger.info("Licence reminders: %s due, %s recipients", due, told)
