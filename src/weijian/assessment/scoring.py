"""A unit's total on a 考核方案 (Django-free): the dimension tree, reweighting of excluded
items, 加分/扣分 outside the 100, 一票否决 effects, grade bands, ranking with ties.

    tree = Node("ROOT", "总分", 100, children=(Node("1", "医疗质量", 40, children=(…)), …))
    result = total(tree, earned={"1.1": Decimal("8"), "1.2": None, …}, vetoes=[…], grades=…)

Rules (as offices apply them, and as the tests check by hand):
- An item's points are what its method earned; an excluded item (None) leaves its dimension,
  and the dimension rescales: score = Σ earned ÷ Σ points of the applicable children × the
  dimension's points (“该项不参与考核，按其余项目得分折算”). A dimension whose every child is
  excluded is excluded in turn, one level up; a scheme with nothing applicable has no total.
- Children never score above their parent: a dimension is capped at its points, and floored
  at 0 (扣完为止).
- 加分 and 扣分 sections sit outside the 100: total = base + min(Σ加分, cap) − min(Σ扣分, cap),
  not below 0.
- Every figure is rounded to 0.01 (四舍五入) where it is shown, and the total is the sum of the
  shown section scores plus the shown bonus minus the shown deduction, so the printed figures
  always add up.
- 一票否决 effects: TOTAL_ZERO (总分计0分), SECTION_ZERO (某维度计0分), GRADE_CAP (等次不高于
  某档, by default 不合格), REVOKE_HONOURS (取消评先评优), PAY_CUT (绩效扣减比例, applied to the
  money); several may apply at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from .methods import MethodError, competition_ranks
from .numbers import pts, quantize

ZERO = Decimal(0)


class Section(StrEnum):
    NORMAL = "normal"  # inside the 100
    BONUS = "bonus"  # 加分项, outside the 100, capped at the section's points
    PENALTY = "penalty"  # 扣分项, outside the 100, capped at the section's points


SECTION_LABELS = {Section.NORMAL: "考核项目", Section.BONUS: "加分项", Section.PENALTY: "扣分项"}


@dataclass(frozen=True)
class Node:
    code: str
    name: str
    points: Decimal
    children: tuple[Node, ...] = ()
    section: str = Section.NORMAL

    @property
    def is_item(self) -> bool:
        return not self.children

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


# -- definitions -------------------------------------------------------------------------------


class Mode(StrEnum):
    POINTS = "points"  # 分值制: children's points add up to the parent's
    WEIGHTS = "weights"  # 权重制: children's weights (%) add up to 100 at every level


def check_tree(root: Node, mode: str = Mode.POINTS) -> None:
    """Refuse a tree whose points or weights do not add up, in Chinese, naming the place.

    POINTS: the children of every normal dimension add up to its points. WEIGHTS: the root's
    and each dimension's children are given as weights in % (each 0–100) adding up to 100; use
    `weights_to_points` first, which checks them. 加分/扣分 sections hold items whose points
    may add up to more than the section's cap (the cap bounds what counts)."""
    top = [c for c in root.children if c.section == Section.NORMAL]
    if not top:
        raise MethodError("方案还没有任何考核维度")
    codes: set[str] = set()
    for node in root.walk():
        if node is root:
            continue
        if node.code in codes:
            raise MethodError(f"序号“{node.code}”重复")
        codes.add(node.code)
        if node.points <= 0:
            raise MethodError(f"“{node.code} {node.name}”的分值应大于 0")
    total = sum((c.points for c in top), ZERO)
    if total != root.points:
        raise MethodError(
            f"各考核维度分值合计 {pts(total)} 分，与方案总分 {pts(root.points)} 分不符"
        )
    for node in root.walk():
        if node is root or node.is_item or node.section != Section.NORMAL:
            continue
        inner = sum((c.points for c in node.children), ZERO)
        if inner != node.points:
            raise MethodError(
                f"“{node.code} {node.name}”下各项分值合计 {pts(inner)} 分，"
                f"与该维度分值 {pts(node.points)} 分不符"
            )


def weights_to_points(root: Node) -> Node:
    """A weighted tree (each node's `points` holds its weight in %) as points: a node's points
    = its parent's points × weight ÷ 100. Weights of a level must each be within 0–100 and add
    up to 100."""

    def convert(node: Node, points: Decimal) -> Node:
        normal = [c for c in node.children if c.section == Section.NORMAL]
        for child in node.children:
            if not ZERO < child.points <= 100:
                raise MethodError(
                    f"“{child.code} {child.name}”的权重 {pts(child.points)}% 应在 0 到 100 之间"
                )
        if normal:
            weight = sum((c.points for c in normal), ZERO)
            if weight != 100:
                raise MethodError(
                    f"“{node.code} {node.name}”下各项权重合计 {pts(weight)}%，应为 100%"
                )
        children = tuple(
            convert(c, points * c.points / 100) if c.section == Section.NORMAL else c
            for c in node.children
        )
        return Node(node.code, node.name, points, children, node.section)

    return convert(root, root.points)


