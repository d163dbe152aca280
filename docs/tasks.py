import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def news_email_send(post_id: int) -> None:
    """E-mail a published news post to its audience, once (the post is claimed before sending)."""
    from . import services

    sent = services.news_email_deliver(post_id=post_id)
    logger.info("News post %s: %s e-mails sent", post_id, sent)


@shared_task
def news_emails_due() -> None:
    """Every five minutes: queue the e-mails of posts whose publish time has come."""
    from . import services

    logger.info("Queued the e-mails of %s news posts", services.news_emails_enqueue_due())
