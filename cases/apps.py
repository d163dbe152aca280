from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Cases")

    def ready(self):
        from helpdesk.dashboard import panel_register

        from . import dashboard

        panel_register(
            "customer", "cases/panels/customer_cases.html", dashboard.customer_cases_panel, order=10
        )
        panel_register("staff", "cases/panels/staff_queue.html", dashboard.staff_queue_panel, order=10)
        panel_register("staff", "cases/panels/staff_work.html", dashboard.staff_work_panel, order=20)
