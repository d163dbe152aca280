"""Files staged by failed forms move from cases to the shared helpdesk.StagedUpload, with their ids (a form
re-shown before the upgrade still names them)."""

from django.db import migrations

FIELDS = ("id", "user_id", "file", "storage_key", "original_name", "content_type", "size", "sha256", "created_at")


def _copy(source, target, schema_editor):
    target.objects.bulk_create([target(**row) for row in source.objects.values(*FIELDS)])
    table = target._meta.db_table
    schema_editor.execute(
        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) "
        f"FROM {table}"
    )


def staged_copy(apps, schema_editor):
    _copy(apps.get_model("cases", "StagedUpload"), apps.get_model("helpdesk", "StagedUpload"), schema_editor)


def staged_copy_back(apps, schema_editor):
    _copy(apps.get_model("helpdesk", "StagedUpload"), apps.get_model("cases", "StagedUpload"), schema_editor)
    apps.get_model("helpdesk", "StagedUpload").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("helpdesk", "0004_staged_upload"), ("cases", "0004_staged_upload")]

    operations = [migrations.RunPython(staged_copy, staged_copy_back)]
