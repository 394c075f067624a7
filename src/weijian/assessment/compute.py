"""Scoring a run: measuring every bound item, then scoring items and totals from what is
stored. Reads only; `actions.runs` writes the results.

Two steps, so a manual score or an override re-totals without asking the engine again:

    measure(version, units, period)   data items → (value, explanation, points by the method)
    score(…)                          every item's earned points (override > manual > evidence
                                      > measured), vetoes, totals, grades, ranks per peer group

Rank-based items (名次法) are scored in `measure`, over all the run's units at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal

from weijian import periods
from weijian.indicators.models import Indicator
from weijian.orgs.models import OrgUnit

from . import methods, scoring
from .actions.schemes import item_spec, tree_of
from .bindings import UNIT_OF_TYPE, Collector
from .methods import Method, Observation, Status
from .models import Node, SchemeVersion, Source, Trigger, VetoRule
from .numbers import quantize
from .scoring import Mode

ZERO = Decimal(0)


@dataclass
class Measured:
    value: Decimal | None
    measure: str
    computed: Decimal | None  # the method's points (None: excluded)
    status: str
    explanation: str  # the method's half


@dataclass
class Inputs:
    """What people entered, by (node id, unit id)."""

    manual: dict[tuple[int, int], tuple[Decimal, str]] = field(default_factory=dict)
    overrides: dict[tuple[int, int], Decimal] = field(default_factory=dict)
    evidence: dict[tuple[int, int], list[dt.date]] = field(default_factory=dict)
    hits: dict[int, list[scoring.Veto]] = field(default_factory=dict)  # unit id → approved hits


@dataclass
class ItemScore:
    node: Node
    unit: OrgUnit
    value: Decimal | None
    measure: str
    computed: Decimal | None  # the method's points (out of 100 in a weighted scheme)
    earned: Decimal | None  # what counts: scaled by the weights, or the reviewer's override
    status: str
    explanation: str  # the method's text


@dataclass
class UnitScore:
    unit: OrgUnit
    total: scoring.UnitTotal
    rank: int | None = None
    rank_size: int | None = None
    peer_group: str = ""
    pending: int = 0


@dataclass
class Evaluation:
    items: dict[tuple[int, int], ItemScore]
    units: dict[int, UnitScore]
    hits: dict[tuple[int, int], str]  # (rule id, unit id) → facts, triggered by data


class Tree:
    """A version's nodes, its scoring tree and each item's points in that tree."""

    def __init__(self, version: SchemeVersion) -> None:
        self.version = version
        self.nodes = list(version.nodes.select_related("office"))
        self.root = tree_of(version, self.nodes)
        self.points = {n.code: n.points for n in self.root.walk()}
        parents = {n.parent_id for n in self.nodes}
        self.items = [n for n in self.nodes if n.pk not in parents]
        self.by_code = {n.code: n for n in self.nodes}
        self.rules = list(version.vetoes.all())
        self.grades = version.grade_list()
        codes = {n.binding.get("indicator") for n in self.items if n.source == Source.INDICATOR}
        self.indicators = Indicator.objects.in_bulk(codes - {None, ""}, field_name="code")

    def spec(self, node: Node) -> methods.ItemSpec:
        spec = item_spec(node, self.version.mode)
        indicator = self.indicators.get((node.binding or {}).get("indicator"))
        if indicator is not None:  # the library indicator's unit and decimals, for the text
            unit = indicator.unit or UNIT_OF_TYPE.get(indicator.type, "")
            return replace(spec, unit=unit, decimals=indicator.decimals)
        return spec

    def scale(self, node: Node, earned: Decimal | None) -> Decimal | None:
        """A weighted scheme scores items out of 100: their share of the total by weight."""
        if earned is None or self.version.mode != Mode.WEIGHTS:
            return earned
        return quantize(earned * self.points[node.code] / 100)


def measure(tree: Tree, units: list[OrgUnit], period: periods.Period):
    """Data items' measurements and method points, and the data-triggered vetoes."""
    collector = Collector(units, period)
    data_items = [n for n in tree.items if n.source not in (Source.MANUAL, Source.EVIDENCE)]
    found = collector.measure(data_items)
    out: dict[tuple[int, int], Measured] = {}
    for node in data_items:
        spec = tree.spec(node)
        if node.method == Method.RANK:
            values = {str(u.pk): found[(node.pk, u.pk)].obs.value for u in units}
            for key, scored in methods.score_ranked(spec, values).items():
                m = found[(node.pk, int(key))]
                out[(node.pk, int(key))] = Measured(
                    m.obs.value, m.text, scored.earned, scored.status, scored.text
                )
            continue
        for unit in units:
            m = found[(node.pk, unit.pk)]
            scored = methods.score(spec, m.obs)
            out[(node.pk, unit.pk)] = Measured(
                m.obs.value, m.text, scored.earned, scored.status, scored.text
            )
    data_rules = [r for r in tree.rules if r.trigger != Trigger.MANUAL]
    return out, collector.vetoes(data_rules)


