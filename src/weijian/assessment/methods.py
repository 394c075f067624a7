"""Scoring methods of one 考核细则 item (Django-free, layer 1 in spirit: no imports above it).

Each item has points (分值), a method with parameters, and two explicit rules for what a
missing figure and a zero denominator mean (chosen per item, never by accident):

    ZERO    无数据计 0 分
    FULL    无数据得满分
    EXCLUDE 不参与考核（本项剔除，所在维度按其余项目折算）

Methods (parameters in brackets; numbers may be given as strings, as JSON keeps them):

    yes_no          是/否 [expect: "yes" | "no"]: value ≠ 0 is 是
    ratio           比例法 [target, direction: higher|lower, floor (ratio below which 0, default 0)]
                    higher: points × min(value ÷ target, 1); lower: points × min(target ÷ value, 1)
    linear          门槛 + 线性 + 封顶 [threshold, target, base (score at the threshold, default 0)]
                    direction from the order of threshold and target; at/after target: full;
                    worse than threshold: 0; between: base + (points − base) × share of the way
    bands           区间法 [bands: [[lo, hi, score], …], closed: left|right]; a band of four
                    numbers [lo, hi, score_at_lo, score_at_hi] interpolates; None for an open end
    per_occurrence  按次加减分 [mode: deduct|add, per, cap (default points)]; 扣完为止
    rank            名次法 [mode: steps|proportional, step, direction]: scored over all units
    better_of       达标与改善取高 [achievement: {method…}, improvement: {method…}, direction]
    evidence        资料按时报送 [required (default 1), partial (default false)]: uploads in the
                    window (the window comes with the observation)
    manual          人工评分 [no parameters]: 0–points, with a reason when below full points

Every result carries its explanation in Chinese (“目标 ≤1.20%，得 10 分”); the binding that
measured the value writes the first half (“院感发病率 = 新发例次 ÷ 住院患者数 = 123 ÷ 10 600
= 1.16%”).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from .numbers import NumberError, figure, number, pts, quantize

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
MAX_ITEM_POINTS = Decimal(1000)


class MethodError(ValueError):
    """A definition or an input that cannot be accepted; the message is Chinese."""


class Method(StrEnum):
    YES_NO = "yes_no"
    RATIO = "ratio"
    LINEAR = "linear"
    BANDS = "bands"
    PER_OCCURRENCE = "per_occurrence"
    RANK = "rank"
    BETTER_OF = "better_of"
    EVIDENCE = "evidence"
    MANUAL = "manual"


LABELS = {
    Method.YES_NO: "是/否",
    Method.RATIO: "比例法（与目标之比）",
    Method.LINEAR: "门槛线性法",
    Method.BANDS: "区间法",
    Method.PER_OCCURRENCE: "按次加减分",
    Method.RANK: "名次法",
    Method.BETTER_OF: "达标与改善取高",
    Method.EVIDENCE: "资料按时报送",
    Method.MANUAL: "人工评分",
}


class Missing(StrEnum):
    ZERO = "zero"
    FULL = "full"
    EXCLUDE = "exclude"


MISSING_LABELS = {
    Missing.ZERO: "计0分",
    Missing.FULL: "得满分",
    Missing.EXCLUDE: "不参与考核，按其余项目折算",
}


class Status(StrEnum):
    SCORED = "scored"
    MISSING = "missing"  # no figure: the item's missing rule applied
    ZERO_DENOMINATOR = "zero_denominator"  # denominator 0: the item's rule applied
    PENDING = "pending"  # a manual item nobody has scored yet (counts 0 until scored)


@dataclass(frozen=True)
class Observation:
    """What the data (or a person) says about one unit for one item."""

    value: Decimal | None = None
    zero_denominator: bool = False
    previous: Decimal | None = None  # last period's value (better_of)
    occurrences: int | None = None  # per_occurrence: counted events
    dates: tuple[dt.date, ...] = ()  # evidence: upload days
    window: tuple[dt.date, dt.date] | None = None  # evidence: first and last day allowed
    manual: Decimal | None = None  # manual: the assessor's score
    reason: str = ""
    target: Decimal | None = None  # a unit's own target, overriding the item's


@dataclass(frozen=True)
class ItemSpec:
    code: str
    name: str
    points: Decimal
    method: str
    params: dict = field(default_factory=dict)
    on_missing: str = Missing.ZERO
    on_zero_denominator: str = Missing.EXCLUDE
    unit: str = ""  # of the measured value, for the explanation (%, ‰, 次…)
    decimals: int = 2

    @property
    def label(self) -> str:
        return f"第{self.code}项“{self.name}”"


@dataclass(frozen=True)
class Scored:
    earned: Decimal | None  # None: excluded (reweighted away)
    status: str
    text: str  # the method's half of the explanation

    @property
    def excluded(self) -> bool:
        return self.earned is None


# -- definitions -------------------------------------------------------------------------------


def _num(params: dict, key: str, label: str, what: str, default=None, required=True):
    value = params.get(key, default)
    if value is None or value == "":
        if required:
            raise MethodError(f"{label}须填写{what}")
        return None
    try:
        return number(value, f"{label}的{what}")
    except NumberError as exc:
        raise MethodError(str(exc)) from None


def _direction(params: dict, label: str) -> str:
    direction = params.get("direction", "higher")
    if direction not in ("higher", "lower"):
        raise MethodError(f"{label}的方向应为 higher（越高越好）或 lower（越低越好）")
    return direction


def check(spec: ItemSpec) -> None:
    """Refuse an inconsistent item definition with a precise Chinese message."""
    label, points = spec.label, spec.points
    if spec.method not in Method.__members__.values():
        raise MethodError(f"{label}的计分方法“{spec.method}”无效")
    if points <= 0:
        raise MethodError(f"{label}的分值应大于 0")
    if points > MAX_ITEM_POINTS:
        raise MethodError(f"{label}的分值不能超过 {pts(MAX_ITEM_POINTS)}")
    for rule, what in ((spec.on_missing, "无数据"), (spec.on_zero_denominator, "分母为0")):
        if rule not in Missing.__members__.values():
            raise MethodError(f"{label}的“{what}”处理规则无效，应为 zero/full/exclude")
    _check_params(spec.method, spec.params, points, label)


def _check_params(method: str, params: dict, points: Decimal, label: str) -> None:
    if not isinstance(params, dict):
        raise MethodError(f"{label}的计分参数格式错误")
    if method == Method.YES_NO and params.get("expect", "yes") not in ("yes", "no"):
        raise MethodError(f"{label}的期望结果应为 yes（是得分）或 no（否得分）")
    if method == Method.RATIO:
        _direction(params, label)
        if params.get("target") not in (None, "") and _num(params, "target", label, "目标值") <= 0:
            raise MethodError(f"{label}的目标值应大于 0")
        floor = _num(params, "floor", label, "最低完成率", default=0)
        if not ZERO <= floor < ONE:
            raise MethodError(f"{label}的最低完成率应在 0 到 1 之间（如 0.5 表示 50%）")
    if method == Method.LINEAR:
        threshold = _num(params, "threshold", label, "门槛值")
        target = _num(params, "target", label, "目标值")
        if threshold == target:
            raise MethodError(f"{label}的门槛值与目标值不能相同")
        base = _num(params, "base", label, "门槛得分", default=0)
        if not ZERO <= base <= points:
            raise MethodError(f"{label}的门槛得分应在 0 到分值 {pts(points)} 之间")
    if method == Method.BANDS:
        _bands(params, points, label)
    if method == Method.PER_OCCURRENCE:
        if params.get("mode", "deduct") not in ("deduct", "add"):
            raise MethodError(f"{label}的加减方式应为 deduct（扣分）或 add（加分）")
        per = _num(params, "per", label, "每次分值")
        cap = _num(params, "cap", label, "上限", default=points)
        if per <= 0:
            raise MethodError(f"{label}的每次分值应大于 0")
        if not ZERO < cap <= points:
            raise MethodError(f"{label}的上限应大于 0 且不超过分值 {pts(points)}")
    if method == Method.RANK:
        _direction(params, label)
        mode = params.get("mode", "steps")
        if mode not in ("steps", "proportional"):
            raise MethodError(
                f"{label}的名次计分方式应为 steps（按名次递减）或 proportional（与最优之比）"
            )
        if mode == "steps" and _num(params, "step", label, "每名次递减分值") <= 0:
            raise MethodError(f"{label}的每名次递减分值应大于 0")
    if method == Method.BETTER_OF:
        _direction(params, label)
        for key, what in (("achievement", "达标计分"), ("improvement", "改善计分")):
            sub = params.get(key)
            if not isinstance(sub, dict) or sub.get("method") not in SUB_METHODS:
                raise MethodError(f"{label}须给出{what}方法（ratio、linear 或 bands）")
            _check_params(sub["method"], sub, points, f"{label}的{what}")
    if method == Method.EVIDENCE:
        required = _num(params, "required", label, "应报送份数", default=1)
        if required < 1 or required != required.to_integral_value():
            raise MethodError(f"{label}的应报送份数应为正整数")


SUB_METHODS = (Method.RATIO, Method.LINEAR, Method.BANDS)


def _bands(params: dict, points: Decimal, label: str) -> list[tuple]:
    rows = params.get("bands")
    if not isinstance(rows, list) or not rows:
        raise MethodError(f"{label}须列出区间（下限、上限、得分）")
    if params.get("closed", "left") not in ("left", "right"):
        raise MethodError(f"{label}的区间端点规则应为 left（含下限）或 right（含上限）")
    bands = []
    for index, row in enumerate(rows, start=1):
        if not isinstance(row, list | tuple) or len(row) not in (3, 4):
            raise MethodError(
                f"{label}的第{index}个区间应为 [下限, 上限, 得分] 或 [下限, 上限, 下限得分, 上限得分]"
            )
        width = len(row)
        where = f"{label}的第{index}个区间"
        lo = None if row[0] in (None, "") else _bound(row[0], where, "下限")
        hi = None if row[1] in (None, "") else _bound(row[1], where, "上限")
        scores = [_bound(s, where, "得分") for s in row[2:]]
        if lo is not None and hi is not None and lo >= hi:
            raise MethodError(f"{where}的下限应小于上限")
        if width == 4 and (lo is None or hi is None):
            raise MethodError(f"{where}为插值区间，上下限都须填写")
        if any(not ZERO <= s <= points for s in scores):
            raise MethodError(f"{where}的得分应在 0 到分值 {pts(points)} 之间")
        bands.append((lo, hi, *scores))
    ordered = sorted(bands, key=lambda b: (b[0] is not None, b[0] or 0))
    for before, after in zip(ordered, ordered[1:], strict=False):
        if before[1] is None or after[0] is None or before[1] > after[0]:
            raise MethodError(f"{label}的区间有重叠")
    return ordered


def _bound(value, where: str, what: str) -> Decimal:
    try:
        return number(value, f"{where}的{what}")
    except NumberError as exc:
        raise MethodError(str(exc)) from None


# -- scoring ----------------------------------------------------------------------------------------


def score(spec: ItemSpec, obs: Observation) -> Scored:
    """One unit's points on one item (not rank: see score_ranked)."""
    if spec.method == Method.MANUAL:
        return _manual(spec, obs)
    if spec.method == Method.EVIDENCE:
        return _evidence(spec, obs)
    if spec.method == Method.PER_OCCURRENCE:
        count = obs.occurrences
        if count is None and obs.value is not None:
            count = int(obs.value)
        if count is None:
            return _missing(spec, Status.MISSING)
        return _per_occurrence(spec, count)
    if obs.zero_denominator:
        return _missing(spec, Status.ZERO_DENOMINATOR)
    if obs.value is None:
        return _missing(spec, Status.MISSING)
    if spec.method == Method.BETTER_OF:
        return _better_of(spec, obs)
    earned, text = _measure(spec.method, spec.params, spec.points, obs.value, spec, obs.target)
    return Scored(earned, Status.SCORED, text)


