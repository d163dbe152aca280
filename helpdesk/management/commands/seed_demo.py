"""Demo data for `make run`: every app's registered part (helpdesk.demo), in order. Safe to run again."""

import logging
import time
from contextlib import contextmanager

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from helpdesk import demo


@contextmanager
def quiet():
    """While the demo is written: no e-mail leaves or is printed (the in-app notifications are still made),
    and no INFO log line (each eager Celery task, WeasyPrint's steps, fontTools) drowns the summary lines.
    Warnings and errors still show."""
    mailers = {
        alias: {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"} for alias in settings.MAILERS
    }
    disabled = logging.root.manager.disable
    logging.disable(logging.INFO)
    try:
        with override_settings(MAILERS=mailers):
            yield
    finally:
        logging.disable(disabled)


class Command(BaseCommand):
    help = "Create (or complete) the demo data of every app: one summary line per app."

    def handle(self, *args, **options):
        with quiet():
            for part in demo.PARTS:
                started = time.monotonic()
                # Each part commits inside quiet(), so its on-commit tasks' e-mails and logs are quiet too.
                with transaction.atomic():
                    summary = part.run()
                self.stdout.write(f"{part.name}: {summary} ({time.monotonic() - started:.0f} s)")
