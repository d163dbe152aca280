"""The password-reset mail goes through a real Celery worker, on the real Redis broker, to an SMTP server."""

import email
import email.policy
import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.integration import redis_url
from tests.worker import mail_wait, tasks_sent_to

pytestmark = pytest.mark.redis


def test_password_reset_mail_goes_through_the_worker_to_smtp(
    celery_worker, smtp_server, worker_queue, client_for
):
    mailbox, _port = smtp_server
    user = UserFactory(email="reset.me@example.com", full_name="Rita Reset")
    client = client_for()

    with tasks_sent_to(redis_url(), worker_queue):
        response = client.post(reverse("accounts:password-reset"), {"email": user.email})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password-reset-done")
    envelope = mail_wait(mailbox, celery_worker)

    assert envelope.rcpt_tos == [user.email]
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert message["Subject"] == "Reset your Jupiter HelpDesk password"
    assert message["To"] == user.email
    body = message.get_body(("plain",)).get_content()
    assert "Hello Rita," in body
    link = re.search(r"https?://\S+/accounts/password-reset/\S+/", body).group()
    path = urlsplit(link).path
    uidb64 = path.split("/")[-3]
    response = client.get(path)
    set_password = reverse("accounts:password-reset-confirm", args=[uidb64, "set-password"])
    assert response.status_code == 302
    assert response["Location"] == set_password
    form = client.get(set_password)
    assert form.status_code == 200
    assert form.context["validlink"]
