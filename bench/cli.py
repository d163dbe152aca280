"""`python -m bench` (`make bench`): generate cases into a separate database and measure the case pages.

The command runs in three processes so that nothing ever points at the portal's own data: it makes the
bench database, then runs `manage.py migrate`, the generator and the in-process measurement (this command
again, with the internal `--phase`) as child processes whose DATABASE_URL is the bench database (they check
that it is), and finally drives gunicorn with wrk.
"""

import argparse
import json
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import connection

from . import BenchError, billing, database, load, monitoring, report, soak


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Generate cases into a separate database and report how fast the case pages answer "
        "over them (PERFORMANCE.md).",
    )
    parser.add_argument("--cases", type=int, help="Cases to generate (default 100000; 10000 for --soak).")
    parser.add_argument("--events-per-case", type=int, default=4, help="Timeline events per case.")
    parser.add_argument(
        "--organizations", type=int, help="Customer organizations (default 50; 1000 for --billing)."
    )
    parser.add_argument(
        "--database-name",
        help="The bench database, made on the portal's PostgreSQL server (dropped and made again); default "
        "helpdesk_bench, helpdesk_loadtest for --soak, helpdesk_bench_billing for --billing or "
        "helpdesk_bench_monitoring for --monitoring, so that none replaces another's data.",
    )
    parser.add_argument(
        "--keep", action="store_true", help="Reuse the bench database if it holds data of the same size."
    )
    parser.add_argument("--requests", type=int, default=200, help="In-process requests per page.")
    parser.add_argument(
        "--duration", type=int, help="Seconds of load per page (default 10), or of the whole --soak (60)."
    )
    parser.add_argument(
        "--connections", type=int, help="Concurrent load connections (default 8; 4 for --monitoring)."
    )
    parser.add_argument("--skip-load", action="store_true", help="Measure in-process only.")
    parser.add_argument(
        "--load-generator",
        choices=["auto", "wrk", "python"],
        default="auto",
        help="wrk when installed (auto), or the built-in Python generator.",
    )
    parser.add_argument(
        "--only",
        default="",
        help="Comma-separated page keys to measure (default all; --monitoring: ingest too).",
    )
    parser.add_argument(
        "--generate-only", action="store_true", help="Make the bench database and stop (no measurement)."
    )
    parser.add_argument(
        "--results",
        help="Where the table is written too (default bench-results.md; bench-billing-results.md for "
        "--billing, bench-monitoring-results.md for --monitoring).",
    )
    parser.add_argument(
        "--soak",
        action="store_true",
        help="The load test instead of the measurements: --clients people signed in at once on the main "
        "pages for --duration seconds; fails if any request does (bench/soak.py).",
    )
    parser.add_argument(
        "--clients", type=int, default=100, help="Concurrent clients of --soak (default 100)."
    )
    parser.add_argument(
        "--billing",
        action="store_true",
        help="The monthly statements instead of the pages: last month's statement with its PDF for each of "
        "--organizations organizations with --entries time entries each, made by a real Celery worker "
        "(bench/billing.py).",
    )
    parser.add_argument(
        "--entries", type=int, default=50, help="Time entries per organization for --billing (default 50)."
    )
    parser.add_argument(
        "--concurrency", type=int, default=2, help="Worker processes for --billing (default 2, prefork)."
    )
    parser.add_argument(
        "--monitoring",
        action="store_true",
        help="The monitoring targets instead of the case pages: ingestion of batches of 500 results through "
        "gunicorn, and the status page over --stored results (bench/monitoring.py).",
    )
    parser.add_argument(
        "--stored",
        type=int,
        default=10_000_000,
        help="Monitoring results stored for --monitoring's status page (default 10,000,000; made in SQL).",
    )
    parser.add_argument(
        "--redis-url",
        help="The broker of the --billing worker (default REDIS_URL, else redis://127.0.0.1:6379/0); the run "
        "uses a queue of its own on it.",
    )
    # Internal: the work done by the child processes, connected to the bench database.
    parser.add_argument(
        "--phase",
        choices=[
            "generate",
            "measure",
            "undo",
            "soak",
            "billing-generate",
            "billing-run",
            "monitoring-generate",
            "monitoring-measure",
            "monitoring-undo",
        ],  # fmt: skip
        help=argparse.SUPPRESS,
    )
    parser.add_argument("--output", help=argparse.SUPPRESS)
    return parser