# -- grades ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Grade:
    name: str
    minimum: Decimal  # the total needed (≥)


DEFAULT_GRADES = (
    Grade("优秀", Decimal(90)),
    Grade("良好", Decimal(80)),
    Grade("合格", Decimal(60)),
    Grade("不合格", ZERO),
)


def check_grades(grades: Sequence[Grade]) -> None:
    if not grades:
        raise MethodError("请设置等次（如 优秀≥90、良好≥80、合格≥60、不合格）")
    names = [g.name for g in grades]
    if len(set(names)) != len(names):
        raise MethodError("等次名称重复")
    minima = [g.minimum for g in grades]
    if any(a <= b for a, b in zip(minima, minima[1:], strict=False)):
        raise MethodError("等次须按分数线从高到低排列，分数线不能相同")
    if minima[-1] != 0:
        raise MethodError("最低一档的分数线应为 0（如 不合格：0 分以上）")


def grade_of(total: Decimal | None, grades: Sequence[Grade]) -> str:
    if total is None:
        return ""
    for grade in grades:
        if total >= grade.minimum:
            return grade.name
    return grades[-1].name


def capped_grade(grade: str, cap: str, grades: Sequence[Grade]) -> str:
    """The worse of two grades (a veto caps the grade at `cap`)."""
    order = [g.name for g in grades]
    if cap not in order or grade not in order:
        return cap or grade
    return order[max(order.index(grade), order.index(cap))]


# -- vetoes ------------------------------------------------------------------------------------------


class Effect(StrEnum):
    TOTAL_ZERO = "total_zero"
    SECTION_ZERO = "section_zero"
    GRADE_CAP = "grade_cap"
    REVOKE_HONOURS = "revoke_honours"
    PAY_CUT = "pay_cut"


EFFECT_LABELS = {
    Effect.TOTAL_ZERO: "总分计0分",
    Effect.SECTION_ZERO: "该维度计0分",
    Effect.GRADE_CAP: "等次不得高于规定档次",
    Effect.REVOKE_HONOURS: "取消评先评优资格",
    Effect.PAY_CUT: "扣减绩效",
}


@dataclass(frozen=True)
class Veto:
    name: str
    effect: str
    section: str = ""  # SECTION_ZERO: the dimension's code
    grade: str = ""  # GRADE_CAP: the highest grade allowed (default: the lowest)
    share: Decimal = ZERO  # PAY_CUT: the share of the money withheld (0–1)
    reason: str = ""  # what triggered it (the evidence)


def check_veto(veto: Veto, root: Node, grades: Sequence[Grade]) -> None:
    if veto.effect not in Effect.__members__.values():
        raise MethodError(f"否决规则“{veto.name}”的后果无效")
    if veto.effect == Effect.SECTION_ZERO and veto.section not in {c.code for c in root.children}:
        raise MethodError(f"否决规则“{veto.name}”须指定被计0分的考核维度（一级维度序号）")
    if (
        veto.effect == Effect.GRADE_CAP
        and veto.grade
        and veto.grade not in {g.name for g in grades}
    ):
        raise MethodError(f"否决规则“{veto.name}”的封顶等次“{veto.grade}”不在方案的等次之中")
    if veto.effect == Effect.PAY_CUT and not ZERO < veto.share <= 1:
        raise MethodError(f"否决规则“{veto.name}”的绩效扣减比例应大于 0 且不超过 100%")


# -- totals -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NodeScore:
    code: str
    points: Decimal
    score: Decimal | None  # None: excluded
    rescaled: bool = False  # some child was excluded and the rest were scaled up


@dataclass(frozen=True)
class UnitTotal:
    base: Decimal | None  # the normal sections, after reweighting
    bonus: Decimal  # counted 加分 (≤ cap)
    penalty: Decimal  # counted 扣分 (≤ cap)
    total: Decimal | None
    grade: str
    nodes: dict[str, NodeScore]
    vetoes: tuple[Veto, ...] = ()
    honours_revoked: bool = False
    pay_cut: Decimal = ZERO  # share of the money withheld, the largest of the PAY_CUT vetoes
    notes: tuple[str, ...] = field(default=())

    @property
    def vetoed(self) -> bool:
        return bool(self.vetoes)


