from django.contrib import admin

from ronghe.apps.audit.admin import ReadOnlyAdmin
from ronghe.apps.registrations.models import Registration


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    """Read-only: registrations are decided through the audited services (pages, API)."""

    list_display = ("name", "credit_code", "region", "state", "authority", "created_at")
    list_filter = ("state",)
    search_fields = ("name", "credit_code")
