from django.contrib import admin

from helpdesk.admin import ReadOnlyAdmin

from .models import Case, Category


@admin.register(Category)
class BilingualListAdmin(admin.ModelAdmin):
    list_display = ["code", "name_hr", "name_en", "is_active", "position"]
    list_editable = ["is_active", "position"]
    search_fields = ["code", "name_hr", "name_en"]


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    """Read-only: every change to a case goes through the portal's services, which record the timeline."""

    list_display = ["reference", "title", "organization", "status", "priority", "assignee", "created_at"]
    list_filter = ["status", "priority", "category"]
    search_fields = ["reference", "title"]
    list_select_related = ["organization", "assignee"]
    exclude = ["search_vector"]
