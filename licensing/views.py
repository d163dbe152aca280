from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import Organization
from helpdesk.idempotency import submit_once
from helpdesk.pagination import page_of
from helpdesk.permissions import GLOBALLY, has_global_perm, require_perm
from helpdesk.services import client_ip

from . import selectors, services, usage
from .forms import ChangeForm, GranuleForm, IssueForm, LicenceFilterForm, TermsForm
from .models import Licence

# --- Reading ------------------------------------------------------------------------------------------------


def _licence_page(request, licence: Licence | None, organization: Organization, rights):
    """The licence page: its terms for those who read them (FIN_ADMIN), its modules for those who read
    them (SYS_ADMIN); ADMINs and staff both."""
    context = {
        "licence": licence,
        "organization": organization,
        "can_view_terms": rights.terms,
        "can_view_granules": rights.granules,
        "can_manage": has_global_perm(request.user, selectors.MANAGE_PERM),
    }
    if rights.granules and licence:
        context["granules"] = usage.granules_with_usage(licence)
        context["has_usage"] = any(used for _granule, used in context["granules"])
    if rights.terms:
        context["recent_changes"] = list(selectors.licence_history(licence)[:5]) if licence else []
        context["licences"] = selectors.organization_licences(organization)
    return render(request, "licensing/licence_detail.html", context)


@require_GET
def licence_current(request):
    """/licence/: the licence of the organization the user works in. A member who reads none of it (a
    STANDARD user) gets 404, as for a page that is not there for them; staff go to every organization's."""
    if not request.membership:
        if has_global_perm(request.user, selectors.LIST_PERM):
            return redirect("licensing:licence-list")
        raise Http404
    organization = request.membership.organization
    rights = selectors.licence_rights(request.user, organization)
    if not rights:
        raise Http404
    return _licence_page(request, selectors.licence_current(organization), organization, rights)


@require_GET
def licence_detail(request, pk):
    licence = selectors.get_licence_for(request.user, pk)
    rights = selectors.licence_rights(request.user, licence.organization)
    return _licence_page(request, licence, licence.organization, rights)


@require_GET
def licence_history(request, pk):
    licence = selectors.get_licence_for(request.user, pk, selectors.TERMS_PERM)
    changes = page_of(selectors.licence_history(licence), request.GET.get("page"), per_page=25)
    return render(request, "licensing/licence_history.html", {"licence": licence, "page": changes})


@require_GET
@require_perm(selectors.LIST_PERM, where=GLOBALLY)
def licence_list(request):
    """Staff: every organization with its current licence and its state."""
    form = LicenceFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    organizations = selectors.organizations_with_licence(
        name=filters.get("q", ""), state=filters.get("state", "")
    )
    context = {
        "form": form,
        "page": page_of(organizations, request.GET.get("page"), per_page=50),
        "can_manage": has_global_perm(request.user, selectors.MANAGE_PERM),
    }
    return render(request, "licensing/licence_list.html", context)


# --- Changing (vendor admins): a form, its preview (before -> after), then the confirmation ----------------


