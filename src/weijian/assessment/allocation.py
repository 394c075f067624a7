"""Splitting money by score (Django-free): pools, weights, 点值, 保底/封顶, total control, the
shares a veto withholds, and rounding to the fen so the shares always add up to the pool.

    weights = score_weights({"A": 92, "B": 85}, bases={"A": 120, "B": 80})   # score × 人数
    result = allocate(Decimal("100000.00"), [Recipient("A", weights["A"], floor=…), …])
    result.amounts["A"] + result.amounts["B"] + result.returned == Decimal("100000.00")

How the money is split:
1. Each recipient has a weight (score × base, workload × quality coefficient, 工分 …) and may
   have a floor (保底) and a cap (封顶), in yuan. The amount is clamp(λ × weight, floor, cap),
   with the one 点值 λ that makes the amounts add up to the pool; λ is solved exactly (with
   fractions) on the piecewise-linear sum, so floors and caps hold and nothing is lost.
2. Total control (总额控制): more floors than money is refused (a precise message); when
   every recipient is at its cap, the rest is returned (结余), never paid out.
3. A veto withholds a share of a recipient's amount (一票否决扣减): the withheld money is either
   redistributed to the others (their floors and caps still hold) or returned.
4. Rounding: every amount, and the returned money, is cut to the fen and the missing fens go
   one by one to the largest remainders (largest-remainder method; ties to the larger weight,
   then the key). The shares and the returned money add up exactly to the pool. A floor or a
   cap is a whole number of fen, so rounding never breaks it: an amount at its cap has no
   remainder and never receives a fen.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from enum import StrEnum
from fractions import Fraction

from .numbers import CENT, pts, yuan

ZERO = Decimal(0)


class AllocationError(ValueError):
    """Money that cannot be split as asked; the message is Chinese and precise."""


class VetoPolicy(StrEnum):
    REDISTRIBUTE = "redistribute"  # 否决扣减的金额由其他单位按权重分享
    RETURN = "return"  # 否决扣减的金额收回（结余）


@dataclass(frozen=True)
class Recipient:
    key: str
    weight: Decimal  # ≥ 0
    floor: Decimal | None = None  # yuan, whole fen
    cap: Decimal | None = None  # yuan, whole fen
    cut: Decimal = ZERO  # share withheld by a veto, 0–1


@dataclass(frozen=True)
class Share:
    key: str
    weight: Decimal
    amount: Decimal  # yuan, to the fen
    exact: Fraction  # before rounding
    at_floor: bool = False
    at_cap: bool = False
    withheld: Fraction = Fraction(0)  # taken by a veto


@dataclass(frozen=True)
class Allocation:
    pool: Decimal
    shares: dict[str, Share]
    returned: Decimal  # 结余: not paid out (caps reached, or a veto's money returned)
    point_value: Fraction | None  # λ: yuan per unit of weight
    notes: tuple[str, ...] = field(default=())

    @property
    def amounts(self) -> dict[str, Decimal]:
        return {key: share.amount for key, share in self.shares.items()}

    @property
    def paid(self) -> Decimal:
        return sum((s.amount for s in self.shares.values()), ZERO)


def _cents(value: Decimal, what: str) -> Fraction:
    if value is None or value < 0:
        raise AllocationError(f"{what}不能为负数")
    if value != value.quantize(CENT):
        raise AllocationError(f"{what} {value} 须精确到分（两位小数）")
    return Fraction(value)


def check_pool(pool: Decimal) -> Fraction:
    return _cents(pool, "资金总额")


# -- the point value ---------------------------------------------------------------------------------


def _clamped(lam: Fraction, w: Fraction, lo: Fraction, hi: Fraction | None) -> Fraction:
    amount = lam * w
    if amount < lo:
        return lo
    if hi is not None and amount > hi:
        return hi
    return amount


def _solve(total: Fraction, people: list[tuple[Fraction, Fraction, Fraction | None]]):
    """λ ≥ 0 with Σ clamp(λ w, floor, cap) = total, or the largest sum reachable.

    Returns (λ, amounts, reached): `reached` < total only when every recipient that can take
    more is at its cap (or nobody has weight)."""

    def f(lam: Fraction) -> Fraction:
        return sum((_clamped(lam, w, lo, hi) for w, lo, hi in people), Fraction(0))

    floors = sum((lo for _, lo, _ in people), Fraction(0))
    if floors > total:
        raise AllocationError(
            f"保底金额合计 {yuan(_dec(floors))} 超过可分配金额 {yuan(_dec(total))}，无法满足保底，未做分配"
        )
    breaks = sorted(
        {lo / w for w, lo, _ in people if w > 0}
        | {hi / w for w, _, hi in people if w > 0 and hi is not None}
    )
    lam_prev, f_prev = Fraction(0), f(Fraction(0))
    if f_prev >= total:
        return lam_prev, [_clamped(lam_prev, w, lo, hi) for w, lo, hi in people], f_prev
    for lam in breaks:
        value = f(lam)
        if value >= total:
            lam_exact = lam_prev + (total - f_prev) * (lam - lam_prev) / (value - f_prev)
            return lam_exact, [_clamped(lam_exact, w, lo, hi) for w, lo, hi in people], total
        lam_prev, f_prev = lam, value
    slope = sum((w for w, _, hi in people if hi is None), Fraction(0))
    if slope == 0:  # everyone capped (or weightless): the rest is returned
        return lam_prev, [_clamped(lam_prev, w, lo, hi) for w, lo, hi in people], f_prev
    lam_exact = lam_prev + (total - f_prev) / slope
    return lam_exact, [_clamped(lam_exact, w, lo, hi) for w, lo, hi in people], total


def _dec(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(CENT)


# -- allocation ---------------------------------------------------------------------------------------


def allocate(
    pool: Decimal,
    recipients: Sequence[Recipient],
    *,
    veto_policy: str = VetoPolicy.REDISTRIBUTE,
) -> Allocation:
    total = check_pool(pool)
    if not recipients:
        raise AllocationError("没有参与分配的单位")
    keys = [r.key for r in recipients]
    if len(set(keys)) != len(keys):
        raise AllocationError("参与分配的单位重复")
    people = [_person(r) for r in recipients]
    lam, amounts, reached = _solve(total, people)
    exact = dict(zip(keys, amounts, strict=True))
    withheld = {r.key: exact[r.key] * Fraction(r.cut) for r in recipients if r.cut > 0}
    notes = []
    if withheld and veto_policy == VetoPolicy.REDISTRIBUTE:
        kept = {key: exact[key] - amount for key, amount in withheld.items()}
        others = [(r, p) for r, p in zip(recipients, people, strict=True) if r.key not in withheld]
        rest = total - sum(kept.values(), Fraction(0))
        if others:
            lam, amounts, reached_rest = _solve(rest, [p for _, p in others])
            exact = {**kept, **dict(zip((r.key for r, _ in others), amounts, strict=True))}
            reached = sum(kept.values(), Fraction(0)) + reached_rest
        else:
            exact, reached = kept, sum(kept.values(), Fraction(0))
        notes.append(
            f"一票否决扣减 {yuan(_dec(sum(withheld.values(), Fraction(0))))}，由其他单位按权重分享"
        )
    elif withheld:
        for key, amount in withheld.items():
            exact[key] -= amount
        reached -= sum(withheld.values(), Fraction(0))
        notes.append(f"一票否决扣减 {yuan(_dec(sum(withheld.values(), Fraction(0))))}，予以收回")
    returned = total - reached
    if returned > 0:
        notes.append(f"结余 {yuan(_dec(returned))} 未分配（封顶或收回）")
    rounded, rest_cents = _largest_remainder(
        exact, returned, total, {r.key: r.weight for r in recipients}
    )
    shares = {
        r.key: Share(
            key=r.key,
            weight=r.weight,
            amount=rounded[r.key],
            exact=exact[r.key],
            at_floor=p[1] > 0 and exact[r.key] == p[1],
            at_cap=p[2] is not None and exact[r.key] == p[2],
            withheld=withheld.get(r.key, Fraction(0)),
        )
        for r, p in zip(recipients, people, strict=True)
    }
    return Allocation(pool, shares, rest_cents, lam if reached > 0 else None, tuple(notes))


def _person(r: Recipient) -> tuple[Fraction, Fraction, Fraction | None]:
    if r.weight is None or r.weight < 0:
        raise AllocationError(f"“{r.key}”的分配权重不能为负数")
    if not ZERO <= r.cut <= 1:
        raise AllocationError(f"“{r.key}”的扣减比例应在 0 到 100% 之间")
    lo = _cents(r.floor, f"“{r.key}”的保底金额") if r.floor is not None else Fraction(0)
    hi = _cents(r.cap, f"“{r.key}”的封顶金额") if r.cap is not None else None
    if hi is not None and hi < lo:
        raise AllocationError(f"“{r.key}”的封顶金额 {yuan(r.cap)} 低于保底金额 {yuan(r.floor)}")
    return Fraction(r.weight), lo, hi


def _largest_remainder(
    exact: Mapping[str, Fraction],
    returned: Fraction,
    total: Fraction,
    weights: Mapping[str, Decimal],
) -> tuple[dict[str, Decimal], Decimal]:
    """Cut every amount (and the returned money) to the fen; hand the missing fens to the
    largest remainders."""
    RETURNED = "\x00returned"  # sorts apart from every key; ties go to recipients first
    buckets = {**exact, RETURNED: returned}
    cents = {
        key: (value * 100).numerator // (value * 100).denominator for key, value in buckets.items()
    }
    missing = int(total * 100) - sum(cents.values())
    remainders = sorted(
        buckets,
        key=lambda k: (
            -(buckets[k] * 100 - cents[k]),
            k == RETURNED,
            -(weights.get(k) or ZERO),
            k,
        ),
    )
    for key in remainders[:missing]:
        cents[key] += 1
    rounded = {key: Decimal(c) / 100 for key, c in cents.items()}
    returned_amount = rounded.pop(RETURNED).quantize(CENT)
    return {k: v.quantize(CENT) for k, v in rounded.items()}, returned_amount


# -- weights ------------------------------------------------------------------------------------------


class Basis(StrEnum):
    SCORE_X_BASE = "score_x_base"  # 得分 × 基数（人数、服务人口、工分）
    WORKLOAD_X_QUALITY = "workload_x_quality"  # 工作量 × 质量系数（门槛以下为0）
    POINTS = "points"  # 点值法: 点数 = 得分 × 基数 × 等次系数, 点值 = 总额 ÷ Σ点数


BASIS_LABELS = {
    Basis.SCORE_X_BASE: "得分 × 基数",
    Basis.WORKLOAD_X_QUALITY: "工作量 × 质量系数",
    Basis.POINTS: "点值法（得分 × 基数 × 等次系数）",
}


def score_weights(
    scores: Mapping[str, Decimal | None],
    bases: Mapping[str, Decimal] | None = None,
    grade_coefficients: Mapping[str, Decimal] | None = None,
) -> dict[str, Decimal]:
    """weight = score × base × grade coefficient (a missing base or coefficient counts 1; a
    unit without a score weighs 0)."""
    out = {}
    for key, score in scores.items():
        base = (bases or {}).get(key, Decimal(1))
        coefficient = (grade_coefficients or {}).get(key, Decimal(1))
        if base is not None and base < 0:
            raise AllocationError(f"“{key}”的分配基数不能为负数")
        out[key] = ZERO if score is None or base is None else max(score, ZERO) * base * coefficient
    return out


def quality_coefficient(
    score: Decimal | None, threshold: Decimal, full: Decimal = Decimal(100)
) -> Decimal:
    """质量系数 = 得分 ÷ 满分; below the threshold (门槛) 0."""
    if score is None or score < threshold:
        return ZERO
    return score / full


def why_no_weight(
    score: Decimal | None, base: Decimal | None, *, threshold: Decimal | None = None
) -> str:
    """Why a unit's weight is 0, said before its share (“得分 84.81 低于门槛 85 分，质量系数为
    0”), so a 0.00 on the allocation table is never left unexplained; "" when it has weight."""
    if base is None:
        return "未列入分配基数"
    if score is None:
        return "无考核得分"
    if threshold is not None and score < threshold:
        return f"得分 {pts(score)} 低于门槛 {pts(threshold)} 分，质量系数为 0"
    if score <= 0:
        return "得分为 0"
    if base == 0:
        return "分配基数为 0"
    return ""


def workload_weights(
    workloads: Mapping[str, Decimal], scores: Mapping[str, Decimal | None], threshold: Decimal
) -> dict[str, Decimal]:
    return {
        key: max(work, ZERO) * quality_coefficient(scores.get(key), threshold)
        for key, work in workloads.items()
    }


def bounds_from_average(
    pool: Decimal, heads: int, floor_ratio: Decimal | None, cap_ratio: Decimal | None
) -> tuple[Decimal | None, Decimal | None]:
    """保底/封顶 given as multiples of the average (人均): cut down to the fen, so a floor never
    promises a fraction of a fen the pool might not have."""
    if heads <= 0:
        return None, None
    average = pool / heads

    def cut(ratio):
        return None if ratio is None else (average * ratio).quantize(CENT, rounding=ROUND_DOWN)

    return cut(floor_ratio), cut(cap_ratio)


# -- 预拨 and 结算 ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Settlement:
    key: str
    advanced: Decimal  # 预拨
    final: Decimal  # 考核结算应得
    balance: Decimal  # > 0 补拨, < 0 追回 (clawback)

    @property
    def clawback(self) -> bool:
        return self.balance < 0


def advance_amount(pool: Decimal, ratio: Decimal) -> Decimal:
    """预拨总额 = 资金总额 × 预拨比例, cut down to the fen."""
    if not ZERO < ratio <= 1:
        raise AllocationError("预拨比例应大于 0 且不超过 100%")
    return (pool * ratio).quantize(CENT, rounding=ROUND_DOWN)


def settle(final: Mapping[str, Decimal], advanced: Mapping[str, Decimal]) -> dict[str, Settlement]:
    """Per unit: what the assessment gives minus what was advanced (追回 when negative)."""
    keys = list(dict.fromkeys([*advanced, *final]))
    return {
        key: Settlement(
            key,
            advanced.get(key, ZERO),
            final.get(key, ZERO),
            final.get(key, ZERO) - advanced.get(key, ZERO),
        )
        for key in keys
    }


def explain_share(share: Share, point_value: Fraction | None, unit: str = "") -> str:
    """“权重 9 200 × 点值 5.43 = 49 956.52元” with the floor, cap and veto noted."""
    parts = []
    if point_value is not None:
        parts.append(
            f"权重 {pts(share.weight)}{unit} × 点值 {_point(point_value)} = {yuan(_dec(Fraction(share.weight) * point_value))}"
        )
    if share.at_floor:
        parts.append("按保底")
    if share.at_cap:
        parts.append("按封顶")
    if share.withheld:
        parts.append(f"一票否决扣减 {yuan(_dec(share.withheld))}")
    parts.append(f"实发 {yuan(share.amount)}")
    return "，".join(parts)


def _point(value: Fraction) -> str:
    decimal = Decimal(value.numerator) / Decimal(value.denominator)
    return f"{decimal.quantize(Decimal('0.0001')):f}".rstrip("0").rstrip(".")


def totals_match(shares: Iterable[Decimal], returned: Decimal, pool: Decimal) -> bool:
    return sum(shares, ZERO) + returned == pool
