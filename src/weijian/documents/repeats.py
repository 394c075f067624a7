"""A verdict said at most twice in a document. An office writer who has written 基本持平 twice
does not write it a third time: the third flat figure is said by its own small change
("同比提高0.2个百分点"), which is also the more exact statement. Headings and the opening are
read first (they are what the reader sees first), then the sections in order."""

from __future__ import annotations

from decimal import Decimal

from . import narrative as n
from .facts import Facts
from .judgements import comparison_period
from .model import Document, Paragraph, Section, Table, walk

FLAT = "基本持平"
MAX_SAME_VERDICT = 2
_FLAT_PHRASES = ("与上年同期基本持平", "与上年基本持平")


def limit_flat_verdicts(document: Document, facts: Facts) -> None:
    """Rewrites, in place, each single-figure "与上年同期基本持平" after the second 基本持平 of
    the document into the figure's exact change. Grouped ones ("均与…基本持平") and headings
    are kept (a heading's verdict is the section's; a group already says it once)."""
    paragraphs = [b for _, _, b in walk(document) if isinstance(b, Paragraph)]  # opening first
    # headings and grouped ones ("均与…基本持平") stay whatever comes after: counted first
    headings = sum(b.title.count(FLAT) for _, _, b in walk(document) if isinstance(b, Section))
    groups = sum(n.plain(p.text).count(f"均{phrase}") for p in paragraphs for phrase in _FLAT_PHRASES)  # fmt: skip
    said = [headings + groups]
    exact: set[str] = set()  # the figures now said by their change
    for paragraph in paragraphs:
        if paragraph.review or FLAT not in n.plain(paragraph.text):
            continue
        out: list = []
        for span in paragraph.text:
            if isinstance(span, str) and FLAT in span:
                out.extend(_rewrite(span, out, facts, said, exact))
            else:
                out.append(span)
        paragraph.text = n.merge(out)
    for table in (b for _, _, b in walk(document) if isinstance(b, Table)):
        _exact_cells(table, facts, exact)


def _exact_cells(table: Table, facts: Facts, exact: set[str]) -> None:
    """A table row whose figure the prose now says by its change says the same change, not
    持平 (the table and the prose agree)."""
    for row in table.rows:
        dx = next((s.source.get("dx") for cell in row for s in cell if isinstance(s, n.Figure)), None)  # fmt: skip
        if dx not in exact:
            continue
        for index, cell in enumerate(row):
            if n.plain(cell) == "持平":
                cell_text = n.short_change(
                    facts.current(dx), facts.before(dx), flat_within=Decimal(0)
                )
                row[index] = cell_text or cell


def _rewrite(span: str, before: list, facts: Facts, said: list[int], exact: set[str]) -> list:
    """The span with each flat phrase past the budget replaced by its figure's exact change;
    `said` counts the 基本持平 written so far."""
    out: list = []
    rest = span
    while True:
        found = [(rest.find(p), p) for p in _FLAT_PHRASES if p in rest]
        if not found:
            said[0] += rest.count(FLAT)
            out.append(rest)
            return out
        at, phrase = min(found)
        head, rest = rest[:at], rest[at + len(phrase) :]
        said[0] += head.count(FLAT)
        change: n.Text = ()
        if said[0] >= MAX_SAME_VERDICT and not head.endswith("均"):
            change = _exact_change([*before, *out, head], facts)
        if change:
            out.extend([head, *change])
            exact.add(_dx_of(change))
        else:
            said[0] += 0 if head.endswith("均") else 1
            out.extend([head, phrase])


def _exact_change(spans: list, facts: Facts) -> n.Text:
    """The change of the clause's first figure, said exactly ("同比提高0.2个百分点"),
    when it is the unit's own figure for the period; () otherwise (the phrase stays)."""
    clause: list = []
    for span in reversed(spans):  # back to the clause's start (a sample in 括号 is not it)
        if isinstance(span, str) and any(mark in span for mark in "；。："):
            break
        clause.insert(0, span)
    figure = next(
        (s for s in clause if isinstance(s, n.Figure) and "dx" in s.source and "derived" not in s.source),
        None,
    )  # fmt: skip
    if figure is None or figure.source.get("ou") != facts.unit.code:
        return ()
    dx = figure.source["dx"]
    if dx not in facts.known:
        return ()
    cur, prev = facts.current(dx), facts.before(dx)
    if cur.source.get("pe") != figure.source.get("pe") or not n.has_value(cur):
        return ()
    said = n.compare(
        cur, prev, flat_within=Decimal(0), period=comparison_period(facts, dx),
        direction=facts.direction(dx),
    )  # fmt: skip
    return () if not said or "持平" in n.plain(said) else said


def _dx_of(change: n.Text) -> str:
    """The code of the figure a change is of: a derived change names its inputs; "高于上年同期
    的0.104‰" is last year's figure itself."""
    figure = next(s for s in change if isinstance(s, n.Figure))
    inputs = figure.source.get("inputs")
    return inputs[0]["dx"] if inputs else figure.source["dx"]
