"""Customer roles and vendor staff groups: the one place that says which permission codenames each holds.

A customer role is granted as django-guardian object permissions on the Organization (accounts.services);
a staff group holds the same codenames as global permissions. Later apps add their codenames here, and a
data migration of theirs grants them to the existing groups and members with literal lists (see
accounts/migrations/_grants.py and ARCHITECTURE.md, "Permissions").
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    STANDARD = "STANDARD", _("Standard user")
    ADMIN = "ADMIN", _("Administrator")
    FIN_ADMIN = "FIN_ADMIN", _("Financial administrator")
    SYS_ADMIN = "SYS_ADMIN", _("System administrator")


# What each role may do, in a sentence: shown next to the role toggles of the member list.
ROLE_DESCRIPTIONS = {
    Role.STANDARD: _("Logs and follows cases, reads the FAQ, documentation and news. Every member has it."),
    Role.ADMIN: _(
        "Everything the other roles may do; invites members, grants and removes roles, reads the audit log."
    ),
    Role.FIN_ADMIN: _(
        "Licence status, support contract, costs; approves or disputes the monthly statements."
    ),
    Role.SYS_ADMIN: _("Upgrade packages, licensed modules and the monitoring of the installations."),
}


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
# FIN_ADMIN reads the licence's terms (state, dates, support contract, history), SYS_ADMIN its modules.
# FIN_ADMIN also sees the organization's billing (contract, consultant time, statements) and approves or
# disputes the monthly statements.
FIN_ADMIN_PERMISSIONS = MEMBER_PERMISSIONS | {
    "licensing.view_licence_terms",
    "billing.view_billing",
    "billing.approve_statement",
}
SYS_ADMIN_PERMISSIONS = MEMBER_PERMISSIONS | {
    "licensing.view_granules",
    # The upgrade packages: seen and downloaded while the licence covers the product and support is active.
    "releases.view_releases",
    "releases.download_package",
    # The monitoring of the organization's installations, and the tokens its agents send results with.
    "monitoring.view_monitoring",
    "monitoring.manage_agent_tokens",
}

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
        "licensing.view_licence_terms",
        "licensing.view_granules",
        "licensing.view_licence_list",
        "releases.view_releases",
        "billing.view_billing",
        "monitoring.view_monitoring",
        "monitoring.view_all_monitoring",
    }
)

STAFF_GROUP_PERMISSIONS: dict[str, frozenset[str]] = {
    StaffGroup.DISPATCHER: STAFF_PERMISSIONS | {"cases.assign_case"},
    # Consultants write FAQ entries from the cases they solve; vendor admins keep the whole knowledge base.
    # Consultants also log the time they spend for customers (billing).
    StaffGroup.CONSULTANT: STAFF_PERMISSIONS | {"docs.manage_knowledge", "billing.log_time"},
    StaffGroup.VENDOR_ADMIN: STAFF_PERMISSIONS
    | {
        "cases.assign_case",
        "accounts.manage_organizations",
        "accounts.manage_members",
        "helpdesk.view_auditevent",
        "docs.manage_knowledge",
        "licensing.manage_licences",
        # Vendor admins publish releases and may download any package (to check what they published).
        "releases.manage_releases",
        "releases.download_package",
        # Vendor admins keep the support contracts, generate statements and may log time themselves.
        "billing.manage_billing",
        "billing.log_time",
        "monitoring.manage_agent_tokens",
    },
}