def _missing(spec: ItemSpec, status: str) -> Scored:
    rule = spec.on_missing if status == Status.MISSING else spec.on_zero_denominator
    what = "无数据" if status == Status.MISSING else "分母为0"
    if rule == Missing.EXCLUDE:
        return Scored(None, status, f"{what}，本项不参与考核（按其余项目折算）")
    earned = spec.points if rule == Missing.FULL else ZERO
    return Scored(earned, status, f"{what}，按本项规则{MISSING_LABELS[rule]}，得 {pts(earned)} 分")


def _measure(method, params, points, value, spec: ItemSpec, unit_target=None):
    """(earned, explanation) of the value-based methods, reused by better_of."""
    show = _shower(spec)
    if method == Method.YES_NO:
        yes = value != 0
        wanted = params.get("expect", "yes") == "yes"
        earned = points if yes == wanted else ZERO
        return earned, f"{'是' if yes else '否'}，得 {pts(earned)} 分"
    if method == Method.RATIO:
        return _ratio(params, points, value, show, unit_target)
    if method == Method.LINEAR:
        return _linear(params, points, value, show)
    if method == Method.BANDS:
        return _banded(params, points, value, show, spec.label)
    raise MethodError(f"{spec.label}的计分方法“{method}”不能用于此处")


def _shower(spec: ItemSpec):
    return lambda v: figure(v, spec.unit, spec.decimals)


