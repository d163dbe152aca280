from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocsConfig(AppConfig):
    name = "docs"
    verbose_name = _("Knowledge base")

    def ready(self):
        from helpdesk.dashboard import panel_register

        from . import dashboard

        panel_register("customer", "docs/panels/customer_news.html", dashboard.customer_news_panel, order=30)
