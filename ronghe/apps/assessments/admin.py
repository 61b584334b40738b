from django.contrib import admin

from ronghe.apps.assessments.models import Assessment, Score
from ronghe.apps.audit.admin import ReadOnlyAdmin


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    """Read-only: assessments change only through the workflow, which writes the audit log."""

    list_display = ("enterprise", "year", "version", "framework", "status", "submitted_at", "reviewed_by")
    list_filter = ("status", "year", "framework")
    search_fields = ("enterprise__name", "enterprise__credit_code")


@admin.register(Score)
class ScoreAdmin(ReadOnlyAdmin):
    list_display = ("assessment", "total", "stage_label", "complete", "framework_sha256", "scored_at")
    list_filter = ("stage", "complete")
    search_fields = ("assessment__enterprise__name",)
