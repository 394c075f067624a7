"""Section headings chosen from what the section's own figures did: the section's verdict
(good, bad, mixed, flat), the heading's aspects judged only on the figures its paragraphs and
tables print ("门诊人次稳步增长，入院和出院人次基本持平"), a hold never claimed above a figure
printed as a change the wrong way, and the problems among the section's indicators that keep a
heading from picking the one figure that improved."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from . import narrative as n
from . import verdicts
from .context import Context
from .judgements import enough_cases, movement_of
from .model import Paragraph, Table
from .work_done import contract_problem, contract_statuses


def section_items(spec: dict) -> list[dict]:
    return [i if isinstance(i, dict) else {"dx": i} for i in spec.get("items") or []]


def section_state(ctx: Context, spec: dict) -> str:
    """The section's own verdict (good, bad, mixed, flat) from its items' movements."""
    facts = ctx.facts
    moves = [movement_of(facts, i["dx"], i.get("direction")) for i in section_items(spec)]
    polarities = [m.polarity for m in moves if m is not None and m.direction is not None]
    state = verdicts.overall(polarities)
    if state != "none":
        ctx.polarities.append(state)
    return state


def _heading_move(ctx: Context, dx: str, direction):
    """A figure's movement for a heading, judged against its target, or after a year against
    the unit's 目标责任书 when no indicator target is set; none for a rate whose change stands
    on too few cases (falls 2 → 3 in a ward) to be named a problem: a heading never says
    明显上升 of what 存在的问题 does not list. A target met or missed is judged whatever the
    cases. A figure flat by the verdict's bands whose printed change is a change the wrong way
    is marked slipped (`slipped_in_print`)."""
    facts = ctx.facts
    move = movement_of(facts, dx, direction)
    if move is not None and move.target is None and dx in contract_statuses(ctx):
        move = dataclasses.replace(move, target=contract_statuses(ctx)[dx])
        contract_problem(ctx, dx)  # what the heading says missed, 存在的问题 names
    if move is not None and move.target is None and not enough_cases(facts, dx):
        return None
    if move is not None and not move.sign and slipped_in_print(facts, dx, move.direction):
        move = dataclasses.replace(move, slipped=True)
    return move


def slipped_in_print(facts, dx: str, direction: str | None) -> bool:
    """The paragraph prints a change the wrong way for `dx`: a rate in % whose change shows at
    print precision (the document's third 基本持平 is rewritten to "下降0.37个百分点",
    repeats.py, so a rate is read at its exact change), or another figure beyond the
    paragraphs' own flat band ("与上年基本持平" within 0.5 %)."""
    if direction is None:
        return False
    cur, prev = facts.current(dx), facts.before(dx)
    if not (n.has_value(cur) and n.has_value(prev)) or cur.value == prev.value:
        return False
    exact = Decimal(0) if facts.unit_of(dx) == "%" else Decimal("0.5")
    said = n.plain(n.compare(cur, prev, flat_within=exact, direction=direction))
    if not said or "持平" in said:
        return False
    return (cur.value > prev.value) != (direction == "up")


def printed_codes(ctx: Context, blocks: list, tables: bool = True) -> set[str]:
    """The indicators whose own figures a section's paragraphs (and tables, unless `tables` is
    False) print (a rate said by its events, "跌倒9例次", counts as printed): a heading speaks
    of its paragraphs' figures only — 门诊 said in the opening and not again below is not the
    section's (read 2026-12-07: "基本医疗服务量稳步增长" above 急诊 and 出院 only), and a rate
    the prose leaves to the table (at most three figures are told) is not the heading's either:
    "医院感染发病率有所下降" above a paragraph that never says it reads as a claim unsupported."""
    found: set[str] = set()
    for block in blocks:
        texts = [block.text] if isinstance(block, Paragraph) else []
        if isinstance(block, Table) and tables:
            texts = [cell for row in block.rows for cell in row]
        for text in texts:
            found.update(
                span.source["dx"]
                for span in text
                if isinstance(span, n.Figure) and "dx" in span.source
            )
    parts = ctx.facts.parts
    found.update(dx for dx, (top, _) in parts.items() if top in found)
    return found


def section_heading(ctx: Context, spec: dict, printed: set[str] | None = None) -> str | None:
    """`heading: {lead, prefix, aspects: [{label, items, names, style}], improved}` →
    "业务量基本持平，手术量稳步增长"; None (the template's title stays) when no aspect has a
    verdict. Only the figures the section prints (`printed`, all when None) are judged; an
    aspect with `names` (one per item) is split by what each figure did. `improved: {title,
    items}`: that title only when every printed one of its items improved beyond flat
    ("改善医疗服务，优化就医体验" above satisfaction that rose; else the template's neutral
    title)."""
    found = spec.get("heading")
    if not found:
        return None
    directions = {i["dx"]: i.get("direction") for i in section_items(spec)}

    def shown(dx: str) -> bool:
        return printed is None or dx in printed

    claim = found.get("improved")
    if claim:
        moves = [_heading_move(ctx, dx, directions.get(dx)) for dx in claim["items"] if shown(dx)]
        improved = moves and all(m is not None and m.polarity == "good" for m in moves)
        return ctx.words_in(claim["title"]) if improved else None
    judged: list = []
    for entry in found.get("aspects") or []:
        moves = [
            _heading_move(ctx, dx, directions.get(dx)) if shown(dx) else None
            for dx in entry["items"]
        ]
        if entry.get("names"):
            judged.extend(verdicts.split(entry["label"], moves, entry["names"], entry.get("style")))
        else:
            judged.append(verdicts.aspect(entry["label"], moves, entry.get("style")))
    worse = bool(section_problems(ctx, spec))
    text = verdicts.heading(judged, lead=ctx.words_in(found.get("lead", "")), worse=worse)
    prefix = found.get("prefix", "")
    if text and prefix and not found.get("lead"):
        text = f"{prefix}{text}"
    return text


def section_codes(spec: dict) -> set[str]:
    """Every indicator a section speaks of: its items, its heading's aspects, its zero claims."""
    codes = {i["dx"] for i in section_items(spec)}
    for entry in (spec.get("heading") or {}).get("aspects") or []:
        codes.update(entry["items"])
    for entry in spec.get("zero_events") or []:
        codes.update(c for c in (entry.get("dx"), entry.get("instead")) if c)
    return codes


def section_problems(ctx: Context, spec: dict) -> list:
    """The problems (a death, a safety event, a target or floor missed, a trend for the worse)
    among the section's own indicators: beside one of them a heading that picks the one
    improving figure ("多重耐药菌检出率有所下降" above I类切口感染率 tripled) misleads."""
    codes = section_codes(spec)
    return [p for p in ctx.problems if p.dx in codes and p.tier <= 2]
