"""On S3 (here moto's S3 server on a loopback port), a package is uploaded through the storage and its
download is a redirect to a signed link that expires within five minutes and makes the browser save it."""

import hashlib
import time
import urllib.request
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from helpdesk.models import AuditEvent
from licensing.tests.factories import licence_make
from releases.tests.factories import PACKAGE, release_make
from tests.worker import free_port

pytestmark = pytest.mark.django_db

BUCKET = "helpdesk-test"
CREDENTIALS = {"access_key": "testing", "secret_key": "testing", "region_name": "us-east-1"}


@pytest.fixture(scope="module")
def s3_server():
    """moto's S3 server in a thread of this process, on a free loopback port; its address."""
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3_storage(s3_server, settings):
    """The default storage is the S3 bucket, configured as helpdesk/settings.py configures production."""
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    )
    if BUCKET not in {bucket["Name"] for bucket in client.list_buckets()["Buckets"]}:
        client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_server,
                **CREDENTIALS,
                "default_acl": "private",
                "querystring_auth": True,
                "querystring_expire": 3600,  # longer than a package link may live: the link sets its own
                "file_overwrite": False,
            },
        },
    }
    return client


def test_an_s3_download_redirects_to_a_short_signed_attachment_link(
    s3_storage, organization, sys_admin_user, client_for
):
    licence_make(organization)
    release_file = release_make("2026.4").files.get()
    stored = s3_storage.get_object(Bucket=BUCKET, Key=release_file.file.name)["Body"].read()
    assert stored == PACKAGE  # uploaded through the storage backend

    response = client_for(sys_admin_user).get(reverse("releases:file-download", args=[release_file.pk]))

    assert response.status_code == 302
    location = response["Location"]
    query = {name: values[0] for name, values in parse_qs(urlsplit(location).query).items()}
    if "X-Amz-Expires" in query:  # signature version 4
        assert int(query["X-Amz-Expires"]) <= 300
        assert "X-Amz-Signature" in query
    else:  # signature version 2: an absolute expiry time
        assert int(query["Expires"]) - time.time() <= 300
        assert "Signature" in query
    assert query["response-content-disposition"] == f'attachment; filename="{release_file.original_name}"'

    with urllib.request.urlopen(location, timeout=10) as signed:  # noqa: S310 (the local S3 server)
        assert signed.headers["Content-Disposition"].startswith("attachment")
        content = signed.read()
    assert hashlib.sha256(content).hexdigest() == release_file.sha256
    event = AuditEvent.objects.get(action=AuditEvent.Action.PACKAGE_DOWNLOADED)
    assert (event.actor, event.organization, event.details["bytes"]) == (
        sys_admin_user,
        organization,
        len(PACKAGE),
    )
