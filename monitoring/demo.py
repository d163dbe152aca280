"""Demo part of monitoring (seed_demo): every demo organization has a production and a test installation with
30 days of results. Jadran's production database disk is critical now (its incident opens a case), Slavonija's
production application server answers slowly (a warning), and Jadran's test agent stopped five hours ago
(its checks are stale). Jadran's production installation has an agent token whose value is printed with the
demo logins, so a visitor can run the agent (`manage.py monitoring_agent`) against it.

The history is written in bulk (a few thousand rows per installation); the newest hour goes through
services.results_ingest, which keeps the current state and opens the incident as an agent's results would.
Run again, it adds the results since the last run (so the demo does not go stale), nothing twice.
"""

import math
import random
from dataclasses import dataclass
from datetime import timedelta
from itertools import groupby

from django.utils import timezone

from accounts.demo import ORGANIZATIONS
from accounts.models import Organization
from releases.models import Module, Product

from . import services, staleness
from .models import AgentToken, Check, Component, Installation, Result, Status

# Printed on purpose, like the demo password: the token of Jadran's production agent.
DEMO_TOKEN = "jmt_demo-jadran-produkcija-2026"  # noqa: S105
HISTORY_DAYS = 30
RECENT = timedelta(hours=1)  # ingested through the service, as an agent would send it
DENSE = timedelta(days=2)  # every quarter hour in the last two days, hourly before (fewer rows to load)


@dataclass(frozen=True)
class CheckSpec:
    component: str
    kind: str
    module: str  # the product module an incident case is filed under ("" for none)
    name: str
    unit: str
    warning: float | None
    critical: float | None
    higher_is_worse: bool
    base: float  # the usual value, which wanders a little from day to day
    spread: float


APP = "Aplikacijski poslužitelj"
CHECKS = [
    CheckSpec("Baza podataka", "database", "finance", "disk free", "%", 20, 10, False, 46, 4),
    CheckSpec("Baza podataka", "database", "finance", "connections", "", 180, 240, True, 70, 25),
    CheckSpec(APP, "application_server", "sales", "answer time", "ms", 800, 2000, True, 240, 90),
    CheckSpec(APP, "application_server", "sales", "memory used", "%", 85, 95, True, 62, 8),
    CheckSpec("Sigurnosna kopija", "backup", "", "age of newest backup", "h", 26, 48, True, 9, 6),
    CheckSpec("Disk D:", "disk", "", "free space", "GB", 50, 20, False, 310, 12),
    CheckSpec("Integracija e-računa", "integration", "e-invoicing", "queue length", "", 50, 200, True, 4, 3),
    CheckSpec("Licencni poslužitelj", "licence_server", "", "answer time", "ms", 500, 1500, True, 35, 10),
]  # fmt: skip
TEST_CHECKS = [spec for spec in CHECKS if spec.kind in ("database", "application_server", "backup")]
INTERVAL = 900  # seconds: every check reports every 15 minutes

# Per demo organization (slug): what its production installation is doing now, and versions it runs.
PROBLEMS = {
    "jadran": {"critical": ("Baza podataka", "disk free", 6.5)},
    "slavonija": {"warning": (APP, "answer time", 1150)},
}
STALE = ("jadran", Installation.Environment.TEST, timedelta(hours=5))
VERSIONS = {
    "jadran": {
        "production": {"jupiter-erp": "2026.1.1", "jupiter-pos": "3.9"},
        "test": {"jupiter-erp": "2026.4"},
    },
    "slavonija": {"production": {"jupiter-erp": "2026.4"}, "test": {"jupiter-erp": "2026.10"}},
    "northwind": {
        "production": {"jupiter-erp": "2025.10", "jupiter-pos": "3.10"},
        "test": {"jupiter-erp": "2026.1"},
    },
}
# Named users per licensed module the production agents report (licensing shows them against the licence).
USAGE = {
    "jadran": {"finance": 23, "sales": 9},
    "slavonija": {"finance": 31, "purchasing": 13},
    "northwind": {"finance": 6},
}
INSTALLATIONS = [
    ("Produkcija", Installation.Environment.PRODUCTION, CHECKS),
    ("Test", Installation.Environment.TEST, TEST_CHECKS),
]


def seed() -> str:
    now = timezone.now()
    made = added = 0
    for _name, oib, _address, _language, slug, _short in ORGANIZATIONS:
        organization = Organization.objects.filter(oib=oib).first()
        if organization is None:
            continue
        for name, environment, specs in INSTALLATIONS:
            installation, created = Installation.objects.get_or_create(
                organization=organization, name=name, defaults={"environment": environment}
            )
            made += created
            added += _results(installation, slug, specs, now, created)
    # The sweep a beat runs every minute: the silent agent's checks turn UNKNOWN now, not at the next beat.
    staleness.checks_mark_stale(now=now)
    _demo_token()
    return f"{Installation.objects.count()} installations ({made} new), {added} results added"


def welcome() -> list[str]:
    # No query: runserver prints this after it has closed the database connections.
    return [f"Monitoring agent token (Jadran Prehrana, Produkcija): {DEMO_TOKEN}"]


