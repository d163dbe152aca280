from django.db import migrations

from accounts.migrations._grants import roles_grant, staff_groups_grant

# The billing permissions of the staff groups and customer roles, as of this migration.
VIEW = {"billing.view_billing"}
APPROVE = VIEW | {"billing.approve_statement"}
STAFF_GRANTS = {
    "Dispatcher": VIEW,
    "Consultant": VIEW | {"billing.log_time"},
    "Vendor admin": VIEW | {"billing.manage_billing", "billing.log_time"},
}
ROLE_GRANTS = {"FIN_ADMIN": APPROVE, "ADMIN": APPROVE}


def grant(apps, schema_editor):
    staff_groups_grant(apps, STAFF_GRANTS)
    roles_grant(apps, ROLE_GRANTS)


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_initial"), ("accounts", "0003_organization_case_visibility")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
