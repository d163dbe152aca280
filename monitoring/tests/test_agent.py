"""The monitoring agent's measurements (monitoring/agent.py) on real things: a temporary folder, the test
database, a local HTTP server; its sending with retries; and that it runs without Django."""

import http.server
import json
import os
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.db import connection

from monitoring import agent
from tests.integration import database_url
from tests.worker import free_port

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


# --- Disks --------------------------------------------------------------------------------------------------


def test_disk_free_is_measured_in_percent(tmp_path):
    [result] = agent.disk_check(str(tmp_path), now=NOW, interval=60)

    usage = os.statvfs(tmp_path)
    expected = usage.f_bavail * 100 / usage.f_blocks
    assert result["component"] == f"Disk {tmp_path}"
    assert result["kind"] == "disk"
    assert result["check"] == "disk free"
    assert result["unit"] == "%"
    assert result["value"] == pytest.approx(expected, abs=1)
    assert result["measured_at"] == "2026-12-01T10:00:00+00:00"
    assert result["interval"] == 60


@pytest.mark.parametrize(
    ("free", "status"), [(50, "OK"), (20, "OK"), (19.9, "WARNING"), (10, "WARNING"), (9.9, "CRITICAL")]
)
def test_disk_thresholds_are_20_and_10_percent(free, status, tmp_path, monkeypatch):
    total = 1000 * 2**20
    usage = SimpleNamespace(total=total, used=total - int(total * free / 100), free=int(total * free / 100))
    monkeypatch.setattr(agent.shutil, "disk_usage", lambda path: usage)
    [result] = agent.disk_check(str(tmp_path), now=NOW)
    assert result["status"] == status
    assert "warning below 20 %, critical below 10 %" in result["message"]


def test_a_missing_disk_path_is_unknown(tmp_path):
    [result] = agent.disk_check(str(tmp_path / "not-mounted"), now=NOW)
    assert result["status"] == "UNKNOWN"
    assert result["value"] is None
    assert "Cannot measure" in result["message"]


# --- Backups ------------------------------------------------------------------------------------------------


def backup_written(folder: Path, name: str, hours_ago: float) -> None:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"dump")
    stamp = NOW.timestamp() - hours_ago * 3600
    os.utime(path, (stamp, stamp))


@pytest.mark.parametrize(("hours", "status"), [(2, "OK"), (26, "OK"), (27, "WARNING"), (51, "CRITICAL")])
def test_the_newest_backup_file_decides_the_state(hours, status, tmp_path):
    backup_written(tmp_path, "old/erp-2026-11-20.dump", 300)
    backup_written(tmp_path, "daily/erp-newest.dump", hours)

    [result] = agent.backup_check(str(tmp_path), now=NOW)

    assert result["kind"] == "backup"
    assert result["check"] == "newest backup age"
    assert result["unit"] == "h"
    assert result["value"] == pytest.approx(hours, abs=0.01)
    assert result["status"] == status
    assert "erp-newest.dump" in result["message"]


def test_an_empty_or_missing_backup_folder_is_critical(tmp_path):
    [empty] = agent.backup_check(str(tmp_path), now=NOW)
    [missing] = agent.backup_check(str(tmp_path / "nope"), now=NOW)
    assert (empty["status"], missing["status"]) == ("CRITICAL", "CRITICAL")
    assert "No backup file" in empty["message"]
    assert "does not exist" in missing["message"]


# --- PostgreSQL ---------------------------------------------------------------------------------------------


def test_the_database_is_reached_and_its_size_measured(db):
    url = database_url(connection.settings_dict)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        size = cursor.fetchone()[0]

    connect, measured = agent.database_check(url, now=NOW)

    assert connect["kind"] == measured["kind"] == "database"
    assert connect["component"] == measured["component"]
    assert connection.settings_dict["NAME"] in connect["component"]
    assert (connect["check"], connect["status"], connect["unit"]) == ("connect time", "OK", "ms")
    assert 0 < connect["value"] < agent.CONNECT_WARNING_MS
    assert (measured["check"], measured["status"], measured["unit"]) == ("database size", "OK", "MB")
    assert measured["value"] == pytest.approx(size / 2**20, rel=0.05)


