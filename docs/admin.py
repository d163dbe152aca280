from django.contrib import admin

from .models import Document, FaqCategory, FaqEntry, NewsPost


@admin.register(FaqCategory)
class FaqCategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name_hr", "name_en", "is_active", "position"]
    list_editable = ["is_active", "position"]
    search_fields = ["code", "name_hr", "name_en"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """The knowledge base is written in the portal, whose services keep publication dates and e-mail."""

    exclude = ["search_vector"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(FaqEntry)
class FaqEntryAdmin(ReadOnlyAdmin):
    list_display = ["title_hr", "title_en", "status", "view_count", "published_at"]
    list_filter = ["status", "category", "module"]
    search_fields = ["title_hr", "title_en"]


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ["title_hr", "title_en", "kind", "product", "module", "is_restricted", "status"]
    list_filter = ["kind", "status", "is_restricted", "product", "module"]
    search_fields = ["title_hr", "title_en"]


@admin.register(NewsPost)
class NewsPostAdmin(ReadOnlyAdmin):
    list_display = ["title_hr", "title_en", "status", "publish_at", "is_restricted", "email_sent_at"]
    list_filter = ["status", "is_restricted"]
    search_fields = ["title_hr", "title_en"]
