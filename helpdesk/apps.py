from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelpdeskConfig(AppConfig):
    name = "helpdesk"
    verbose_name = _("HelpDesk")

    def ready(self):
        from . import signals  # noqa: F401  (audits sign-ins)
        from .navigation import nav_register

        nav_register(_("Dashboard"), "dashboard", order=0, icon="speedometer2")