def _ratio(params, points, value, show, unit_target):
    target = unit_target if unit_target is not None else number(params["target"], "目标值")
    floor = number(params.get("floor", 0) or 0, "最低完成率")
    lower = params.get("direction", "higher") == "lower"
    if lower:
        ratio = ONE if value <= 0 else target / value
        how = f"目标 ≤{show(target)}，完成率 = 目标 ÷ 实际"
    else:
        ratio = value / target
        how = f"目标 ≥{show(target)}，完成率 = 实际 ÷ 目标"
    shown = f"{pts(ratio * HUNDRED)}%"
    if ratio < floor:
        return ZERO, f"{how} = {shown}，低于 {pts(floor * HUNDRED)}% 不得分，得 0 分"
    capped = min(ratio, ONE)
    earned = quantize(points * capped)
    note = "（超过100%按100%计）" if ratio > ONE else ""
    return earned, f"{how} = {shown}{note}，得 {pts(earned)} 分"


def _linear(params, points, value, show):
    threshold = number(params["threshold"], "门槛值")
    target = number(params["target"], "目标值")
    base = number(params.get("base", 0) or 0, "门槛得分")
    higher = target > threshold
    sign = "≥" if higher else "≤"
    head = f"目标 {sign}{show(target)}，门槛 {show(threshold)}"
    reached = value >= target if higher else value <= target
    if reached:
        return points, f"{head}，已达目标，得 {pts(points)} 分"
    worse = value < threshold if higher else value > threshold
    if worse:
        return ZERO, f"{head}，未达门槛，得 0 分"
    share = (value - threshold) / (target - threshold)
    earned = quantize(base + (points - base) * share)
    formula = (
        f"{pts(points)} × ({show(value)} − {show(threshold)}) ÷ ({show(target)} − {show(threshold)})"
        if base == 0
        else f"{pts(base)} + ({pts(points)} − {pts(base)}) × ({show(value)} − {show(threshold)}) ÷ "
        f"({show(target)} − {show(threshold)})"
    )
    return earned, f"{head}，按线性计分 {formula}，得 {pts(earned)} 分"


