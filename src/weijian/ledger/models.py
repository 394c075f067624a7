"""Work ledgers (台账): typed activity records with counters, attachments, the “nothing to
report” marker, and the campaign calendar (health days and a unit's recurring duties)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from weijian.orgs.models import OrgUnit

from .schema import FieldSpec, FigureSpec


class ActivityType(models.Model):
    """A kind of ledger (健康教育活动, 培训…): its fields, which are counters, and the figures
    it publishes. Built-in types come from `data/types.yaml`; offices add their own."""

    code = models.CharField("编码", max_length=20, unique=True)
    name = models.CharField("名称", max_length=60, unique=True)
    description = models.CharField("说明", max_length=300, blank=True)
    fields = models.JSONField("字段", default=list)
    figures = models.JSONField("统计项", default=list)
    checks = models.JSONField("数值关系", default=list)  # [[smaller, larger], …] counter keys
    builtin = models.BooleanField("系统内置", default=False)
    owner = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, null=True, blank=True, verbose_name="创建单位"
    )
    sort_order = models.PositiveIntegerField("排序", default=100)

    class Meta:
        verbose_name = "台账类型"
        verbose_name_plural = "台账类型"
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    def field_specs(self) -> list[FieldSpec]:
        return [FieldSpec.from_json(f) for f in self.fields]

    def figure_specs(self) -> list[FigureSpec]:
        return [FigureSpec.from_json(f) for f in self.figures]

    def check_pairs(self) -> list[tuple[str, str]]:
        return [(a, b) for a, b in self.checks]

    def counters(self) -> list[FieldSpec]:
        return [f for f in self.field_specs() if f.kind == "COUNTER"]


class Activity(models.Model):
    """One ledger record. Its month (`period_id`, from the start date) is the month its
    counts are published for."""

    type = models.ForeignKey(
        ActivityType, on_delete=models.PROTECT, related_name="activities", verbose_name="类型"
    )
    org_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="activities", verbose_name="单位"
    )
    title = models.CharField("标题", max_length=200)
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期")
    period_id = models.CharField("月份", max_length=6, db_index=True)
    values = models.JSONField("内容", default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField("登记时间")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField("修改时间")
    source = models.CharField("来源", max_length=20, default="网页")

    class Meta:
        verbose_name = "台账记录"
        verbose_name_plural = "台账记录"
        ordering = ["-start_date", "-pk"]
        indexes = [models.Index(fields=["type", "org_unit", "period_id"])]

    def __str__(self) -> str:
        return f"{self.start_date:%Y-%m-%d} {self.title}"


class Attachment(models.Model):
    """A sign-in sheet, photo or PDF kept with a record (images stored without EXIF)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attachments")
    # The default storage: $WEIJIAN_VAR_DIR/media/ledger/…; served only through a scoped view.
    file = models.FileField(upload_to="ledger/%Y/%m/", max_length=200)
    name = models.CharField("文件名", max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField("大小")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class NothingToReport(models.Model):
    """The office's statement that a register had nothing in a month (本月无投诉), so the
    month counts as kept, with zero, rather than as missing."""

    type = models.ForeignKey(ActivityType, on_delete=models.CASCADE, related_name="+")
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    period_id = models.CharField("月份", max_length=6)
    note = models.CharField("说明", max_length=200, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    set_at = models.DateTimeField()

    class Meta:
        verbose_name = "本月无记录声明"
        verbose_name_plural = "本月无记录声明"
        constraints = [
            models.UniqueConstraint(
                fields=["type", "org_unit", "period_id"], name="unique_nothing_to_report"
            )
        ]

    def __str__(self) -> str:
        return f"{self.period_id} 本月无{self.type}"


class AuditAction(models.TextChoices):
    CREATE = "CREATE", "登记"
    UPDATE = "UPDATE", "修改"
    DELETE = "DELETE", "删除"
    ATTACH = "ATTACH", "上传附件"
    DETACH = "DETACH", "删除附件"
    NOTHING = "NOTHING", "声明本月无记录"
    UNDO_NOTHING = "UNDO_NOTHING", "撤销无记录声明"


class LedgerAudit(models.Model):
    """Who changed what in the ledgers. Kept after a record is deleted (no foreign key)."""

    activity_id = models.IntegerField(null=True, db_index=True)
    type = models.ForeignKey(ActivityType, on_delete=models.CASCADE, related_name="+")
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    title = models.CharField(max_length=200)
    before = models.JSONField(null=True)
    after = models.JSONField(null=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField()
    source = models.CharField(max_length=20)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.title}"


class Frequency(models.TextChoices):
    YEARLY_DAY = "YEARLY_DAY", "每年某日"
    YEARLY_MONTH = "YEARLY_MONTH", "每年某月"
    MONTHLY = "MONTHLY", "每月"
    QUARTERLY = "QUARTERLY", "每季度"


class Campaign(models.Model):
    """A recurring health day or campaign month (for every institution when `org_unit` is
    empty) or a unit's own recurring duty. It is done for an occurrence when the unit (or a
    unit below it) recorded an activity of `activity_type` in the occurrence's window whose
    title or theme contains `keyword` (any, when empty)."""

    code = models.CharField("编码", max_length=30, unique=True)
    name = models.CharField("名称", max_length=60)
    frequency = models.CharField("周期", max_length=20, choices=Frequency.choices)
    month = models.PositiveSmallIntegerField("月", null=True, blank=True)
    day = models.PositiveSmallIntegerField("日", null=True, blank=True)
    activity_type = models.ForeignKey(
        ActivityType, on_delete=models.PROTECT, related_name="+", verbose_name="记录类型"
    )
    keyword = models.CharField("关键词", max_length=30, blank=True)
    org_unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="责任单位",
    )
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "活动日历"
        verbose_name_plural = "活动日历"
        ordering = ["month", "day", "code"]

    def __str__(self) -> str:
        return self.name
