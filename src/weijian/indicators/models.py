"""Indicators with national definitions, constants, validation rules and targets."""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal

from django.db import models

from weijian import periods
from weijian.orgs.models import OrgUnit, code_validator
from weijian.reporting.models import Coded as ReportingCoded

from .expression import Expression, parse


class IndicatorType(models.TextChoices):
    NUMBER = "NUMBER", "数值（×1）"
    PERCENT = "PERCENT", "百分比（×100，%）"
    PER_HUNDRED = "PER_HUNDRED", "每百（×100）"
    PER_THOUSAND = "PER_THOUSAND", "千分率（×1000，‰）"
    PER_TEN_THOUSAND = "PER_TEN_THOUSAND", "万分率（×10000，‱）"
    PER_HUNDRED_THOUSAND = "PER_HUNDRED_THOUSAND", "十万分率（×100000，/10万）"


FACTORS: dict[str, int] = {
    IndicatorType.NUMBER: 1,
    IndicatorType.PERCENT: 100,
    IndicatorType.PER_HUNDRED: 100,
    IndicatorType.PER_THOUSAND: 1000,
    IndicatorType.PER_TEN_THOUSAND: 10000,
    IndicatorType.PER_HUNDRED_THOUSAND: 100000,
}

# Rates whose differences are stated in 百分点 (percentage points) rather than as a % change.
RATE_TYPES = {IndicatorType.PERCENT}


class Direction(models.TextChoices):
    HIGHER_BETTER = "HIGHER_BETTER", "越高越好"
    LOWER_BETTER = "LOWER_BETTER", "越低越好"
    MONITOR = "MONITOR", "监测比较"


class Coded(ReportingCoded):
    """Code, uid and name like every reporting object; indicator codes may be longer."""

    code = models.CharField("编码", max_length=60, unique=True, validators=[code_validator])

    class Meta:
        abstract = True


class IndicatorSource(models.Model):
    """The document an indicator's definition comes from, with its edition."""

    code = models.CharField("编码", max_length=60, unique=True, validators=[code_validator])
    title = models.CharField("文件名称", max_length=300)
    issuer = models.CharField("发文机关", max_length=200, blank=True)
    document = models.CharField("文号", max_length=200, blank=True)
    edition = models.CharField("版本", max_length=50, blank=True)
    url = models.URLField("链接", blank=True)
    valid_from = models.DateField("适用起始", null=True, blank=True)
    valid_to = models.DateField("适用截止", null=True, blank=True)

    class Meta:
        verbose_name = "指标来源"
        verbose_name_plural = "指标来源"

    def __str__(self) -> str:
        return f"{self.title}（{self.edition}）" if self.edition else self.title


class Constant(Coded):
    value = models.DecimalField("数值", max_digits=24, decimal_places=8)
    description = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "常量"
        verbose_name_plural = "常量"


