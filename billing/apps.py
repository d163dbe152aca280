from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = _("Billing")

    def ready(self):
        from cases.page_parts import case_page_register
        from helpdesk.dashboard import panel_register
        from helpdesk.demo import demo_register
        from helpdesk.navigation import nav_register

        from . import dashboard, timelog
        from .selectors import LOG_TIME_PERM, VIEW_PERM

        # Customers' FIN_ADMINs and ADMINs see their organization's billing; staff every organization's.
        nav_register(
            _("Billing"), "billing:overview", perm=VIEW_PERM, order=70, menu="billing", icon="receipt"
        )
        # Consultants and vendor admins: the time they logged, and general work for an organization.
        nav_register(
            _("My time"),
            "billing:time-list",
            perm=LOG_TIME_PERM,
            order=71,
            menu="billing",
            icon="clock-history",
        )
        # FIN_ADMINs (and ADMINs) see the statement awaiting their approval and this month's hours.
        panel_register(
            "customer", "billing/panels/customer_billing.html", dashboard.customer_billing_panel, order=40
        )
        # After cases (the time is logged on the demo cases) and licensing.
        demo_register("billing", "billing.demo.seed", order=50)
        # Consultant time in the case's timeline, and the form to log it under the timeline.
        case_page_register(timelog.case_page_part)