def _results(installation, slug, specs, now, created) -> int:
    """The history (in bulk) and the newest hour (through the service) of each check, from where the last
    run stopped; a stopped agent's installation stops at its time."""
    stopped = STALE[2] if (slug, installation.environment) == STALE[:2] else timedelta(0)
    until = now - stopped
    problems = (
        PROBLEMS.get(slug, {}) if installation.environment == Installation.Environment.PRODUCTION else {}
    )
    checks = _checks(installation, specs)
    last = installation.last_result_at if not created else None
    start = max(last or until - timedelta(days=HISTORY_DAYS), until - timedelta(days=HISTORY_DAYS))
    rows, recent = [], []
    rng = random.Random(f"{installation.pk}-{start:%Y%m%d%H}")
    for spec in specs:
        check = checks[(spec.component, spec.name)]
        moment = _first_slot(start if last is None else last + timedelta(seconds=1))
        while moment <= until:
            if until - moment > DENSE and moment.minute != 0:  # hourly before the last two days
                moment += timedelta(seconds=INTERVAL)
                continue
            # A later run goes on with the problem: the demo's incident stays open.
            value = _value(spec, moment, rng, problems, until if last is None else moment)
            item = _item(spec, value, moment)
            if until - moment < RECENT:
                recent.append(item)
            else:
                rows.append(Result(check_item=check, status=item["status"], value=value, unit=spec.unit,
                                   measured_at=moment))  # fmt: skip
            moment += timedelta(seconds=INTERVAL)
    Result.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    recent.sort(key=lambda item: item["measured_at"])
    versions = [
        {"product": code, "version": version}
        for code, version in VERSIONS.get(slug, {}).get(installation.environment, {}).items()
        if Product.objects.filter(code=code).exists()
    ]
    usage = []
    if installation.environment == Installation.Environment.PRODUCTION:
        known = set(Module.objects.filter(code__in=USAGE.get(slug, {})).values_list("code", flat=True))
        usage = [
            {"module": code, "named_users": n} for code, n in USAGE.get(slug, {}).items() if code in known
        ]
    # One batch per quarter hour, in order, as the agent sends them: a critical spell starts at its first
    # critical result, so the incident outlasts the grace time and opens its case.
    for index, (_moment, batch) in enumerate(groupby(recent, key=lambda item: item["measured_at"])):
        services.results_ingest(
            installation=installation,
            results=list(batch),
            versions=versions if index == 0 else (),
            licence_usage=usage if index == 0 else (),
            now=now,
        )
    return len(rows) + len(recent)


def _checks(installation, specs) -> dict[tuple[str, str], Check]:
    modules = {module.code: module for module in Module.objects.filter(code__in={s.module for s in specs})}
    checks = {}
    for spec in specs:
        component, _created = Component.objects.get_or_create(
            installation=installation,
            name=spec.component,
            defaults={"kind": spec.kind, "module": modules.get(spec.module)},
        )
        checks[(spec.component, spec.name)], _created = Check.objects.get_or_create(
            component=component,
            name=spec.name,
            defaults={
                "unit": spec.unit,
                "warning_threshold": spec.warning,
                "critical_threshold": spec.critical,
                "higher_is_worse": spec.higher_is_worse,
                "interval": INTERVAL,
            },
        )
    return checks


def _first_slot(moment):
    """The first quarter hour after the moment: results come on the quarter hours, as a scheduled agent's."""
    quarter = moment.replace(minute=moment.minute - moment.minute % 15, second=0, microsecond=0)
    return quarter + timedelta(minutes=15)


def _value(spec: CheckSpec, moment, rng, problems, problem_until) -> float:
    """The usual value with a daily rhythm and noise; the problem's value in the 40 minutes before
    `problem_until`."""
    for kind in ("critical", "warning"):
        component, name, value = problems.get(kind, (None, None, None))
        if (component, name) == (spec.component, spec.name) and problem_until - moment <= timedelta(
            minutes=40
        ):
            return value
    hour = moment.hour + moment.minute / 60
    daily = math.sin((hour - 8) / 24 * 2 * math.pi)
    value = spec.base + spec.spread * (0.6 * daily + 0.4 * rng.uniform(-1, 1))
    return round(max(value, 0), 1)


def _item(spec: CheckSpec, value: float, moment) -> dict:
    return {
        "component": spec.component,
        "check": spec.name,
        "status": _status(spec, value),
        "value": value,
        "unit": spec.unit,
        "message": "",
        "measured_at": moment,
        "kind": spec.kind,
        "interval": INTERVAL,
    }


def _status(spec: CheckSpec, value: float) -> Status:
    def beyond(threshold):
        return threshold is not None and (value >= threshold if spec.higher_is_worse else value <= threshold)

    if beyond(spec.critical):
        return Status.CRITICAL
    return Status.WARNING if beyond(spec.warning) else Status.OK


def _demo_token() -> None:
    installation = Installation.objects.filter(
        organization__oib=ORGANIZATIONS[0][1], environment=Installation.Environment.PRODUCTION
    ).first()
    digest = AgentToken.digest_of(DEMO_TOKEN)
    if installation is not None and not AgentToken.objects.filter(digest=digest).exists():
        AgentToken.objects.create(
            installation=installation, name="Demo agent", hint=DEMO_TOKEN[:12], digest=digest
        )
