from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("health/", views.health, name="health"),
    path("health/live", views.health_live, name="health-live"),
    path("language/", views.language_switch, name="language-switch"),
    path("notifications/", views.notification_list, name="notification-list"),
    path("notifications/count/", views.notification_count, name="notification-count"),
    path("notifications/read-all/", views.notification_read_all, name="notification-read-all"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification-read"),
    path("accounts/", include("accounts.urls")),
    path("cases/", include("cases.urls")),
    path("knowledge/", include("docs.urls")),
    path("licence/", include("licensing.urls")),
    path("releases/", include("releases.urls")),
    path("billing/", include("billing.urls")),
    path("monitoring/", include("monitoring.urls")),
    path("api/", include("monitoring.urls_api")),
    path("admin/", admin.site.urls),
]

# The portal's own error pages (helpdesk/errors.py). A database that cannot be reached answers 503 with the
# outage page; any other error the portal's 500.
handler400 = "helpdesk.errors.bad_request"
handler403 = "helpdesk.errors.permission_denied"
handler404 = "helpdesk.errors.page_not_found"
handler500 = "helpdesk.errors.server_error"