def main(argv: list[str]) -> int:
    parser = build_parser()
    options = vars(parser.parse_args(argv))
    soaking, statements, monitored = options["soak"], options["billing"], options["monitoring"]
    database_name = "helpdesk_bench_billing" if statements else "helpdesk_bench"
    results = "bench-billing-results.md" if statements else "bench-results.md"
    if monitored:
        database_name, results = "helpdesk_bench_monitoring", "bench-monitoring-results.md"
    defaults = {
        "cases": 10_000 if soaking else 100_000,
        "database_name": "helpdesk_loadtest" if soaking else database_name,
        "duration": 60 if soaking else 20 if monitored else 10,
        "connections": 4 if monitored else 8,
        "organizations": 1000 if statements else 50,
        "results": results,
    }
    options.update({key: value for key, value in defaults.items() if options[key] is None})
    if options["cases"] < 1 or options["events_per_case"] < 1:
        parser.error("--cases and --events-per-case must be at least 1.")
    if options["organizations"] < 1 or options["entries"] < 1 or options["concurrency"] < 1:
        parser.error("--organizations, --entries and --concurrency must be at least 1.")
    if options["stored"] < 0 or options["connections"] < 1:
        parser.error("--stored must be at least 0 and --connections at least 1.")
    try:
        run(options)
    except BenchError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 1
    return 0


def run(options: dict) -> None:
    if options["phase"]:
        # The parent never touches the portal's database (it may not even exist); the children run the checks.
        database.connected_to_bench(connection, options["database_name"])
        _child(options)
        return
    if options["billing"]:
        _billing(options)
        return
    if options["monitoring"]:
        _monitoring(options)
        return
    meta, env = _prepare(options)
    if options["generate_only"]:
        return
    if options["soak"]:
        _soak(options, env)
    else:
        _measure(options, meta, env)


def _say(message: str) -> None:
    print(message, flush=True)


def _prepare(options: dict) -> tuple[dict, dict]:
    """Reuse or make the bench database; return its metadata and the children's environment."""
    name = options["database_name"]
    server = connection.settings_dict
    env = database.child_env(server, name)
    meta = database.metadata(server, name) or {}
    wanted = {"cases": options["cases"], "events_per_case": options["events_per_case"]}
    same = meta.get("complete") and all(meta.get(key) == value for key, value in wanted.items())
    if options["keep"] and same:
        _say(f"Reusing {name}: {meta['facts']['cases']:,} cases generated {meta['generated_at']}.")
        return meta, env
    if options["keep"]:
        _say(f"{name} holds no data of this size; generating it.")
    _say(f"Making database {name} on the portal's PostgreSQL server")
    database.database_recreate(server, name)
    started = time.monotonic()
    database.manage(["migrate", "--noinput", "-v", "0"], env)
    migrated = time.monotonic()
    _say(f"Migrated in {migrated - started:.0f} s; generating {options['cases']:,} cases")
    facts = _run_child("generate", options, env)
    meta = {
        **wanted,
        "complete": True,
        "generated_at": datetime.now().astimezone().isoformat(timespec="minutes"),
        "migrate_seconds": round(migrated - started),
        "generate_seconds": round(time.monotonic() - migrated),
        "facts": facts,
    }
    database.metadata_write(server, name, meta)
    _say(f"Generated in {meta['generate_seconds']} s")
    return meta, env


def _run_child(phase: str, options: dict, env: dict) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "output.json"
        arguments = ["--output", str(output), "--database-name", options["database_name"]]
        for option in (
            "cases", "events_per_case", "organizations", "requests", "only", "clients", "entries", "stored",
        ):  # fmt: skip
            arguments += [f"--{option.replace('_', '-')}", str(options[option])]
        database.bench(phase, arguments, env)
        return json.loads(output.read_text())


