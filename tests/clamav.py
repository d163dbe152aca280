"""A real ClamAV daemon for the virus-scan tests (registered for every test by conftest.py): Debian's clamd,
started once per test session with a configuration of its own in a temporary folder. Signatures cannot be
downloaded here (no freshclam), so its database holds one the fixture writes itself: the MD5 of the EICAR
test file, the harmless file every scanner reports as a virus."""

import hashlib
import socket
import subprocess
import time

import pytest

from tests.integration import CLAMD, process_stop

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
# Signatures of a database that is not ClamAV's own are reported with ".UNOFFICIAL" appended.
EICAR_SIGNATURE = "Eicar-Test-Signature.UNOFFICIAL"
# clamd refuses a longer stream: the tests prove that such a file is refused, never stored unscanned.
STREAM_MAX_BYTES = 1024 * 1024
START_SECONDS = 60


def _answers(path: str) -> bool:
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(2)
            sock.connect(path)
            sock.sendall(b"zPING\0")
            return sock.recv(16) == b"PONG\0"
    except OSError:
        return False


@pytest.fixture(scope="session")
def clamd_socket(tmp_path_factory):
    """The path of the Unix socket of a running clamd that knows one virus, EICAR."""
    folder = tmp_path_factory.mktemp("clamd")
    database = folder / "db"
    database.mkdir()
    md5 = hashlib.md5(EICAR).hexdigest()  # noqa: S324 (the .hdb format is MD5 by definition)
    (database / "eicar.hdb").write_text(f"{md5}:{len(EICAR)}:Eicar-Test-Signature\n")
    path = str(folder / "clamd.sock")
    config = folder / "clamd.conf"
    config.write_text(
        f"Foreground yes\n"
        f"LocalSocket {path}\n"
        f"DatabaseDirectory {database}\n"
        f"TemporaryDirectory {folder}\n"
        f"LogFile {folder / 'clamd.log'}\n"
        f"StreamMaxLength {STREAM_MAX_BYTES}\n"
    )
    log = (folder / "clamd.out").open("w")
    process = subprocess.Popen([CLAMD, "--config-file", str(config)], stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + START_SECONDS
        while not _answers(path):
            if process.poll() is not None or time.monotonic() > deadline:
                output = (folder / "clamd.out").read_text()
                pytest.fail(f"clamd did not start (exit status {process.poll()}):\n{output}", pytrace=False)
            time.sleep(0.2)
        yield path
    finally:
        process_stop(process)
        log.close()
