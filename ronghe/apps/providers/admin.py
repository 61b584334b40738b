from django.contrib import admin

from ronghe.apps.audit.admin import ReadOnlyAdmin
from ronghe.apps.providers.models import Offering, Provider, ServiceRequest


@admin.register(Provider)
class ProviderAdmin(ReadOnlyAdmin):
    """Read-only: the catalogue and requests change only through the audited services."""

    list_display = ("organization", "category", "listed")
    list_filter = ("category", "listed")


@admin.register(Offering)
class OfferingAdmin(ReadOnlyAdmin):
    list_display = ("name", "provider", "kind", "nationwide", "listed")
    search_fields = ("name",)


@admin.register(ServiceRequest)
class ServiceRequestAdmin(ReadOnlyAdmin):
    list_display = ("pk", "enterprise", "provider", "offering", "state", "rating")
    list_filter = ("state",)
