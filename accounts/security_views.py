"""The second factor (set-up, the code after the password, recovery codes) and the user's own sessions:
the pages of accounts.two_factor and accounts.sessions."""

import math

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp.plugins.otp_static.models import StaticDevice

from helpdesk import throttle
from helpdesk.htmx import safe_next
from helpdesk.services import client_ip

from . import sessions, two_factor
from .forms import AuthenticatorConfirmForm, SecondFactorForm


def _next(request) -> str:
    return safe_next(request, reverse(settings.LOGIN_REDIRECT_URL))


@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    """The second step of signing in: a code from the authenticator app, or a recovery code."""
    next_url = _next(request)
    if two_factor.pending_step(request) != two_factor.VERIFY:
        return redirect(next_url)
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST":
        failures = throttle.usage(request, "second-factor-failures", increment=False)
        if failures and failures["count"] >= failures["limit"]:
            retry_after = max(failures["time_left"], 1)
            context = {"form": form, "next": next_url, "locked_minutes": math.ceil(retry_after / 60)}
            return throttle.too_many_requests(
                request, retry_after, "accounts/two_factor_verify.html", context
            )
        device = form.is_valid() and two_factor.verify(
            user=request.user, code=form.cleaned_data["code"], ip_address=client_ip(request)
        )
        if device:
            two_factor.mark_verified(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                message = ngettext(
                    "Signed in with a recovery code: %(left)s is left. Make new ones on your profile page.",
                    "Signed in with a recovery code: %(left)s are left. Make new ones on your profile page.",
                    left,
                )
                messages.warning(request, message % {"left": left})
            return redirect(next_url)
        throttle.usage(request, "second-factor-failures")
        if form.is_valid():
            form.add_error("code", _("This code is not correct. Try the newest code of your app."))
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": next_url})


@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    """Set up an authenticator app (or replace one): scan the QR code or type the secret, confirm a code,
    then see the recovery codes once."""
    device = two_factor.setup_device(request.user)
    form = AuthenticatorConfirmForm(request.POST or None)
    next_url = _next(request)
    if form.is_valid():
        try:
            codes = two_factor.setup_confirm(
                user=request.user,
                device=device,
                code=form.cleaned_data["code"],
                ip_address=client_ip(request),
            )
        except ValidationError as error:
            form.add_error("code", error)
        else:
            two_factor.mark_verified(request, device)
            context = {"codes": codes, "next": next_url, "first_time": True}
            return render(request, "accounts/recovery_codes.html", context)
    context = {
        "form": form,
        "next": next_url,
        "qr_svg": two_factor.qr_svg(device),
        "secret": two_factor.secret_text(device),
        "replacing": two_factor.has_authenticator(request.user),
        "required": two_factor.pending_step(request) == two_factor.SETUP,
    }
    return render(request, "accounts/two_factor_setup.html", context)


@require_POST
def recovery_codes_regenerate(request):
    try:
        codes = two_factor.recovery_codes_regenerate(user=request.user, ip_address=client_ip(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("accounts:profile")
    context = {"codes": codes, "next": reverse("accounts:profile"), "first_time": False}
    return render(request, "accounts/recovery_codes.html", context)


@require_POST
def two_factor_disable(request):
    try:
        two_factor.disable(user=request.user, ip_address=client_ip(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Two-factor sign-in is off."))
    return redirect("accounts:profile")


@require_POST
def session_end(request, pk):
    """End one of the user's other sessions (their current one ends with "Sign out")."""
    row = sessions.sessions_of(request.user).filter(pk=pk).exclude(session_key=request.session.session_key)
    key = row.values_list("session_key", flat=True).first()
    if key is None:
        raise Http404
    sessions.sessions_end(user=request.user, by=request.user, ip_address=client_ip(request), only=[key])
    messages.success(request, _("The session has been ended."))
    return redirect("accounts:profile")


@require_POST
def sessions_end_others(request):
    ended = sessions.sessions_end(
        user=request.user, by=request.user, ip_address=client_ip(request), keep=request.session.session_key
    )
    messages.success(request, _("Other sessions ended: %(count)s.") % {"count": ended})
    return redirect("accounts:profile")


def _seconds_left(request) -> JsonResponse:
    seconds = getattr(request, "session_seconds_left", 0) if request.user.is_authenticated else 0
    return JsonResponse({"seconds_left": seconds}, headers={"Cache-Control": "no-store"})


@require_GET
def session_status(request):
    """Seconds until the idle timeout; the page asks before it warns (other tabs may have been used). Sent
    with the background header, it does not count as activity."""
    return _seconds_left(request)


@require_POST
def session_ping(request):
    """The warning's "Stay signed in": the session's activity is noted now, even within the minute."""
    sessions.session_touch(request)
    request.session_seconds_left = sessions.idle_seconds_left(request)
    return _seconds_left(request)
