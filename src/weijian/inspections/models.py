"""Inspections (督查): checklist templates (考评表) in versions, plans, inspections with their
item scores and photos, and rectification notices (整改通知书) followed to closure."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from weijian.orgs.models import OrgUnit, OrgUnitGroup

from .scoring import ItemRule, Kind

USER = settings.AUTH_USER_MODEL
POINTS = dict(max_digits=7, decimal_places=2)


class AppliesTo(models.TextChoices):
    DEPARTMENT = "department", "科室"
    INSTITUTION = "institution", "机构"


class ItemKind(models.TextChoices):
    DEDUCT = Kind.DEDUCT, "扣分"
    PASSFAIL = Kind.PASSFAIL, "达标/不达标"
    GRADED = Kind.GRADED, "分档"
    VETO = Kind.VETO, "一票否决"


class ChecklistTemplate(models.Model):
    code = models.CharField("编码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=200)
    category = models.CharField("类别", max_length=40, blank=True)
    issuer = models.CharField("常用检查科室", max_length=100, blank=True)
    applies_to = models.CharField(
        "检查对象", max_length=20, choices=AppliesTo.choices, default=AppliesTo.DEPARTMENT
    )
    # Who may edit it: an office's own checklist belongs to the unit that imported it; the
    # built-in ones (no owner) are the district's, edited only by the bureau's managers.
    owner = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="所属单位",
    )

    class Meta:
        verbose_name = "考评表"
        verbose_name_plural = "考评表"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def current_version(self) -> TemplateVersion | None:
        return self.versions.order_by("-created_at", "-id").first()

    @property
    def notice_word(self) -> str:
        """The word of the notice number: 院感 → 院感整改〔2026〕12号."""
        return f"{self.category}整改" if self.category else "整改"


class TemplateVersion(models.Model):
    """One edition of a template. Inspections point at the version they used; a version in
    use is never edited (a new version is made instead)."""

    template = models.ForeignKey(
        ChecklistTemplate, on_delete=models.CASCADE, related_name="versions"
    )
    label = models.CharField("版本", max_length=40)
    total_points = models.DecimalField("总分", **POINTS, default=Decimal(100))
    pass_score = models.DecimalField("合格线", **POINTS, null=True, blank=True)
    citation = models.TextField("依据", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "考评表版本"
        verbose_name_plural = "考评表版本"
        constraints = [
            models.UniqueConstraint(fields=["template", "label"], name="unique_template_version")
        ]

    def __str__(self) -> str:
        return f"{self.template.name}（{self.label}版）"

    def in_use(self) -> bool:
        return self.inspections.exists()


class Section(models.Model):
    version = models.ForeignKey(TemplateVersion, on_delete=models.CASCADE, related_name="sections")
    name = models.CharField("项目", max_length=200)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name


class Item(models.Model):
    version = models.ForeignKey(TemplateVersion, on_delete=models.CASCADE, related_name="items")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="items")
    code = models.CharField("序号", max_length=20)
    content = models.CharField("工作内容", max_length=300)
    requirement = models.TextField("工作要求", blank=True)
    method = models.CharField("考核方法", max_length=200, blank=True)
    rule = models.TextField("评分标准", blank=True)
    points = models.DecimalField("分值", **POINTS)
    kind = models.CharField("计分方式", max_length=10, choices=ItemKind.choices)
    per_occurrence = models.DecimalField("每处扣分", **POINTS, null=True, blank=True)
    cap = models.DecimalField("扣分上限", **POINTS, null=True, blank=True)
    grades = models.JSONField("分档", default=list, blank=True)
    na_allowed = models.BooleanField("可不适用", default=False)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="unique_item_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.content}"

    def as_rule(self) -> ItemRule:
        return ItemRule(
            code=self.code,
            name=self.content,
            points=self.points,
            kind=self.kind,
            per_occurrence=self.per_occurrence,
            cap=self.cap,
            grades=tuple(Decimal(str(g)) for g in self.grades or ()),
            na_allowed=self.na_allowed,
        )


class Schedule(models.TextChoices):
    DAILY = "DAILY", "每日"
    WEEKLY = "WEEKLY", "每周"
    MONTHLY = "MONTHLY", "每月"
    QUARTERLY = "QUARTERLY", "每季度"
    DATES = "DATES", "指定日期"
    AD_HOC = "AD_HOC", "不定期"


class InspectionPlan(models.Model):
    """Which template, which units, who inspects and when. The units are the union of the
    listed units, the members of `group`, and the departments of `institution`."""

    name = models.CharField("计划名称", max_length=200)
    template = models.ForeignKey(ChecklistTemplate, on_delete=models.PROTECT, related_name="plans")
    issuer_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="检查单位"
    )
    units = models.ManyToManyField(OrgUnit, blank=True, related_name="+", verbose_name="受检单位")
    group = models.ForeignKey(
        OrgUnitGroup, on_delete=models.PROTECT, null=True, blank=True, verbose_name="受检分组"
    )
    institution = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="该机构的全部科室",
    )
    inspectors = models.ManyToManyField(
        USER, related_name="inspection_plans", verbose_name="检查组"
    )
    schedule = models.CharField("频次", max_length=10, choices=Schedule.choices)
    dates = models.JSONField("指定日期", default=list, blank=True)
    start = models.DateField("开始日期")
    end = models.DateField("结束日期")
    active = models.BooleanField("启用", default=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", null=True)

    class Meta:
        verbose_name = "检查计划"
        verbose_name_plural = "检查计划"
        ordering = ["-start", "name"]

    def __str__(self) -> str:
        return self.name

    def unit_list(self) -> list[OrgUnit]:
        """The plan's units: listed ∪ the group's members ∪ the institution's departments."""
        units = {u.pk: u for u in self.units.all()}
        if self.group_id:
            units.update({u.pk: u for u in self.group.members.all()})
        if self.institution_id:
            inst = self.institution
            children = OrgUnit.objects.filter(path__startswith=inst.path, depth=inst.depth + 1)
            units.update({u.pk: u for u in children})
        return sorted(units.values(), key=lambda u: u.path)


