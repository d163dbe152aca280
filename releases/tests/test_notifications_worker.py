"""Publishing a release notifies through a real Celery worker on the real Redis broker: each SYS_ADMIN of a
licensed organization gets one e-mail in their language, and the task delivered again sends nothing."""

import email
import email.policy
import time

import pytest

from accounts.roles import Role
from helpdesk.models import Notification
from licensing.tests.factories import licence_make
from releases import services, tasks
from releases.tests.factories import release_make
from tests.factories import member_create
from tests.integration import redis_url
from tests.worker import WAIT_SECONDS, mail_wait, tasks_sent_to

pytestmark = pytest.mark.redis


def _wait_for(worker, text: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while text not in worker.log():
        if time.monotonic() > deadline:
            pytest.fail(f"the worker did not log {text!r} within {WAIT_SECONDS} s:\n{worker.log()}")
        time.sleep(0.1)


def test_publishing_notifies_sys_admins_through_the_worker_once(
    celery_worker, smtp_server, worker_queue, organization, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    mailbox, _port = smtp_server
    licence_make(organization)
    sys_admin = member_create(organization, [Role.SYS_ADMIN], email="sys@jadran.test", language="hr")
    release = release_make("2026.4", published=False)

    with tasks_sent_to(redis_url(), worker_queue):
        services.release_publish(release=release, by=release.created_by)  # commits at once, then enqueues
        envelope = mail_wait(mailbox, celery_worker)
        _wait_for(celery_worker, f"Release {release.pk} published: 1 notified")
        tasks.release_published_notify.delay(release.pk)  # delivered again
        _wait_for(celery_worker, f"Release {release.pk} published: 0 notified")

    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert envelope.rcpt_tos == [sys_admin.email]
    assert message["Subject"] == "Novo izdanje: Jupiter ERP 2026.4"
    assert mailbox.envelopes.empty()
    assert (
        Notification.objects.filter(recipient=sys_admin, event_key=f"release-published:{release.pk}").count()
        == 1
    )
