import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task
def staged_uploads_purge() -> None:
    """Daily: remove files staged by failed forms that were never submitted again."""
    from .files import staged_uploads_purge

    logger.info("Purged %s staged uploads", staged_uploads_purge())
