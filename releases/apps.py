from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReleasesConfig(AppConfig):
    name = "releases"
    verbose_name = _("Products and releases")

    def ready(self):
        from helpdesk.demo import demo_register
        from helpdesk.navigation import nav_register

        # SYS_ADMINs and ADMINs (and vendor staff) see the entry; STANDARD and FIN_ADMIN users do not.
        nav_register(
            _("Upgrade packages"),
            "releases:release-list",
            perm="releases.view_releases",
            order=60,
            menu="products",
            icon="box-seam",
        )
        # Before licensing (40): the licences it makes name every product that exists by then.
        demo_register("releases", "releases.demo.seed", order=35)
