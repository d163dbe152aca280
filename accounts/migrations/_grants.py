"""Frozen helpers for the data migrations that grant permission codenames to staff groups and to members'
roles. Migrations must not import app code (it changes; a migration must do what it did the day it was
written), so each migration passes its own literal lists and these helpers never change: write a new
helper beside them if another behaviour is needed. The loader skips modules whose name starts with "_".
"""

from django.contrib.auth.management import create_permissions


def _permissions(apps, codenames) -> list:
    """The Permission rows of these "app_label.codename" names that exist in this migration state."""
    Permission = apps.get_model("auth", "Permission")
    rows = []
    for name in codenames:
        app_label, codename = name.split(".")
        rows.extend(Permission.objects.filter(content_type__app_label=app_label, codename=codename))
    return rows


def permissions_create(apps) -> None:
    """Permissions are otherwise created only after all migrations; the grants need them now."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None


def staff_groups_grant(apps, grants: dict[str, set[str]]) -> None:
    """Add the codenames to each staff group (created if missing) as global permissions."""
    permissions_create(apps)
    Group = apps.get_model("auth", "Group")
    for name, codenames in grants.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(*_permissions(apps, codenames))


def roles_grant(apps, grants: dict[str, set[str]]) -> None:
    """Add the codenames of each role to every active member holding it, as object permissions on the
    organization (the rows accounts.services writes when a role is granted)."""
    permissions_create(apps)
    Membership = apps.get_model("accounts", "Membership")
    ObjectPermission = apps.get_model("accounts", "OrganizationUserPermission")
    by_role = {role: _permissions(apps, codenames) for role, codenames in grants.items()}
    for membership in Membership.objects.filter(is_active=True):
        wanted = {permission.pk for role in membership.roles for permission in by_role.get(role, [])}
        ObjectPermission.objects.bulk_create(
            [
                ObjectPermission(
                    user_id=membership.user_id, content_object_id=membership.organization_id, permission_id=pk
                )
                for pk in wanted
            ],
            ignore_conflicts=True,
        )