def evidence_window(node: Node, period: periods.Period) -> tuple[dt.date, dt.date]:
    days = int((node.binding or {}).get("due_days", 0) or 0)
    return period.start, period.end + dt.timedelta(days=days)


def score(
    tree: Tree,
    units: list[OrgUnit],
    period: periods.Period,
    measured: dict[tuple[int, int], Measured],
    data_hits: dict[tuple[int, int], str],
    inputs: Inputs,
    peer_of: dict[int, str],
) -> Evaluation:
    items: dict[tuple[int, int], ItemScore] = {}
    rules = {r.pk: r for r in tree.rules}
    units_out: dict[int, UnitScore] = {}
    for unit in units:
        earned: dict[str, Decimal | None] = {}
        pending = 0
        for node in tree.items:
            item = _item(tree, node, unit, period, measured, inputs)
            items[(node.pk, unit.pk)] = item
            earned[node.code] = item.earned
            pending += item.status == Status.PENDING
        vetoes = [_veto(rules[r], facts) for (r, u), facts in data_hits.items() if u == unit.pk]
        vetoes += inputs.hits.get(unit.pk, [])
        total = scoring.total(tree.root, earned, vetoes=vetoes, grades=tree.grades)
        units_out[unit.pk] = UnitScore(
            unit, total, pending=pending, peer_group=peer_of.get(unit.pk, "")
        )
    ranked = scoring.ranks(
        {str(pk): u.total.total for pk, u in units_out.items()},
        {str(pk): g for pk, g in peer_of.items()},
    )
    for key, (rank, size) in ranked.items():
        units_out[int(key)].rank, units_out[int(key)].rank_size = rank, size
    return Evaluation(items, units_out, data_hits)


def _item(tree: Tree, node: Node, unit: OrgUnit, period, measured, inputs: Inputs) -> ItemScore:
    key = (node.pk, unit.pk)
    spec = tree.spec(node)
    if node.method == Method.MANUAL:
        given = inputs.manual.get(key)
        obs = Observation(manual=given[0], reason=given[1]) if given else Observation()
        scored = methods.score(spec, obs)
        value, measure_text = None, ""
    elif node.method == Method.EVIDENCE:
        obs = Observation(
            dates=tuple(inputs.evidence.get(key, ())), window=evidence_window(node, period)
        )
        scored = methods.score(spec, obs)
        value, measure_text = Decimal(len(obs.dates)), f"已报送资料 {len(obs.dates)} 份"
    else:
        m = measured[key]
        scored = methods.Scored(m.computed, m.status, m.explanation)
        value, measure_text = m.value, m.measure
    counted = tree.scale(node, scored.earned)
    earned = inputs.overrides.get(key, counted)
    return ItemScore(
        node, unit, value, measure_text, scored.earned, earned, scored.status, scored.text
    )


def _veto(rule: VetoRule, facts: str) -> scoring.Veto:
    return scoring.Veto(rule.name, rule.effect, rule.section, rule.grade, rule.share, facts)
