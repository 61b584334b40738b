from django.contrib import admin

from ronghe.apps.audit.admin import ReadOnlyAdmin
from ronghe.apps.programs.models import Assignment, Call, Declaration, Expert


@admin.register(Call)
class CallAdmin(ReadOnlyAdmin):
    """Read-only: calls, declarations and score sheets change only through the audited services."""

    list_display = ("title", "owner", "program", "year", "state", "declare_until")
    list_filter = ("state", "program", "year")
    search_fields = ("title",)


@admin.register(Declaration)
class DeclarationAdmin(ReadOnlyAdmin):
    list_display = ("title", "enterprise", "call", "state", "at_authority", "average", "rank")
    list_filter = ("state",)
    search_fields = ("title", "enterprise__name")


@admin.register(Expert)
class ExpertAdmin(ReadOnlyAdmin):
    list_display = ("name", "authority", "affiliation", "region", "active")
    search_fields = ("name", "affiliation")


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ("declaration", "expert", "excluded", "submitted_at")
    list_filter = ("excluded",)
