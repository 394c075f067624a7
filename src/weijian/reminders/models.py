"""Where a unit's reminders go (e-mail, 企业微信 or 钉钉 group robots) and what was sent."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from weijian.orgs.models import OrgUnit


class ChannelKind(models.TextChoices):
    EMAIL = "EMAIL", "电子邮件"
    WECOM = "WECOM", "企业微信群机器人"
    DINGTALK = "DINGTALK", "钉钉群机器人"


class Channel(models.Model):
    """One way to reach a unit. A message for a unit goes to the channels of the nearest unit
    at or above it that has any (a department without its own reaches its hospital's group);
    a unit with none above it gets nothing — nothing is sent without configuration."""

    org_unit = models.ForeignKey(
        OrgUnit, on_delete=models.CASCADE, related_name="reminder_channels", verbose_name="单位"
    )
    kind = models.CharField("方式", max_length=10, choices=ChannelKind.choices)
    name = models.CharField("名称", max_length=60)
    # E-mail: addresses separated by commas; robots: the webhook address the group gives.
    target = models.CharField("接收地址", max_length=500)
    # 钉钉 robots with “加签” security: the secret (SEC…) the message is signed with.
    secret = models.CharField("加签密钥", max_length=100, blank=True)
    active = models.BooleanField("启用", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "提醒接收方式"
        verbose_name_plural = "提醒接收方式"
        ordering = ["org_unit__path", "kind", "pk"]

    def __str__(self) -> str:
        return f"{self.org_unit.name} · {self.get_kind_display()} · {self.name}"

    @property
    def shown_target(self) -> str:
        """The address without its key or token: robots' URLs are secrets."""
        if self.kind == ChannelKind.EMAIL:
            return self.target
        head, _, query = self.target.partition("?")
        return f"{head}?…" if query else head


class DeliveryStatus(models.TextChoices):
    PENDING = "PENDING", "发送中"
    SENT = "SENT", "已发送"
    FAILED = "FAILED", "发送失败"


class Delivery(models.Model):
    """One message to one channel. `key` names what it is about and when (a 催报 of one
    report on one day, one day's digest), so a resent request or a second run of the daily
    command sends nothing twice."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="deliveries")
    key = models.CharField("去重键", max_length=200)
    kind = models.CharField("类别", max_length=10)  # URGE (催报) or DIGEST (每日提醒)
    about = models.ForeignKey(
        OrgUnit, on_delete=models.CASCADE, related_name="+", verbose_name="涉及单位"
    )
    text = models.TextField("内容")
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices)
    detail = models.CharField("结果说明", max_length=300, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "提醒记录"
        verbose_name_plural = "提醒记录"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "key"], name="one_delivery_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.channel} · {self.key}"
