from django.contrib import admin

from .models import AuditEvent, Notification


class ReadOnlyAdmin(admin.ModelAdmin):
    """For rows that only the portal's services write (they record what happened): shown, never edited."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit trail is immutable, in the admin too."""

    list_display = ["created_at", "action", "actor", "organization", "target_repr", "ip_address"]
    list_filter = ["action"]
    search_fields = ["target_repr", "actor__email"]
    list_select_related = ["actor", "organization"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "verb", "title", "read_at"]
    list_filter = ["verb"]
    search_fields = ["recipient__email", "title"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient"]
