"""A database that cannot be reached answers 503 with the portal's outage page (helpdesk/errors.py), and the
portal recovers by itself: in-process with the database made unreachable, and through a real gunicorn whose
PostgreSQL connections are killed with pg_terminate_backend under requests."""

import http.client
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from tests.factories import category_get
from tests.server import PortalServer
from tests.worker import free_port

RECOVERY_SECONDS = 10


@pytest.fixture
def database_down(transactional_db):
    """database_down() is a context in which the default connection points at a port nobody listens on:
    every query fails as it does while PostgreSQL is down. Transactional: a test transaction would not
    survive the connection being closed."""
    saved_port = connection.settings_dict["PORT"]

    @contextmanager
    def down():
        connection.close()
        connection.settings_dict["PORT"] = str(free_port())
        try:
            yield
        finally:
            connection.close()
            connection.settings_dict["PORT"] = saved_port

    return down


def test_outage_answers_503_with_the_portal_page_and_recovers(
    client_for, standard_user, database_down, caplog
):
    client = client_for(standard_user, raise_request_exception=False)

    with database_down():
        response = client.get(reverse("cases:case-list"), {"q": "račun"})

    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "The portal is briefly unavailable" in html
    assert 'class="navbar-brand"' in html  # the portal's own layout
    assert 'href="/cases/?q=ra%C4%8Dun"' in html  # "Try again" repeats the request
    assert "language-switch" not in html  # switching needs the database
    assert any(record.status_code == 503 for record in caplog.records if record.name == "django.request")
    assert client.get(reverse("cases:case-list")).status_code == 200


def test_outage_page_speaks_the_visitors_language(client_for, standard_user, database_down):
    client = client_for(standard_user, raise_request_exception=False)
    with database_down():
        response = client.get(reverse("dashboard"), headers={"accept-language": "hr"})
    assert response.status_code == 503
    assert '<html lang="hr">' in response.content.decode()
    assert "Portal je na trenutak nedostupan" in response.content.decode()


def test_a_form_sent_during_an_outage_answers_503(client_for, standard_user, database_down):
    client = client_for(standard_user, raise_request_exception=False)
    data = {"title": "Ne radi ispis", "category": category_get().pk, "priority": "normal", "description": "x"}
    with database_down():
        response = client.post(reverse("cases:case-create"), data)
    assert response.status_code == 503


def test_any_other_error_is_still_a_500(client_for, consultant, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug, not an outage")

    monkeypatch.setattr("helpdesk.views.panels_for", broken)
    response = client_for(consultant, raise_request_exception=False).get(reverse("dashboard"))
    assert response.status_code == 500
    assert "Retry-After" not in response


def test_a_data_error_that_postgresql_calls_operational_is_a_500_not_an_outage(
    client_for, consultant, monkeypatch
):
    """PostgreSQL reports some errors of a query (a text too long to index) in the class Django maps to
    OperationalError; they are bugs to fix, not a database to wait for."""
    from django.db import connection

    def too_long(*args, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT to_tsvector('simple', string_agg(md5(i::text), ' ')) FROM generate_series(1, 40000) i"
            )

    monkeypatch.setattr("helpdesk.views.panels_for", too_long)
    response = client_for(consultant, raise_request_exception=False).get(reverse("dashboard"))
    assert response.status_code == 500
    assert "Retry-After" not in response


# --- Through gunicorn, with real connections killed -----------------------------------------------------


def http_get(port: int, path: str, cookie: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Cookie": cookie})
        return connection.getresponse().status
    finally:
        connection.close()


@pytest.fixture
def portal(transactional_db):
    with PortalServer("outage") as server:
        yield server
    Path(server.log.name).unlink(missing_ok=True)  # the errors the test caused on purpose


@pytest.fixture
def cookie(client_for, standard_user):
    return f"sessionid={client_for(standard_user).cookies['sessionid'].value}"


def test_a_connection_killed_while_idle_is_replaced_before_the_next_request(portal, cookie):
    port = portal.port
    for _ in range(4):  # every worker holds a connection (CONN_MAX_AGE)
        assert http_get(port, "/cases/", cookie) == 200
    assert portal.connections_kill() >= 1

    # CONN_HEALTH_CHECKS: each worker finds its dead connection and opens a new one, nobody sees an error.
    assert [http_get(port, "/cases/", cookie) for _ in range(6)] == [200] * 6


def test_connections_killed_under_requests_answer_503_then_200_without_a_restart(portal, cookie):
    port = portal.port
    answers: list[tuple[float, int]] = []  # (when the request started, status); list.append is thread-safe
    stop = threading.Event()

    def client():
        while not stop.is_set():
            started = time.monotonic()
            answers.append((started, http_get(port, "/cases/", cookie)))

    clients = [threading.Thread(target=client) for _ in range(3)]
    for thread in clients:
        thread.start()
    try:
        # Kill until a request met a dead connection in the middle of its work (a kill between two requests
        # is healed by the health check, see above).
        deadline = time.monotonic() + 30
        while not any(status == 503 for _started, status in answers) and time.monotonic() < deadline:
            portal.connections_kill()
            time.sleep(0.05)
        killed_until = time.monotonic()
        while time.monotonic() < killed_until + RECOVERY_SECONDS + 1:
            after = [status for started, status in answers if started > killed_until]
            if after.count(200) >= 20:
                break
            time.sleep(0.1)
    finally:
        stop.set()
        for thread in clients:
            thread.join()

    statuses = {status for _started, status in answers}
    assert statuses <= {200, 503}, f"answers other than 200 or 503: {statuses}"
    assert 503 in statuses, "no request met a killed connection"
    after = [(started, status) for started, status in answers if started > killed_until]
    first_ok = next(started for started, status in after if status == 200)
    assert first_ok - killed_until < RECOVERY_SECONDS
    assert all(status == 200 for started, status in after if started >= first_ok)
    assert "Service Unavailable" in Path(portal.log.name).read_text()