class InspectionStatus(models.TextChoices):
    DRAFT = "DRAFT", "检查中"
    SUBMITTED = "SUBMITTED", "已提交"
    REOPENED = "REOPENED", "已退回修改"


EDITABLE = (InspectionStatus.DRAFT, InspectionStatus.REOPENED)


class Inspection(models.Model):
    plan = models.ForeignKey(
        InspectionPlan, on_delete=models.SET_NULL, null=True, blank=True, related_name="inspections"
    )
    version = models.ForeignKey(
        TemplateVersion, on_delete=models.PROTECT, related_name="inspections"
    )
    org_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="inspections", verbose_name="受检单位"
    )
    issuer_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="检查单位"
    )
    date = models.DateField("检查日期")
    inspectors = models.ManyToManyField(USER, related_name="inspections", verbose_name="检查人员")
    present = models.CharField("受检科室在场人员", max_length=300, blank=True)
    status = models.CharField(
        max_length=10, choices=InspectionStatus.choices, default=InspectionStatus.DRAFT
    )
    score = models.DecimalField("得分", **POINTS, null=True, blank=True)
    passed = models.BooleanField("合格", null=True)
    vetoed = models.BooleanField("一票否决", default=False)
    findings = models.PositiveIntegerField("发现问题数", default=0)
    summary = models.TextField("检查意见", blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "检查"
        verbose_name_plural = "检查"
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["org_unit", "date"]), models.Index(fields=["date"])]

    def __str__(self) -> str:
        return f"{self.org_unit} {self.date} {self.version.template.name}"

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE


