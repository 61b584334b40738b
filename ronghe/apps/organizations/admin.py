from django.contrib import admin

from ronghe.apps.organizations.models import AccessGrant, Industry, Organization, Region


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "credit_code", "region", "industry", "size")
    list_filter = ("kind", "size")
    search_fields = ("name", "credit_code")
    autocomplete_fields = ("region", "industry")


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")


@admin.register(Industry)
class IndustryAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "section")
    search_fields = ("code", "name")


@admin.register(AccessGrant)
class AccessGrantAdmin(admin.ModelAdmin):
    list_display = ("enterprise", "consultancy", "granted_by", "created_at", "revoked_at")
