from django.db import migrations

from accounts.migrations._grants import roles_grant, staff_groups_grant

# The monitoring permissions of the staff groups and customer roles, as of this migration.
VIEW = {"monitoring.view_monitoring"}
TOKENS = {"monitoring.manage_agent_tokens"}
STAFF = VIEW | {"monitoring.view_all_monitoring"}
STAFF_GRANTS = {"Dispatcher": STAFF, "Consultant": STAFF, "Vendor admin": STAFF | TOKENS}
ROLE_GRANTS = {"SYS_ADMIN": VIEW | TOKENS, "ADMIN": VIEW | TOKENS}


def grant(apps, schema_editor):
    staff_groups_grant(apps, STAFF_GRANTS)
    roles_grant(apps, ROLE_GRANTS)


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial"), ("accounts", "0003_organization_case_visibility")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
