from django.contrib import admin

from ronghe.apps.frameworks.models import FrameworkVersion


@admin.register(FrameworkVersion)
class FrameworkVersionAdmin(admin.ModelAdmin):
    list_display = ("slug", "version", "title", "standard", "n_items", "placeholder", "is_active", "sha256")
    list_filter = ("is_active", "placeholder")
    readonly_fields = [f.name for f in FrameworkVersion._meta.fields]

    def has_add_permission(self, request):
        return False  # versions come from files: manage.py sync_frameworks

    def has_delete_permission(self, request, obj=None):
        return False
