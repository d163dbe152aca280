from django.contrib import admin

from .models import InstalledVersion, Module, Product, Release, ReleaseFile


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "is_active", "position"]
    list_editable = ["is_active", "position"]
    search_fields = ["code", "name"]


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin):
    list_display = ["code", "name_hr", "name_en", "product", "is_active", "position"]
    list_editable = ["is_active", "position"]
    list_filter = ["product"]
    search_fields = ["code", "name_hr", "name_en"]


class ReleaseFileInline(admin.TabularInline):
    model = ReleaseFile
    fields = ["kind", "original_name", "size", "sha256", "download_count", "uploaded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # files are uploaded on the portal's page, which hashes and scans them


@admin.register(Release)
class ReleaseAdmin(admin.ModelAdmin):
    """Releases are written and published on the portal's pages (releases.services); the admin only reads."""

    list_display = ["product", "version", "kind", "status", "released_on", "download_count"]
    list_filter = ["product", "kind", "status"]
    search_fields = ["version"]
    inlines = [ReleaseFileInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(InstalledVersion)
class InstalledVersionAdmin(admin.ModelAdmin):
    list_display = ["organization", "product", "version", "updated_at", "updated_by"]
    list_filter = ["product"]
    search_fields = ["organization__name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
