from django.urls import path

from . import views

app_name = "licensing"

urlpatterns = [
    path("", views.licence_current, name="licence-current"),
    path("organizations/", views.licence_list, name="licence-list"),
    path("organizations/<int:organization_pk>/new/", views.licence_issue, name="licence-issue"),
    path("<int:pk>/", views.licence_detail, name="licence-detail"),
    path("<int:pk>/history/", views.licence_history, name="licence-history"),
    path("<int:pk>/edit/", views.licence_edit, name="licence-edit"),
    path("<int:pk>/suspension/", views.licence_suspension, name="licence-suspension"),
    path("<int:pk>/modules/new/", views.granule_add, name="granule-add"),
    path("<int:pk>/modules/<int:granule_pk>/edit/", views.granule_edit, name="granule-edit"),
    path("<int:pk>/modules/<int:granule_pk>/remove/", views.granule_remove, name="granule-remove"),
]
