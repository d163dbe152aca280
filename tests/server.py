"""A real portal server for the tests that need one (a database outage, the load test): gunicorn with two
sync workers (bench/load.py) on the test database, in a process of its own with production settings
(tests/server_settings.py). The test database must be transactional: the server sees only committed rows."""

import time

from django.conf import settings
from django.db import connection

from bench.database import admin_connect, child_env
from bench.load import Gunicorn
from tests.integration import database_url


def portal_env(application: str) -> dict:
    """The server's environment: the test database, with `application` as its connections' name."""
    url = database_url(connection.settings_dict)
    separator = "&" if "?" in url else "?"
    env = child_env(connection.settings_dict, connection.settings_dict["NAME"])
    env.update(
        DATABASE_URL=f"{url}{separator}application_name={application}",
        DJANGO_SETTINGS_MODULE="tests.server_settings",
        SECRET_KEY=settings.SECRET_KEY,  # sessions made by the test's client must check out there
        LOG_LEVEL="ERROR",
    )
    return env


class PortalServer(Gunicorn):
    """`with PortalServer("label") as server:` the server runs on `server.port`; its log (`server.log.name`)
    is removed when it stays empty."""

    def __init__(self, label: str):
        self.application = f"helpdesk-test-{label}-{time.monotonic_ns()}"
        super().__init__(portal_env(self.application))

    def connections_kill(self) -> int:
        """pg_terminate_backend for every database connection of this server."""
        with admin_connect(connection.settings_dict) as admin:
            return admin.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = %s",
                [self.application],
            ).fetchone()[0]
