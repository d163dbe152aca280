from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from helpdesk.demo import demo_register
        from helpdesk.navigation import nav_register

        nav_register(
            _("Organizations"), "accounts:organization-list", perm="accounts.manage_organizations", order=80
        )
        nav_register(
            _("Members"),
            "accounts:my-members",
            perm="accounts.manage_members",
            order=90,
            needs_organization=True,
        )
        nav_register(_("Audit log"), "accounts:audit-list", perm="helpdesk.view_auditevent", order=100)

        demo_register("accounts", "accounts.demo.seed", order=10, welcome="accounts.demo.welcome")
