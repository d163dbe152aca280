"""The monitoring pages: the status overview (/monitoring/; staff: every customer's components, red first), an
installation with its components, incidents, versions and agent tokens, one check's history, and the forms
that create installations and tokens and revoke tokens.

The overview and the installation's components refresh every 30 s: the same view answers htmx with the
fragment. Customers without `monitoring.view_monitoring` (STANDARD, FIN_ADMIN) get 404 everywhere.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from helpdesk.htmx import is_htmx
from helpdesk.idempotency import TOKEN_FIELD, submit_once
from helpdesk.models import FormSubmission
from helpdesk.pagination import page_of
from helpdesk.permissions import has_global_perm, has_org_perm, organizations_with_perm
from helpdesk.services import client_ip

from . import display, history, installations, selectors, services
from .forms import InstallationForm, StaffFilterForm, TokenCreateForm, TokenRevokeForm

ALREADY_SHOWN = gettext_noop(
    "This token was already created and shown once. If it was not copied, revoke it and create another."
)


def _live(request, template: str, fragment: str, context: dict):
    """The page, or for htmx's 30 s refresh only its fragment."""
    name = f"{template}#{fragment}" if is_htmx(request) else template
    response = render(request, name, context)
    response["Vary"] = "HX-Request"
    return response


@require_GET
def overview(request):
    scope = selectors.monitoring_scope_or_404(request.user)
    if has_global_perm(request.user, selectors.VIEW_ALL_PERM):
        return _staff_overview(request)
    page = page_of(selectors.installations_overview(scope), request.GET.get("page"), per_page=10)
    display.components_rows(
        [c for installation in page for c in installation.components.all()], timezone.now()
    )
    context = {
        "page": page,
        "several_organizations": len({installation.organization_id for installation in page}) > 1,
        "can_add_installation": bool(organizations_with_perm(request.user, selectors.TOKENS_PERM)),
        "refreshed_at": timezone.now(),
    }
    return _live(request, "monitoring/overview.html", "status", context)


def _staff_overview(request):
    form = StaffFilterForm(request.GET or None, organizations=selectors.organizations_monitored())
    filters = form.cleaned_data if form.is_valid() else {}
    organization, status = filters.get("organization"), filters.get("status")
    components = selectors.components_for_staff(organization=organization, status=status)
    page = page_of(components, request.GET.get("page"), per_page=50)
    badges = display.badges()
    context = {
        "form": form,
        "filters": [(form[name], display.options(form[name])) for name in ("organization", "status")],
        "page": page,
        "rows": display.staff_rows(page),
        "counts": [(badges[status], n) for status, n in selectors.status_counts(organization).items()],
        "can_add_installation": has_global_perm(request.user, selectors.TOKENS_PERM),
        "refreshed_at": timezone.now(),
    }
    return _live(request, "monitoring/staff_overview.html", "components", context)


@require_GET
def installation_detail(request, pk):
    installation = selectors.get_installation_for(request.user, pk)
    return _installation_page(request, installation, TokenCreateForm())


def _installation_page(request, installation, token_form):
    components = list(selectors.components_with_checks().filter(installation=installation))
    display.components_rows(components, timezone.now())
    can_manage = has_org_perm(request.user, selectors.TOKENS_PERM, installation.organization)
    context = {
        "installation": installation,
        "components": components,
        "can_manage_tokens": can_manage,
        "refreshed_at": timezone.now(),
    }
    if not is_htmx(request):
        tokens = list(selectors.installation_tokens(installation)[:50]) if can_manage else []
        for token in tokens:
            token.revoke_form = TokenRevokeForm()  # each form its own one-time token
        context.update(
            incidents=page_of(selectors.installation_incidents(installation), request.GET.get("page"), 10),
            versions=list(installation.versions.select_related("product").order_by("product__name")),
            usage=list(installation.licence_usage.select_related("module").order_by("module__code")),
            tokens=tokens,
            token_form=token_form,
        )
    return _live(request, "monitoring/installation_detail.html", "components", context)


