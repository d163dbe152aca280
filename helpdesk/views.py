from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language


@require_GET
def dashboard(request):
    """One dashboard per kind of user; the apps fill in their panels."""
    if request.user.is_vendor_staff:
        return render(request, "helpdesk/dashboard_staff.html")
    return render(request, "helpdesk/dashboard_customer.html", {"membership": request.membership})


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