def _banded(params, points, value, show, label):
    bands = _bands(params, points, label)
    right = params.get("closed", "left") == "right"
    for band in bands:
        lo, hi = band[0], band[1]
        above_lo = lo is None or (value > lo if right else value >= lo)
        below_hi = hi is None or (value <= hi if right else value < hi)
        if above_lo and below_hi:
            where = _band_text(lo, hi, right, show)
            if len(band) == 3:
                earned = quantize(band[2])
                return earned, f"落在区间 {where}，得 {pts(earned)} 分"
            s_lo, s_hi = band[2], band[3]
            earned = quantize(s_lo + (s_hi - s_lo) * (value - lo) / (hi - lo))
            return earned, f"落在区间 {where}，区间内插值得 {pts(earned)} 分"
    return ZERO, "不在任何计分区间内，得 0 分"


def _band_text(lo, hi, right: bool, show) -> str:
    if lo is None:
        return f"{'≤' if right else '<'}{show(hi)}"
    if hi is None:
        return f"{'>' if right else '≥'}{show(lo)}"
    return f"{'(' if right else '['}{show(lo)}, {show(hi)}{']' if right else ')'}"


def _per_occurrence(spec: ItemSpec, count: int) -> Scored:
    if count < 0:
        raise MethodError(f"{spec.label}的次数不能为负数")
    params = spec.params
    per = number(params["per"], "每次分值")
    cap = number(params.get("cap") or spec.points, "上限")
    amount = min(per * count, cap)
    capped = "（已达上限）" if per * count > cap else ""
    if params.get("mode", "deduct") == "add":
        earned = quantize(amount)
        text = f"{count} 次 × {pts(per)} 分 = {pts(per * count)} 分{capped}，得 {pts(earned)} 分"
    else:
        earned = quantize(spec.points - amount)
        text = f"{count} 次，每次扣 {pts(per)} 分，扣 {pts(amount)} 分{capped}，得 {pts(earned)} 分"
    return Scored(earned, Status.SCORED, text)


