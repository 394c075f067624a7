from django.contrib import admin

from .models import AccountEvent, ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Superusers see and may revoke (delete) tokens; nobody sees or sets their secret."""

    list_display = [
        "user",
        "name",
        "shown",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["revoked_at"]
    search_fields = ["user__username", "name"]
    readonly_fields = [
        "user",
        "name",
        "digest",
        "shown",
        "created_at",
        "expires_at",
        "last_used_at",
    ]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(AccountEvent)
class AccountEventAdmin(admin.ModelAdmin):
    list_display = ["at", "username", "action", "by", "detail"]
    list_filter = ["action"]
    search_fields = ["username"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
