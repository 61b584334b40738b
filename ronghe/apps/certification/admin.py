from django.contrib import admin

from ronghe.apps.audit.admin import ReadOnlyAdmin
from ronghe.apps.certification.models import Case, Certificate, Finding, Project, Standard


@admin.register(Standard)
class StandardAdmin(ReadOnlyAdmin):
    list_display = ("code", "version", "kind", "sha256", "placeholder", "is_active")


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdmin):
    """Read-only: projects, cases, findings and certificates change only through the audited services."""

    list_display = ("title", "enterprise", "standard", "consultancy", "created_at")
    search_fields = ("title", "enterprise__name")


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ("pk", "enterprise", "body", "kind", "state", "grade", "applied_on")
    list_filter = ("state", "kind", "grade")
    search_fields = ("enterprise__name",)


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdmin):
    list_display = ("case", "number", "severity", "clause", "state")
    list_filter = ("severity", "state")


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ("number", "enterprise_name", "grade", "state", "issued_on", "valid_until", "body")
    list_filter = ("state", "grade")
    search_fields = ("number", "enterprise_name")