@require_GET
def check_history(request, pk):
    check = selectors.get_check_for(request.user, pk)
    range_ = selectors.RANGES.get(request.GET.get("range", ""), selectors.RANGES[selectors.DEFAULT_RANGE])
    buckets = selectors.check_history(check, range_)
    context = {
        "check": check,
        "installation": check.component.installation,
        "range": range_,
        "ranges": history.range_choices(),
        "buckets": buckets,
        "rows": display.bucket_rows(buckets),
        "thresholds": display.ThresholdText()(check),
        "chart": history.history_chart(check, buckets, range_),
    }
    return render(request, "monitoring/check_history.html", context)


# --- Changes: installations and agent tokens ----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def installation_create(request):
    """A vendor admin adds an installation for any organization; a customer's SYS_ADMIN or ADMIN for
    theirs."""
    selectors.monitoring_scope_or_404(request.user)
    organizations = organizations_with_perm(request.user, selectors.TOKENS_PERM).filter(is_active=True)
    organizations = organizations.order_by("name")
    if not organizations:
        raise PermissionDenied(selectors.TOKENS_PERM)
    form = InstallationForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        return submit_once(request, form, lambda: _installation_saved(request, form))
    return render(request, "monitoring/installation_form.html", {"form": form})


def _installation_saved(request, form):
    try:
        installation = installations.installation_create(
            organization=form.cleaned_data["organization"],
            name=form.cleaned_data["name"],
            environment=form.cleaned_data["environment"],
            by=request.user,
            ip_address=client_ip(request),
        )
    except ValidationError as error:
        form.add_error(None, error)
        return render(request, "monitoring/installation_form.html", {"form": form})
    messages.success(request, _("The installation is added. Create a token for its monitoring agent."))
    return redirect(installation)


@require_POST
def token_create(request, pk):
    """The new token is shown on this answer only: never stored raw, never in a redirect or a message."""
    installation = selectors.get_installation_for(request.user, pk, selectors.TOKENS_PERM)
    form = TokenCreateForm(request.POST)
    if not form.is_valid():
        return _installation_page(request, installation, form)
    try:
        with transaction.atomic():
            if not _first_sending(request, form, installation.get_absolute_url()):
                messages.info(request, _(ALREADY_SHOWN))
                return redirect(installation)
            token, raw = services.token_create(
                installation=installation, name=form.cleaned_data["name"], by=request.user
            )
    except ValidationError as error:
        form.add_error(None, error)
        return _installation_page(request, installation, form)
    context = {"installation": installation, "token": token, "raw": raw}
    response = render(request, "monitoring/token_created.html", context)
    add_never_cache_headers(response)
    response["Cache-Control"] = "no-store"
    return response


def _first_sending(request, form, result_url: str) -> bool:
    """Claim the form's one-time token (helpdesk.idempotency) in the caller's transaction. submit_once does
    not fit here: its result must be a redirect, and the token's page cannot be one."""
    submission = form.cleaned_data.get(TOKEN_FIELD)
    if not submission:
        return True
    try:
        with transaction.atomic():
            FormSubmission.objects.create(user=request.user, token=submission, result_url=result_url)
    except IntegrityError:
        return False
    return True


@require_POST
def token_revoke(request, pk):
    token = selectors.get_token_for(request.user, pk)
    form = TokenRevokeForm(request.POST)
    form.is_valid()  # a token field only: an old page without it is simply done
    installation = token.installation
    if token.revoked_at is not None:
        messages.info(request, _("The token %(name)s was already revoked.") % {"name": token.name})
        return redirect(installation)

    def revoke():
        services.token_revoke(token=token, by=request.user)
        messages.success(
            request,
            _("The token %(name)s is revoked: its agent is refused from now on.") % {"name": token.name},
        )
        return redirect(f"{installation.get_absolute_url()}#tokens")

    return submit_once(request, form, revoke)
