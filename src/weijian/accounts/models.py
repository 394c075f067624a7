"""Personal access tokens for API clients, and the trail of account events."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class ApiToken(models.Model):
    """A personal access token (DHIS2's PAT): acts as its owner, with exactly the owner's
    scope, on the API only. The token itself is shown once; only its hash is kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name="用户",
    )
    name = models.CharField("用途", max_length=100)
    digest = models.CharField("摘要", max_length=64, unique=True)
    shown = models.CharField("标识", max_length=20)
    created_at = models.DateTimeField("创建时间")
    expires_at = models.DateTimeField("到期时间")
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)

    class Meta:
        verbose_name = "访问令牌"
        verbose_name_plural = "访问令牌"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.shown}）"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now

    @property
    def state(self) -> str:
        if self.revoked_at is not None:
            return "已撤销"
        return "有效" if self.is_usable() else "已过期"


class AccountEvent(models.Model):
    """Who did what to an account and when: tokens created and revoked, passwords changed,
    lockouts lifted. Never updated or deleted."""

    class Action(models.TextChoices):
        TOKEN_CREATED = "TOKEN_CREATED", "创建访问令牌"
        TOKEN_REVOKED = "TOKEN_REVOKED", "撤销访问令牌"
        PASSWORD_CHANGED = "PASSWORD_CHANGED", "修改密码"
        UNLOCKED = "UNLOCKED", "解除登录锁定"
        USER_CREATED = "USER_CREATED", "新建用户"
        PASSWORD_RESET = "PASSWORD_RESET", "重置密码"
        ROLE_GRANTED = "ROLE_GRANTED", "授予角色"
        ROLE_REVOKED = "ROLE_REVOKED", "撤销角色"
        USER_DEACTIVATED = "USER_DEACTIVATED", "停用用户"
        USER_ACTIVATED = "USER_ACTIVATED", "启用用户"
        USER_RENAMED = "USER_RENAMED", "修改姓名"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="账户",
    )
    username = models.CharField("用户名", max_length=150)
    action = models.CharField("操作", max_length=20, choices=Action.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="操作人",
    )
    at = models.DateTimeField("时间")
    detail = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "账户记录"
        verbose_name_plural = "账户记录"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.username} · {self.get_action_display()}"


class AccountState(models.Model):
    """Per-user flags: the forced password change, the first-use hints. A row exists only for
    users who needed one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="account_state",
        verbose_name="用户",
    )
    # Set when someone other than the user chose the password: the user must pick their own
    # at the next login before any other page opens.
    must_change_password = models.BooleanField("须修改密码", default=False)
    # The task board's first-use hints stay until the user closes them.
    hints_seen = models.BooleanField("已看过使用提示", default=False)

    class Meta:
        verbose_name = "账户状态"
        verbose_name_plural = "账户状态"

    def __str__(self) -> str:
        return f"{self.user} · {'须修改密码' if self.must_change_password else '正常'}"


class Favourite(models.Model):
    """Something a user keeps at the top of a picker (an indicator, by code). Codes, not
    foreign keys: accounts sits below the apps whose objects are favoured."""

    class Kind(models.TextChoices):
        INDICATOR = "INDICATOR", "指标"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="favourites",
        verbose_name="用户",
    )
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    code = models.CharField("编码", max_length=50)

    class Meta:
        verbose_name = "常用项"
        verbose_name_plural = "常用项"
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "code"], name="unique_favourite")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.code}"
