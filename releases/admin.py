from django.contrib import admin

from .models import Module, Product


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
