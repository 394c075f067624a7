"""Report forms in DHIS2's shape: data elements, category options, forms (data sets),
periods, data values with their audit trail, and the submission workflow."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models

from weijian import periods
from weijian.orgs.models import OrgUnit, OrgUnitGroup, code_validator, uid_validator
from weijian.orgs.uids import generate_uid

DEFAULT_OPTION_CODE = "default"


class ValueType(models.TextChoices):
    INTEGER_ZERO_OR_POSITIVE = "INTEGER_ZERO_OR_POSITIVE", "非负整数"
    INTEGER = "INTEGER", "整数"
    NUMBER = "NUMBER", "数值"
    PERCENTAGE = "PERCENTAGE", "百分比（0–100）"
    BOOLEAN = "BOOLEAN", "是/否"
    TEXT = "TEXT", "文本"

    @classmethod
    def numeric(cls) -> set[str]:
        return {cls.INTEGER_ZERO_OR_POSITIVE, cls.INTEGER, cls.NUMBER, cls.PERCENTAGE, cls.BOOLEAN}


class AggregationType(models.TextChoices):
    SUM = "SUM", "求和"
    AVERAGE = "AVERAGE", "平均"
    AVERAGE_SUM_ORG_UNIT = "AVERAGE_SUM_ORG_UNIT", "按时间平均、按机构求和"
    LAST = "LAST", "取最近值（存量）"


class PeriodType(models.TextChoices):
    MONTHLY = periods.PeriodType.MONTHLY, "月报"
    QUARTERLY = periods.PeriodType.QUARTERLY, "季报"
    SIXMONTHLY = periods.PeriodType.SIXMONTHLY, "半年报"
    YEARLY = periods.PeriodType.YEARLY, "年报"


class Coded(models.Model):
    code = models.CharField("编码", max_length=50, unique=True, validators=[code_validator])
    uid = models.CharField(
        "UID", max_length=11, unique=True, default=generate_uid, validators=[uid_validator]
    )
    name = models.CharField("名称", max_length=200)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name


class CategoryOption(Coded):
    """One cell of a disaggregation, e.g. 男 or 女. The 'default' option means 'not split'."""

    class Meta:
        verbose_name = "分类选项"
        verbose_name_plural = "分类选项"


class Category(Coded):
    """A disaggregation such as 性别 (男/女); an element uses at most one."""

    options = models.ManyToManyField(
        CategoryOption, through="CategoryMembership", related_name="categories", verbose_name="选项"
    )

    class Meta:
        verbose_name = "分类"
        verbose_name_plural = "分类"


class CategoryMembership(models.Model):
    category = models.ForeignKey(Category, on_delete=models.CASCADE)
    option = models.ForeignKey(CategoryOption, on_delete=models.PROTECT, verbose_name="选项")
    sort_order = models.PositiveIntegerField("顺序", default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = "分类选项"
        verbose_name_plural = "分类选项"
        constraints = [
            models.UniqueConstraint(fields=["category", "option"], name="unique_option_in_category")
        ]

    def __str__(self) -> str:
        return f"{self.category} · {self.option}"


class DataElement(Coded):
    short_name = models.CharField("简称", max_length=100, blank=True)
    description = models.TextField("口径说明", blank=True)
    value_type = models.CharField(
        "值类型",
        max_length=30,
        choices=ValueType.choices,
        default=ValueType.INTEGER_ZERO_OR_POSITIVE,
    )
    aggregation_type = models.CharField(
        "汇总方式", max_length=30, choices=AggregationType.choices, default=AggregationType.SUM
    )
    unit = models.CharField("计量单位", max_length=20, blank=True)
    min_value = models.DecimalField(
        "最小值", max_digits=18, decimal_places=4, null=True, blank=True
    )
    max_value = models.DecimalField(
        "最大值", max_digits=18, decimal_places=4, null=True, blank=True
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, null=True, blank=True, verbose_name="分类（分组填报）"
    )
    # Values of system-managed elements are written by other apps (inspections, ledgers),
    # never typed in a form.
    system_managed = models.BooleanField("系统生成", default=False)

    class Meta:
        verbose_name = "数据元"
        verbose_name_plural = "数据元"
        ordering = ["code"]

    @property
    def is_numeric(self) -> bool:
        return self.value_type in ValueType.numeric()


class Form(Coded):
    """A report form (报表 / DHIS2 data set): elements, period type, due rule, assignments."""

    period_type = models.CharField(
        "报告周期", max_length=20, choices=PeriodType.choices, default=PeriodType.MONTHLY
    )
    due_days = models.PositiveIntegerField(
        "截止天数",
        default=5,
        help_text="期末后第几天为上报截止日（含当天），如月报 5 表示次月 5 日",
    )
    description = models.TextField("说明", blank=True)
    org_units = models.ManyToManyField(
        OrgUnit, blank=True, related_name="forms", verbose_name="填报机构"
    )
    org_groups = models.ManyToManyField(
        OrgUnitGroup, blank=True, related_name="forms", verbose_name="填报机构分组"
    )
    elements = models.ManyToManyField(
        DataElement, through="FormElement", related_name="forms", verbose_name="数据元"
    )

    class Meta:
        verbose_name = "报表"
        verbose_name_plural = "报表"
        ordering = ["code"]

    def parse_period(self, period_id: str) -> periods.Period:
        """The period, or PeriodError if it is not one of this form's type."""
        period = periods.parse(period_id)
        if period.type != self.period_type:
            raise periods.PeriodError(
                f"报表“{self.name}”为{self.get_period_type_display()}，期间“{period_id}”不是{self.get_period_type_display()}期间"
            )
        return period


