from django.db import migrations

from accounts.migrations._grants import roles_grant, staff_groups_grant

# The knowledge-base permissions of the staff groups and customer roles, as of this migration.
READ = {"docs.view_knowledge"}
STAFF_GRANTS = {
    "Dispatcher": READ,
    "Consultant": READ | {"docs.manage_knowledge"},
    "Vendor admin": READ | {"docs.manage_knowledge"},
}
ROLE_GRANTS = {"STANDARD": READ, "FIN_ADMIN": READ, "SYS_ADMIN": READ, "ADMIN": READ}


def grant(apps, schema_editor):
    staff_groups_grant(apps, STAFF_GRANTS)
    roles_grant(apps, ROLE_GRANTS)


class Migration(migrations.Migration):
    dependencies = [("docs", "0001_initial"), ("cases", "0003_categories_modules_and_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
