"""Production settings: the deployment checklist passes, and a missing SECRET_KEY stops the start."""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

from tests.integration import database_url

# A bare environment: only what a shell needs, none of this test run's DEBUG, REDIS_URL or the like.
BARE_ENV = {name: os.environ[name] for name in ("PATH", "HOME", "LANG", "TMPDIR") if name in os.environ}


@pytest.fixture
def test_database_url(db):
    """The test database: some model checks ask the server for its version."""
    return database_url(connection.settings_dict)


def run(*args, **env):
    return subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env={**BARE_ENV, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deployment_checklist_passes_with_production_environment(test_database_url):
    result = run(
        "manage.py",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="helpdesk.example.com",
        DATABASE_URL=test_database_url,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_settings_refuse_to_load_without_secret_key_outside_debug(test_database_url):
    result = run("manage.py", "check", ALLOWED_HOSTS="helpdesk.example.com", DATABASE_URL=test_database_url)

    assert result.returncode != 0
    assert "django.core.exceptions.ImproperlyConfigured: Set SECRET_KEY in the environment" in result.stderr


def test_debug_settings_load_without_secret_key(test_database_url):
    code = "import helpdesk.settings as s; print(s.DEBUG)"
    result = run("-c", code, DEBUG="1", DATABASE_URL=test_database_url)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"
