import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(
    acks_late=True, reject_on_worker_lost=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5
)
def release_published_notify(release_id: int) -> None:
    """Tell the licensed organizations' package holders that a release is published; once per recipient."""
    from .notifications import published_notify

    logger.info("Release %s published: %s notified", release_id, published_notify(release_id=release_id))


@shared_task(
    acks_late=True, reject_on_worker_lost=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5
)
def release_deliveries_notify(release_id: int) -> None:
    """Tell the reporters of the suggestions a published release delivers; once per case."""
    from .notifications import deliveries_notify

    logger.info(
        "Release %s delivers: %s reporters notified", release_id, deliveries_notify(release_id=release_id)
    )
