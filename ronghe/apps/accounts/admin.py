from django.contrib import admin

from ronghe.apps.accounts.models import Membership


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organization", "role")
    list_filter = ("role", "organization__kind")
    search_fields = ("user__username", "organization__name")
