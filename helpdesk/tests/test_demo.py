"""seed_demo runs the apps' registered demo parts in order with one line each, quietly; `runserver --demo`
prints the demo logins and the portal's address after Django's banner."""

import logging
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command, get_commands
from django.db import transaction
from django.utils import timezone

from helpdesk import demo
from helpdesk.models import Notification
from helpdesk.notifications import notification_send
from tests.factories import UserFactory

logger = logging.getLogger(__name__)


def first_part() -> str:
    return "1 first thing"


def second_part() -> str:
    return "2 second things"


def notifying_part() -> str:
    """A part whose work, like the cases', is done by tasks after commit: they log and e-mail."""
    user = UserFactory(email="reader@demo.test")

    def task():
        logger.info("Task demo.notify succeeded")
        notification_send(
            recipient=user,
            key="demo:1",
            title="Ivan replied in case JS-2026-000001.",
            url="/cases/JS-2026-000001/",
            email_template="case_event",
            email_context={
                "what": "New reply",
                "headline": "Ivan replied in case JS-2026-000001.",
                "case": {"reference": "JS-2026-000001", "title": "Invoices do not print"},
                "event": {"created_at": timezone.now()},
                "body": "Please try again.",
                "attachments": [],
                "link": "http://portal.test/cases/JS-2026-000001/",
            },
        )
        logger.warning("Something worth seeing")

    transaction.on_commit(task)
    return "1 notification"


@pytest.fixture
def parts(monkeypatch):
    """An empty registry for the test's own parts."""
    monkeypatch.setattr(demo, "PARTS", [])
    return demo.PARTS


def test_parts_run_in_their_order_each_with_one_summary_line(parts, db):
    demo.demo_register("second", f"{__name__}.second_part", order=20)
    demo.demo_register("first", f"{__name__}.first_part", order=10)
    demo.demo_register("first", f"{__name__}.second_part", order=30)  # an app's ready() run again
    output = StringIO()

    call_command("seed_demo", stdout=output)

    assert output.getvalue().splitlines() == ["first: 1 first thing (0 s)", "second: 2 second things (0 s)"]


# Transactional: the part's on-commit work must run while seed_demo is still quiet, as at `make run`.
@pytest.mark.django_db(transaction=True)
def test_seed_demo_keeps_notifications_but_no_mail_or_info_log(parts, caplog):
    demo.demo_register("notifying", f"{__name__}.notifying_part")
    caplog.set_level(logging.INFO)

    call_command("seed_demo", stdout=StringIO())

    assert Notification.objects.filter(recipient__email="reader@demo.test", event_key="demo:1").exists()
    assert mail.outbox == []
    assert [record.getMessage() for record in caplog.records if record.name == __name__] == [
        "Something worth seeing"
    ]
    # Afterwards mail and logs are back.
    logger.info("Back")
    mail.send_mail("Subject", "Body", None, ["reader@demo.test"])
    assert caplog.records[-1].getMessage() == "Back"
    assert len(mail.outbox) == 1


def test_helpdesk_runserver_replaces_the_staticfiles_one():
    assert get_commands()["runserver"] == "helpdesk"


def runserver(monkeypatch, *args) -> list[str]:
    """The output of runserver up to the moment it listens, without serving."""

    def bind_only(addr, port, wsgi_handler, *, on_bind, **kwargs):
        on_bind(port)

    monkeypatch.setattr("django.core.management.commands.runserver.run", bind_only)
    output = StringIO()
    call_command("runserver", "127.0.0.1:8765", "--noreload", *args, stdout=output)
    return output.getvalue().splitlines()


def test_runserver_demo_prints_the_logins_then_the_address_after_the_banner(monkeypatch, db):
    lines = runserver(monkeypatch, "--demo")

    banner = lines.index("Starting WSGI development server at http://127.0.0.1:8765/")
    logins = lines.index("Every demo login uses the password jupiter-demo-2026")
    assert banner < logins
    assert lines[logins + 1].split()[0] == "dispecer@jupiter-software.hr"
    assert lines[-1] == "Jupiter HelpDesk demo: http://127.0.0.1:8765/"


def test_runserver_without_demo_prints_no_logins(monkeypatch, db):
    lines = runserver(monkeypatch)

    assert "Starting WSGI development server at http://127.0.0.1:8765/" in lines
    assert not any("demo" in line for line in lines)
