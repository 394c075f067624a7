"""考核 runs: one scheme version applied to its units for one period, through the workflow
collect → 自评 → 初评 → 复核 → 公示 (with 申诉 and rulings) → 定稿, with every result's
explanation, every manual score and override audited, and each recomputation's changes."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from weijian import periods
from weijian.orgs.models import OrgUnit

from ..methods import Status as ItemStatus
from .schemes import Node, Scheme, SchemeVersion, VetoRule

USER = settings.AUTH_USER_MODEL
POINTS = dict(max_digits=8, decimal_places=2)
FIGURE = dict(max_digits=20, decimal_places=6)


class Stage(models.TextChoices):
    COLLECT = "COLLECT", "数据采集"
    SELF = "SELF", "单位自评"
    INITIAL = "INITIAL", "科室初评"
    REVIEW = "REVIEW", "复核"
    PUBLICITY = "PUBLICITY", "公示"
    FINAL = "FINAL", "定稿"


STAGE_ORDER = [Stage.COLLECT, Stage.SELF, Stage.INITIAL, Stage.REVIEW, Stage.PUBLICITY, Stage.FINAL]


class Run(models.Model):
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="runs")
    version = models.ForeignKey(SchemeVersion, on_delete=models.PROTECT, related_name="runs")
    period = models.CharField("考核期间", max_length=10)
    stage = models.CharField("环节", max_length=10, choices=Stage.choices, default=Stage.COLLECT)
    publicity_start = models.DateField("公示开始", null=True, blank=True)
    publicity_end = models.DateField("公示截止", null=True, blank=True)
    computations = models.PositiveIntegerField("计算次数", default=0)
    computed_at = models.DateTimeField("最近计算", null=True, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    locked_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    locked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "考核"
        verbose_name_plural = "考核"
        ordering = ["-period", "scheme__code"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "period"], name="unique_run_period")
        ]

    def __str__(self) -> str:
        return f"{self.scheme.name} {self.period_label}"

    @property
    def period_label(self) -> str:
        """“2026年3月”, not the period's code “202603”, on every page."""
        try:
            return periods.parse(self.period).label
        except periods.PeriodError:  # never stored: runs are started on parsed periods
            return self.period

    @property
    def locked(self) -> bool:
        return self.stage == Stage.FINAL


class UnitResult(models.Model):
    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="results")
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    base = models.DecimalField("基本分", **POINTS, null=True)
    bonus = models.DecimalField("加分", **POINTS, default=0)
    penalty = models.DecimalField("扣分", **POINTS, default=0)
    total = models.DecimalField("总分", **POINTS, null=True)
    grade = models.CharField("等次", max_length=20, blank=True)
    rank = models.PositiveIntegerField("名次", null=True)
    rank_size = models.PositiveIntegerField("参与排名单位数", null=True)
    peer_group = models.CharField("排名分组", max_length=50, blank=True)
    vetoed = models.BooleanField("一票否决", default=False)
    honours_revoked = models.BooleanField("取消评先评优", default=False)
    pay_cut = models.DecimalField("绩效扣减比例", max_digits=5, decimal_places=4, default=0)
    notes = models.JSONField("说明", default=list, blank=True)
    pending = models.PositiveIntegerField("待评分项目数", default=0)
    self_total = models.DecimalField("自评分", **POINTS, null=True, blank=True)

    class Meta:
        verbose_name = "考核结果"
        verbose_name_plural = "考核结果"
        ordering = ["run", "rank", "org_unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["run", "org_unit"], name="unique_unit_result")
        ]

    def __str__(self) -> str:
        return f"{self.org_unit} {self.total}"


