from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Cases")

    def ready(self):
        from helpdesk.dashboard import panel_register
        from helpdesk.demo import demo_register
        from helpdesk.navigation import nav_register

        from . import dashboard

        nav_register(
            _("Queue"), "cases:queue", perm="cases.view_queue", order=10, menu="cases", icon="inboxes"
        )
        nav_register(
            _("My work"),
            "cases:my-work",
            perm="cases.work_case",
            order=20,
            menu="cases",
            icon="person-workspace",
        )
        nav_register(
            _("Cases"),
            "cases:case-list",
            perm="cases.view_org_cases",
            order=30,
            menu="cases",
            icon="card-list",
        )
        nav_register(
            _("Analysis"),
            "cases:case-analysis",
            perm="cases.analyse_cases",
            order=40,
            menu="cases",
            icon="bar-chart",
        )

        panel_register(
            "customer", "cases/panels/customer_cases.html", dashboard.customer_cases_panel, order=10
        )
        panel_register("staff", "cases/panels/staff_queue.html", dashboard.staff_queue_panel, order=10)
        panel_register("staff", "cases/panels/staff_work.html", dashboard.staff_work_panel, order=20)

        demo_register("cases", "cases.demo.seed", order=20)
