import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

logger = logging.getLogger(__name__)


@shared_task
def staged_uploads_purge() -> None:
    """Daily: remove files staged by failed forms that were never submitted again."""
    from .files import staged_uploads_purge

    logger.info("Purged %s staged uploads", staged_uploads_purge())


@shared_task
def outbox_drain() -> None:
    """Every minute: send the tasks a commit could not hand to the broker (it was down)."""
    from .outbox import drain

    sent = drain()
    if sent:
        logger.info("Sent %s tasks left in the outbox", sent)


@shared_task
def outbox_purge() -> None:
    """Daily: forget the outbox messages sent more than OUTBOX_KEEP_DAYS ago."""
    from .outbox import purge

    older_than = timezone.now() - timedelta(days=settings.OUTBOX_KEEP_DAYS)
    logger.info("Purged %s sent outbox messages", purge(older_than=older_than))


@shared_task
def worker_heartbeat() -> None:
    """Every minute: tell /health/ that beat, the broker and a worker are alive (helpdesk/health.py)."""
    from .health import heartbeat_write

    heartbeat_write()


@shared_task
def form_submissions_purge() -> None:
    """Daily: forget the one-time tokens of forms sent more than a day ago (helpdesk/idempotency.py)."""
    from .idempotency import form_submissions_purge

    logger.info("Purged %s form submissions", form_submissions_purge())
