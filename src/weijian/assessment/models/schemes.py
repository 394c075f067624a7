"""考核方案: schemes per year and assessed population, in versions (draft → published and
frozen), each a tree of dimensions and items (细则) with their scoring method and data source,
veto rules, peer groups, and the offices (考核科室) that score items by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models

from weijian.orgs.models import OrgUnit, OrgUnitGroup

from ..methods import LABELS as METHOD_LABELS
from ..methods import Method, Missing
from ..scoring import DEFAULT_GRADES, EFFECT_LABELS, Effect, Grade, Mode, Section

USER = settings.AUTH_USER_MODEL
POINTS = dict(max_digits=8, decimal_places=2)


class AssessorOffice(models.Model):
    """An office that assesses (医政科, 公卫科 of the bureau; 医务科, 护理部, 院感科 of a
    hospital). Its members score the manual items assigned to it, and only those."""

    owner = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="所属单位"
    )
    name = models.CharField("科室名称", max_length=50)
    members = models.ManyToManyField(
        USER, blank=True, related_name="assessor_offices", verbose_name="考核人员"
    )

    class Meta:
        verbose_name = "考核科室"
        verbose_name_plural = "考核科室"
        ordering = ["owner__path", "name"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="unique_assessor_office")
        ]

    def __str__(self) -> str:
        return self.name


class Cadence(models.TextChoices):
    MONTHLY = "MONTHLY", "按月"
    QUARTERLY = "QUARTERLY", "按季度"
    YEARLY = "YEARLY", "按年度"


class FigureCodes(models.TextChoices):
    """Which system figures a locked run publishes. Institutions and departments have their
    own codes: the engine counts a unit's whole subtree, so one code at two levels would add a
    hospital's score to its departments'."""

    INSTITUTION = "INSTITUTION", "机构考核（ASSESS_SCORE 等）"
    DEPARTMENT = "DEPARTMENT", "科室考核（ASSESS_DEPT_SCORE 等）"
    NONE = "NONE", "不发布"


class Scheme(models.Model):
    code = models.CharField("编码", max_length=40, unique=True)
    name = models.CharField("方案名称", max_length=200)
    owner = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="制定单位"
    )
    year = models.PositiveIntegerField("年度")
    population = models.CharField("考核对象", max_length=100)
    doc_number = models.CharField("文号", max_length=60, blank=True)
    cadence = models.CharField("考核周期", max_length=10, choices=Cadence.choices)
    units = models.ManyToManyField(OrgUnit, blank=True, related_name="+", verbose_name="考核单位")
    groups = models.ManyToManyField(
        OrgUnitGroup, blank=True, related_name="+", verbose_name="考核单位分组"
    )
    institution = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="该机构的全部科室",
    )
    figure_codes = models.CharField(
        "结果发布为", max_length=12, choices=FigureCodes.choices, default=FigureCodes.NONE
    )
    publicity_days = models.PositiveSmallIntegerField("公示天数", default=5)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "考核方案"
        verbose_name_plural = "考核方案"
        ordering = ["-year", "owner__path", "code"]

    def __str__(self) -> str:
        return self.name

    def unit_list(self) -> list[OrgUnit]:
        """Listed units ∪ members of the groups ∪ the departments of `institution`, open
        units only matter to runs (they check the period)."""
        units = {u.pk: u for u in self.units.all()}
        for group in self.groups.all():
            units.update({u.pk: u for u in group.members.all()})
        if self.institution_id:
            inst = self.institution
            children = OrgUnit.objects.filter(path__startswith=inst.path, depth=inst.depth + 1)
            units.update({u.pk: u for u in children})
        return sorted(units.values(), key=lambda u: u.path)

    def version_in_force(self, day: dt.date) -> SchemeVersion | None:
        """The latest published version in force on `day`."""
        return (
            self.versions.filter(status=VersionStatus.PUBLISHED, effective_from__lte=day)
            .order_by("-effective_from", "-number")
            .first()
        )

    def draft(self) -> SchemeVersion | None:
        return self.versions.filter(status=VersionStatus.DRAFT).order_by("-number").first()


class VersionStatus(models.TextChoices):
    DRAFT = "DRAFT", "草稿"
    PUBLISHED = "PUBLISHED", "已发布"


class SchemeVersion(models.Model):
    """One edition of a scheme. A published version is frozen: a change is a new version,
    published with a readable diff against the one before."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("版本号")
    status = models.CharField(
        "状态", max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    mode = models.CharField(
        "计分方式",
        max_length=10,
        choices=[(Mode.POINTS, "分值制"), (Mode.WEIGHTS, "权重制")],
        default=Mode.POINTS,
    )
    total_points = models.DecimalField("总分", **POINTS, default=Decimal(100))
    grades = models.JSONField("等次", default=list)
    effective_from = models.DateField("生效日期")
    note = models.TextField("修订说明", blank=True)
    diff = models.JSONField("与上一版本的差异", default=list, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "方案版本"
        verbose_name_plural = "方案版本"
        ordering = ["scheme", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "number"], name="unique_scheme_version")
        ]

    def __str__(self) -> str:
        return f"{self.scheme.name}（第{self.number}版）"

    @property
    def frozen(self) -> bool:
        return self.status == VersionStatus.PUBLISHED

    def grade_list(self) -> tuple[Grade, ...]:
        if not self.grades:
            return DEFAULT_GRADES
        return tuple(Grade(name, Decimal(str(minimum))) for name, minimum in self.grades)


