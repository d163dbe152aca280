"""A package upload streams: the whole way through a real HTTP server (the request body parsed and spooled to
disk by Django, hashed by the service, moved into place by the storage), the process's memory grows by a
bounded amount, whatever the file's size. The peak resident set size (RSS) of this process, which runs the
live server, is sampled while a file is sent in 1 MiB blocks.

The suite sends 48 MiB and allows half of that; the `slow` test sends RELEASE_UPLOAD_TEST_MB (256 MiB by
default; 2048 for the 2 GB case) and allows 64 MiB."""

import hashlib
import http.client
import os
import re
import threading
import time
from urllib.parse import urlsplit

import psutil
import pytest
from django.test import Client
from django.urls import reverse

from releases.models import ReleaseFile
from releases.tests.factories import release_make
from tests.two_factor import login_verified

BLOCK = 1024 * 1024
BOUNDARY = "----releases-upload-test"


class PeakRss:
    """Samples this process's RSS every 10 ms in a thread; `growth` is the peak above the first sample."""

    def __init__(self):
        self.process = psutil.Process()
        self.baseline = self.peak = self.process.memory_info().rss
        self.running = True
        self.thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self):
        while self.running:
            self.peak = max(self.peak, self.process.memory_info().rss)
            time.sleep(0.01)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.running = False
        self.thread.join()

    @property
    def growth(self) -> int:
        return self.peak - self.baseline


def _block(index: int) -> bytes:
    """1 MiB that differs from block to block, so the file's hash depends on every block."""
    return index.to_bytes(8, "big") * (BLOCK // 8)


def _form_page(base: str, path: str, session: str) -> tuple[str, str]:
    """The CSRF cookie and the form's CSRF token, read from the upload page as a browser would."""
    host = urlsplit(base)
    connection = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
    connection.request("GET", path, headers={"Cookie": f"sessionid={session}"})
    response = connection.getresponse()
    page = response.read().decode()
    cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie")).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    return cookie, token


def upload_streamed(base: str, path: str, session: str, megabytes: int) -> tuple[int, str]:
    """POST a file of `megabytes` MiB to the form in 1 MiB blocks; (status, SHA-256 of what was sent)."""
    cookie, token = _form_page(base, path, session)
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n{token}\r\n'
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="kind"\r\n\r\ninstaller\r\n'
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="upload"; filename="jupiter-erp-setup.exe"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()
    host = urlsplit(base)
    connection = http.client.HTTPConnection(host.hostname, host.port, timeout=600)
    connection.putrequest("POST", path)
    connection.putheader("Content-Type", f"multipart/form-data; boundary={BOUNDARY}")
    connection.putheader("Content-Length", str(len(head) + megabytes * BLOCK + len(tail)))
    connection.putheader("Cookie", f"sessionid={session}; csrftoken={cookie}")
    connection.putheader("Referer", base + path)
    connection.endheaders()
    digest = hashlib.sha256()
    connection.send(head)
    for index in range(megabytes):
        block = _block(index)
        digest.update(block)
        connection.send(block)
    connection.send(tail)
    response = connection.getresponse()
    response.read()
    return response.status, digest.hexdigest()


def _measure(
    live_server, vendor_admin, settings, tmp_path, megabytes: int
) -> tuple[ReleaseFile, str, PeakRss]:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    release = release_make("2026.4", files={}, published=False, by=vendor_admin)
    client = Client()
    login_verified(client, vendor_admin)
    path = reverse("releases:file-create", args=[release.pk])
    with PeakRss() as rss:
        status, sha256 = upload_streamed(live_server.url, path, client.cookies["sessionid"].value, megabytes)
    assert status == 302
    return release.files.get(), sha256, rss


def test_an_upload_grows_memory_by_less_than_half_its_size(
    live_server, transactional_db, vendor_admin, settings, tmp_path
):
    megabytes = 48
    stored, sha256, rss = _measure(live_server, vendor_admin, settings, tmp_path, megabytes)
    assert (stored.size, stored.sha256) == (megabytes * BLOCK, sha256)
    assert rss.growth < megabytes * BLOCK // 2, f"peak RSS grew by {rss.growth / BLOCK:.1f} MiB"


@pytest.mark.slow
def test_a_large_upload_streams_in_bounded_memory(
    live_server, transactional_db, vendor_admin, settings, tmp_path
):
    megabytes = int(os.environ.get("RELEASE_UPLOAD_TEST_MB", 256))
    started = time.monotonic()
    stored, sha256, rss = _measure(live_server, vendor_admin, settings, tmp_path, megabytes)
    assert (stored.size, stored.sha256) == (megabytes * BLOCK, sha256)
    seconds, grown = time.monotonic() - started, rss.growth / BLOCK
    print(f"\n{megabytes} MiB uploaded in {seconds:.1f} s; peak RSS grew by {grown:.1f} MiB")  # noqa: T201
    assert rss.growth < 64 * BLOCK
    assert os.path.getsize(stored.file.path) == megabytes * BLOCK
    os.remove(stored.file.path)  # pytest keeps the last runs' temporary folders: not gigabytes of them
