from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language

from .dashboard import panels_for


@require_GET
def dashboard(request):
    """One dashboard per kind of user; the apps fill in their panels."""
    kind = "staff" if request.user.is_vendor_staff else "customer"
    context = {"membership": request.membership, "panels": panels_for(request, kind)}
    return render(request, f"helpdesk/dashboard_{kind}.html", context)


@login_not_required
@require_POST
def language_switch(request):
    """Django's set_language, which also remembers the choice in a signed-in user's profile."""
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        request.user.language = language
        request.user.save(update_fields=["language"])
    return set_language(request)


@login_not_required
@require_GET
def health(request):
    """For load balancers and the smoke test: the process answers and reaches its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
