"""A published news post is e-mailed through a real Celery worker on the real Redis broker to a real SMTP
server, once per recipient and in each recipient's language. The worker and SMTP fixtures are those of
tests/test_celery_worker.py."""

import email
import email.policy
import queue
import time

import pytest

from accounts.roles import Role
from docs import services, tasks
from docs.models import NewsPost
from tests.factories import member_create
from tests.integration import redis_url
from tests.worker import WAIT_SECONDS, tasks_sent_to

pytestmark = pytest.mark.redis


def _subject(envelope) -> str:
    return email.message_from_bytes(envelope.content, policy=email.policy.default)["Subject"]


def test_a_published_post_is_emailed_through_the_worker_in_each_readers_language(
    celery_worker,
    smtp_server,
    worker_queue,
    organization,
    standard_user,
    vendor_admin,
):
    mailbox, _port = smtp_server
    croatian = member_create(organization, [Role.STANDARD], email="hrvoje@jadran.test", full_name="Hrvoje")
    croatian.language = "hr"
    croatian.save(update_fields=["language"])

    with tasks_sent_to(redis_url(), worker_queue):
        # In a transactional test the service commits at once, and then enqueues its task.
        post = services.news_save(
            by=vendor_admin,
            title_hr="Nova verzija",
            body_hr="Brži izvještaji.",
            title_en="New version",
            body_en="Faster reports.",
            status=NewsPost.Status.PUBLISHED,
            send_email=True,
        )
        received = {}
        try:
            for _recipient in range(2):
                envelope = mailbox.envelopes.get(timeout=WAIT_SECONDS)
                received[tuple(envelope.rcpt_tos)] = _subject(envelope)
        except queue.Empty:
            pytest.fail(f"no e-mail reached SMTP within {WAIT_SECONDS} s; worker log:\n{celery_worker.log()}")
        _wait_for(celery_worker, f"News post {post.pk}: 2 e-mails sent")

        # The same task delivered again (a retry, a redelivery) finds the post claimed and sends nothing.
        tasks.news_email_send.delay(post.pk)
        _wait_for(celery_worker, f"News post {post.pk}: 0 e-mails sent")

    assert received == {
        (standard_user.email,): "Jupiter Software news: New version",
        (croatian.email,): "Jupiter Software – vijesti: Nova verzija",
    }
    assert mailbox.envelopes.empty()
    post.refresh_from_db()
    assert post.email_sent_at is not None


def _wait_for(worker, text: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while text not in worker.log():
        if time.monotonic() > deadline:
            pytest.fail(f"the worker did not log {text!r} within {WAIT_SECONDS} s:\n{worker.log()}")
        time.sleep(0.1)
