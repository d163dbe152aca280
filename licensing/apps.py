from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LicensingConfig(AppConfig):
    name = "licensing"
    verbose_name = _("Licences")

    def ready(self):
        from helpdesk.demo import demo_register
        from helpdesk.navigation import nav_register

        from .selectors import GRANULES_PERM, LIST_PERM, TERMS_PERM

        # A customer's FIN_ADMIN reads the licence's terms, a SYS_ADMIN its modules: either opens the page.
        # Staff work in no organization and use the list of every organization's licence instead.
        nav_register(
            _("Licence"),
            "licensing:licence-current",
            perm=(TERMS_PERM, GRANULES_PERM),
            order=60,
            needs_organization=True,
            menu="products",
            icon="patch-check",
        )
        nav_register(
            _("Licences"),
            "licensing:licence-list",
            perm=LIST_PERM,
            order=65,
            menu="products",
            icon="patch-check",
        )

        demo_register("licensing", "licensing.demo.seed", order=40)
