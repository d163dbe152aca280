from django.db import migrations


def staff_groups_sync(apps, schema_editor):
    from accounts.roles import staff_groups_sync

    staff_groups_sync(apps)


def staff_groups_delete(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Dispatcher", "Consultant", "Vendor admin"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("helpdesk", "0001_audit_event"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(staff_groups_sync, staff_groups_delete)]
