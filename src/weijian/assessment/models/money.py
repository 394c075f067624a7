"""The money: pools (绩效工资总量, 奖励性绩效, 公卫项目资金, 专项) split by a run's scores, with
预拨 and 结算 for public-health money, and 二次分配 of a department's share to its staff."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from weijian.orgs.models import OrgUnit

from ..allocation import BASIS_LABELS, VetoPolicy
from .runs import Run

USER = settings.AUTH_USER_MODEL
MONEY = dict(max_digits=14, decimal_places=2)


class PoolKind(models.TextChoices):
    PERFORMANCE = "PERFORMANCE", "绩效工资总量"
    INCENTIVE = "INCENTIVE", "奖励性绩效"
    PUBLIC_HEALTH = "PUBLIC_HEALTH", "基本公卫项目资金"
    SPECIAL = "SPECIAL", "专项资金"


class PoolStatus(models.TextChoices):
    DRAFT = "DRAFT", "草拟"
    ADVANCED = "ADVANCED", "已预拨"
    CALCULATED = "CALCULATED", "已测算"
    APPROVED = "APPROVED", "已审定"
    POSTED = "POSTED", "已发放"


class Pool(models.Model):
    name = models.CharField("资金名称", max_length=200)
    kind = models.CharField("资金类别", max_length=15, choices=PoolKind.choices)
    owner = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="所属单位"
    )
    run = models.ForeignKey(
        Run, on_delete=models.PROTECT, related_name="pools", verbose_name="依据考核"
    )
    amount = models.DecimalField("资金总额（元）", **MONEY)
    basis = models.CharField(
        "分配方法", max_length=20, choices=[(b.value, label) for b, label in BASIS_LABELS.items()]
    )
    base_label = models.CharField("基数名称", max_length=30, blank=True)  # 人数, 服务人口, 工分…
    bases = models.JSONField("各单位基数", default=dict, blank=True)  # unit code → "123.5"
    grade_coefficients = models.JSONField("等次系数", default=dict, blank=True)
    quality_threshold = models.DecimalField(
        "质量系数门槛分", max_digits=6, decimal_places=2, default=Decimal(0)
    )
    floor_ratio = models.DecimalField(
        "保底（人均的倍数）", max_digits=6, decimal_places=3, null=True, blank=True
    )
    cap_ratio = models.DecimalField(
        "封顶（人均的倍数）", max_digits=6, decimal_places=3, null=True, blank=True
    )
    veto_policy = models.CharField(
        "否决扣减的金额",
        max_length=15,
        choices=[(VetoPolicy.REDISTRIBUTE, "由其他单位分享"), (VetoPolicy.RETURN, "收回")],
        default=VetoPolicy.REDISTRIBUTE,
    )
    advance_ratio = models.DecimalField(
        "预拨比例", max_digits=5, decimal_places=4, null=True, blank=True
    )
    advanced_total = models.DecimalField("预拨总额", **MONEY, null=True, blank=True)
    returned = models.DecimalField("结余（未分配）", **MONEY, default=0)
    point_value = models.DecimalField(
        "点值", max_digits=20, decimal_places=6, null=True, blank=True
    )
    status = models.CharField(
        "状态", max_length=12, choices=PoolStatus.choices, default=PoolStatus.DRAFT
    )
    notes = models.JSONField("说明", default=list, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    posted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "绩效资金"
        verbose_name_plural = "绩效资金"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class PoolShare(models.Model):
    pool = models.ForeignKey(Pool, on_delete=models.CASCADE, related_name="shares")
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField("考核得分", max_digits=8, decimal_places=2, null=True)
    grade = models.CharField("等次", max_length=20, blank=True)
    base = models.DecimalField("基数", max_digits=20, decimal_places=6, null=True)
    weight = models.DecimalField("分配权重", max_digits=24, decimal_places=6, default=0)
    amount = models.DecimalField("应发金额", **MONEY, default=0)
    advanced = models.DecimalField("预拨金额", **MONEY, null=True, blank=True)
    balance = models.DecimalField("结算差额", **MONEY, null=True, blank=True)
    withheld = models.DecimalField("否决扣减", **MONEY, default=0)
    at_floor = models.BooleanField("按保底", default=False)
    at_cap = models.BooleanField("按封顶", default=False)
    explanation = models.TextField("计算说明", blank=True)

    class Meta:
        verbose_name = "分配结果"
        verbose_name_plural = "分配结果"
        ordering = ["pool", "org_unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["pool", "org_unit"], name="unique_pool_share")
        ]

    def __str__(self) -> str:
        return f"{self.org_unit} {self.amount}"


class DistributionStatus(models.TextChoices):
    PROPOSED = "PROPOSED", "科室已提交"
    RETURNED = "RETURNED", "财务退回"
    APPROVED = "APPROVED", "财务已审核"
    POSTED = "POSTED", "已发放"


class StaffDistribution(models.Model):
    """二次分配: a department's share to its staff by 岗位/职称系数 × 工分, within bounds,
    proposed by the department, approved by finance, posted."""

    share = models.OneToOneField(PoolShare, on_delete=models.CASCADE, related_name="distribution")
    floor_ratio = models.DecimalField(
        "个人保底（人均的倍数）", max_digits=6, decimal_places=3, null=True, blank=True
    )
    cap_ratio = models.DecimalField(
        "个人封顶（人均的倍数）", max_digits=6, decimal_places=3, null=True, blank=True
    )
    status = models.CharField(
        "状态",
        max_length=10,
        choices=DistributionStatus.choices,
        default=DistributionStatus.PROPOSED,
    )
    proposed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField("审核意见", max_length=300, blank=True)
    posted_at = models.DateTimeField(null=True, blank=True)
    point_value = models.DecimalField(
        "点值", max_digits=20, decimal_places=6, null=True, blank=True
    )

    class Meta:
        verbose_name = "二次分配"
        verbose_name_plural = "二次分配"

    def __str__(self) -> str:
        return f"{self.share.org_unit} 二次分配"


class StaffLine(models.Model):
    distribution = models.ForeignKey(
        StaffDistribution, on_delete=models.CASCADE, related_name="lines"
    )
    name = models.CharField("姓名", max_length=30)
    post = models.CharField("岗位", max_length=30, blank=True)
    title = models.CharField("职称", max_length=30, blank=True)
    coefficient = models.DecimalField("岗位/职称系数", max_digits=6, decimal_places=3)
    points = models.DecimalField("工作量（工分）", max_digits=12, decimal_places=2)
    amount = models.DecimalField("金额", **MONEY, default=0)
    at_floor = models.BooleanField(default=False)
    at_cap = models.BooleanField(default=False)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return f"{self.name} {self.amount}"
