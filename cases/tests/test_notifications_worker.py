"""A case reply's notification goes through a real Celery worker on the real Redis broker to a real SMTP
server, and lands in the bell too. The worker and SMTP fixtures are those of tests/test_celery_worker.py."""

import email
import email.policy
import time

import pytest
from django.conf import settings

from accounts.roles import Role
from cases import services
from helpdesk.models import Notification
from tests.factories import case_create, member_create
from tests.integration import redis_url
from tests.worker import WAIT_SECONDS, mail_wait, tasks_sent_to

pytestmark = pytest.mark.redis


def test_a_reply_is_emailed_through_the_worker_and_shown_in_the_bell(
    celery_worker,
    smtp_server,
    worker_queue,
    organization,
    consultant,
):
    mailbox, _port = smtp_server
    reporter = member_create(organization, [Role.STANDARD], email="reporter@jadran.test", full_name="Rita")
    case = case_create(organization, reporter)  # eager: nobody to tell yet but dispatchers (none here)
    services.case_assign(case=case, consultant=consultant, by=None)
    Notification.objects.all().delete()

    with tasks_sent_to(redis_url(), worker_queue):
        # In a transactional test each service call commits at once, and then enqueues its task.
        services.case_reply(case=case, author=consultant, body="Please install **driver 2.1**.")
    envelope = mail_wait(mailbox, celery_worker)

    assert envelope.rcpt_tos == [reporter.email]
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert message["Subject"] == f"New reply · {case.reference} {case.title}"
    text = message.get_body(("plain",)).get_content()
    assert "Please install **driver 2.1**." in text
    assert settings.PORTAL_BASE_URL + case.get_absolute_url() in text
    html = message.get_body(("html",)).get_content()
    assert "<strong>driver 2.1</strong>" in html
    # The worker sends the mail inside the transaction that creates the notification: wait for its commit.
    deadline = time.monotonic() + WAIT_SECONDS
    while not Notification.objects.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    notification = Notification.objects.get()
    assert notification.recipient == reporter
    assert notification.url == case.get_absolute_url()
    assert case.reference in notification.title
    assert notification.read_at is None
