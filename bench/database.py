"""The benchmark's own database, on the same PostgreSQL server as the portal's but never the portal's own.

A database the benchmark made carries a JSON comment with MARK; only such a database is ever dropped. The
comment also records what was generated (size, personas), so `--keep` can reuse it.
"""

import json
import os
import subprocess
import sys
from urllib.parse import quote, urlencode

import psycopg
from django.conf import settings
from psycopg import sql

from . import BenchError

MARK = "jupiter-helpdesk-bench"


def _server_params(settings_dict) -> dict:
    params = {
        "host": settings_dict.get("HOST") or None,
        "port": settings_dict.get("PORT") or None,
        "user": settings_dict.get("USER") or None,
        "password": settings_dict.get("PASSWORD") or None,
    }
    params.update(settings_dict.get("OPTIONS") or {})
    return {key: value for key, value in params.items() if value is not None and isinstance(value, str | int)}


def admin_connect(settings_dict):
    """An autocommit connection to the server's maintenance database."""
    return psycopg.connect(dbname="postgres", autocommit=True, **_server_params(settings_dict))


def database_url(settings_dict, name: str) -> str:
    """A DATABASE_URL for a child process that reaches database `name` on the portal's server."""
    user = quote(settings_dict.get("USER") or "", safe="")
    if settings_dict.get("PASSWORD"):
        user += ":" + quote(settings_dict["PASSWORD"], safe="")
    host = str(settings_dict.get("HOST") or "")
    if host.startswith("/"):  # a Unix socket directory (the embedded server)
        host = quote(host, safe="")
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    options = {k: v for k, v in (settings_dict.get("OPTIONS") or {}).items() if isinstance(v, str | int)}
    query = f"?{urlencode(options)}" if options else ""
    return f"postgres://{user}@{host}{port}/{quote(name, safe='')}{query}"


def child_env(settings_dict, name: str) -> dict:
    """The environment of every process that works on the bench database: production-like settings (DEBUG
    off, static files from the manifest) over plain HTTP on 127.0.0.1, tasks queued rather than run."""
    env = {key: value for key, value in os.environ.items() if key not in {"REDIS_URL", "DEBUG"}}
    env.update(
        DATABASE_URL=database_url(settings_dict, name),
        DEBUG="0",
        SECRET_KEY=os.environ.get("BENCH_SECRET_KEY", "bench-only-secret-key-" + "x" * 40),
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    return env


def metadata(settings_dict, name: str) -> dict | None:
    """The bench comment of database `name`; None when it does not exist; {} when it is not ours."""
    with admin_connect(settings_dict) as connection:
        row = connection.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
    if row is None:
        return None
    try:
        meta = json.loads(row[0] or "")
    except ValueError:
        return {}
    return meta if isinstance(meta, dict) and meta.get("tool") == MARK else {}


def metadata_write(settings_dict, name: str, meta: dict) -> None:
    with admin_connect(settings_dict) as connection:
        comment = json.dumps({**meta, "tool": MARK}, ensure_ascii=False)
        connection.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(sql.Identifier(name), sql.Literal(comment))
        )


def database_recreate(settings_dict, name: str) -> None:
    """Drop the bench database (only one the benchmark made) and create it empty."""
    if name == settings_dict["NAME"]:
        raise BenchError(f"{name} is the portal's own database; choose another --database-name.")
    if metadata(settings_dict, name) == {}:
        raise BenchError(
            f"Database {name} exists and was not made by the benchmark; drop it yourself or choose "
            "another --database-name."
        )
    with admin_connect(settings_dict) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    metadata_write(settings_dict, name, {"complete": False})


def manage(args: list[str], env: dict) -> None:
    """Run `manage.py <args>` in a child process with the bench environment; fail loudly."""
    _child([str(settings.BASE_DIR / "manage.py"), *args], env, shown=f"manage.py {' '.join(args)}")


def bench(phase: str, args: list[str], env: dict) -> None:
    """Run `python -m bench --phase <phase> <args>` (the generator, the measurement, the undo) in a child
    process with the bench environment; fail loudly."""
    _child(["-m", "bench", "--phase", phase, *args], env, shown=f"python -m bench --phase {phase}")


def _child(args: list[str], env: dict, shown: str) -> None:
    # cwd is the project root, so `-m bench` and the settings module are found however make was started.
    result = subprocess.run([sys.executable, *args], env=env, cwd=settings.BASE_DIR, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BenchError(f"`{shown}` failed with exit code {result.returncode}.")


def connected_to_bench(connection, name: str) -> None:
    """Refuse to work unless this process is connected to the bench database `name` (a child's guard)."""
    if connection.settings_dict["NAME"] != name:
        raise BenchError(
            f"Connected to {connection.settings_dict['NAME']}, not to the bench database {name}."
        )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = current_database()"
        )
        comment = cursor.fetchone()[0] or ""
    if MARK not in comment:
        raise BenchError(f"Database {name} is not marked as a bench database; refusing to touch it.")