def _child(options: dict) -> None:
    output = Path(options["output"])
    if options["phase"].startswith("billing-"):
        output.write_text(json.dumps(_billing_child(options)))
        return
    if options["phase"].startswith("monitoring-"):
        output.write_text(json.dumps(_monitoring_child(options)))
        return
    if options["phase"] == "generate":
        from .generate import generate

        facts = generate(
            cases=options["cases"],
            events_per_case=options["events_per_case"],
            organizations=options["organizations"],
            out=_say,
        )
        output.write_text(json.dumps(facts.as_dict()))
        return
    meta = database.metadata(connection.settings_dict, options["database_name"])
    if options["phase"] == "measure":
        from .measure import measure

        only = {key for key in options["only"].split(",") if key}
        output.write_text(json.dumps(measure(meta["facts"], options["requests"], only, out=_say)))
    elif options["phase"] == "soak":
        output.write_text(json.dumps(soak.personas(meta["facts"], options["clients"])))
    elif meta["facts"].get("last_case_id"):
        from .generate import measurements_undo

        facts = meta["facts"]
        deleted = measurements_undo(last_case_id=facts["last_case_id"], numbers=facts["numbers"])
        output.write_text(json.dumps({"deleted": deleted}))
    else:
        output.write_text(json.dumps({"deleted": None}))


def _measure(options: dict, meta: dict, env: dict) -> None:
    generated = datetime.fromisoformat(meta["generated_at"])
    if (datetime.now().astimezone() - generated).total_seconds() > 12 * 3600:
        _say("Note: the data is over 12 hours old, so the queue's last 24 hours hold fewer cases.")
    load_before = report.load_average()
    database.manage(["collectstatic", "--noinput", "-v", "0"], env)
    _undo(options, env)  # what an interrupted run left behind
    try:
        _say(f"Measuring in-process ({options['requests']} requests per page)")
        measured = _run_child("measure", options, env)
        loaded, load_info = _load(options, measured["load"], env)
    finally:
        _undo(options, env)
    text = report.document(
        meta,
        measured["pages"],
        loaded,
        requests=options["requests"],
        load_info=load_info,
        load_before=load_before,
    )
    _report_write(text, options)


def _load(options: dict, specs: dict, env: dict) -> tuple[dict | None, str]:
    if options["skip_load"]:
        return None, "skipped"
    generator = load.generator_name(options["load_generator"])
    if options["load_generator"] == "auto" and generator != "wrk":
        _say("wrk is not installed (apt-get install -y wrk): using the Python load generator.")
    load_info = (
        f"gunicorn, {load.WORKERS} sync workers, {generator} with {options['connections']} "
        f"connections for {options['duration']} s per page on 127.0.0.1"
    )
    _say(f"Load: {load_info}")
    loaded = load.load_run(
        specs,
        env,
        generator=generator,
        duration=options["duration"],
        connections=options["connections"],
        out=_say,
    )
    return loaded, load_info


def _undo(options: dict, env: dict) -> None:
    deleted = _run_child("undo", options, env)["deleted"]
    if deleted:
        _say(f"Deleted the {deleted:,} rows that measuring created (cases and what hangs on them)")


def _soak(options: dict, env: dict) -> None:
    """The load test: sign in, drive the main pages, count every answer; a BenchError if any failed."""
    database.manage(["collectstatic", "--noinput", "-v", "0"], env)
    _undo(options, env)  # what an interrupted run left behind
    load_before = report.load_average()
    try:
        people = _run_child("soak", options, env)
        clients, duration = options["clients"], options["duration"]
        _say(
            f"Load test: {clients} clients as {len(people)} users for {duration} s, gunicorn with "
            f"{load.WORKERS} sync workers on 127.0.0.1, the Python load generator"
        )
        with load.Gunicorn(env) as server:
            figures = soak.soak_run(server.port, people, clients=clients, duration=duration, out=_say)
    finally:
        _undo(options, env)
    text = soak.soak_report(
        figures,
        clients=clients,
        people=len(people),
        load_before=load_before,
        load_after=report.load_average(),
    )
    _say("\n" + text)
    if figures["errors"]:
        raise BenchError(f"{figures['errors']} requests failed under load (above).")