class FormSection(models.Model):
    form = models.ForeignKey(Form, on_delete=models.CASCADE, related_name="sections")
    name = models.CharField("栏目名称", max_length=200)
    sort_order = models.PositiveIntegerField("顺序", default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = "栏目"
        verbose_name_plural = "栏目"

    def __str__(self) -> str:
        return self.name


class FormElement(models.Model):
    form = models.ForeignKey(Form, on_delete=models.CASCADE, related_name="form_elements")
    element = models.ForeignKey(DataElement, on_delete=models.PROTECT, verbose_name="数据元")
    section = models.ForeignKey(
        FormSection, on_delete=models.SET_NULL, null=True, blank=True, verbose_name="栏目"
    )
    sort_order = models.PositiveIntegerField("顺序", default=0)
    required = models.BooleanField("必填", default=True)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = "报表数据元"
        verbose_name_plural = "报表数据元"
        constraints = [
            models.UniqueConstraint(fields=["form", "element"], name="unique_element_in_form")
        ]

    def __str__(self) -> str:
        return f"{self.form} · {self.element}"


class Period(models.Model):
    """A stored period row, so data values can be filtered by date range in SQL."""

    id = models.CharField("期间", max_length=10, primary_key=True)
    period_type = models.CharField("周期类型", max_length=20)
    start_date = models.DateField("开始日期", db_index=True)
    end_date = models.DateField("结束日期", db_index=True)

    class Meta:
        verbose_name = "期间"
        verbose_name_plural = "期间"

    def __str__(self) -> str:
        return self.id

    @classmethod
    def for_period(cls, period: periods.Period) -> Period:
        row, _ = cls.objects.get_or_create(
            id=period.id,
            defaults={
                "period_type": period.type,
                "start_date": period.start,
                "end_date": period.end,
            },
        )
        return row

    @property
    def parsed(self) -> periods.Period:
        return periods.parse(self.id)


class DataValue(models.Model):
    element = models.ForeignKey(DataElement, on_delete=models.PROTECT, related_name="values")
    option = models.ForeignKey(CategoryOption, on_delete=models.PROTECT, related_name="values")
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="data_values")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="data_values")
    value = models.CharField("值", max_length=1000)
    # The value as a number for aggregation in SQL; null for text values.
    number = models.DecimalField(max_digits=20, decimal_places=6, null=True)
    comment = models.CharField("备注", max_length=500, blank=True)
    stored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField("更新时间")

    class Meta:
        verbose_name = "数据值"
        verbose_name_plural = "数据值"
        constraints = [
            models.UniqueConstraint(
                fields=["element", "option", "org_unit", "period"], name="unique_data_value"
            )
        ]
        indexes = [
            # Covering index for analytics (indicators/operands.py): per unit and period, the
            # element, option and number are read from the index alone. Also serves the
            # (unit, period) lookups of the entry pages, which the narrower index did.
            models.Index(
                fields=["org_unit", "period", "element", "option", "number"],
                name="datavalue_unit_period_cover",
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.element_id}/{self.option_id}/{self.org_unit_id}/{self.period_id} = {self.value}"
        )


