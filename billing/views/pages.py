"""The customer's billing pages and the vendor admin's contract terms: the overview (/billing/), the
statements of an organization, the history of consultant services with its export, the cost analysis and
the contract history.

Customers with `billing.view_billing` (FIN_ADMIN, ADMIN) see the organization they work in, or another of
theirs through `?organization=`; staff see any organization they pick. Everyone else gets 404, as for a
page that is not there for them (billing.selectors.billing_scope_or_404).
"""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts import services as account_services
from accounts.models import Organization
from helpdesk.idempotency import submit_once
from helpdesk.pagination import page_of
from helpdesk.permissions import GLOBALLY, has_global_perm, require_perm
from helpdesk.services import client_ip
from helpdesk.throttle import throttle

from .. import analysis, contracts, export, reports, selectors, services
from ..forms_pages import AnalysisForm, ContractForm, ServiceFilterForm
from ..models import Statement


def billing_page(view):
    """The page of one organization's billing: 404 without `billing.view_billing` anywhere; the view gets the
    user's scope and the organization shown (None while staff have not picked one)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        scope = selectors.billing_scope_or_404(request.user)
        return view(request, scope, reports.organization_for(request, scope), *args, **kwargs)

    return wrapped


def _context(request, scope, organization, **extra) -> dict:
    """What every billing page shows: the organization, the picker (staff, or a customer of several
    organizations) and the links between the pages, which keep the organization."""
    picker = list(reports.picker_organizations(scope)) if scope.everywhere or len(scope.ids) > 1 else []
    return {
        "organization": organization,
        "picker": picker,
        "org_query": urlencode({"organization": organization.pk}) if organization else "",
        "can_manage": has_global_perm(request.user, selectors.MANAGE_PERM),
        "is_staff_view": scope.everywhere,
        **extra,
    }


@require_GET
@billing_page
def overview(request, scope, organization):
    context = _context(request, scope, organization)
    if organization is not None:
        today = reports.today()
        contract = selectors.contract_current(organization, today)
        context.update(
            contract=contract,
            month=today,
            budget=reports.hour_budget(organization, contract, today),
            statements=reports.statement_summary(organization),
        )
    return render(request, "billing/overview.html", context)


@require_GET
@billing_page
def statement_list(request, scope, organization):
    state = request.GET.get("state", "")
    state = state if state in Statement.State.values else ""
    context = _context(request, scope, organization, state=state, states=Statement.State.choices)
    if organization is not None:
        context["page"] = page_of(
            reports.statement_list(organization, state), request.GET.get("page"), per_page=24
        )
    return render(request, "billing/statement_list.html", context)


def _service_filters(request, organization, *, staff: bool) -> ServiceFilterForm:
    return ServiceFilterForm(
        request.GET or None, consultants=reports.consultants_of(organization), staff=staff
    )


@require_GET
@billing_page
def service_list(request, scope, organization):
    """The history of consultant services: the organization's time entries, filtered and paged."""
    context = _context(request, scope, organization)
    if organization is not None:
        form = _service_filters(request, organization, staff=scope.everywhere)
        filters = form.cleaned_data if form.is_valid() else {}
        entries = reports.services_of(organization, staff=scope.everywhere, filters=filters)
        query = request.GET.copy()
        query.pop("page", None)
        context.update(
            form=form,
            page=page_of(entries, request.GET.get("page"), per_page=50),
            totals=reports.services_totals(entries),
            export_query=query.urlencode(),
        )
    return render(request, "billing/service_list.html", context)


@require_GET
@billing_page
@throttle("billing-export")
def service_export(request, scope, organization):
    """The filtered history as CSV or XLSX (billing.export says what goes in)."""
    if organization is None:
        return redirect("billing:service-list")
    form = _service_filters(request, organization, staff=scope.everywhere)
    file_format = request.GET.get("format")
    if not form.is_valid() or file_format not in ("csv", "xlsx"):
        messages.error(request, _("The export needs valid filters and a format (CSV or XLSX)."))
        return redirect(f"{reverse('billing:service-list')}?{request.GET.urlencode()}")
    entries = reports.services_of(organization, staff=scope.everywhere, filters=form.cleaned_data)
    return export.export_response(
        entries, organization=organization, staff=scope.everywhere, file_format=file_format
    )


@require_GET
@billing_page
def cost_analysis(request, scope, organization):
    form = AnalysisForm(request.GET or None)
    months = form.cleaned_data["months"] if form.is_valid() else 12
    context = _context(request, scope, organization, form=form)
    if organization is not None:
        figures = analysis.cost_figures(organization=organization, months=months or 12)
        context["report"] = analysis.cost_report(figures)
    return render(request, "billing/cost_analysis.html", context)


@require_GET
@billing_page
def contract_list(request, scope, organization):
    """The organization's contract terms, the current and every earlier one."""
    context = _context(request, scope, organization)
    if organization is not None:
        context["contracts"] = list(selectors.contracts_of(organization).select_related("created_by"))
        context["today"] = reports.today()
    return render(request, "billing/contract_list.html", context)


# --- New contract terms (vendor admins): the form, its preview, then the confirmation ----------------------


@require_http_methods(["GET", "POST"])
@require_perm(selectors.MANAGE_PERM, where=GLOBALLY)
def contract_create(request, organization_pk):
    organization = get_object_or_404(Organization, pk=organization_pk, is_active=True)
    current = selectors.contract_current(organization)
    form = ContractForm(request.POST or None, initial=_initial(organization, current))
    context = {"organization": organization, "current": current}
    if request.method == "POST" and "back" not in request.POST and form.is_valid():
        if "confirm" in request.POST:  # saved once per form, whatever the preview said then
            return submit_once(request, form, lambda: _contract_saved(request, form, organization, context))
        try:
            plan = contracts.contract_preview(
                organization=organization, oib=form.cleaned_data["oib"], **form.terms()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return render(request, "billing/contract_confirm.html", {**context, "form": form, "plan": plan})
    return render(request, "billing/contract_form.html", {**context, "form": form})


def _initial(organization, current) -> dict:
    initial = {"oib": organization.oib, "valid_from": reports.today()}
    if current is not None:
        keys = ("monthly_fee", "included_hours", "hourly_rate", "sla_tier")
        initial.update({key: getattr(current, key) for key in keys})
    return initial


def _contract_saved(request, form, organization, context):
    """The OIB (when corrected) and the new terms, in the one transaction of submit_once."""
    try:
        if form.cleaned_data["oib"] != organization.oib:
            account_services.organization_update(
                organization=organization,
                by=request.user,
                ip_address=client_ip(request),
                oib=form.cleaned_data["oib"],
            )
        services.contract_save(organization=organization, by=request.user, **form.terms())
    except ValidationError as error:
        form.add_error(None, error)
        return render(request, "billing/contract_form.html", {**context, "form": form})
    messages.success(request, _("The new contract terms are saved; the contract history shows them."))
    return redirect(f"{reverse('billing:contract-list')}?{urlencode({'organization': organization.pk})}")
