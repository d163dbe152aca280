"""In-process measurement: Django's test client against the bench database, in a child process whose
settings are production-like (DEBUG off). Server time is the whole request through every middleware;
queries are counted with CaptureQueriesContext on extra requests, so counting costs no time measured.

It also prepares what the load phase sends: signed-in sessions for each persona and a valid CSRF pair.
"""

import math
import re
import statistics
import time
from urllib.parse import urlencode

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from tests.two_factor import login_verified

from .pages import PAGES, create_form, page_url

WARMUP = 5
SESSIONS_PER_PERSONA = 8  # one per load connection, so concurrent requests do not share a session row
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (share in 0..1)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _client(user) -> Client:
    client = Client(headers={"accept-language": "hr"})
    login_verified(client, user)  # staff and ADMINs measured past their second factor
    return client


def _request(client: Client, page, url: str, form: dict):
    if page.method == "POST":
        return client.post(url, form)
    return client.get(url)


def page_measure(client: Client, page, url: str, form: dict, requests: int) -> dict:
    """Server times of `requests` requests after a warm-up; the first request's time is kept apart: it
    fills caches (the analysis page's figures, PostgreSQL's buffers) that later requests only read."""
    first_ms = None
    for _ in range(WARMUP):
        started = time.perf_counter()
        response = _request(client, page, url, form)
        first_ms = first_ms or (time.perf_counter() - started) * 1000
        if response.status_code != page.expected:
            return {"error": f"HTTP {response.status_code} (expected {page.expected})"}
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        _request(client, page, url, form)
        times.append((time.perf_counter() - started) * 1000)
    counts = []
    for _ in range(3):
        with CaptureQueriesContext(connection) as queries:
            _request(client, page, url, form)
        counts.append(len(queries.captured_queries))
    return {
        "first_ms": round(first_ms, 1),
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(percentile(times, 0.95), 1),
        "queries": max(counts),
    }


def _load_spec(page, url: str, personas: dict, csrf: tuple[str, str], form: dict) -> dict:
    """What a load generator sends for the page: sessions to rotate over, and the form for a POST."""
    sessions = []
    for _ in range(SESSIONS_PER_PERSONA):
        cookie = _client(personas[page.persona]).cookies["sessionid"].value
        sessions.append(
            f"sessionid={cookie}; csrftoken={csrf[0]}" if page.method == "POST" else f"sessionid={cookie}"
        )
    spec = {"path": url, "method": page.method, "expected": page.expected, "cookies": sessions}
    if page.method == "POST":
        spec["body"] = urlencode({**form, "csrfmiddlewaretoken": csrf[1]})
        spec["content_type"] = "application/x-www-form-urlencoded"
    return spec


def _csrf_pair(client: Client, url: str) -> tuple[str, str]:
    """The CSRF cookie and a form token that matches it, from a real GET of the form."""
    response = client.get(url)
    return client.cookies["csrftoken"].value, CSRF_INPUT.search(response.content.decode()).group(1)


def measure(facts: dict, requests: int, only: set[str] | None = None, out=print) -> dict:
    """Time every page; return {"pages": {key: figures}, "load": {key: load spec}}."""
    from helpdesk.celery import app

    # Tasks are queued (in this process's memory, never run), as a web process hands them to the broker.
    app.conf.task_always_eager = False
    app.conf.broker_url = "memory://localhost/"
    personas = {
        "dispatcher": User.objects.get(email=facts["dispatcher"]),
        "consultant": User.objects.get(email=facts["consultant"]),
        "customer": User.objects.get(email=facts["customer"]),
    }
    clients = {name: _client(user) for name, user in personas.items()}
    form = create_form()
    results, load = {}, {}
    csrf = None
    for page in PAGES:
        if only and page.key not in only:
            continue
        url = page_url(page, facts["detail_reference"])
        if url is None:
            results[page.key] = {"error": "page not in this portal"}
            out(f"  {page.key}: skipped, the page does not exist")
            continue
        results[page.key] = figures = page_measure(clients[page.persona], page, url, form, requests)
        out(f"  {page.key}: {figures}")
        if "error" not in figures:
            if page.method == "POST" and csrf is None:
                csrf = _csrf_pair(clients[page.persona], url)
            load[page.key] = _load_spec(page, url, personas, csrf, form)
    return {"pages": results, "load": load}
