"""Health check of the web container (docker-compose.yml): `python deploy/healthcheck.py` asks the portal's
/health/ view, which answers when gunicorn serves and the database is reachable; exit status 0 means healthy.

It asks the way the TLS proxy in front of the portal does: for an allowed host name, marked as HTTPS.
Otherwise the portal would refuse the host or answer with a redirect to HTTPS. Standard library only, and
run as a file, not a module: a check every few seconds must not load Django. (Not in helpdesk/: Python puts
the script's folder first on sys.path, and helpdesk/selectors.py would hide the standard library's.)
"""

import os
import sys
import urllib.request

URL = "http://127.0.0.1:8000/health/"


def host_name() -> str:
    """The first of ALLOWED_HOSTS as a plain name (".example.com" allows example.com, "*" any name)."""
    first = os.environ.get("ALLOWED_HOSTS", "").split(",")[0].strip()
    return first.lstrip(".*") or "localhost"


def main() -> int:
    request = urllib.request.Request(URL, headers={"Host": host_name(), "X-Forwarded-Proto": "https"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 (a fixed http URL)
            return 0 if response.status == 200 else 1
    except OSError as error:
        print(f"{URL}: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
