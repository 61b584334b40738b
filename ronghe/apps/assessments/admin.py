from django.contrib import admin

from ronghe.apps.assessments.models import Assessment, Score


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    """Read-only: assessments change only through the workflow, which writes the audit log."""

    list_display = ("enterprise", "year", "version", "framework", "status", "submitted_at", "reviewed_by")
    list_filter = ("status", "year", "framework")
    search_fields = ("enterprise__name", "enterprise__credit_code")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Score)
class ScoreAdmin(AssessmentAdmin):
    list_display = ("assessment", "total", "stage_label", "complete", "framework_sha256", "scored_at")
    list_filter = ("stage", "complete")
    search_fields = ("assessment__enterprise__name",)