def total(
    root: Node,
    earned: Mapping[str, Decimal | None],
    *,
    vetoes: Iterable[Veto] = (),
    grades: Sequence[Grade] = DEFAULT_GRADES,
) -> UnitTotal:
    """One unit's total from its items' earned points (item code → Decimal, None = excluded;
    an item missing from `earned` counts 0)."""
    vetoes = tuple(vetoes)
    walker = _Walker(earned, {v.section for v in vetoes if v.effect == Effect.SECTION_ZERO})
    normal = [c for c in root.children if c.section == Section.NORMAL]
    section_scores = [(c, walker.score(c)) for c in normal]
    applicable = [(c, s) for c, s in section_scores if s is not None]
    base = None
    if applicable:
        base = sum((s for _, s in applicable), ZERO)
        if len(applicable) < len(section_scores):
            # A whole section excluded: the others scale to the scheme's total.
            room = sum((c.points for c, _ in applicable), ZERO)
            base = quantize(base / room * root.points)
    bonus = walker.outside(root, Section.BONUS)
    penalty = walker.outside(root, Section.PENALTY)
    value = None if base is None else max(base + bonus - penalty, ZERO)
    notes = walker.notes
    if value is not None and any(v.effect == Effect.TOTAL_ZERO for v in vetoes):
        notes.append(f"一票否决，总分计0分（原得分 {pts(value)} 分）")
        value = ZERO
    grade = grade_of(value, grades)
    for veto in vetoes:
        if veto.effect == Effect.GRADE_CAP and grade:
            grade = capped_grade(grade, veto.grade or grades[-1].name, grades)
        if veto.effect == Effect.TOTAL_ZERO and grade:
            grade = grades[-1].name
    return UnitTotal(
        base=base,
        bonus=bonus,
        penalty=penalty,
        total=value,
        grade=grade,
        nodes=walker.nodes,
        vetoes=vetoes,
        honours_revoked=any(v.effect in (Effect.REVOKE_HONOURS, Effect.TOTAL_ZERO) for v in vetoes),
        pay_cut=max((v.share for v in vetoes if v.effect == Effect.PAY_CUT), default=ZERO),
        notes=tuple(notes),
    )


class _Walker:
    """Scores the tree bottom-up, keeping every node's shown score."""

    def __init__(self, earned: Mapping[str, Decimal | None], zeroed: set[str]) -> None:
        self.earned, self.zeroed = earned, zeroed
        self.nodes: dict[str, NodeScore] = {}
        self.notes: list[str] = []

    def score(self, node: Node) -> Decimal | None:
        if node.is_item:
            value = self.earned.get(node.code, ZERO)
            value = None if value is None else quantize(min(max(value, ZERO), node.points))
            self.nodes[node.code] = NodeScore(node.code, node.points, value)
            return value
        scores = [(child, self.score(child)) for child in node.children]
        applicable = [(c, s) for c, s in scores if s is not None]
        if not applicable:
            self.nodes[node.code] = NodeScore(node.code, node.points, None)
            return None
        value = sum((s for _, s in applicable), ZERO)
        rescaled = len(applicable) < len(scores)
        if rescaled:
            value = value / sum((c.points for c, _ in applicable), ZERO) * node.points
        value = quantize(min(max(value, ZERO), node.points))
        if node.code in self.zeroed:
            self.notes.append(f"“{node.name}”一票否决，计0分（原得分 {pts(value)} 分）")
            value = ZERO
        self.nodes[node.code] = NodeScore(node.code, node.points, value, rescaled)
        return value

    def outside(self, root: Node, section: str) -> Decimal:
        """Σ of the 加分 (or 扣分) sections, each capped at its points."""
        amount = ZERO
        for child in root.children:
            if child.section != section:
                continue
            items = child.children or (child,)
            raw = sum((self.score(item) or ZERO for item in items), ZERO)
            counted = quantize(min(raw, child.points))
            self.nodes[child.code] = NodeScore(child.code, child.points, counted)
            amount += counted
        return amount


# -- ranking -----------------------------------------------------------------------------------------


def ranks(totals: Mapping[str, Decimal | None], groups: Mapping[str, str] | None = None):
    """Rank per peer group (unit key → group name; units without a group rank together):
    competition ranking on the total, ties share a rank. Units without a total are unranked.
    Returns unit key → (rank, size of its group)."""
    groups = groups or {}
    by_group: dict[str, dict[str, Decimal]] = {}
    for key, value in totals.items():
        if value is not None:
            by_group.setdefault(groups.get(key, ""), {})[key] = value
    out: dict[str, tuple[int, int]] = {}
    for members in by_group.values():
        for key, rank in competition_ranks(members).items():
            out[key] = (rank, len(members))
    return out
