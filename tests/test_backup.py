"""The restore drill (run by `make test`, so by .ci/run): back up, restore into a new database, start the
portal on it and open a case there, signed in with the session the backup holds."""

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from psycopg import sql

from bench.database import admin_connect
from bench.database import database_url as bench_database_url
from bench.load import Gunicorn, _get
from helpdesk.backup import DATABASE_FILE, MEDIA_FILE, BackupError, backup_restore, database_connect
from helpdesk.models import AuditEvent
from tests.factories import case_create
from tests.server import portal_env


def database_drop(name: str) -> None:
    with admin_connect(connection.settings_dict) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture
def restored_name():
    name = f"{connection.settings_dict['NAME']}_restored"
    database_drop(name)
    yield name
    database_drop(name)


def test_restore_drill(
    transactional_db, standard_user, organization, client_for, settings, tmp_path, restored_name
):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "attachments").mkdir(parents=True)
    (settings.MEDIA_ROOT / "attachments" / "invoice.txt").write_text("the attachment's bytes")
    case = case_create(organization, standard_user, title="Restored from the backup")
    client = client_for(standard_user)  # its session is in the database, so in the backup

    call_command("backup", output=tmp_path / "backups")
    [folder] = (tmp_path / "backups").iterdir()
    assert {path.name for path in folder.iterdir()} == {DATABASE_FILE, MEDIA_FILE}
    call_command("restore", folder, database=restored_name, media_root=tmp_path / "restored-media")

    assert (
        tmp_path / "restored-media" / "attachments" / "invoice.txt"
    ).read_text() == "the attachment's bytes"
    env = portal_env("restore-drill")
    env["DATABASE_URL"] = bench_database_url(connection.settings_dict, restored_name)
    env["MEDIA_ROOT"] = str(tmp_path / "restored-media")
    with Gunicorn(env) as server:
        cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        status, body = _get(server.port, reverse("cases:case-detail", args=[case.reference]), {}, cookie)
    assert status == 200, body[:2000]
    assert b"Restored from the backup" in body
    assert case.reference.encode() in body


def test_the_restored_audit_trail_is_still_append_only(
    transactional_db, standard_user, tmp_path, restored_name
):
    from helpdesk.services import audit_record

    audit_record(action=AuditEvent.Action.SIGN_IN, actor=standard_user)
    call_command("backup", output=tmp_path)
    [folder] = tmp_path.iterdir()
    backup_restore(folder, database=restored_name, media_root=None)

    with database_connect(restored_name) as restored:
        count = restored.execute("SELECT count(*) FROM helpdesk_auditevent").fetchone()[0]
        assert count == AuditEvent.objects.count() > 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
            restored.execute("DELETE FROM helpdesk_auditevent")


def test_a_restore_never_overwrites_a_database(transactional_db, tmp_path):
    call_command("backup", output=tmp_path)
    [folder] = tmp_path.iterdir()
    with pytest.raises(BackupError, match="not empty"):
        backup_restore(folder, database=connection.settings_dict["NAME"], media_root=None)
