"""Scoring a 考评表 (Django-free): deductions per occurrence with a cap, pass/fail, graded
items, 一票否决 (veto) and 不适用 (N/A) items with rescaling.

    score = earned / applicable points × total points   (rounded to 2 decimals)

An item nobody marked is unscored, never "met": the inspector marks every item — 符合 (met),
its deduction, grade or 不达标, or 不适用 — and the sheet has a score and a verdict only once
every item is marked (an inspection scored on 6 of 30 items must not read 100/合格). The one
exception is a failed veto item: it makes the whole score 0 and the inspection 不合格 at once,
whatever the other items earn, so that verdict is shown as soon as it is marked.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation


class Kind:
    DEDUCT = "deduct"
    PASSFAIL = "passfail"
    GRADED = "graded"
    VETO = "veto"

    ALL = ("deduct", "passfail", "graded", "veto")
    LABELS = {"deduct": "扣分", "passfail": "达标/不达标", "graded": "分档", "veto": "一票否决"}


class ScoringError(ValueError):
    """A mark that cannot be accepted; the message is the Chinese reason shown to the user."""


CENT = Decimal("0.01")
MAX_POINTS = Decimal(1000)  # per item; far above any real sheet, and the columns hold 99999.99


def number(value, what: str = "得分") -> Decimal:
    """A Decimal from user input, or a ScoringError naming `what`."""
    if isinstance(value, Decimal):
        result = value
    else:
        try:
            result = Decimal(str(value).strip())
        except (InvalidOperation, ValueError):
            raise ScoringError(f"{what}“{value}”不是数字") from None
    if not result.is_finite():
        raise ScoringError(f"{what}“{value}”不是数字")
    return result


def fmt(value: Decimal | None) -> str:
    """3, 2.5, 97.14 — no trailing zeros (how scores are written on the sheets)."""
    if value is None:
        return ""
    text = f"{value.quantize(CENT):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass(frozen=True)
class ItemRule:
    code: str
    name: str
    points: Decimal
    kind: str = Kind.DEDUCT
    per_occurrence: Decimal | None = None
    cap: Decimal | None = None
    grades: tuple[Decimal, ...] = ()
    na_allowed: bool = False

    @property
    def label(self) -> str:
        return f"第{self.code}项“{self.name}”"

    @property
    def max_deduction(self) -> Decimal:
        return self.cap if self.cap is not None else self.points

    def check_definition(self) -> None:
        """Refuse an inconsistent item (used by the loader, the importer and the editor)."""
        if self.kind not in Kind.ALL:
            raise ScoringError(
                f"{self.label}的计分方式“{self.kind}”无效，应为 deduct/passfail/graded/veto"
            )
        if self.points < 0:
            raise ScoringError(f"{self.label}的分值不能为负数")
        if self.points > MAX_POINTS:
            raise ScoringError(f"{self.label}的分值不能超过 {fmt(MAX_POINTS)}")
        if self.per_occurrence is not None and self.per_occurrence > MAX_POINTS:
            raise ScoringError(f"{self.label}的每处扣分不能超过 {fmt(MAX_POINTS)}")
        if self.kind == Kind.VETO and self.points != 0:
            raise ScoringError(f"{self.label}为一票否决项，分值应为 0")
        if self.kind != Kind.VETO and self.points == 0:
            raise ScoringError(f"{self.label}的分值应大于 0")
        if self.kind == Kind.DEDUCT:
            if self.per_occurrence is None or self.per_occurrence <= 0:
                raise ScoringError(f"{self.label}为扣分项，须填写每处扣分（大于 0）")
            if self.cap is not None and not 0 < self.cap <= self.points:
                raise ScoringError(
                    f"{self.label}的扣分上限应大于 0 且不超过分值 {fmt(self.points)}"
                )
        if self.kind == Kind.GRADED:
            if not self.grades:
                raise ScoringError(f"{self.label}为分档项，须列出可选得分")
            if max(self.grades) != self.points or min(self.grades) < 0:
                raise ScoringError(
                    f"{self.label}的分档最高应等于分值 {fmt(self.points)}，且不能为负数"
                )


@dataclass(frozen=True)
class Mark:
    """What the inspector recorded for one item. All empty = not marked yet (unscored)."""

    na: bool = False
    occurrences: int | None = None  # deduct items: how many times the problem was found
    score: Decimal | None = None  # a typed score (deduct/graded/passfail)
    failed: bool = False  # veto / passfail: the requirement was not met
    met: bool = False  # checked and found compliant: full points; a veto item passed

    @property
    def is_blank(self) -> bool:
        return not (
            self.na
            or self.met
            or self.failed
            or self.occurrences is not None
            or self.score is not None
        )


@dataclass(frozen=True)
class ItemResult:
    rule: ItemRule
    earned: Decimal | None  # None when N/A or not scored yet
    applicable: bool
    vetoed: bool = False
    scored: bool = True  # False: nobody has marked the item yet

    @property
    def lost(self) -> Decimal:
        return Decimal(0) if self.earned is None else self.rule.points - self.earned

    @property
    def is_finding(self) -> bool:
        return self.vetoed or (self.applicable and self.lost > 0)


def score_item(rule: ItemRule, mark: Mark) -> ItemResult:
    """One item's earned points, refusing marks the item does not allow."""
    if mark.na:
        if not rule.na_allowed:
            raise ScoringError(f"{rule.label}不允许标为不适用")
        return ItemResult(rule, None, applicable=False)
    if mark.is_blank:
        return ItemResult(rule, None, applicable=True, scored=False)
    if mark.met and (mark.failed or mark.occurrences or mark.score is not None):
        raise ScoringError(f"{rule.label}已标为符合，不能同时扣分或标为不达标")
    if rule.kind == Kind.VETO:
        if mark.occurrences is not None or mark.score is not None:
            raise ScoringError(f"{rule.label}为一票否决项，只能选择“无否决情形”或“存在否决情形”")
        return ItemResult(rule, Decimal(0), applicable=True, vetoed=mark.failed)
    if mark.met:
        return ItemResult(rule, rule.points, applicable=True)
    if mark.occurrences is not None:
        if rule.kind != Kind.DEDUCT:
            raise ScoringError(f"{rule.label}不是按处扣分的项目，不能填写问题处数")
        if mark.occurrences < 0:
            raise ScoringError(f"{rule.label}的问题处数不能为负数")
        deduction = min(mark.occurrences * rule.per_occurrence, rule.max_deduction)
        return ItemResult(rule, rule.points - deduction, applicable=True)
    if mark.failed:
        if rule.kind != Kind.PASSFAIL:
            raise ScoringError(f"{rule.label}不是达标/不达标项目")
        return ItemResult(rule, Decimal(0), applicable=True)
    score = mark.score
    if score < 0:
        raise ScoringError(f"{rule.label}的得分不能为负数")
    if score > rule.points:
        raise ScoringError(f"{rule.label}的得分 {fmt(score)} 超过分值 {fmt(rule.points)}")
    if rule.kind == Kind.GRADED and score not in rule.grades:
        allowed = "、".join(fmt(g) for g in rule.grades)
        raise ScoringError(f"{rule.label}为分档计分，得分只能是 {allowed} 之一")
    if rule.kind == Kind.PASSFAIL and score not in (0, rule.points):
        raise ScoringError(f"{rule.label}为达标/不达标项目，得分只能是 {fmt(rule.points)} 或 0")
    if rule.kind == Kind.DEDUCT and rule.points - score > rule.max_deduction:
        raise ScoringError(
            f"{rule.label}最多扣 {fmt(rule.max_deduction)} 分，得分不能低于 "
            f"{fmt(rule.points - rule.max_deduction)}"
        )
    return ItemResult(rule, score, applicable=True)


