from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="case-list"),
    path("new/", views.case_create, name="case-create"),
    path("queue/", views.queue, name="queue"),
    path("my-work/", views.my_work, name="my-work"),
    path("availability/", views.availability, name="availability"),
    path("export/", views.case_export, name="case-export"),
    path("analysis/", views.case_analysis, name="case-analysis"),
    path("saved-searches/", views.saved_search_create, name="saved-search-create"),
    path("saved-searches/<int:pk>/delete/", views.saved_search_delete, name="saved-search-delete"),
    path("<str:reference>/", views.case_detail, name="case-detail"),
    path("<str:reference>/reply/", views.case_reply, name="case-reply"),
    path("<str:reference>/status/", views.case_status, name="case-status"),
    path("<str:reference>/assign/", views.case_assign, name="case-assign"),
    path("<str:reference>/join/", views.case_join, name="case-join"),
    path("<str:reference>/watch/", views.case_watch, name="case-watch"),
    path("<str:reference>/mute/", views.case_mute, name="case-mute"),
    path("<str:reference>/files/<int:pk>/", views.attachment_download, name="attachment-download"),
]
