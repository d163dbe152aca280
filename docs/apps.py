from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocsConfig(AppConfig):
    name = "docs"
    verbose_name = _("Knowledge base")

    def ready(self):
        from helpdesk.dashboard import panel_register
        from helpdesk.demo import demo_register
        from helpdesk.navigation import nav_register

        from . import dashboard

        # FAQ, documentation, process descriptions, news and (for its writers) the knowledge report are
        # tabs of one section, so that the header stays short.
        nav_register(
            _("Knowledge"), "docs:knowledge-search", perm="docs.view_knowledge", order=50, icon="book"
        )

        panel_register("customer", "docs/panels/customer_news.html", dashboard.customer_news_panel, order=30)

        demo_register("docs", "docs.demo.seed", order=30)
