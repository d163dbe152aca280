from django.contrib import admin

from .models import Granule, Licence, LicenceChange


class ReadOnlyAdmin(admin.ModelAdmin):
    """Licences change on the portal's pages (licensing.services), which keep the history and the audit trail:
    here they are only looked at."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class GranuleInline(admin.TabularInline):
    model = Granule
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Licence)
class LicenceAdmin(ReadOnlyAdmin):
    list_display = [
        "number",
        "organization",
        "edition",
        "valid_until",
        "support_until",
        "is_suspended",
        "is_current",
    ]
    list_filter = ["is_current", "is_suspended", "edition"]
    search_fields = ["number", "organization__name"]
    inlines = [GranuleInline]


@admin.register(LicenceChange)
class LicenceChangeAdmin(ReadOnlyAdmin):
    list_display = ["licence", "kind", "by", "created_at"]
    list_filter = ["kind"]
    search_fields = ["licence__number", "reason"]