class ValueRollup(models.Model):
    """Σ and count of the numeric values of one element × option × stored period over one
    unit's subtree (the unit itself included), for every unit that has values below it.

    Kept by database triggers on reporting_datavalue (rollups.py), so every write path — the
    entry page, Excel, API imports, published system figures, the ORM, raw SQL — updates it
    in its own transaction. Sums are integer millionths: stored numbers have at most 6
    decimals, so the sums are exact on both databases. A row whose values were all deleted
    keeps n = 0 (and micros = 0) until the next compaction; readers skip it.

    A cell may have several rows, one per `slot`: on PostgreSQL each writing connection adds
    its changes to the rows of its own slot (its backend's process id), so two saves never
    update the same row and never wait for each other, however many ancestors they share;
    readers add the slots up, and `rollups.compact()` folds them into slot 0. SQLite has one
    writer at a time and writes slot 0 only."""

    element_id = models.BigIntegerField()
    option_id = models.BigIntegerField()
    unit_id = models.BigIntegerField()
    period_id = models.CharField(max_length=10)
    slot = models.IntegerField(db_default=0)
    micros = models.BigIntegerField()
    n = models.BigIntegerField()

    class Meta:
        constraints = [
            # The triggers' upsert target, and the analytics engine's read path (requested
            # units × stored periods × elements). On PostgreSQL its index also holds micros
            # and n (INCLUDE, migration 0008): the engine's read never visits the table.
            models.UniqueConstraint(
                fields=["unit_id", "period_id", "element_id", "option_id", "slot"],
                name="valuerollup_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.element_id}/{self.option_id}/{self.unit_id}/{self.period_id}: {self.n}"


class LastRollup(models.Model):
    """LAST (stock) elements: each unit's values chained in time, one chain per element ×
    option × unit × period type, every link summed over the unit's ancestors.

    A row (element, option, unit U, stored period p, next period q) holds Σ and count of the
    values at p, over U's subtree, of the units whose next value (same period type) is at q
    ('' when there is none yet). The latest value of each unit inside a requested period P
    is then the one whose next is outside P, so LAST(P) = Σ micros over p in P, q not in P:
    a few rows per cell for any requested period, whatever the history's length. Slots as in
    ValueRollup."""

    element_id = models.BigIntegerField()
    option_id = models.BigIntegerField()
    unit_id = models.BigIntegerField()
    period_id = models.CharField(max_length=10)
    next_period_id = models.CharField(max_length=10)
    slot = models.IntegerField(db_default=0)
    micros = models.BigIntegerField()
    n = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "unit_id",
                    "period_id",
                    "element_id",
                    "option_id",
                    "next_period_id",
                    "slot",
                ],
                name="lastrollup_key",
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.element_id}/{self.option_id}/{self.unit_id}/{self.period_id}"
            f"→{self.next_period_id}: {self.n}"
        )


class AssignedUnit(models.Model):
    """How many ways a unit is assigned a form: directly, plus once per group of the form
    that has the unit as a member (> 0: assigned). Kept by triggers on the assignment tables
    (completeness_rollups.py); the completeness rollups follow it."""

    form_id = models.BigIntegerField()
    unit_id = models.BigIntegerField()
    sources = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["form_id", "unit_id"], name="assignedunit_key")
        ]

    def __str__(self) -> str:
        return f"{self.form_id}/{self.unit_id}: {self.sources}"


class ExpectedRollup(models.Model):
    """Units assigned a form below (and at) a unit, by their opening and closing dates
    (0001-01-01 and 9999-12-31 where open-ended): a form period expects Σ n over the rows
    open in it. A few rows per form and unit, whatever the history's length."""

    form_id = models.BigIntegerField()
    unit_id = models.BigIntegerField()
    opening_date = models.DateField()
    closing_date = models.DateField()
    n = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit_id", "form_id", "opening_date", "closing_date"],
                name="expectedrollup_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.form_id}/{self.unit_id}/{self.opening_date}~{self.closing_date}: {self.n}"