def _billing(options: dict) -> None:
    """The statements benchmark (bench/billing.py): data, a real worker, the beat task, the report."""
    meta, env = _prepare_billing(options)
    redis_url = options["redis_url"] or billing.default_redis_url()
    queue = billing.queue_name()
    load_before = report.load_average()
    with billing.media_folder() as media_root, billing.smtp_sink() as (mailbox, smtp_port):
        run_env = billing.worker_env(
            env, redis_url=redis_url, queue=queue, smtp_port=smtp_port, media_root=media_root
        )
        log_path = Path(tempfile.gettempdir()) / f"{queue}.log"
        _say(f"Worker: Celery prefork, concurrency {options['concurrency']}, queue {queue} on {redis_url}")
        try:
            with billing.Worker(
                run_env, queue=queue, concurrency=options["concurrency"], log_path=log_path
            ) as worker:
                figures = _run_child("billing-run", options, run_env)
            figures["worker_cpu"] = worker.cpu_seconds()
            errors = worker.errors()
        finally:
            billing.queue_forget(redis_url, queue)
        figures["mails"] = mailbox.count
        figures["pdf_bytes"] = billing.pdf_bytes(media_root)
    if errors:
        raise BenchError(
            f"The worker logged {len(errors)} errors; see {log_path}:\n" + "\n".join(errors[:10])
        )
    log_path.unlink(missing_ok=True)
    text = billing.billing_report(
        figures,
        meta=meta,
        concurrency=options["concurrency"],
        load_before=load_before,
        load_after=report.load_average(),
    )
    _report_write(text, options)


def _report_write(text: str, options: dict) -> None:
    """Print the report and write it to --results (relative to the project)."""
    _say("\n" + text)
    results = Path(options["results"])
    if not results.is_absolute():
        results = settings.BASE_DIR / results
    results.write_text(text)
    _say(f"Written to {results}")


def _prepare_billing(options: dict) -> tuple[dict, dict]:
    """Reuse or make the billing bench database (its data is of one month: last month when generated)."""
    name = options["database_name"]
    server = connection.settings_dict
    env = database.child_env(server, name)
    meta = database.metadata(server, name) or {}
    wanted = {"billing": True, "organizations": options["organizations"], "entries": options["entries"]}
    same = meta.get("complete") and all(meta.get(key) == value for key, value in wanted.items())
    if options["keep"] and same and meta["facts"]["period"] == billing.last_month().isoformat():
        _say(f"Reusing {name}: {meta['facts']['entries']:,} time entries generated {meta['generated_at']}.")
        return meta, env
    _say(f"Making database {name} on the portal's PostgreSQL server")
    database.database_recreate(server, name)
    started = time.monotonic()
    database.manage(["migrate", "--noinput", "-v", "0"], env)
    migrated = time.monotonic()
    _say(
        f"Migrated in {migrated - started:.0f} s; generating {options['organizations']:,} organizations with "
        f"{options['entries']} time entries each"
    )
    facts = _run_child("billing-generate", options, env)
    meta = {
        **wanted,
        "complete": True,
        "generated_at": datetime.now().astimezone().isoformat(timespec="minutes"),
        "migrate_seconds": round(migrated - started),
        "generate_seconds": round(time.monotonic() - migrated),
        "facts": facts,
    }
    database.metadata_write(server, name, meta)
    _say(f"Generated in {meta['generate_seconds']} s")
    return meta, env


def _billing_child(options: dict) -> dict:
    if options["phase"] == "billing-generate":
        return billing.billing_data(
            organizations=options["organizations"], entries=options["entries"], out=_say
        )
    undone = billing.results_undo()
    if undone:
        _say(f"Deleted the {undone:,} rows of the previous run's statements")
    _say("Sending the monthly task; waiting for every statement's PDF and notifications")
    return billing.statements_run(out=_say)