class Source(models.TextChoices):
    """Where an item's figure comes from."""

    INDICATOR = "INDICATOR", "指标（分析引擎，仅计审核通过/锁定的报表）"
    INSPECTION = "INSPECTION", "督查检查得分"
    FINDINGS = "FINDINGS", "督查发现问题数"
    RECTIFICATION = "RECTIFICATION", "整改按期完成率"
    LEDGER = "LEDGER", "工作台账记录"
    SURVEY = "SURVEY", "满意度调查"
    CONTRACT = "CONTRACT", "目标责任书完成情况"
    EVIDENCE = "EVIDENCE", "资料报送"
    MANUAL = "MANUAL", "考核科室人工评分"


class Node(models.Model):
    """A dimension (维度) or an item (细则) of a version's tree; items are the leaves."""

    version = models.ForeignKey(SchemeVersion, on_delete=models.CASCADE, related_name="nodes")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    code = models.CharField("序号", max_length=20)
    name = models.CharField("考核内容", max_length=200)
    section = models.CharField(
        "类别",
        max_length=10,
        choices=[
            (Section.NORMAL, "考核项目"),
            (Section.BONUS, "加分项"),
            (Section.PENALTY, "扣分项"),
        ],
        default=Section.NORMAL,
    )
    points = models.DecimalField("分值（权重制为权重%）", **POINTS)
    standard = models.TextField("考核标准", blank=True)
    method_text = models.CharField("考核方法", max_length=300, blank=True)
    rule_text = models.TextField("评分标准", blank=True)
    source = models.CharField(
        "数据来源", max_length=15, choices=Source.choices, default=Source.MANUAL, blank=True
    )
    binding = models.JSONField("数据绑定", default=dict, blank=True)
    method = models.CharField(
        "计分方法",
        max_length=20,
        choices=[(m.value, label) for m, label in METHOD_LABELS.items()],
        default=Method.MANUAL,
        blank=True,
    )
    params = models.JSONField("计分参数", default=dict, blank=True)
    on_missing = models.CharField(
        "无数据时", max_length=10, default=Missing.ZERO,
        choices=[(Missing.ZERO, "计0分"), (Missing.FULL, "得满分"), (Missing.EXCLUDE, "不参与考核")],
    )  # fmt: skip
    on_zero_denominator = models.CharField(
        "分母为0时", max_length=10, default=Missing.EXCLUDE,
        choices=[(Missing.ZERO, "计0分"), (Missing.FULL, "得满分"), (Missing.EXCLUDE, "不参与考核")],
    )  # fmt: skip
    office = models.ForeignKey(
        AssessorOffice,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="考核科室",
    )
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "考核项目"
        verbose_name_plural = "考核项目"
        ordering = ["sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="unique_node_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Trigger(models.TextChoices):
    LEDGER = "LEDGER", "台账记录（如安全事故登记）"
    INSPECTION = "INSPECTION", "督查检查不合格（如消防检查）"
    SURVEY = "SURVEY", "满意度低于底线"
    INDICATOR = "INDICATOR", "指标越过限值"
    MANUAL = "MANUAL", "人工录入（附佐证，经审核确认）"


class VetoRule(models.Model):
    version = models.ForeignKey(SchemeVersion, on_delete=models.CASCADE, related_name="vetoes")
    code = models.CharField("编号", max_length=20)
    name = models.CharField("否决事项", max_length=200)
    trigger = models.CharField("触发方式", max_length=12, choices=Trigger.choices)
    condition = models.JSONField("触发条件", default=dict, blank=True)
    effect = models.CharField(
        "后果", max_length=15, choices=[(e.value, label) for e, label in EFFECT_LABELS.items()]
    )
    section = models.CharField("计0分的维度", max_length=20, blank=True)
    grade = models.CharField("封顶等次", max_length=20, blank=True)
    share = models.DecimalField("绩效扣减比例", max_digits=5, decimal_places=4, default=Decimal(0))
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "否决规则"
        verbose_name_plural = "否决规则"
        ordering = ["sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="unique_veto_code")]

    def __str__(self) -> str:
        return self.name

    @property
    def effect_label(self) -> str:
        label = EFFECT_LABELS.get(self.effect, self.effect)
        if self.effect == Effect.GRADE_CAP:
            return f"等次不高于{self.grade or '最低档'}"
        if self.effect == Effect.PAY_CUT:
            return f"扣减绩效 {self.share * 100:.0f}%"
        if self.effect == Effect.SECTION_ZERO:
            return f"第{self.section}项维度计0分"
        return label


class PeerGroup(models.Model):
    """Units ranked among themselves (二级医院 apart from 乡镇卫生院)."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="peer_groups")
    name = models.CharField("排名分组", max_length=50)
    units = models.ManyToManyField(OrgUnit, blank=True, related_name="+")
    group = models.ForeignKey(OrgUnitGroup, on_delete=models.PROTECT, null=True, blank=True)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "排名分组"
        verbose_name_plural = "排名分组"
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name

    def unit_ids(self) -> set[int]:
        ids = set(self.units.values_list("pk", flat=True))
        if self.group_id:
            ids |= set(self.group.members.values_list("pk", flat=True))
        return ids
