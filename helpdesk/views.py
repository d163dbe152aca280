from datetime import timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language

from . import notifications, selectors
from .dashboard import panels_for
from .health import report as health_report
from .htmx import safe_next
from .pagination import page_of
from .permissions import is_staff


@require_GET
def dashboard(request):
    """One dashboard per kind of user; the apps fill in their panels."""
    kind = "staff" if is_staff(request.user) else "customer"
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
    """Readiness, for load balancers and monitoring: each dependency with its status and latency; 503 when
    an essential one is down (helpdesk/health.py)."""
    body, status = health_report()
    response = JsonResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    return response


@login_not_required
@require_GET
def health_live(request):
    """Liveness: the process answers. Touches no dependency, so a database outage never gets a healthy
    process restarted (and it is the floor `make bench` compares pages with)."""
    response = JsonResponse({"status": "ok"})
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def notification_list(request):
    """The user's notifications, newest first, grouped by local day; unread ones in bold."""
    page = page_of(selectors.notifications_for(request.user), request.GET.get("page"))
    today = timezone.localdate()
    context = {"page": page, "today": today, "yesterday": today - timedelta(days=1)}
    return render(request, "helpdesk/notification_list.html", context)


@require_GET
def notification_count(request):
    """The header bell alone, which htmx polls to keep its unread count fresh. Rendered without the
    request's context processors: one query, not the whole header's."""
    context = {"count": selectors.unread_notification_count(request.user)}
    return HttpResponse(render_to_string("components/_notification_bell.html", context))


@require_POST
def notification_read(request, pk):
    """Mark one of the user's notifications as read and go where it points."""
    notification = get_object_or_404(selectors.notifications_for(request.user), pk=pk)
    notifications.notification_read(notification=notification)
    target = notification.url
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("notification-list")
    return redirect(target)


@require_POST
def notification_read_all(request):
    notifications.notifications_read_all(user=request.user)
    return redirect(safe_next(request, reverse("notification-list")))