def _monitoring(options: dict) -> None:
    """The monitoring benchmark (bench/monitoring.py): the status pages in-process over the stored results,
    then the ingestion load through gunicorn."""
    meta, env = _prepare_monitoring(options)
    if options["generate_only"]:
        return
    load_before = report.load_average()
    only = {key for key in options["only"].split(",") if key}  # page keys, and "ingest"
    page_figures, ingest = None, None
    if only != {"ingest"}:
        database.manage(["collectstatic", "--noinput", "-v", "0"], env)
        _say(f"Measuring the monitoring pages in-process ({options['requests']} requests per page)")
        page_figures = _run_child("monitoring-measure", options, env)["pages"]
    if not options["skip_load"] and (not only or "ingest" in only):
        _run_child("monitoring-undo", options, env)  # what an interrupted run left behind
        _say(
            f"Ingestion: gunicorn, {load.WORKERS} sync workers, {options['connections']} connections posting "
            f"batches of {monitoring.BATCH} for {options['duration']} s"
        )
        try:
            with load.Gunicorn(env) as server:
                ingest = monitoring.ingest_run(
                    server.port,
                    meta["facts"]["tokens"],
                    duration=options["duration"],
                    connections=options["connections"],
                    processes=lambda: monitoring.server_processes(
                        server.process.pid, connection.settings_dict, options["database_name"]
                    ),
                )
        finally:
            stored = _run_child("monitoring-undo", options, env)["counted"]
        _say(f"  {ingest['results_per_second']:,} results/s, batch p95 {ingest['p95_ms']} ms")
        if stored != ingest["accepted"] + ingest["warm_up_accepted"]:
            raise BenchError(
                f"The portal answered that it accepted {ingest['accepted'] + ingest['warm_up_accepted']:,} "
                f"results but stored {stored:,}."
            )
        if ingest["errors"]:
            _say(f"  {ingest['errors']} batches failed, e.g. {ingest['error_samples'][0]}")
    text = monitoring.monitoring_report(
        meta=meta,
        ingest=ingest,
        page_figures=page_figures,
        load_before=load_before,
        load_after=report.load_average(),
    )
    _report_write(text, options)


def _prepare_monitoring(options: dict) -> tuple[dict, dict]:
    """Reuse or make the monitoring bench database."""
    name = options["database_name"]
    server = connection.settings_dict
    env = database.child_env(server, name)
    meta = database.metadata(server, name) or {}
    wanted = {"monitoring": True, "stored": options["stored"], "organizations": options["organizations"]}
    same = meta.get("complete") and all(meta.get(key) == value for key, value in wanted.items())
    if options["keep"] and same:
        _say(f"Reusing {name}: {meta['facts']['results']:,} results generated {meta['generated_at']}.")
        return meta, env
    _say(f"Making database {name} on the portal's PostgreSQL server")
    database.database_recreate(server, name)
    started = time.monotonic()
    database.manage(["migrate", "--noinput", "-v", "0"], env)
    migrated = time.monotonic()
    _say(f"Migrated in {migrated - started:.0f} s; generating {options['stored']:,} monitoring results")
    facts = _run_child("monitoring-generate", options, env)
    meta = {
        **wanted,
        "complete": True,
        "generated_at": datetime.now().astimezone().isoformat(timespec="minutes"),
        "migrate_seconds": round(migrated - started),
        "generate_seconds": round(time.monotonic() - migrated),
        "facts": facts,
    }
    database.metadata_write(server, name, meta)
    _say(f"Generated in {meta['generate_seconds']} s")
    return meta, env


def _monitoring_child(options: dict) -> dict:
    if options["phase"] == "monitoring-generate":
        return monitoring.monitoring_data(
            stored=options["stored"], organizations=options["organizations"], out=_say
        )
    if options["phase"] == "monitoring-undo":
        return {"counted": monitoring.ingest_count(), "deleted": monitoring.ingest_undo()}
    meta = database.metadata(connection.settings_dict, options["database_name"])
    only = {key for key in options["only"].split(",") if key}
    return {"pages": monitoring.pages_measure(meta["facts"], options["requests"], only, out=_say)}
