from django.contrib import admin

from ronghe.apps.accounts.models import ApiToken, Invitation, Membership


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organization", "role")
    list_filter = ("role", "organization__kind")
    search_fields = ("user__username", "organization__name")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "name", "created_at", "last_used_at", "expires_at", "revoked_at")
    readonly_fields = ("key_sha256", "last_used_at")

    def has_add_permission(self, request):
        return False  # keys are created by `manage.py api_tokens create` or the tokens page, which show them once


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "organization", "role", "invited_by", "created_at", "accepted_at")
    readonly_fields = ("accepted_by", "accepted_at")
