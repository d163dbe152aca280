"""The load phase: gunicorn (2 sync workers) on 127.0.0.1 against the bench database, driven at a fixed
number of concurrent connections for a bounded time, by wrk when it is installed, else by a small Python
load generator (threads; it takes CPU from the server on a small machine, so wrk's figures are the ones to
publish).
"""

import http.client
import json
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from django.conf import settings

from . import BenchError
from .measure import percentile

WORKERS = 2


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    """A gunicorn master for the duration of a `with` block; its log goes to a file shown on failure."""

    def __init__(self, env: dict):
        self.env = env
        self.port = _free_port()
        self.log = tempfile.NamedTemporaryFile(prefix="bench-gunicorn-", suffix=".log", delete=False)  # noqa: SIM115

    def __enter__(self):
        command = [
            sys.executable, "-m", "gunicorn", "helpdesk.wsgi:application",
            "--config", "python:bench.gunicorn_conf",
            "--workers", str(WORKERS), "--worker-class", "sync",
            "--bind", f"127.0.0.1:{self.port}",
        ]  # fmt: skip
        self.process = subprocess.Popen(  # noqa: S603
            command, env=self.env, cwd=settings.BASE_DIR, stdout=self.log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                if _get(self.port, "/health/", {})[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.3)
        self.__exit__(BenchError)  # keeps the log
        raise BenchError(
            f"gunicorn did not start; see {self.log.name}:\n{Path(self.log.name).read_text()[-2000:]}"
        )

    def __exit__(self, exc_type=None, *exc_info):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        log = Path(self.log.name)
        if exc_type is None and log.exists() and not log.read_text().strip():
            log.unlink()


def _get(port: int, path: str, spec: dict, cookie: str = "") -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        headers = {"Cookie": cookie} if cookie else {}
        body = spec.get("body")
        if body is not None:
            headers["Content-Type"] = spec["content_type"]
        connection.request(spec.get("method", "GET"), path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _lua(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


WRK_DONE = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('{"requests": %d, "seconds": %f, "p50_ms": %f, "p95_ms": %f, "bad_status": %d, '
    .. '"socket_errors": %d}\\n', summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3,
    latency:percentile(95) / 1e3, e.status, e.connect + e.read + e.write + e.timeout))
end
"""


def _wrk(port: int, spec: dict, duration: int, connections: int) -> dict:
    lines = [f"local cookies = {{{', '.join(_lua(c) for c in spec['cookies'])}}}", "local n = 0"]
    lines.append(f"wrk.method = {_lua(spec['method'])}")
    if spec.get("body") is not None:
        lines.append(f"wrk.body = {_lua(spec['body'])}")
        lines.append(f'wrk.headers["Content-Type"] = {_lua(spec["content_type"])}')
    lines.append(
        "request = function()\n  n = n + 1\n"
        '  wrk.headers["Cookie"] = cookies[(n % #cookies) + 1]\n  return wrk.format()\nend'
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write("\n".join(lines) + WRK_DONE)
    command = [
        "wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{duration}s", "--timeout", "10s",
        "-s", script.name, f"http://127.0.0.1:{port}{spec['path']}",
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    Path(script.name).unlink()
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    figures["rps"] = figures["requests"] / figures["seconds"]
    return figures


def _python(port: int, spec: dict, duration: int, connections: int) -> dict:
    """`connections` threads, each sending one request after the other (gunicorn's sync workers close the
    connection after each response, as they do for wrk)."""
    deadline = time.monotonic() + duration
    latencies: list[float] = []
    bad: list[int] = []  # list.append is atomic under the GIL; `+= 1` on a shared int is not

    def worker(cookie):
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                status, _body = _get(port, spec["path"], spec, cookie)
            except OSError:
                status = 0
            latencies.append((time.perf_counter() - started) * 1000)
            if status != spec["expected"]:
                bad.append(status)

    started = time.monotonic()
    threads = [
        threading.Thread(target=worker, args=(spec["cookies"][n % len(spec["cookies"])],))
        for n in range(connections)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.monotonic() - started
    return {
        "requests": len(latencies),
        "seconds": seconds,
        "rps": len(latencies) / seconds,
        "p50_ms": percentile(latencies, 0.5),
        "p95_ms": percentile(latencies, 0.95),
        "bad_status": len(bad),
        "socket_errors": 0,
    }


def generator_name(choice: str = "auto") -> str:
    if choice == "auto":
        return "wrk" if shutil.which("wrk") else "python"
    if choice == "wrk" and not shutil.which("wrk"):
        raise BenchError("wrk is not installed (apt-get install -y wrk).")
    return choice


def load_run(specs: dict, env: dict, *, generator: str, duration: int, connections: int, out=print) -> dict:
    """Drive each page for `duration` seconds; {key: {"rps", "p95_ms", ...}}."""
    drive = _wrk if generator == "wrk" else _python
    results = {}
    with Gunicorn(env) as server:
        for key, spec in specs.items():
            status, _body = _get(server.port, spec["path"], spec, spec["cookies"][0])
            if status != spec["expected"]:
                results[key] = {"error": f"HTTP {status} under gunicorn (expected {spec['expected']})"}
                out(f"  {key}: {results[key]['error']}")
                continue
            results[key] = figures = drive(server.port, spec, duration, connections)
            out(f"  {key}: {figures['rps']:.0f} req/s, p95 {figures['p95_ms']:.1f} ms")
    return results