def test_an_unreachable_database_is_critical():
    connect, measured = agent.database_check(f"postgres://nobody@127.0.0.1:{free_port()}/erp", now=NOW)
    assert connect["status"] == "CRITICAL"
    assert connect["message"].startswith("Cannot connect")
    assert measured["status"] == "UNKNOWN"


def test_the_password_of_the_database_url_is_never_sent():
    [connect, _size] = agent.database_check(f"postgres://erp:s3cret@127.0.0.1:{free_port()}/erp", now=NOW)
    assert "s3cret" not in json.dumps(connect)
    assert connect["component"] == "PostgreSQL erp@127.0.0.1"


def test_licence_usage_is_read_with_the_query_given(db):
    url = database_url(connection.settings_dict)
    rows = agent.licence_usage_query(url, "SELECT 'finance', 42 UNION ALL SELECT 'sales', 7")
    assert rows == [{"module": "finance", "named_users": 42}, {"module": "sales", "named_users": 7}]


# --- URLs ---------------------------------------------------------------------------------------------------


class Answers(http.server.BaseHTTPRequestHandler):
    """A local server whose answers the test queues: (status, headers, body) per request; it records what it
    was sent."""

    answers: list = []
    received: list = []

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.received.append((self.command, self.path, dict(self.headers), self.rfile.read(length)))
        status, headers, body = self.answers.pop(0) if self.answers else (200, {}, b"{}")
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args):
        pass


