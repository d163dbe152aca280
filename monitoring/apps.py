from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("Monitoring")

    def ready(self):
        from cases.page_parts import case_page_register
        from helpdesk.dashboard import panel_register
        from helpdesk.demo import demo_register
        from helpdesk.navigation import nav_register
        from licensing.usage import usage_provider_register

        from . import case_page, dashboard, licence_usage
        from .selectors import VIEW_PERM

        # The incident that opened a case, in that case's timeline.
        case_page_register(case_page.case_page_part)
        # The named users the agents report, shown against the licensed quantities on /licence/.
        usage_provider_register(licence_usage.licence_usage_by_module)

        # A customer's SYS_ADMINs and ADMINs see their installations; staff hold it globally (every customer).
        nav_register(
            _("Monitoring"), "monitoring:overview", perm=VIEW_PERM, order=75, menu="products", icon="activity"
        )
        panel = "monitoring/panels/monitoring.html"
        panel_register("customer", panel, dashboard.customer_monitoring_panel, order=35)
        panel_register("staff", panel, dashboard.staff_monitoring_panel, order=30)
        # After cases (an incident opens a case) and licensing; prints the demo agent's token.
        demo_register("monitoring", "monitoring.demo.seed", order=60, welcome="monitoring.demo.welcome")
