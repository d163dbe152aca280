from django.urls import path

from . import views

app_name = "releases"

urlpatterns = [
    path("", views.release_list, name="release-list"),
    path("new/", views.release_create, name="release-create"),
    path("installed/", views.installed_list, name="installed-list"),
    path("products/<slug:code>/changes/", views.release_changes, name="release-changes"),
    path("<int:pk>/", views.release_detail, name="release-detail"),
    path("<int:pk>/edit/", views.release_update, name="release-update"),
    path("<int:pk>/publish/", views.release_publish, name="release-publish"),
    path("<int:pk>/files/new/", views.file_create, name="file-create"),
    path("files/<int:pk>/download/", views.file_download, name="file-download"),
]