@contextmanager
def local_server(*answers):
    handler = type("Handler", (Answers,), {"answers": list(answers), "received": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", handler.received
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(
    ("status", "expected"), [(200, "OK"), (204, "OK"), (404, "WARNING"), (500, "CRITICAL"), (503, "CRITICAL")]
)
def test_a_url_is_timed_and_5xx_is_critical(status, expected):
    with local_server((status, {}, b"x")) as (base, received):
        [result] = agent.http_check(base + "/health/", now=NOW)
    assert received[0][:2] == ("GET", "/health/")
    assert result["component"] == f"HTTP {base}/health/"
    assert (result["kind"], result["check"], result["unit"]) == ("service", "answer time", "ms")
    assert result["status"] == expected
    assert result["value"] > 0
    assert result["message"].startswith(f"HTTP {status} in ")


def test_a_url_that_does_not_answer_is_critical():
    [result] = agent.http_check(f"http://127.0.0.1:{free_port()}/", now=NOW)
    assert result["status"] == "CRITICAL"
    assert result["value"] is None
    assert result["message"].startswith("No answer")


# --- Sending ------------------------------------------------------------------------------------------------

PAYLOAD = {"results": [{"component": "Disk /", "check": "disk free", "status": "OK", "value": 50.0}]}
CREATED = (201, {"Content-Type": "application/json"}, b'{"accepted": 1, "duplicates": 0}')


def test_results_are_posted_with_the_token_and_the_answer_is_returned():
    with local_server(CREATED) as (base, received):
        answer = agent.post(base + "/", "jmt_secret", PAYLOAD, sleep=pytest.fail)
    method, path, headers, body = received[0]
    assert (method, path) == ("POST", "/api/monitoring/results/")
    assert headers["Authorization"] == "Token jmt_secret"
    assert headers["Content-Type"] == "application/json"
    assert json.loads(body) == PAYLOAD
    assert answer == {"accepted": 1, "duplicates": 0}


def test_429_waits_as_long_as_retry_after_says_and_5xx_backs_off():
    waits, said = [], []
    answers = [(429, {"Retry-After": "7"}, b""), (503, {}, b""), (502, {}, b""), CREATED]
    with local_server(*answers) as (base, received):
        answer = agent.post(base, "jmt_secret", PAYLOAD, sleep=waits.append, out=said.append)
    assert answer["accepted"] == 1
    assert len(received) == 4
    assert waits == [7, 2, 4]  # Retry-After, then the doubling backoff (1 s was the first attempt's)
    assert "HTTP 429" in said[0]


def test_a_refusal_is_not_retried():
    refused = (401, {}, b'{"detail": "Invalid token."}')
    with local_server(refused, CREATED) as (base, received), pytest.raises(agent.SendError) as error:
        agent.post(base, "jmt_revoked", PAYLOAD, sleep=pytest.fail)
    assert error.value.status == 401
    assert "Invalid token" in str(error.value)
    assert len(received) == 1


def test_a_portal_that_cannot_be_reached_is_retried_then_given_up():
    waits = []
    with pytest.raises(agent.SendError, match="Gave up after 5 attempts"):
        agent.post(
            f"http://127.0.0.1:{free_port()}", "jmt_x", PAYLOAD, sleep=waits.append, out=lambda _t: None
        )
    assert waits == [1, 2, 4, 8]


def test_more_than_1000_results_go_in_several_batches():
    many = {"results": PAYLOAD["results"] * 2500, "versions": [{"product": "jupiter-erp", "version": "1"}]}
    answer = (201, {}, b'{"accepted": 10, "duplicates": 1}')
    with local_server(answer, answer, answer) as (base, received):
        totals = agent.post(base, "jmt_x", many, sleep=pytest.fail)
    sizes = [len(json.loads(body)["results"]) for *_rest, body in received]
    assert sizes == [1000, 1000, 500]
    assert "versions" in json.loads(received[0][3]) and "versions" not in json.loads(received[1][3])
    assert totals == {"accepted": 30, "duplicates": 3}


# --- The whole round, and running without Django ------------------------------------------------------------


def test_measure_builds_one_payload_of_everything_asked(tmp_path):
    backup_written(tmp_path / "backups", "erp.dump", 1)
    options = {
        "disk": [str(tmp_path)],
        "backup_dir": str(tmp_path / "backups"),
        "installation_products": [("jupiter-erp", "2026.10")],
        "licence_usage": [("finance", 42)],
        "interval": 300,
    }
    payload = agent.measure(options)
    assert [(r["kind"], r["check"]) for r in payload["results"]] == [
        ("disk", "disk free"),
        ("backup", "newest backup age"),
    ]
    assert {r["interval"] for r in payload["results"]} == {300}
    assert payload["versions"] == [{"product": "jupiter-erp", "version": "2026.10"}]
    assert payload["licence_usage"] == [{"module": "finance", "named_users": 42}]


def test_the_agent_runs_stand_alone_without_django(tmp_path):
    """On a customer's server: `python agent.py`, no Django, no settings; a refused token exits with 2."""
    with local_server((401, {}, b'{"detail": "Invalid token."}')) as (base, received):
        script = Path(settings.BASE_DIR) / "monitoring" / "agent.py"
        env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
        started = time.monotonic()
        completed = subprocess.run(  # noqa: S603
            [sys.executable, "-X", "importtime", str(script), "--url", base, "--token", "jmt_x", "--once",
             "--disk", str(tmp_path)],
            capture_output=True, text=True, cwd=tmp_path, env=env, timeout=60, check=False,
        )  # fmt: skip
    assert completed.returncode == 2, completed.stderr
    assert "HTTP 401" in completed.stderr
    assert time.monotonic() - started < 30
    assert " django" not in completed.stderr  # -X importtime lists every module imported
    assert json.loads(received[0][3])["results"][0]["component"] == f"Disk {tmp_path}"


def test_bad_name_value_arguments_are_refused():
    with pytest.raises(SystemExit):
        agent.main(["--url", "http://x", "--token", "t", "--licence-usage", "finance=many"])
