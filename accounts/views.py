from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from helpdesk.models import AuditEvent
from helpdesk.permissions import has_global_perm, has_org_perm
from helpdesk.services import audit_record, client_ip

from . import selectors, services
from .forms import (
    AuditFilterForm,
    InvitationAcceptForm,
    InviteForm,
    LoginForm,
    OrganizationCreateForm,
    OrganizationForm,
    ProfileForm,
    QueuedPasswordResetForm,
    RoleChangeForm,
)
from .middleware import SESSION_ORGANIZATION_KEY
from .models import Organization


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    form_class = QueuedPasswordResetForm
    success_url = reverse_lazy("accounts:password-reset-done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("accounts:password-reset-complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit_record(
            action=AuditEvent.Action.PASSWORD_RESET, actor=form.user, target=form.user,
            ip_address=client_ip(self.request),
        )
        return response


@require_http_methods(["GET", "POST"])
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if form.is_valid():
        form.save()
        messages.success(request, _("Your profile has been saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit_record(
            action=AuditEvent.Action.PASSWORD_CHANGED,
            actor=self.request.user,
            target=self.request.user,
            ip_address=client_ip(self.request),
        )
        messages.success(self.request, _("Your password has been changed."))
        return response


@require_POST
def organization_switch(request):
    organization_id = request.POST.get("organization")
    membership = next((m for m in request.memberships if str(m.organization_id) == organization_id), None)
    if membership is None:
        raise Http404
    request.session[SESSION_ORGANIZATION_KEY] = membership.organization_id
    messages.success(
        request, _("You are now working in %(organization)s.") % {"organization": membership.organization}
    )
    return redirect("dashboard")


@require_http_methods(["GET"])
def my_members(request):
    """The header's "Members" link: the member list of the organization the user works in."""
    if not request.membership:  # a lazy object: test its truth, it is never None itself
        raise Http404
    return redirect("accounts:member-list", organization_pk=request.membership.organization_id)


@require_http_methods(["GET", "POST"])
def member_list(request, organization_pk):
    organization = selectors.get_organization_for(request.user, organization_pk, "accounts.manage_members")
    form = InviteForm(request.POST or None)
    if form.is_valid():
        try:
            services.invitation_create(
                organization=organization, by=request.user, ip_address=client_ip(request), **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error("email", error)
        else:
            messages.success(request, _("An invitation has been sent to %(email)s.") % form.cleaned_data)
            return redirect("accounts:member-list", organization_pk=organization.pk)
    context = {
        "organization": organization,
        "members": selectors.members_of(organization),
        "invitations": organization.invitations.filter(accepted_at__isnull=True).select_related("invited_by"),
        "form": form,
        "role_choices": RoleChangeForm.base_fields["role"].choices,
    }
    return render(request, "accounts/member_list.html", context)


def _member_for(request, organization_pk, pk):
    organization = selectors.get_organization_for(request.user, organization_pk, "accounts.manage_members")
    return get_object_or_404(selectors.members_of(organization), pk=pk)


@require_POST
def member_role(request, organization_pk, pk):
    membership = _member_for(request, organization_pk, pk)
    form = RoleChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a role to grant or remove."))
        return redirect("accounts:member-list", organization_pk=organization_pk)
    change = services.role_grant if form.cleaned_data["grant"] else services.role_remove
    try:
        change(
            membership=membership,
            role=form.cleaned_data["role"],
            by=request.user,
            ip_address=client_ip(request),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The roles of %(name)s have been changed.") % {"name": membership.user})
    return redirect("accounts:member-list", organization_pk=organization_pk)


@require_POST
def member_deactivate(request, organization_pk, pk):
    membership = _member_for(request, organization_pk, pk)
    try:
        services.member_deactivate(membership=membership, by=request.user, ip_address=client_ip(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s has been deactivated.") % {"name": membership.user})
    return redirect("accounts:member-list", organization_pk=organization_pk)


@login_not_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    try:
        invitation = services.invitation_for_token(token)
    except services.InvitationError as error:
        return render(request, "accounts/invitation_invalid.html", {"reason": error.message}, status=410)
    signed_in = request.user if request.user.is_authenticated else None
    form = (
        None
        if signed_in
        else InvitationAcceptForm(
            request.POST or None, email=invitation.email, initial={"full_name": invitation.full_name}
        )
    )
    account_exists = (
        signed_in is None and services.User.objects.filter(email__iexact=invitation.email).exists()
    )
    if request.method == "POST" and (signed_in or (form.is_valid() and not account_exists)):
        fields = (
            {}
            if signed_in
            else {"full_name": form.cleaned_data["full_name"], "password": form.cleaned_data["password1"]}
        )
        try:
            membership = services.invitation_accept(
                token=token, user=signed_in, ip_address=client_ip(request), **fields
            )
        except services.InvitationError as error:
            return render(request, "accounts/invitation_invalid.html", {"reason": error.message}, status=410)
        if signed_in is None:
            login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
        request.session[SESSION_ORGANIZATION_KEY] = membership.organization_id
        messages.success(
            request, _("Welcome to %(organization)s.") % {"organization": membership.organization}
        )
        return redirect("dashboard")
    context = {
        "invitation": invitation,
        "form": form,
        "signed_in": signed_in,
        "account_exists": account_exists,
    }
    return render(request, "accounts/invitation_accept.html", context)


@require_http_methods(["GET"])
def organization_list(request):
    if not has_global_perm(request.user, "accounts.manage_organizations"):
        raise PermissionDenied
    organizations = Paginator(Organization.objects.order_by("name"), 50).get_page(request.GET.get("page"))
    return render(request, "accounts/organization_list.html", {"page": organizations})


@require_http_methods(["GET", "POST"])
def organization_create(request):
    if not has_global_perm(request.user, "accounts.manage_organizations"):
        raise PermissionDenied
    form = OrganizationCreateForm(request.POST or None)
    if form.is_valid():
        organization, _invitation = services.organization_create(
            by=request.user, ip_address=client_ip(request), **form.cleaned_data
        )
        messages.success(request, _("The organization has been created and its administrator invited."))
        return redirect(organization)
    return render(request, "accounts/organization_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def organization_update(request, pk):
    organization = selectors.get_organization_for(request.user, pk, "accounts.manage_organizations")
    form = OrganizationForm(request.POST or None, instance=Organization.objects.get(pk=organization.pk))
    if form.is_valid():
        services.organization_update(
            organization=organization, by=request.user, ip_address=client_ip(request), **form.cleaned_data
        )
        messages.success(request, _("The organization has been saved."))
        return redirect(organization)
    return render(request, "accounts/organization_form.html", {"form": form, "organization": organization})


@require_http_methods(["GET"])
def audit_list(request):
    """Vendor admins see every event (optionally one organization's); an ADMIN their organization's."""
    if has_global_perm(request.user, "helpdesk.view_auditevent"):
        filters = AuditFilterForm(request.GET or None)
        organization = filters.cleaned_data["organization"] if filters.is_valid() else None
    else:
        filters = None
        membership = request.membership
        if not membership or not has_org_perm(
            request.user, "helpdesk.view_auditevent", membership.organization
        ):
            raise PermissionDenied
        organization = membership.organization
    events = Paginator(selectors.audit_events_for(organization), 50).get_page(request.GET.get("page"))
    context = {"page": events, "filters": filters, "organization": organization}
    return render(request, "accounts/audit_list.html", context)
