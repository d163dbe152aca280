"""Customer roles and vendor staff groups: the one place that says which permission codenames each holds.

A customer role is granted as django-guardian object permissions on the Organization (accounts.services);
a staff group holds the same codenames as global permissions. Later apps add their codenames here.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    STANDARD = "STANDARD", _("Standard user")
    ADMIN = "ADMIN", _("Administrator")
    FIN_ADMIN = "FIN_ADMIN", _("Financial administrator")
    SYS_ADMIN = "SYS_ADMIN", _("System administrator")


# What every member of an organization may do there. `cases.view_org_cases` alone shows a member their
# own and watched cases; whether a STANDARD user sees all the organization's cases is an organization
# setting (Organization.standard_users_see_own_cases_only), decided in cases.selectors.
MEMBER_PERMISSIONS = frozenset(
    {
        "accounts.view_organization",
        "cases.view_org_cases",
        "cases.create_case",
        "cases.reply_case",
        "cases.analyse_cases",
        "docs.view_knowledge",
    }
)

# FIN_ADMIN and SYS_ADMIN gain their own codenames with licensing, billing, releases and monitoring.
FIN_ADMIN_PERMISSIONS = MEMBER_PERMISSIONS
SYS_ADMIN_PERMISSIONS = MEMBER_PERMISSIONS

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.STANDARD: MEMBER_PERMISSIONS,
    Role.FIN_ADMIN: FIN_ADMIN_PERMISSIONS,
    Role.SYS_ADMIN: SYS_ADMIN_PERMISSIONS,
    # ADMIN may use every function of the portal and is the only role that manages members.
    Role.ADMIN: MEMBER_PERMISSIONS
    | FIN_ADMIN_PERMISSIONS
    | SYS_ADMIN_PERMISSIONS
    | {"accounts.manage_members", "helpdesk.view_auditevent", "cases.view_all_org_cases"},
}


def permissions_for_roles(roles) -> frozenset[str]:
    """The union of the codenames of the given roles."""
    return frozenset().union(*(ROLE_PERMISSIONS[role] for role in roles))


class StaffGroup(models.TextChoices):
    DISPATCHER = "Dispatcher", _("Dispatcher")
    CONSULTANT = "Consultant", _("Consultant")
    VENDOR_ADMIN = "Vendor admin", _("Vendor admin")


# Vendor staff see every organization and every case, internal notes included, and any of them may join
# a case; only dispatchers and vendor admins reassign by hand.
STAFF_PERMISSIONS = frozenset(
    {
        "accounts.view_organization",
        "accounts.view_vendor_workspace",
        "cases.view_org_cases",
        "cases.view_all_org_cases",
        "cases.reply_case",
        "cases.view_internal",
        "cases.work_case",
        "cases.view_queue",
        "cases.analyse_cases",
        "docs.view_knowledge",
    }
)

STAFF_GROUP_PERMISSIONS: dict[str, frozenset[str]] = {
    StaffGroup.DISPATCHER: STAFF_PERMISSIONS | {"cases.assign_case"},
    # Consultants write FAQ entries from the cases they solve; vendor admins keep the whole knowledge base.
    StaffGroup.CONSULTANT: STAFF_PERMISSIONS | {"docs.manage_knowledge"},
    StaffGroup.VENDOR_ADMIN: STAFF_PERMISSIONS
    | {
        "cases.assign_case",
        "accounts.manage_organizations",
        "accounts.manage_members",
        "helpdesk.view_auditevent",
        "docs.manage_knowledge",
    },
}


def staff_groups_sync(apps) -> None:
    """Give each staff group exactly the global permissions listed above (used by data migrations)."""
    from django.contrib.auth.management import create_permissions

    # Permissions are otherwise created only after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in STAFF_GROUP_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=str(name))
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".")
            # An app migrated later (cases after accounts) has no models yet on a fresh database; its own
            # data migration calls this again once its permissions exist.
            if app_label not in {config.label for config in apps.get_app_configs()}:
                continue
            wanted.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        group.permissions.set(wanted)


def role_permissions_sync(apps) -> None:
    """Bring every member's object permissions in line with ROLE_PERMISSIONS after the lists change
    (used by data migrations; the live path is accounts.services)."""
    Membership = apps.get_model("accounts", "Membership")
    Permission = apps.get_model("auth", "Permission")
    ObjectPermission = apps.get_model("accounts", "OrganizationUserPermission")
    by_name = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.values_list(
            "pk", "content_type__app_label", "codename"
        )
    }
    for membership in Membership.objects.all():
        # A codename of an app not migrated yet is skipped: that app's own data migration adds it.
        wanted = (
            {by_name[perm] for perm in permissions_for_roles(membership.roles) if perm in by_name}
            if membership.is_active
            else set()
        )
        held = ObjectPermission.objects.filter(
            user_id=membership.user_id, content_object_id=membership.organization_id
        )
        held.exclude(permission_id__in=wanted).delete()
        missing = wanted - set(held.values_list("permission_id", flat=True))
        ObjectPermission.objects.bulk_create(
            ObjectPermission(
                user_id=membership.user_id, content_object_id=membership.organization_id, permission_id=pk
            )
            for pk in missing
        )
