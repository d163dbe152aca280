"""The ClamAV daemon (clamd) that scans uploads: its INSTREAM and PING commands, spoken over its socket.

Not a client library: `clamd` on PyPI has not changed since 2014, and what is needed here is three messages
(a command, the file as length-prefixed chunks, a NUL-terminated answer). Speaking them directly keeps the
timeouts, the chunking and what counts as "no verdict" in our hands, with no dependency to watch.

The daemon is reached on a Unix socket (`CLAMAV_SOCKET`) or over TCP (`CLAMAV_HOST`, `CLAMAV_PORT`); with
neither set, nothing is scanned (helpdesk.files accepts uploads as before)."""

import socket
import struct
from collections.abc import Iterable

from django.conf import settings

# Bytes per INSTREAM chunk: a file goes out piece by piece, never read into memory whole.
CHUNK_BYTES = 64 * 1024
# The health check asks more often than an upload scans, and must answer quickly.
PING_TIMEOUT = 2


class ScannerUnavailable(Exception):
    """clamd is configured but gave no verdict: not running, too slow, or it refused the stream (a file
    above its StreamMaxLength)."""


def is_configured() -> bool:
    return bool(settings.CLAMAV_SOCKET or settings.CLAMAV_HOST)


def _connect(timeout: float) -> socket.socket:
    if settings.CLAMAV_SOCKET:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        try:
            sock.connect(settings.CLAMAV_SOCKET)
        except OSError:
            sock.close()
            raise
        return sock
    return socket.create_connection((settings.CLAMAV_HOST, settings.CLAMAV_PORT), timeout=timeout)


def _answer(sock: socket.socket) -> str:
    """clamd's reply to a z-command: text up to a NUL byte."""
    received = b""
    while not received.endswith(b"\0"):
        part = sock.recv(4096)
        if not part:
            raise ScannerUnavailable(f"clamd closed the connection after {received!r}")
        received += part
    return received[:-1].decode("utf-8", "replace")


def scan(chunks: Iterable[bytes]) -> str | None:
    """Send the file, given as chunks, to clamd: the name of the signature it matched, None when clean.
    Raises ScannerUnavailable when there is no verdict."""
    try:
        with _connect(settings.CLAMAV_TIMEOUT) as sock:
            sock.sendall(b"zINSTREAM\0")
            try:
                for chunk in chunks:
                    for start in range(0, len(chunk), CHUNK_BYTES):
                        piece = chunk[start : start + CHUNK_BYTES]
                        sock.sendall(struct.pack("!L", len(piece)) + piece)
                sock.sendall(struct.pack("!L", 0))
            except BrokenPipeError:
                pass  # clamd stops reading a stream it refuses; its answer says why
            answer = _answer(sock)
    except OSError as error:
        raise ScannerUnavailable(f"clamd: {error}") from error
    # "stream: OK", "stream: <signature> FOUND", or "<reason> ERROR" (e.g. "INSTREAM size limit exceeded").
    if answer == "stream: OK":
        return None
    if answer.startswith("stream: ") and answer.endswith(" FOUND"):
        return answer.removeprefix("stream: ").removesuffix(" FOUND")
    raise ScannerUnavailable(f"clamd answered {answer!r}")


def status() -> str:
    """For the health check: "not configured", "ok" or "unreachable"."""
    if not is_configured():
        return "not configured"
    try:
        with _connect(PING_TIMEOUT) as sock:
            sock.sendall(b"zPING\0")
            return "ok" if _answer(sock) == "PONG" else "unreachable"
    except (OSError, ScannerUnavailable):
        return "unreachable"