def _better_of(spec: ItemSpec, obs: Observation) -> Scored:
    params = spec.params
    achieve = params["achievement"]
    achieved, a_text = _measure(
        achieve["method"], achieve, spec.points, obs.value, spec, obs.target
    )
    if obs.previous is None:
        return Scored(achieved, Status.SCORED, f"达标计分：{a_text}；上期无数据，按达标计分")
    change = obs.value - obs.previous
    if params.get("direction", "higher") == "lower":
        change = -change
    improve = params["improvement"]
    improved, i_text = _measure(improve["method"], improve, spec.points, change, spec)
    better = max(achieved, improved)
    which = "达标计分" if achieved >= improved else "改善计分"
    return Scored(
        better,
        Status.SCORED,
        f"达标计分：{a_text}；改善 {_signed(change, spec)}，改善计分：{i_text}；"
        f"取较高者（{which}）{pts(better)} 分",
    )


def _signed(change: Decimal, spec: ItemSpec) -> str:
    unit = "个百分点" if spec.unit == "%" else spec.unit
    text = figure(abs(change), unit, spec.decimals)
    return f"+{text}" if change >= 0 else f"−{text}"


def _evidence(spec: ItemSpec, obs: Observation) -> Scored:
    required = int(number(spec.params.get("required", 1) or 1, "应报送份数"))
    if obs.window is None:
        return _missing(spec, Status.MISSING)
    first, last = obs.window
    inside = sum(1 for day in obs.dates if first <= day <= last)
    late = len(obs.dates) - inside
    window = f"{first:%Y-%m-%d} 至 {last:%Y-%m-%d}"
    extra = f"（另有 {late} 份不在期限内）" if late else ""
    if inside >= required:
        earned = spec.points
    elif spec.params.get("partial"):
        earned = quantize(spec.points * inside / required)
    else:
        earned = ZERO
    return Scored(
        earned,
        Status.SCORED,
        f"应于 {window} 报送 {required} 份，按时报送 {inside} 份{extra}，得 {pts(earned)} 分",
    )


