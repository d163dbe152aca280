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

from . import BenchError, database, load, report, soak


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Generate cases into a separate database and report how fast the case pages answer "
        "over them (PERFORMANCE.md).",
    )
    parser.add_argument("--cases", type=int, help="Cases to generate (default 100000; 10000 for --soak).")
    parser.add_argument("--events-per-case", type=int, default=4, help="Timeline events per case.")
    parser.add_argument("--organizations", type=int, default=50, help="Customer organizations.")
    parser.add_argument(
        "--database-name",
        help="The bench database, made on the portal's PostgreSQL server (dropped and made again); default "
        "helpdesk_bench, or helpdesk_loadtest for --soak, so that neither replaces the other's data.",
    )
    parser.add_argument(
        "--keep", action="store_true", help="Reuse the bench database if it holds data of the same size."
    )
    parser.add_argument("--requests", type=int, default=200, help="In-process requests per page.")
    parser.add_argument(
        "--duration", type=int, help="Seconds of load per page (default 10), or of the whole --soak (60)."
    )
    parser.add_argument("--connections", type=int, default=8, help="Concurrent load connections.")
    parser.add_argument("--skip-load", action="store_true", help="Measure in-process only.")
    parser.add_argument(
        "--load-generator",
        choices=["auto", "wrk", "python"],
        default="auto",
        help="wrk when installed (auto), or the built-in Python generator.",
    )
    parser.add_argument("--only", default="", help="Comma-separated page keys to measure (default all).")
    parser.add_argument(
        "--generate-only", action="store_true", help="Make the bench database and stop (no measurement)."
    )
    parser.add_argument("--results", default="bench-results.md", help="Where the table is written too.")
    parser.add_argument(
        "--soak",
        action="store_true",
        help="The load test instead of the measurements: --clients people signed in at once on the main "
        "pages for --duration seconds; fails if any request does (bench/soak.py).",
    )
    parser.add_argument(
        "--clients", type=int, default=100, help="Concurrent clients of --soak (default 100)."
    )
    # Internal: the work done by the child processes, connected to the bench database.
    parser.add_argument("--phase", choices=["generate", "measure", "undo", "soak"], help=argparse.SUPPRESS)
    parser.add_argument("--output", help=argparse.SUPPRESS)
    return parser


def main(argv: list[str]) -> int:
    parser = build_parser()
    options = vars(parser.parse_args(argv))
    soaking = options["soak"]
    defaults = {
        "cases": 10_000 if soaking else 100_000,
        "database_name": "helpdesk_loadtest" if soaking else "helpdesk_bench",
        "duration": 60 if soaking else 10,
    }
    options.update({key: value for key, value in defaults.items() if options[key] is None})
    if options["cases"] < 1 or options["events_per_case"] < 1:
        parser.error("--cases and --events-per-case must be at least 1.")
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
        for option in ("cases", "events_per_case", "organizations", "requests", "only", "clients"):
            arguments += [f"--{option.replace('_', '-')}", str(options[option])]
        database.bench(phase, arguments, env)
        return json.loads(output.read_text())


def _child(options: dict) -> None:
    output = Path(options["output"])
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
    _say("\n" + text)
    results = Path(options["results"])
    if not results.is_absolute():
        results = settings.BASE_DIR / results
    results.write_text(text)
    _say(f"Written to {results}")


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