def _two_steps(request, form, *, preview, save, context):
    """The form; sent, the preview of what it changes; sent again with `confirm`, the change saved (once per
    form, helpdesk.idempotency). `preview(data)` returns a services.Plan, `save(data, seen)` the object to
    go to; both raise ValidationError, shown on the form."""
    if request.method == "POST" and "back" not in request.POST and form.is_valid():
        data = form.cleaned_data
        try:
            if "confirm" in request.POST:
                return submit_once(request, form, lambda: _saved(request, form, save, data, context))
            plan = preview(data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            seen = services.last_change_id(context["licence"]) if context.get("licence") else 0
            confirm = {**context, "form": form, "plan": plan, "seen": seen}
            return render(request, "licensing/licence_change_confirm.html", confirm)
    return render(request, "licensing/licence_change_form.html", {**context, "form": form})


def _saved(request, form, save, data, context):
    try:
        target = save(data, data.get("seen"))
    except ValidationError as error:
        form.add_error(None, error)
        return render(request, "licensing/licence_change_form.html", {**context, "form": form})
    messages.success(request, _("The licence is changed; its history shows the change."))
    return redirect(target)


def _change(request, licence, change_of):
    """preview and save of a change of an existing licence, for _two_steps."""

    def preview(data):
        return services.licence_change_preview(licence=licence, change=change_of(data))

    def save(data, seen):
        services.licence_change(
            licence=licence,
            change=change_of(data),
            by=request.user,
            reason=data["reason"],
            seen_change_id=seen,
            ip_address=client_ip(request),
        )
        return licence

    return {"preview": preview, "save": save}


@require_http_methods(["GET", "POST"])
@require_perm(selectors.MANAGE_PERM, where=GLOBALLY)
def licence_issue(request, organization_pk):
    organization = get_object_or_404(Organization, pk=organization_pk, is_active=True)
    current = selectors.licence_current(organization)
    initial = {"products": current.products.all(), "edition": current.edition} if current else {}
    form = IssueForm(request.POST or None, initial=initial)
    terms = ("number", "edition", "valid_from", "valid_until", "support_until", "products", "copy_granules")

    def preview(data):
        return services.licence_issue_preview(organization=organization, **{key: data[key] for key in terms})

    def save(data, _seen):
        return services.licence_issue(
            organization=organization,
            by=request.user,
            reason=data["reason"],
            ip_address=client_ip(request),
            **{key: data[key] for key in terms},
        )

    context = {"organization": organization, "licence": None, "title": _("New licence")}
    return _two_steps(request, form, preview=preview, save=save, context=context)


@require_http_methods(["GET", "POST"])
@require_perm(selectors.MANAGE_PERM, where=GLOBALLY)
def licence_edit(request, pk):
    licence = selectors.get_licence_for(request.user, pk)
    initial = {
        "edition": licence.edition,
        "valid_from": licence.valid_from,
        "valid_until": licence.valid_until,
        "support_until": licence.support_until,
        "products": licence.products.all(),
    }
    form = TermsForm(request.POST or None, initial=initial)

    def change_of(data):
        return services.TermsEdit(
            edition=data["edition"],
            valid_from=data["valid_from"],
            valid_until=data["valid_until"],
            support_until=data["support_until"],
            products=tuple(data["products"]),
        )

    context = {"licence": licence, "title": _("Terms, renewal and support")}
    return _two_steps(request, form, context=context, **_change(request, licence, change_of))


@require_http_methods(["GET", "POST"])
@require_perm(selectors.MANAGE_PERM, where=GLOBALLY)
def licence_suspension(request, pk):
    """Suspend the licence, or reactivate a suspended one."""
    licence = selectors.get_licence_for(request.user, pk)
    change = services.Reactivation() if licence.is_suspended else services.Suspension()
    title = _("Reactivate the licence") if licence.is_suspended else _("Suspend the licence")
    context = {"licence": licence, "title": title}
    form = ChangeForm(request.POST or None)
    return _two_steps(request, form, context=context, **_change(request, licence, lambda data: change))


@require_http_methods(["GET", "POST"])
@require_perm(selectors.MANAGE_PERM, where=GLOBALLY)
def granule_add(request, pk):
    licence = selectors.get_licence_for(request.user, pk)
    form = GranuleForm(request.POST or None, licence=licence)

    def change_of(data):
        return services.GranuleAdd(
            module=data["module"],
            quantity=data["quantity"],
            unit=data["unit"],
            valid_from=data["valid_from"],
            valid_until=data["valid_until"],
        )

    context = {"licence": licence, "title": _("Add a module")}
    return _two_steps(request, form, context=context, **_change(request, licence, change_of))


def _granule_for(request, pk, granule_pk):
    licence = selectors.get_licence_for(request.user, pk)
    return licence, get_object_or_404(licence.granules.select_related("module"), pk=granule_pk)


@require_http_methods(["GET", "POST"])
@require_perm(selectors.MANAGE_PERM, where=GLOBALLY)
def granule_edit(request, pk, granule_pk):
    licence, granule = _granule_for(request, pk, granule_pk)
    initial = {
        "quantity": granule.quantity,
        "unit": granule.unit,
        "valid_from": granule.valid_from,
        "valid_until": granule.valid_until,
    }
    form = GranuleForm(request.POST or None, licence=licence, granule=granule, initial=initial)

    def change_of(data):
        return services.GranuleEdit(
            granule=granule,
            quantity=data["quantity"],
            unit=data["unit"],
            valid_from=data["valid_from"],
            valid_until=data["valid_until"],
        )

    context = {"licence": licence, "title": _("Change the module %(module)s") % {"module": granule.module}}
    return _two_steps(request, form, context=context, **_change(request, licence, change_of))


@require_http_methods(["GET", "POST"])
@require_perm(selectors.MANAGE_PERM, where=GLOBALLY)
def granule_remove(request, pk, granule_pk):
    licence, granule = _granule_for(request, pk, granule_pk)
    form = ChangeForm(request.POST or None)
    context = {"licence": licence, "title": _("Remove the module %(module)s") % {"module": granule.module}}
    change = services.GranuleRemoval(granule=granule)
    return _two_steps(request, form, context=context, **_change(request, licence, lambda data: change))
