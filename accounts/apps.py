from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from helpdesk.demo import demo_register
        from helpdesk.navigation import nav_register

        from . import signals  # noqa: F401  (session records at sign-in and sign-out)

        nav_register(
            _("Organizations"),
            "accounts:organization-list",
            perm="accounts.manage_organizations",
            order=80,
            menu="administration",
            icon="buildings",
        )
        nav_register(
            _("Members"),
            "accounts:my-members",
            perm="accounts.manage_members",
            order=90,
            needs_organization=True,
            menu="administration",
            icon="people",
        )
        nav_register(
            _("Audit log"),
            "accounts:audit-list",
            perm="helpdesk.view_auditevent",
            order=100,
            menu="administration",
            icon="journal-text",
        )

        demo_register("accounts", "accounts.demo.seed", order=10, welcome="accounts.demo.welcome")
