from django.contrib import admin

from ronghe.apps.audit.models import AuditEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records that change only through audited services (or never): browse, no edits."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "action", "object_repr", "actor")
    list_filter = ("action", "content_type")
    search_fields = ("object_repr", "object_id")
