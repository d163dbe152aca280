"""/health/ reports each dependency, and answers 503 only when an essential one is down; /health/live
touches none. Each dependency is taken down in turn by pointing its setting at a closed port or a path
that cannot be written."""

import time

import pytest
from django.db import OperationalError
from django.urls import reverse

from helpdesk import health
from tests.integration import redis_url
from tests.worker import free_port


@pytest.fixture(autouse=True)
def _fresh_checks():
    health._kept.clear()
    yield
    health._kept.clear()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def get_health(client_for, name="health"):
    response = client_for().get(reverse(name))
    assert response["Cache-Control"] == "no-store"
    return response.status_code, response.json()


def statuses(body) -> dict:
    return {name: component["status"] for name, component in body["components"].items()}


def test_live_answers_without_touching_any_dependency(db, client_for, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert get_health(client_for, "health-live") == (200, {"status": "ok"})


def test_everything_up_without_optional_services(db, settings, media, client_for):
    settings.REDIS_URL = ""
    status, body = get_health(client_for)
    assert status == 200
    assert body["status"] == "ok"
    assert statuses(body) == {
        "database": "ok",
        "redis": "not configured",
        "worker": "not configured",
        "storage": "ok",
        "mail": "not configured",
        "virus_scanner": "not configured",
    }
    assert body["components"]["database"]["essential"] is True
    assert body["components"]["database"]["latency_ms"] >= 0
    assert body["components"]["storage"]["essential"] is False
    assert not list(media.joinpath("health").iterdir())  # the probe file is deleted again


def test_database_down_answers_503(db, settings, media, client_for, monkeypatch):
    settings.REDIS_URL = ""

    def refused():
        raise OperationalError('connection to server at "10.0.0.5", port 5432 failed: password for "portal"')

    with monkeypatch.context() as patched:
        patched.setattr(health.connection, "cursor", refused)
        response = client_for().get(reverse("health"))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down"
    assert body["components"]["database"] == {
        "status": "down",
        "essential": True,
        "latency_ms": body["components"]["database"]["latency_ms"],
        "detail": "OperationalError",
    }
    assert b"10.0.0.5" not in response.content and b"portal" not in response.content


def test_redis_down_is_degraded_not_503(db, settings, media, client_for):
    settings.REDIS_URL = f"redis://:s3cret-password@127.0.0.1:{free_port()}/0"
    response = client_for().get(reverse("health"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert statuses(body)["redis"] == "down"
    assert statuses(body)["worker"] == "down"  # no heartbeat either
    assert b"s3cret" not in response.content


@pytest.mark.redis
def test_worker_heartbeat_fresh_and_stale(db, settings, media, client_for):
    settings.REDIS_URL = redis_url()
    health.heartbeat_write()
    status, body = get_health(client_for)
    assert (status, statuses(body)["redis"], statuses(body)["worker"]) == (200, "ok", "ok")

    from django.core.cache import cache

    cache.set(health.HEARTBEAT_KEY, time.time() - health.HEARTBEAT_MAX_AGE_SECONDS - 60)
    status, body = get_health(client_for)
    assert (status, body["status"], statuses(body)["worker"]) == (200, "degraded", "down")
    assert body["components"]["worker"]["detail"].startswith("last heartbeat 2")


def test_the_heartbeat_task_writes_what_health_reads(db, settings):
    from helpdesk.tasks import worker_heartbeat

    settings.REDIS_URL = redis_url()
    worker_heartbeat.delay()
    assert health.worker()[0] == health.OK


def test_storage_that_cannot_be_written_is_reported(db, settings, client_for, tmp_path):
    settings.REDIS_URL = ""
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("")
    settings.MEDIA_ROOT = not_a_folder / "media"
    status, body = get_health(client_for)
    assert (status, body["status"], statuses(body)["storage"]) == (200, "degraded", "down")


def test_essential_components_are_a_setting(db, settings, client_for, tmp_path):
    settings.REDIS_URL = ""
    settings.HEALTH_ESSENTIAL = ["database", "storage"]
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("")
    settings.MEDIA_ROOT = not_a_folder / "media"
    status, body = get_health(client_for)
    assert (status, body["status"], body["components"]["storage"]["essential"]) == (503, "down", True)


def smtp_mailers(port: int) -> dict:
    return {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "password": "smtp-secret", "timeout": 20},
        }
    }


def test_mail_server_down_and_up(db, settings, media, client_for, smtp_server):
    settings.REDIS_URL = ""
    settings.MAILERS = smtp_mailers(free_port())
    response = client_for().get(reverse("health"))
    body = response.json()
    assert (response.status_code, body["status"], statuses(body)["mail"]) == (200, "degraded", "down")
    assert b"smtp-secret" not in response.content

    _mailbox, port = smtp_server
    settings.MAILERS = smtp_mailers(port)
    status, body = get_health(client_for)
    assert (status, body["status"], statuses(body)["mail"]) == (200, "ok", "ok")
    assert _mailbox.envelopes.empty()  # connected, nothing sent


def test_virus_scanner_down(db, settings, media, client_for):
    settings.REDIS_URL = ""
    settings.CLAMAV_HOST, settings.CLAMAV_PORT = "127.0.0.1", free_port()
    status, body = get_health(client_for)
    assert (status, body["status"], statuses(body)["virus_scanner"]) == (200, "degraded", "down")


def test_results_are_reused_for_a_while_but_the_database_is_always_asked(db, settings, media, monkeypatch):
    settings.HEALTH_CHECK_CACHE_SECONDS = 10
    calls = []
    monkeypatch.setitem(health.CHECKS, "storage", lambda: calls.append("storage") or health.OK)
    monkeypatch.setitem(health.CHECKS, "database", lambda: calls.append("database") or health.OK)
    health.report()
    health.report()
    assert calls == ["database", "storage", "database"]


def test_health_is_never_throttled(db, settings, media, client_for):
    settings.REDIS_URL = ""
    client = client_for()
    assert {client.get(reverse("health")).status_code for _ in range(50)} == {200}
