"""The Django admin site of the portal: like Django's, but only for a session verified with the second
factor, and signed in through the portal's own sign-in (password, then code)."""

from urllib.parse import urlencode

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse

from . import two_factor


class VerifiedAdminSite(admin.AdminSite):
    def has_permission(self, request):
        return super().has_permission(request) and two_factor.is_verified(request)

    def login(self, request, extra_context=None):
        next_url = request.GET.get("next") or reverse("admin:index")
        if not request.user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?{urlencode({'next': next_url})}")
        if two_factor.pending_step(request):
            return redirect(two_factor.step_url(request, next_url))
        # Signed in and verified (or with no second factor and no need of one) but not allowed in.
        raise PermissionDenied
