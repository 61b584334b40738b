from django.contrib import admin

from ronghe.apps.audit.admin import ReadOnlyAdmin
from ronghe.apps.benchmarking.models import Snapshot


@admin.register(Snapshot)
class SnapshotAdmin(ReadOnlyAdmin):
    """Read-only: the snapshot is derived data, written by approvals and ``benchmark_recompute``."""

    list_display = ("framework", "year", "rows", "seq", "generation", "updated_at")
    list_filter = ("framework", "year")