def _manual(spec: ItemSpec, obs: Observation) -> Scored:
    if obs.manual is None:
        return Scored(ZERO, Status.PENDING, "待评分")
    if not ZERO <= obs.manual <= spec.points:  # checked on entry; a changed version is not
        raise MethodError(
            f"{spec.label}的得分 {pts(obs.manual)} 超出本项分值 {pts(spec.points)} 分"
        )
    reason = f"（{obs.reason.strip()}）" if obs.reason.strip() else ""
    return Scored(quantize(obs.manual), Status.SCORED, f"评分 {pts(obs.manual)} 分{reason}")


def check_manual(spec: ItemSpec, value: Decimal, reason: str, section: str = "normal") -> None:
    """A manual score: within 0–points, two decimals at most, and a reason when points were
    lost (a normal item below full points, a 扣分 item above 0; a 加分 item needs none)."""
    if value < 0:
        raise MethodError(f"{spec.label}的得分不能为负数")
    if value > spec.points:
        raise MethodError(f"{spec.label}的得分 {pts(value)} 超过本项分值 {pts(spec.points)} 分")
    if value != quantize(value):
        raise MethodError(f"{spec.label}的得分最多保留两位小数")
    lost = value > 0 if section == "penalty" else value < spec.points and section != "bonus"
    if lost and len((reason or "").strip()) < 2:
        raise MethodError(f"{spec.label}扣分须说明理由")


# -- rank-based items (scored over all units at once) -----------------------------------------


def score_ranked(spec: ItemSpec, values: dict[str, Decimal | None]) -> dict[str, Scored]:
    """名次法: units with a value are ranked (ties share a rank: 1, 1, 3); the others take the
    item's missing rule. steps: points − (rank − 1) × step, not below 0. proportional: points ×
    value ÷ best (higher) or best ÷ value (lower)."""
    params = spec.params
    lower = params.get("direction", "higher") == "lower"
    present = {key: v for key, v in values.items() if v is not None}
    ranks = competition_ranks(present, higher_better=not lower)
    out: dict[str, Scored] = {}
    best = (min if lower else max)(present.values()) if present else None
    n = len(present)
    for key, value in values.items():
        if value is None:
            out[key] = _missing(spec, Status.MISSING)
            continue
        rank = ranks[key]
        if params.get("mode", "steps") == "steps":
            step = number(params["step"], "每名次递减分值")
            earned = quantize(max(spec.points - (rank - 1) * step, ZERO))
            text = f"{n} 个单位中列第 {rank} 名，每低一名减 {pts(step)} 分，得 {pts(earned)} 分"
        else:
            share = _proportion(value, best, lower)
            earned = quantize(spec.points * share)
            show = _shower(spec)
            text = f"{n} 个单位中列第 {rank} 名，最优 {show(best)}，按与最优之比得 {pts(earned)} 分"
        out[key] = Scored(earned, Status.SCORED, text)
    return out


def _proportion(value: Decimal, best: Decimal, lower: bool) -> Decimal:
    if lower:
        if value == best:
            return ONE
        return ZERO if value <= 0 else best / value
    if best <= 0:
        return ONE if value == best else ZERO
    return value / best


def competition_ranks(values: dict[str, Decimal], *, higher_better: bool = True) -> dict[str, int]:
    """Standard competition ranking: equal values share a rank and the next rank skips
    (92, 92, 90 → 1, 1, 3). Keys of equal value keep their given order."""
    ordered = sorted(values.items(), key=lambda kv: -kv[1] if higher_better else kv[1])
    ranks: dict[str, int] = {}
    previous, rank = None, 0
    for position, (key, value) in enumerate(ordered, start=1):
        if value != previous:
            rank, previous = position, value
        ranks[key] = rank
    return ranks