class ItemResult(models.Model):
    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="items")
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    node = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField("数值", **FIGURE, null=True, blank=True)
    measure = models.TextField("数据说明", blank=True)
    computed = models.DecimalField("计算得分", **POINTS, null=True, blank=True)
    earned = models.DecimalField("得分", **POINTS, null=True, blank=True)
    status = models.CharField(
        "状态",
        max_length=20,
        choices=[
            (ItemStatus.SCORED, "已计分"),
            (ItemStatus.MISSING, "无数据"),
            (ItemStatus.ZERO_DENOMINATOR, "分母为0"),
            (ItemStatus.PENDING, "待评分"),
        ],
        default=ItemStatus.SCORED,
    )
    explanation = models.TextField("计分说明", blank=True)
    self_score = models.DecimalField("自评分", **POINTS, null=True, blank=True)
    self_note = models.CharField("自评说明", max_length=300, blank=True)
    manual_score = models.DecimalField("评分", **POINTS, null=True, blank=True)
    manual_reason = models.CharField("评分理由", max_length=300, blank=True)
    scored_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    scored_at = models.DateTimeField(null=True, blank=True)
    override_score = models.DecimalField("复核调整后得分", **POINTS, null=True, blank=True)
    override_reason = models.CharField("调整理由", max_length=300, blank=True)
    override_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    override_at = models.DateTimeField(null=True, blank=True)
    # The rectification notice this deduction raised (at most one per item and unit).
    notice = models.ForeignKey(
        "inspections.RectificationNotice",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "项目得分"
        verbose_name_plural = "项目得分"
        constraints = [
            models.UniqueConstraint(fields=["run", "org_unit", "node"], name="unique_item_result")
        ]
        indexes = [models.Index(fields=["run", "org_unit"])]

    def __str__(self) -> str:
        return f"{self.node} {self.earned}"

    @property
    def lost(self):
        if self.earned is None or self.node.section != "normal":
            return None
        return self.node.points - self.earned


class HitStatus(models.TextChoices):
    TRIGGERED = "TRIGGERED", "数据触发"
    PROPOSED = "PROPOSED", "待确认"
    APPROVED = "APPROVED", "已确认"
    REJECTED = "REJECTED", "不予认定"


ACTIVE_HITS = (HitStatus.TRIGGERED, HitStatus.APPROVED)


class VetoHit(models.Model):
    """A veto rule that applies to one unit: triggered by the data (refreshed by every
    computation) or entered by hand with evidence and then approved by another person."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="hits")
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    rule = models.ForeignKey(VetoRule, on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=10, choices=HitStatus.choices)
    evidence = models.TextField("事实与依据")
    proposed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    proposed_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField("审核意见", max_length=300, blank=True)

    class Meta:
        verbose_name = "一票否决"
        verbose_name_plural = "一票否决"
        ordering = ["run", "org_unit__path", "rule__sort_order"]

    def __str__(self) -> str:
        return f"{self.org_unit} {self.rule}"


class AppealStatus(models.TextChoices):
    OPEN = "OPEN", "待裁定"
    UPHELD = "UPHELD", "申诉成立"
    DISMISSED = "DISMISSED", "维持原评分"


class Appeal(models.Model):
    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="appeals")
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    node = models.ForeignKey(
        Node, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = models.TextField("申诉理由")
    filed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField()
    status = models.CharField(
        "状态", max_length=10, choices=AppealStatus.choices, default=AppealStatus.OPEN
    )
    ruling = models.TextField("裁定意见", blank=True)
    old_score = models.DecimalField("原得分", **POINTS, null=True, blank=True)
    new_score = models.DecimalField("裁定后得分", **POINTS, null=True, blank=True)
    ruled_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    ruled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "申诉"
        verbose_name_plural = "申诉"
        ordering = ["-filed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.org_unit} {self.get_status_display()}"


class Evidence(models.Model):
    """A file a unit hands in for an item (资料报送): its upload day counts for the window."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="evidence")
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    node = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to="assessment/%Y/%m/", max_length=200)
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小")
    uploaded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()

    class Meta:
        verbose_name = "报送资料"
        verbose_name_plural = "报送资料"
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class Computation(models.Model):
    """One (re)computation of a run and what it changed against the one before."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="history")
    number = models.PositiveIntegerField()
    at = models.DateTimeField()
    by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", null=True)
    changes = models.JSONField("变化", default=list)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["run", "number"], name="unique_computation_number")
        ]

    def __str__(self) -> str:
        return f"第{self.number}次计算"


class RunEvent(models.Model):
    """The audit trail of a run: stage changes, manual scores, overrides, vetoes, appeals."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", null=True)
    action = models.CharField("操作", max_length=30)
    org_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    node = models.ForeignKey(
        Node, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    before = models.CharField("原值", max_length=100, blank=True)
    after = models.CharField("新值", max_length=100, blank=True)
    reason = models.TextField("说明", blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"


class SchemeEvent(models.Model):
    """The audit trail of schemes: created, items changed, imported, published."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="events")
    version = models.ForeignKey(
        SchemeVersion, on_delete=models.CASCADE, null=True, related_name="+"
    )
    at = models.DateTimeField()
    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", null=True)
    action = models.CharField("操作", max_length=30)
    detail = models.TextField("说明", blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"
