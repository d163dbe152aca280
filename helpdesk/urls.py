from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("health/", views.health, name="health"),
    path("language/", views.language_switch, name="language-switch"),
    path("accounts/", include("accounts.urls")),
    path("cases/", include("cases.urls")),
    path("admin/", admin.site.urls),
]
