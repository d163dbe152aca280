from django.urls import path

from .views import pages, statements
from .views import time as time_views

app_name = "billing"

urlpatterns = [
    path("", pages.overview, name="overview"),
    # billing-pages: an organization's statements, services history, cost analysis and contract terms.
    path("statements/", pages.statement_list, name="statement-list"),
    path("services/", pages.service_list, name="service-list"),
    path("services/export/", pages.service_export, name="service-export"),
    path("analysis/", pages.cost_analysis, name="cost-analysis"),
    path("contracts/", pages.contract_list, name="contract-list"),
    path("organizations/<int:organization_pk>/contract/new/", pages.contract_create, name="contract-create"),
    # Consultant time (billing-time): the consultant's own time page, changes, and the case page's form.
    path("time/", time_views.time_list, name="time-list"),
    path("time/<int:pk>/edit/", time_views.time_entry_update, name="time-entry-update"),
    path("time/<int:pk>/delete/", time_views.time_entry_delete, name="time-entry-delete"),
    path("cases/<str:reference>/time/", time_views.case_time_log, name="case-time-log"),
    path("statements/<int:pk>/", statements.statement_detail, name="statement-detail"),
    path("statements/<int:pk>/approve/", statements.statement_approve, name="statement-approve"),
    path("statements/<int:pk>/dispute/", statements.statement_dispute, name="statement-dispute"),
    path("statements/<int:pk>/pdf/", statements.statement_pdf, name="statement-pdf"),
    path("statements/<int:pk>/e-invoice/", statements.statement_einvoice, name="statement-einvoice"),
    path("statements/<int:pk>/revise/", statements.statement_revise, name="statement-revise"),
    path("generate/", statements.generate, name="generate"),
    path("generate/<int:pk>/", statements.generation_status, name="generation-status"),
]
