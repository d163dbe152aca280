"""The load test (`python -m bench --soak`, `make loadtest`): many people at once on the main pages through
gunicorn, every answer checked.

Each client is one person: it signs in through the login form (one bench user per client, so no one is
throttled for the traffic of a hundred), then goes round the case list, a case page, the dashboard, a
knowledge search and, for customers, the form of a new case (fetched for its CSRF and one-time tokens, then
sent) until the time is up. Every status is counted; anything but the page's expected answer is an error (a
302 to the sign-in page included), and so is a connection that fails. The figures are those of a Python
load generator sharing the machine with the server: wrk cannot sign in and follow forms.
"""

import http.client
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from django_otp.oath import totp

from .measure import percentile

SIGN_IN = "/accounts/login/"
SECOND_FACTOR = "/accounts/two-factor/"
KNOWLEDGE_QUERY = "obračun plaće"
FORM = re.compile(r"<form\b.*?</form>", re.DOTALL)
HIDDEN_INPUT = re.compile(r"<input\b[^>]*\btype=\"hidden\"[^>]*>")
ATTRIBUTE = re.compile(r'\b(name|value)="([^"]*)"')


def personas(facts: dict, count: int) -> list[dict]:
    """`count` bench users to sign in, about one in eight of them staff (the dispatcher and consultants), the
    rest customers, one of each organization in turn; with the pages each one visits. Runs connected to the
    bench database (or a test's)."""
    from django.db.models import Q
    from django.urls import reverse

    from accounts import two_factor
    from accounts.models import Membership, User
    from accounts.roles import StaffGroup
    from cases.selectors import cases_visible_to

    from .pages import create_form
    from .people import BENCH_PASSWORD

    staff = User.objects.filter(Q(email=facts["dispatcher"]) | Q(groups__name=StaffGroup.CONSULTANT))
    staff = list(staff.distinct().order_by("pk")[: max(1, count // 8)])
    ranked, rank_in = [], Counter()
    for membership in Membership.objects.select_related("user").order_by("organization_id", "user_id"):
        ranked.append((rank_in[membership.organization_id], membership.user))
        rank_in[membership.organization_id] += 1
    # Every organization's first member, then every second one, and so on (sorted is stable).
    customers = [user for _rank, user in sorted(ranked, key=lambda pair: pair[0])]
    form = {key: str(value) for key, value in create_form().items()}
    result = []
    for user in staff + customers[: count - len(staff)]:
        is_customer = user not in staff
        visible = cases_visible_to(user).order_by("-last_activity_at").values_list("reference", flat=True)
        reference = visible.first() if is_customer else facts["detail_reference"]
        pages = [
            ("case-list", reverse("cases:case-list")),
            ("dashboard", reverse("dashboard")),
            ("knowledge-search", f"{reverse('docs:knowledge-search')}?{urlencode({'q': KNOWLEDGE_QUERY})}"),
        ]
        if reference:
            pages.insert(1, ("case-detail", reverse("cases:case-detail", args=[reference])))
        if is_customer:
            pages.append(("create", reverse("cases:case-create")))
        person = {"email": user.email, "password": BENCH_PASSWORD, "pages": pages, "form": form}
        if two_factor.is_required(user):
            person["authenticator"] = _authenticator_key(user)
        result.append(person)
    return result


def _authenticator_key(user) -> str:
    """The key of the user's authenticator (made if missing), so the client can type the code staff need
    after the password."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return (device or TOTPDevice.objects.create(user=user, name="Bench", confirmed=True)).key


@dataclass
class Tally:
    """What every client saw; list.append is atomic under the GIL, so the clients share it without a lock."""

    answers: list = field(default_factory=list)  # (page, status, ms); status 0: the connection failed
    errors: list = field(default_factory=list)  # (page, status, what was wrong)

    def count(self, page: str, status: int, started: float, expected: int, problem: str = "") -> bool:
        self.answers.append((page, status, (time.perf_counter() - started) * 1000))
        if status != expected or problem:
            self.errors.append((page, status, problem or f"expected {expected}"))
            return False
        return True


class Browser:
    """One person's connection to the portal: a cookie jar and requests one after the other."""

    def __init__(self, port: int, tally: Tally):
        self.port = port
        self.tally = tally
        self.cookies: dict[str, str] = {}

    def request(self, page: str, method: str, path: str, expected: int, body: dict | None = None):
        """The response's status, headers and text, counted in the tally; None when it was not expected."""
        started = time.perf_counter()
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(
                method, path, body=urlencode(body) if body is not None else None, headers=headers
            )
            response = connection.getresponse()
            text = response.read().decode(errors="replace")
        except (OSError, http.client.HTTPException) as error:
            self.tally.count(page, 0, started, expected, f"connection failed: {error!r}")
            return None
        finally:
            connection.close()
        self._keep_cookies(response.headers.get_all("Set-Cookie") or [])
        location = response.headers.get("Location", "")
        problem = f"redirected to {location}" if location.startswith(SIGN_IN) else ""
        if not problem and location and response.status != expected:
            problem = f"expected {expected}, redirected to {location}"
        if not self.tally.count(page, response.status, started, expected, problem):
            return None
        return response, text

    def _keep_cookies(self, headers: list[str]) -> None:
        for header in headers:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def form_fields(self, page: str, path: str, field_name: str) -> dict | None:
        """The hidden fields (CSRF token, one-time submission token) of the form at `path` that has the field
        `field_name` (the header's forms have hidden fields of their own)."""
        answer = self.request(page, "GET", path, 200)
        if answer is None:
            return None
        form = next((form for form in FORM.findall(answer[1]) if f'name="{field_name}"' in form), "")
        fields = {}
        for tag in HIDDEN_INPUT.findall(form):
            attributes = dict(ATTRIBUTE.findall(tag))
            if "name" in attributes:
                fields[attributes["name"]] = attributes.get("value", "")
        return fields

    def sign_in(self, email: str, password: str, authenticator: str | None = None) -> bool:
        """The password, then (for staff, ADMINs and FIN_ADMINs) the code of their authenticator."""
        fields = self.form_fields("sign-in", SIGN_IN, "username")
        if fields is None:
            return False
        answer = self.request(
            "sign-in", "POST", SIGN_IN, 302, {**fields, "username": email, "password": password}
        )
        if answer is None:
            return False
        if authenticator is not None:
            fields = self.form_fields("sign-in", SECOND_FACTOR, "code")
            if fields is None:
                return False
            code = f"{totp(bytes.fromhex(authenticator)):06d}"
            if self.request("sign-in", "POST", SECOND_FACTOR, 302, {**fields, "code": code}) is None:
                return False
        return "sessionid" in self.cookies

    def case_create(self, path: str, form: dict) -> None:
        fields = self.form_fields("create-form", path, "title")
        if fields is None:
            return
        answer = self.request("create", "POST", path, 302, {**fields, **form})
        if answer is not None and not answer[0].headers.get("Location", "").startswith("/cases/"):
            self.tally.errors.append(("create", 302, f"redirected to {answer[0].headers['Location']}"))


def soak_run(port: int, people: list[dict], *, clients: int, duration: float, out=print) -> dict:
    """`clients` browsers, each signed in as one of `people` in turn, on their pages for `duration` seconds
    once all have signed in; the figures of soak_figures."""
    tally = Tally()
    signed_in = threading.Barrier(clients + 1)
    stop = threading.Event()

    def client(number: int):
        person = people[number % len(people)]
        browser = Browser(port, tally)
        page = "sign-in"
        # A failure of this code must fail the run, and never leave the others waiting at the barrier.
        try:
            ready = browser.sign_in(person["email"], person["password"], person.get("authenticator"))
        except Exception as error:
            tally.errors.append((page, 0, f"client failed: {error!r}"))
            ready = False
        signed_in.wait()
        pages = person["pages"]
        turn = number  # clients start on different pages, so every page is under load all the time
        try:
            while ready and not stop.is_set():
                page, path = pages[turn % len(pages)]
                turn += 1
                if page == "create":
                    browser.case_create(path, person["form"])
                else:
                    browser.request(page, "GET", path, 200)
        except Exception as error:
            tally.errors.append((page, 0, f"client failed: {error!r}"))

    threads = [threading.Thread(target=client, args=(number,), daemon=True) for number in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    signed_in.wait()
    out(f"  {clients} clients signed in ({time.monotonic() - started:.0f} s); load for {duration:.0f} s")
    cpu_before = _cpu_times()
    load_started = time.monotonic()
    time.sleep(duration)
    stop.set()
    for thread in threads:
        thread.join()
    return soak_figures(tally, time.monotonic() - load_started, _cpu_busy(cpu_before))


def soak_figures(tally: Tally, seconds: float, cpu_busy: float | None) -> dict:
    """Requests, statuses and latencies of the load (the sign-ins before it are counted apart), and every
    error, sign-ins included."""
    load = [(page, status, ms) for page, status, ms in tally.answers if page != "sign-in"]
    latencies = [ms for _page, _status, ms in load]
    pages = {}
    for page in sorted({page for page, _status, _ms in load}):
        times = [ms for name, _status, ms in load if name == page]
        pages[page] = {
            "requests": len(times),
            "p50_ms": percentile(times, 0.5),
            "p95_ms": percentile(times, 0.95),
        }
    return {
        "sign_ins": len(tally.answers) - len(load),
        "requests": len(load),
        "seconds": seconds,
        "rps": len(load) / seconds,
        "p50_ms": percentile(latencies, 0.5) if latencies else 0.0,
        "p95_ms": percentile(latencies, 0.95) if latencies else 0.0,
        "statuses": dict(sorted(Counter(status for _page, status, _ms in load).items())),
        "errors": len(tally.errors),
        "error_samples": Counter(f"{page}: {status} {problem}" for page, status, problem in tally.errors),
        "pages": pages,
        "cpu_busy": cpu_busy,
    }


def _cpu_times() -> list[int] | None:
    try:
        return [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except OSError:
        return None


def _cpu_busy(before: list[int] | None) -> float | None:
    """The share of the machine's CPU time spent working since `before` (idle and iowait are not work)."""
    after = _cpu_times()
    if before is None or after is None:
        return None
    spent = [a - b for a, b in zip(after, before, strict=False)]
    return 1 - (spent[3] + spent[4]) / sum(spent) if sum(spent) else None


def soak_report(figures: dict, *, clients: int, people: int, load_before: str, load_after: str) -> str:
    """The result in a few lines of markdown, for PERFORMANCE.md."""
    lines = [
        f"- {clients} clients ({people} users signed in) for {figures['seconds']:.0f} s: "
        f"{figures['requests']:,} requests, {figures['rps']:.0f} req/s, **{figures['errors']} errors**; "
        f"statuses {figures['statuses']}",
        f"- latency p50 {figures['p50_ms']:.0f} ms, p95 {figures['p95_ms']:.0f} ms",
        f"- machine: load average {load_before} before, {load_after} after"
        + (
            f"; CPU {figures['cpu_busy']:.0%} busy during the load" if figures["cpu_busy"] is not None else ""
        ),
        "",
        "| page | requests | p50 ms | p95 ms |",
        "| --- | ---: | ---: | ---: |",
    ]
    for page, row in figures["pages"].items():
        lines.append(f"| {page} | {row['requests']:,} | {row['p50_ms']:.0f} | {row['p95_ms']:.0f} |")
    for sample, times in figures["error_samples"].most_common(10):
        lines.append(f"\nError ({times}×): {sample}")
    return "\n".join(lines)
