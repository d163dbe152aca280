from django.db import migrations


def sync(apps, schema_editor):
    from accounts.roles import role_permissions_sync, staff_groups_sync

    # Staff groups and existing members gain the knowledge-base permissions (accounts.roles is the one list).
    staff_groups_sync(apps)
    role_permissions_sync(apps)


class Migration(migrations.Migration):
    dependencies = [("docs", "0001_initial"), ("cases", "0003_categories_modules_and_roles")]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
