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


# Users created in the Django admin get the same treatment as those made on 人员与角色: the
# password the superuser typed is temporary and must be changed at the first login.
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.admin import UserAdmin  # noqa: E402

User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class WeijianUserAdmin(UserAdmin):
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            from .actions import _event, _set_must_change

            _set_must_change(obj, True)
            _event(obj, AccountEvent.Action.USER_CREATED, request.user, "系统管理")