class ReportRollup(models.Model):
    """Reported submissions of a form in a stored period below (and at) a unit, counted only
    for assigned units open in the period (actual), and of those the ones first submitted by
    the end of the due day (on time). Kept by triggers on the submissions, the assignments,
    the units' dates and the form's due days (completeness_rollups.py)."""

    form_id = models.BigIntegerField()
    unit_id = models.BigIntegerField()
    period_id = models.CharField(max_length=10)
    slot = models.IntegerField(db_default=0)  # a writer's own rows, as in ValueRollup
    actual = models.BigIntegerField()
    on_time = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit_id", "period_id", "form_id", "slot"], name="reportrollup_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.form_id}/{self.unit_id}/{self.period_id}: {self.actual}, {self.on_time}"


class AuditAction(models.TextChoices):
    CREATE = "CREATE", "新增"
    UPDATE = "UPDATE", "修改"
    DELETE = "DELETE", "删除"


class DataValueAudit(models.Model):
    """Every change of a data value: old → new, who, when, why. Never updated or deleted."""

    element = models.ForeignKey(DataElement, on_delete=models.PROTECT, related_name="+")
    option = models.ForeignKey(CategoryOption, on_delete=models.PROTECT, related_name="+")
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+")
    action = models.CharField("操作", max_length=10, choices=AuditAction.choices)
    old_value = models.CharField("原值", max_length=1000, blank=True)
    new_value = models.CharField("新值", max_length=1000, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField("时间")
    reason = models.CharField("原因", max_length=500, blank=True)
    source = models.CharField("来源", max_length=20, blank=True)  # 网页 / Excel / 接口 / 演示数据

    class Meta:
        verbose_name = "数据修改记录"
        verbose_name_plural = "数据修改记录"
        ordering = ["-changed_at", "-id"]
        indexes = [
            models.Index(fields=["org_unit", "period", "element"], name="audit_unit_period_element")
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.old_value} → {self.new_value}"


class SubmissionStatus(models.TextChoices):
    DRAFT = "DRAFT", "填报中"
    SUBMITTED = "SUBMITTED", "已上报"
    RETURNED = "RETURNED", "已退回"
    APPROVED = "APPROVED", "审核通过"
    LOCKED = "LOCKED", "已锁定"


# Statuses in which the reporting unit may change values.
EDITABLE_STATUSES = {SubmissionStatus.DRAFT, SubmissionStatus.RETURNED}
# Statuses that count as "reported" for completeness.
REPORTED_STATUSES = {SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED, SubmissionStatus.LOCKED}


class Submission(models.Model):
    """The state of one form × unit × period in the workflow."""

    form = models.ForeignKey(Form, on_delete=models.PROTECT, related_name="submissions")
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="submissions")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="submissions")
    status = models.CharField(
        "状态", max_length=20, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT
    )
    # Timeliness counts from the first submission: a return and resubmission does not make a
    # report late after the fact, as in DHIS2's completeness registrations.
    first_submitted_at = models.DateTimeField("首次上报时间", null=True, blank=True)
    submitted_at = models.DateTimeField("上报时间", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    return_reason = models.CharField("退回原因", max_length=500, blank=True)

    class Meta:
        verbose_name = "上报记录"
        verbose_name_plural = "上报记录"
        constraints = [
            models.UniqueConstraint(fields=["form", "org_unit", "period"], name="unique_submission")
        ]
        indexes = [models.Index(fields=["status"], name="submission_status")]

    def __str__(self) -> str:
        return f"{self.form} · {self.org_unit} · {self.period_id}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    def due_date(self) -> dt.date:
        return self.period.parsed.due_date(self.form.due_days)


class SubmissionEvent(models.Model):
    """The workflow history: who submitted, approved, returned, locked or unlocked, and why."""

    class Action(models.TextChoices):
        SUBMIT = "SUBMIT", "上报"
        APPROVE = "APPROVE", "审核通过"
        RETURN = "RETURN", "退回"
        LOCK = "LOCK", "锁定"
        UNLOCK = "UNLOCK", "解锁"

    # PROTECT: the workflow history outlives any attempt to delete its report.
    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="events")
    action = models.CharField("操作", max_length=10, choices=Action.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField("时间")
    reason = models.CharField("说明", max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = "流程记录"
        verbose_name_plural = "流程记录"

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"
