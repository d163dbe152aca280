from django.urls import path

from . import views

app_name = "monitoring"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("installations/new/", views.installation_create, name="installation-create"),
    path("installations/<int:pk>/", views.installation_detail, name="installation"),
    path("installations/<int:pk>/tokens/", views.token_create, name="token-create"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
    path("checks/<int:pk>/", views.check_history, name="check-history"),
]
