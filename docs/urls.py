from django.urls import path

from . import views

app_name = "docs"

urlpatterns = [
    path("", views.knowledge_search, name="knowledge-search"),
    path("suggestions/", views.suggestion_list, name="suggestion-list"),
    path("report/", views.knowledge_report, name="knowledge-report"),
    path("preview/", views.markdown_preview, name="markdown-preview"),
    path("faq/", views.faq_list, name="faq-list"),
    path("faq/new/", views.faq_create, name="faq-create"),
    path("faq/from-case/<str:reference>/", views.faq_from_case, name="faq-from-case"),
    path("faq/<int:pk>/", views.faq_detail, name="faq-detail"),
    path("faq/<int:pk>/edit/", views.faq_update, name="faq-update"),
    path("faq/<int:pk>/vote/", views.faq_vote, name="faq-vote"),
    path("documents/", views.document_list, name="document-list"),
    path("documents/new/", views.document_create, name="document-create"),
    path("documents/<int:pk>/", views.document_detail, name="document-detail"),
    path("documents/<int:pk>/edit/", views.document_update, name="document-update"),
    path("documents/<int:pk>/versions/new/", views.version_create, name="version-create"),
    path("documents/<int:document_pk>/versions/<int:pk>/", views.version_detail, name="version-detail"),
    path(
        "documents/<int:document_pk>/versions/<int:pk>/file/", views.version_download, name="version-download"
    ),
    path("news/", views.news_list, name="news-list"),
    path("news/new/", views.news_create, name="news-create"),
    path("news/<int:pk>/", views.news_detail, name="news-detail"),
    path("news/<int:pk>/edit/", views.news_update, name="news-update"),
]
