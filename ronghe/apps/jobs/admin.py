from django.contrib import admin

from ronghe.apps.audit.admin import ReadOnlyAdmin
from ronghe.apps.jobs.models import Job


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "title", "kind", "owner", "status", "done", "total", "finished_at")
    list_filter = ("status", "kind")
    search_fields = ("title", "owner__username")
