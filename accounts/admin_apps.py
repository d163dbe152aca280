from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """django.contrib.admin with a site that asks for the second factor (accounts.admin_site)."""

    default_site = "accounts.admin_site.VerifiedAdminSite"