@dataclass(frozen=True)
class SheetResult:
    total_points: Decimal
    earned: Decimal  # raw points earned over the scored applicable items
    applicable_points: Decimal  # points of the scored applicable items
    score: Decimal | None  # rescaled to total_points; None until complete, or nothing applies
    vetoed: bool
    passed: bool | None  # None until complete, or when the sheet has no pass line
    findings: int  # items that lost points or failed a veto
    scored: int  # items marked (不适用 included)
    items: tuple[ItemResult, ...]
    vetoed_by: tuple[str, ...] = ()

    @property
    def unscored(self) -> tuple[ItemRule, ...]:
        return tuple(r.rule for r in self.items if not r.scored)

    @property
    def complete(self) -> bool:
        return self.scored == len(self.items)

    @property
    def lost(self) -> Decimal:
        """Points deducted so far (the running figure while the sheet is incomplete)."""
        return sum((r.lost for r in self.items if r.applicable), Decimal(0))

    @property
    def verdict(self) -> str:
        if self.vetoed:
            return "不合格（一票否决）"
        if self.passed is None:
            return ""
        return "合格" if self.passed else "不合格"


def score_sheet(
    rules: Iterable[ItemRule],
    marks: Mapping[str, Mark],
    total_points: Decimal,
    pass_score: Decimal | None = None,
) -> SheetResult:
    """Score a whole sheet: `marks` by item code (missing codes are unscored). Until every
    item is scored or 不适用 the sheet has no score and no verdict, unless a veto failed."""
    results = [score_item(rule, marks.get(rule.code, Mark())) for rule in rules]
    counted = [r for r in results if r.applicable and r.scored]
    applicable_points = sum((r.rule.points for r in counted), Decimal(0))
    earned = sum((r.earned for r in counted), Decimal(0))
    vetoed_by = tuple(r.rule.code for r in results if r.vetoed)
    complete = all(r.scored for r in results)
    if vetoed_by:
        score: Decimal | None = Decimal(0)
    elif not complete or applicable_points == 0:
        score = None
    else:
        score = (earned / applicable_points * total_points).quantize(CENT, ROUND_HALF_UP)
    if vetoed_by:
        passed: bool | None = False
    elif pass_score is None or score is None:
        passed = None
    else:
        passed = score >= pass_score
    return SheetResult(
        total_points=total_points,
        earned=earned,
        applicable_points=applicable_points,
        score=score,
        vetoed=bool(vetoed_by),
        passed=passed,
        findings=sum(1 for r in results if r.is_finding),
        scored=sum(1 for r in results if r.scored),
        items=tuple(results),
        vetoed_by=vetoed_by,
    )


def missing_items(sheet: SheetResult, shown: int = 10) -> str:
    """“第1.2项“医疗废物”、第2.2项“培训”等 12 项” — what still needs a mark, for messages."""
    rules = sheet.unscored
    listed = "、".join(rule.label for rule in rules[:shown])
    return listed + (f"等 {len(rules)} 项" if len(rules) > shown else "")
