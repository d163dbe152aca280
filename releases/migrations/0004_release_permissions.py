from django.db import migrations

from accounts.migrations._grants import roles_grant, staff_groups_grant

# The releases permissions of the staff groups and customer roles, as of this migration.
VIEW = {"releases.view_releases"}
STAFF_GRANTS = {
    "Dispatcher": VIEW,
    "Consultant": VIEW,
    "Vendor admin": VIEW | {"releases.manage_releases", "releases.download_package"},
}
ROLE_GRANTS = {
    "SYS_ADMIN": VIEW | {"releases.download_package"},
    "ADMIN": VIEW | {"releases.download_package"},
}


def grant(apps, schema_editor):
    staff_groups_grant(apps, STAFF_GRANTS)
    roles_grant(apps, ROLE_GRANTS)


class Migration(migrations.Migration):
    dependencies = [("releases", "0003_releases_and_packages")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
