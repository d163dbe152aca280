import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def case_event_notify(event_id: int) -> None:
    """Notify the people an event concerns (in-app and e-mail); once per event and recipient."""
    from .notifications import event_notify

    event_notify(event_id=event_id)


@shared_task(acks_late=True)
def queue_assign() -> None:
    """Hand waiting cases to consultants; called when one becomes available."""
    from . import services

    assigned = services.queue_assign_waiting()
    logger.info("Assigned %s waiting cases", assigned)
