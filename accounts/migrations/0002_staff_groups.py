from django.db import migrations

from accounts.migrations._grants import staff_groups_grant

# The vendor's staff groups and their global permissions of this app, as of this migration.
STAFF = {"accounts.view_organization", "accounts.view_vendor_workspace"}
GRANTS = {
    "Dispatcher": STAFF,
    "Consultant": STAFF,
    "Vendor admin": STAFF | {"accounts.manage_organizations", "accounts.manage_members", "helpdesk.view_auditevent"},
}


def staff_groups_create(apps, schema_editor):
    staff_groups_grant(apps, GRANTS)


def staff_groups_delete(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GRANTS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("helpdesk", "0001_audit_event"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(staff_groups_create, staff_groups_delete)]