class ItemScore(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    na = models.BooleanField("不适用", default=False)
    occurrences = models.PositiveIntegerField("问题处数", null=True, blank=True)
    score = models.DecimalField("得分", **POINTS, null=True, blank=True)
    failed = models.BooleanField("未达标", default=False)
    # Checked and found compliant (full points; a veto item passed). A row with no mark at
    # all leaves the item unscored: nothing counts as met unless someone said so.
    met = models.BooleanField("符合", default=False)
    finding = models.TextField("发现问题", blank=True)
    earned = models.DecimalField("实得分", **POINTS, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["inspection", "item"], name="unique_item_score")
        ]

    def __str__(self) -> str:
        return f"{self.inspection_id}/{self.item_id}: {self.earned}"


class Photo(models.Model):
    """A photo stored under MEDIA_ROOT/inspections/ (re-encoded JPEG without EXIF)."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, null=True, blank=True, related_name="photos"
    )
    item = models.ForeignKey(
        Item, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    notice = models.ForeignKey(
        "RectificationNotice",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="photos",
    )
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=200)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.path


class NoticeStatus(models.TextChoices):
    OPEN = "OPEN", "待整改"
    ANSWERED = "ANSWERED", "已反馈待复查"
    CLOSED = "CLOSED", "已销号"
    REOPENED = "REOPENED", "复查未通过"


OPEN_NOTICE = (NoticeStatus.OPEN, NoticeStatus.REOPENED)
UNCLOSED_NOTICE = (NoticeStatus.OPEN, NoticeStatus.REOPENED, NoticeStatus.ANSWERED)


class RectificationNotice(models.Model):
    issuer_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    word = models.CharField("文号字", max_length=20)
    year = models.PositiveIntegerField()
    seq = models.PositiveIntegerField()
    # Empty for a notice raised elsewhere (an assessment's deduction); `origin` then says where.
    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, null=True, blank=True, related_name="notices"
    )
    origin = models.CharField("来源", max_length=200, blank=True)
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="notices")
    items = models.JSONField("问题清单", default=list)
    measures_required = models.TextField("整改要求")
    responsible = models.CharField("整改责任人", max_length=100)
    deadline = models.DateField("整改期限")
    status = models.CharField(
        max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.OPEN
    )
    issued_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField()
    answer = models.TextField("整改措施", blank=True)
    answered_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)
    completed_on = models.DateField("整改完成日期", null=True, blank=True)
    recheck_note = models.TextField("复查意见", blank=True)
    rechecked_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    rechecked_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    escalated_to = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "整改通知书"
        verbose_name_plural = "整改通知书"
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer_unit", "word", "year", "seq"], name="unique_notice_number"
            )
        ]
        indexes = [models.Index(fields=["org_unit", "deadline"])]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"{self.word}〔{self.year}〕{self.seq}号"

    @property
    def on_time(self) -> bool:
        return self.status == NoticeStatus.CLOSED and self.completed_on <= self.deadline

    def is_overdue(self, today) -> bool:
        return self.status in OPEN_NOTICE and self.deadline < today

    def days_overdue(self, today) -> int:
        return (today - self.deadline).days if self.is_overdue(today) else 0


class Event(models.Model):
    """Audit of inspections, notices and checklist edits: who did what, when, why (reopenings
    carry a reason; a checklist edit says what changed)."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    notice = models.ForeignKey(
        RectificationNotice, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    template = models.ForeignKey(
        ChecklistTemplate, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    action = models.CharField(max_length=20)
    user = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField()
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"


class EventAction:
    CREATE = "创建"
    SUBMIT = "提交"
    REOPEN = "退回修改"
    ISSUE = "下发整改通知"
    ANSWER = "反馈整改"
    CLOSE = "复查通过销号"
    RECHECK_FAIL = "复查未通过"
    ESCALATE = "逾期升级督办"
    TEMPLATE_IMPORT = "导入考评表"
    TEMPLATE_VERSION = "新建考评表版本"
    ITEM_ADD = "新增考核项目"
    ITEM_EDIT = "修改考核项目"
