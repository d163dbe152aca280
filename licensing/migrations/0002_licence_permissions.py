from django.db import migrations

from accounts.migrations._grants import roles_grant, staff_groups_grant

# The licence permissions of the staff groups and customer roles, as of this migration.
TERMS = {"licensing.view_licence_terms"}
GRANULES = {"licensing.view_granules"}
STAFF = TERMS | GRANULES | {"licensing.view_licence_list"}
STAFF_GRANTS = {
    "Dispatcher": STAFF,
    "Consultant": STAFF,
    "Vendor admin": STAFF | {"licensing.manage_licences"},
}
ROLE_GRANTS = {"FIN_ADMIN": TERMS, "SYS_ADMIN": GRANULES, "ADMIN": TERMS | GRANULES}


def grant(apps, schema_editor):
    staff_groups_grant(apps, STAFF_GRANTS)
    roles_grant(apps, ROLE_GRANTS)


class Migration(migrations.Migration):
    dependencies = [("licensing", "0001_initial"), ("accounts", "0003_organization_case_visibility")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
