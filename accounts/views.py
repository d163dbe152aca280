import math

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from helpdesk import throttle
from helpdesk.pagination import page_of
from helpdesk.permissions import CURRENT_ORGANIZATION, GLOBALLY, has_global_perm, is_allowed, require_perm
from helpdesk.services import client_ip

from . import selectors, services, sessions, two_factor
from .forms import (
    AuditFilterForm,
    InvitationAcceptForm,
    InviteForm,
    LoginForm,
    MemberRolesForm,
    OrganizationCreateForm,
    OrganizationForm,
    ProfileForm,
)
from .middleware import SESSION_ORGANIZATION_KEY
from .models import Organization
from .roles import ROLE_DESCRIPTIONS, Role


class LoginView(auth_views.LoginView):
    """Sign-in. Failures for one account from one address lock that pair (django-axes, settings AXES_*);
    failures from one address over any accounts (someone trying many) block the address for a while."""

    form_class = LoginForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        failures = throttle.usage(request, "sign-in-failures", key="ip", increment=False)
        if failures and failures["count"] >= failures["limit"]:
            retry_after = max(failures["time_left"], 1)
            context = {"by_address": True, "minutes": math.ceil(retry_after / 60)}
            return throttle.too_many_requests(request, retry_after, "registration/locked_out.html", context)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        throttle.usage(self.request, "sign-in-failures", key="ip")
        return super().form_invalid(form)


class PasswordResetView(auth_views.PasswordResetView):
    success_url = reverse_lazy("accounts:password-reset-done")

    def form_valid(self, form):
        services.password_reset_request(email=form.cleaned_data["email"])
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("accounts:password-reset-complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        ip_address = client_ip(self.request)
        services.password_changed_record(user=form.user, ip_address=ip_address, through_reset=True)
        # Whoever knew the old password may be signed in somewhere: every session of the account ends.
        sessions.sessions_end(user=form.user, by=form.user, ip_address=ip_address, reason="password_reset")
        return response


@require_http_methods(["GET", "POST"])
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if form.is_valid():
        form.save()
        messages.success(request, _("Your profile has been saved."))
        return redirect("accounts:profile")
    user = request.user
    context = {
        "form": form,
        "sessions": sessions.sessions_of(user)[:50],
        "current_session_key": request.session.session_key,
        "has_authenticator": two_factor.has_authenticator(user),
        "two_factor_required": two_factor.is_required(user),
        "recovery_codes_left": two_factor.recovery_codes_left(user),
    }
    return render(request, "accounts/profile.html", context)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        old_key = self.request.session.session_key
        response = super().form_valid(form)  # keeps this session, under a new key
        sessions.session_rekeyed(old_key, self.request.session.session_key)
        user, ip_address = self.request.user, client_ip(self.request)
        services.password_changed_record(user=user, ip_address=ip_address, through_reset=False)
        sessions.sessions_end(
            user=user,
            by=user,
            ip_address=ip_address,
            keep=self.request.session.session_key,
            reason="password_change",
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
        "roles": [(role.value, role.label, ROLE_DESCRIPTIONS[role]) for role in Role],
    }
    return render(request, "accounts/member_list.html", context)


def _member_for(request, organization_pk, pk):
    organization = selectors.get_organization_for(request.user, organization_pk, "accounts.manage_members")
    return get_object_or_404(selectors.members_of(organization), pk=pk)


@require_POST
def member_role(request, organization_pk, pk):
    membership = _member_for(request, organization_pk, pk)
    form = MemberRolesForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the roles from the list."))
        return redirect("accounts:member-list", organization_pk=organization_pk)
    return _member_change(
        request,
        membership,
        lambda **who: services.member_roles_set(roles=form.cleaned_data["roles"], **who),
        _("The roles of %(name)s have been changed."),
    )


@require_POST
def member_deactivate(request, organization_pk, pk):
    membership = _member_for(request, organization_pk, pk)
    return _member_change(
        request, membership, services.member_deactivate, _("%(name)s has been deactivated.")
    )


def _member_change(request, membership, change, done: str):
    """Call the membership service; its refusal (the last ADMIN...) becomes the page's error message."""
    try:
        change(membership=membership, by=request.user, ip_address=client_ip(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if membership.user_id == request.user.pk:
            # The change ended this session too: it goes on under a new key.
            sessions.session_rotate(request)
        messages.success(request, done % {"name": membership.user})
    return redirect("accounts:member-list", organization_pk=membership.organization_id)


@login_not_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    try:
        invitation = services.invitation_for_token(token)
    except services.InvitationError as error:
        return render(request, "accounts/invitation_invalid.html", {"reason": error.message}, status=410)
    signed_in = request.user if request.user.is_authenticated else None
    # Without a session: an active account signs in first; a deactivated one comes back with a new password.
    account = None if signed_in else services.User.objects.filter(email__iexact=invitation.email).first()
    account_exists = account is not None and account.is_active
    name = account.full_name if account else invitation.full_name
    form = (
        None
        if signed_in
        else InvitationAcceptForm(request.POST or None, email=invitation.email, initial={"full_name": name})
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
        else:  # new roles: the membership service ended the person's sessions, this one goes on anew
            sessions.session_rotate(request)
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
        "account_deactivated": account is not None and not account.is_active,
    }
    return render(request, "accounts/invitation_accept.html", context)


@require_http_methods(["GET"])
@require_perm("accounts.manage_organizations", where=GLOBALLY)
def organization_list(request):
    organizations = page_of(Organization.objects.order_by("name", "pk"), request.GET.get("page"), per_page=50)
    return render(request, "accounts/organization_list.html", {"page": organizations})


@require_http_methods(["GET", "POST"])
@require_perm("accounts.manage_organizations", where=GLOBALLY)
def organization_create(request):
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


AUDIT_PERM = "helpdesk.view_auditevent"


@require_http_methods(["GET"])
@require_perm(AUDIT_PERM)
def audit_list(request):
    """Vendor admins see every event (optionally one organization's); an ADMIN their organization's. Both
    filter by person, action and dates."""
    everywhere = has_global_perm(request.user, AUDIT_PERM)
    if not everywhere and not is_allowed(request, AUDIT_PERM, CURRENT_ORGANIZATION):
        raise PermissionDenied  # an ADMIN of another organization than the one they work in now
    filters = AuditFilterForm(request.GET, organizations=everywhere)
    valid = filters.is_valid()
    if everywhere:
        organization = filters.cleaned_data.get("organization") if valid else None
    else:
        organization = request.membership.organization
    events = selectors.audit_events_for(organization)
    events = selectors.audit_events_filter(events, filters.cleaned_data) if valid else events.none()
    page = page_of(events, request.GET.get("page"), per_page=50)
    selectors.audit_role_labels_add(page)
    context = {"page": page, "filters": filters, "organization": organization}
    return render(request, "accounts/audit_list.html", context)
