"""The results table (markdown) with the machine it was measured on, and whether each target is met."""

import os
import platform
import subprocess
from datetime import datetime
from pathlib import Path

from django.db import connection

from .database import admin_connect
from .pages import PAGES


def machine() -> str:
    """Cores, CPU model, memory, PostgreSQL and Python versions, in one line."""
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kilobytes = int(meminfo.read_text().split()[1])
        memory = f", {kilobytes / 1024 / 1024:.0f} GB RAM"
    with admin_connect(connection.settings_dict) as admin:
        postgres = admin.execute("SHOW server_version").fetchone()[0].split()[0]
    return (
        f"{os.cpu_count()} cores ({cpu}){memory}, PostgreSQL {postgres}, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )


def load_average() -> str:
    """The load averages over 1, 5 and 15 minutes: how busy the machine was with other work."""
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def _cell(value, digits: int = 1) -> str:
    if value is None:
        return "-"
    return f"{value:.{digits}f}" if isinstance(value, float) else str(value)


def _verdict(page, measured: dict, loaded: dict | None) -> str:
    if "error" in measured:
        return measured["error"]
    missed = []
    if page.queries is not None and measured["queries"] > page.queries:
        missed.append("queries")
    if loaded is None:
        return "missed: " + ", ".join(missed) if missed else "met (in-process only)"
    if "error" in loaded:
        return loaded["error"]
    if loaded["rps"] < page.rps:
        missed.append("req/s")
    if loaded["p95_ms"] > page.p95:
        missed.append("p95")
    if loaded.get("bad_status") or loaded.get("socket_errors"):
        missed.append(f"{loaded['bad_status'] + loaded['socket_errors']} failed requests")
    return "missed: " + ", ".join(missed) if missed else "met"


def table(results: dict, loaded: dict | None) -> str:
    lines = [
        "| page | as | first ms | p50 ms | p95 ms | queries | req/s | p95 ms under load "
        "| target req/s, p95, queries | |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for page in PAGES:
        measured = results.get(page.key)
        if measured is None:
            continue
        load = (loaded or {}).get(page.key) if loaded is not None else None
        ok = "error" not in measured
        row = [
            page.label,
            page.persona,
            _cell(measured.get("first_ms")) if ok else "-",
            _cell(measured.get("p50_ms")) if ok else "-",
            _cell(measured.get("p95_ms")) if ok else "-",
            _cell(measured.get("queries")) if ok else "-",
            _cell(load.get("rps"), 0) if load and "rps" in load else "-",
            _cell(load.get("p95_ms")) if load and "p95_ms" in load else "-",
            f"≥ {page.rps}, ≤ {page.p95} ms, {'≤ ' + str(page.queries) if page.queries else '-'}",
            _verdict(page, measured, load if loaded is not None else None),
        ]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def document(
    meta: dict, results: dict, loaded: dict | None, *, requests: int, load_info: str, load_before: str
) -> str:
    facts = meta["facts"]
    head = [
        f"## {facts['cases']:,} cases, {facts['events']:,} events "
        f"({datetime.now().astimezone():%Y-%m-%d %H:%M %Z})",
        "",
        f"- Machine: {machine()}; load average before measuring: {load_before}",
        f"- Data generated {meta.get('generated_at', '?')} in {meta.get('generate_seconds', '?')} s "
        f"(plus {meta.get('migrate_seconds', '?')} s of migrations)",
        f"- Code: git {git_revision()}",
        f"- In-process: {requests} requests per page after warm-up, Django test client, DEBUG off",
        f"- Load: {load_info}",
        "",
        "",
    ]
    legend = (
        "\n\n*first ms*: the first request, with cold caches; *p50/p95 ms*: server time in-process; "
        "*queries*: SQL queries of one request; *req/s* and *p95 ms under load*: through gunicorn and the "
        "load generator; *as*: the persona (the standard user of the biggest organization, a consultant, "
        "the dispatcher).\n"
    )
    return "\n".join(head) + table(results, loaded) + legend


def _git(*arguments: str) -> str:
    try:
        command = ["git", *arguments]
        return subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip()  # noqa: S603, S607
    except (OSError, subprocess.CalledProcessError):
        return ""


def git_revision() -> str:
    """The commit measured, and whether tracked files were changed since."""
    revision = _git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = _git("status", "--porcelain", "--untracked-files=no")
    return f"{revision} with uncommitted changes" if dirty else revision