class Indicator(Coded):
    short_name = models.CharField("简称", max_length=100, blank=True)
    group = models.CharField("分类", max_length=100, blank=True)
    numerator = models.TextField("分子表达式")
    numerator_description = models.CharField("分子", max_length=300, blank=True)
    denominator = models.TextField("分母表达式", default="1")
    denominator_description = models.CharField("分母", max_length=300, blank=True)
    type = models.CharField(
        "指标类型", max_length=30, choices=IndicatorType.choices, default=IndicatorType.PERCENT
    )
    decimals = models.PositiveSmallIntegerField("小数位数", default=2)
    unit = models.CharField("单位", max_length=20, blank=True)
    direction = models.CharField(
        "方向", max_length=20, choices=Direction.choices, default=Direction.MONITOR
    )
    data_source = models.CharField("数据来源", max_length=100, blank=True)
    national_monitoring = models.BooleanField("国家监测指标", default=False)
    definition = models.TextField("定义（官方表述）", blank=True)
    citation = models.TextField("出处", blank=True)
    verification = models.CharField("核对情况", max_length=20, blank=True)
    note = models.TextField("备注", blank=True)
    source = models.ForeignKey(
        IndicatorSource, on_delete=models.PROTECT, null=True, blank=True, verbose_name="来源"
    )
    valid_from = models.DateField("适用起始", null=True, blank=True)
    valid_to = models.DateField("适用截止", null=True, blank=True)
    # A national control value or benchmark from the sources (e.g. DDDs ≤ 40), not a target.
    benchmark_value = models.DecimalField(
        "国家参考值", max_digits=20, decimal_places=6, null=True, blank=True
    )
    benchmark_comparator = models.CharField("参考值比较", max_length=2, blank=True)
    benchmark_basis = models.CharField("参考值适用范围", max_length=200, blank=True)
    # The numerator counts a part of the denominator (infections among discharges): the value
    # can never pass the factor (100 %); one that does is flagged, and a rule checks entries.
    numerator_within_denominator = models.BooleanField("分子为分母的一部分", default=False)

    class Meta:
        verbose_name = "指标"
        verbose_name_plural = "指标"
        ordering = ["group", "code"]

    @property
    def factor(self) -> int:
        return FACTORS[self.type]

    @property
    def is_rate(self) -> bool:
        return self.type in RATE_TYPES

    def is_impossible(self, value: Decimal | None) -> bool:
        """A value its own definition rules out: a part-of-the-whole rate above 100 %."""
        return self.numerator_within_denominator and value is not None and value > self.factor

    def parsed(self) -> tuple[Expression, Expression]:
        """(numerator, denominator) as expressions; ExpressionError if either is invalid.

        Parsed once per instance and text: the engine asks several times per request."""
        key = (self.numerator, self.denominator)
        cached = getattr(self, "_parsed_cache", None)
        if cached is None or cached[0] != key:
            cached = (key, (_parse(self.numerator), _parse(self.denominator)))
            self._parsed_cache = cached
        return cached[1]

    def is_valid_for(self, period: periods.Period) -> bool:
        """Whether this edition's definition applies to the period: the edition in force on
        the period's last day. A period straddling an edition change (the year 2024 when a new
        edition starts on 1 July) is computed by the newer edition only, never by both."""
        start = self.valid_from or (self.source.valid_from if self.source else None)
        end = self.valid_to or (self.source.valid_to if self.source else None)
        return (start is None or start <= period.end) and (end is None or end >= period.end)


@functools.lru_cache(maxsize=4096)
def _parse(text: str) -> Expression:
    """Expressions are immutable: each text is parsed once per process, not once per fetched
    Indicator row (the analytics engine fetches the indicators of every request afresh)."""
    return parse(text)


class Importance(models.TextChoices):
    HIGH = "HIGH", "高（阻止上报）"
    MEDIUM = "MEDIUM", "中"
    LOW = "LOW", "低"


class Operator(models.TextChoices):
    EQUAL_TO = "equal_to", "="
    NOT_EQUAL_TO = "not_equal_to", "≠"
    GREATER_THAN = "greater_than", ">"
    GREATER_THAN_OR_EQUAL_TO = "greater_than_or_equal_to", "≥"
    LESS_THAN = "less_than", "<"
    LESS_THAN_OR_EQUAL_TO = "less_than_or_equal_to", "≤"
    COMPULSORY_PAIR = "compulsory_pair", "必须同时填写"
    EXCLUSIVE_PAIR = "exclusive_pair", "不能同时填写"


class ValidationRule(Coded):
    left = models.TextField("左侧表达式")
    operator = models.CharField("运算符", max_length=30, choices=Operator.choices)
    right = models.TextField("右侧表达式")
    importance = models.CharField(
        "重要性", max_length=10, choices=Importance.choices, default=Importance.MEDIUM
    )
    missing_value_strategy = models.CharField(
        "缺失值处理", max_length=40, default="SKIP_IF_ANY_VALUE_MISSING"
    )
    description = models.TextField("说明", blank=True)
    source = models.ForeignKey(
        IndicatorSource, on_delete=models.PROTECT, null=True, blank=True, verbose_name="来源"
    )

    class Meta:
        verbose_name = "校验规则"
        verbose_name_plural = "校验规则"
        ordering = ["code"]


class Target(models.Model):
    """A target for one indicator, unit and period (usually a year)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="targets")
    period = models.CharField("期间", max_length=10)
    value = models.DecimalField("目标值", max_digits=20, decimal_places=6)
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "目标"
        verbose_name_plural = "目标"
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "org_unit", "period"], name="unique_target"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} · {self.org_unit} · {self.period} = {self.value}"


def elapsed_share(period: periods.Period, today: dt.date) -> Decimal:
    """How much of the period has passed (0–1), for 进度滞后 against a yearly target."""
    if today <= period.start:
        return Decimal(0)
    if today > period.end:
        return Decimal(1)
    days = (period.end - period.start).days + 1
    return Decimal((today - period.start).days) / Decimal(days)
