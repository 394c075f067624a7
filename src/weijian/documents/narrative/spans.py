"""Spans: text as a tuple of plain strings and `Figure`s (numbers with their source), and
the small tools that join, fill and enumerate them."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .numbers import Quantity

# ---------------------------------------------------------------------------------------------
# Spans


@dataclass(frozen=True)
class Figure:
    """A number as it will be printed, with where it came from."""

    text: str  # "12.35万人次", "3.2个百分点", "96.50%"
    value: Decimal  # the unrounded value the text was made from
    source: Mapping = field(hash=False)  # opaque provenance, passed through untouched

    def __str__(self) -> str:
        return self.text


Span = str | Figure
Text = tuple[Span, ...]


def plain(text: Text) -> str:
    """The text as printed."""
    return "".join(span if isinstance(span, str) else span.text for span in text)


def figures(text: Text) -> list[Figure]:
    """The figures of a text, in order."""
    return [span for span in text if isinstance(span, Figure)]


_DIGITS = re.compile(r"[0-9０-９]+")
_YEARS = re.compile(r"(?<![0-9])[12][0-9]{3}(?=年)")


def stray_numbers(text: Text, *, ignore_years: bool = False) -> list[str]:
    """Digits printed outside any Figure (a number without provenance): should be empty.
    With `ignore_years`, a calendar year written as a label ("2027年") is not counted."""
    found: list[str] = []
    for span in text:
        if isinstance(span, str):
            if ignore_years:
                span = _YEARS.sub("", span)
            found.extend(_DIGITS.findall(span))
    return found


def join(parts: Iterable[Text | None], sep: str = "，") -> Text:
    """Join clauses, skipping empty ones (a clause without data is simply left out)."""
    kept = [part for part in parts if part and plain(part).strip(_END_PUNCT)]
    out: list[Span] = []
    for index, part in enumerate(kept):
        if out:
            out.append(sep)
        out.extend(_strip_end(part) if index < len(kept) - 1 else part)
    return _merge(out)


def sentence(*parts: Text | None, sep: str = "，") -> Text:
    """Clauses joined by `sep` and closed with "。"; () when every clause is empty. With
    sep="；" it is the run of indicator clauses the model texts use ("门诊…，比去年同期增长…；
    出院…，比去年同期…。")."""
    body = join(parts, sep=sep)
    if not body:
        return ()
    return _merge([*_strip_end(body), "。"])


def merge(spans: Iterable[Span]) -> Text:
    """Spans (strings and figures) as one canonical Text: adjacent strings merged, empty
    strings dropped. The way to put a lead-in before a clause: merge(["从科室看，", *clause])."""
    return _merge(spans)


def _merge(spans: Iterable[Span]) -> Text:
    """Adjacent strings merged, empty strings dropped: a canonical Text."""
    out: list[Span] = []
    for span in spans:
        if isinstance(span, str):
            if not span:
                continue
            if out and isinstance(out[-1], str):
                out[-1] = out[-1] + span
                continue
        out.append(span)
    return tuple(out)


_END_PUNCT = "。；;，,、 \t\n"


def _strip_end(text: Text) -> Text:
    spans = list(text)
    while spans and isinstance(spans[-1], str):
        stripped = spans[-1].rstrip(_END_PUNCT)
        if stripped:
            spans[-1] = stripped
            break
        spans.pop()
    return tuple(spans)


# ---------------------------------------------------------------------------------------------
# Deterministic variety


def choose(variants: Sequence, key: str):
    """Pick one of `variants` by a stable hash of `key` (same key → same pick, across runs)."""
    if not variants:
        raise ValueError("choose() needs at least one variant")
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return variants[int.from_bytes(digest[:8], "big") % len(variants)]


def key_of(*quantities: Quantity | None, extra: str = "") -> str:
    """A stable key from the quantities' sources (indicator, period, unit …)."""
    parts = [
        json.dumps(dict(q.source), sort_keys=True, ensure_ascii=False, default=str)
        for q in quantities
        if q is not None
    ]
    return "|".join([*parts, extra])


_SLOT = re.compile(r"\{(\w+)\}")


def fill(template: str, **slots: Span | Text) -> Text:
    """Fill "{name}" slots of a phrase template with strings, figures or texts."""
    out: list[Span] = []
    pos = 0
    for match in _SLOT.finditer(template):
        out.append(template[pos : match.start()])
        slot = slots[match.group(1)]
        if isinstance(slot, tuple):
            out.extend(slot)
        else:
            out.append(slot)
        pos = match.end()
    out.append(template[pos:])
    return _merge(out)


# ---------------------------------------------------------------------------------------------
# Enumerations and statements

ORDINALS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]


def enumerate_points(points: list[Text]) -> Text:
    """Inline enumeration "一是…；二是…；三是…。" (empty points skipped; a single point stands alone).
    More than ten points is a template error: ValueError."""
    items = [_strip_end(p) for p in points if p and plain(p).strip(_END_PUNCT)]
    if not items:
        return ()
    if len(items) == 1:
        return _merge([*items[0], "。"])
    if len(items) > len(ORDINALS):
        raise ValueError(f"一是…十是 最多十项，这里有{len(items)}项")
    out: list[Span] = []
    for index, item in enumerate(items):
        out.append(f"{ORDINALS[index]}是")
        out.extend(item)
        out.append("；" if index < len(items) - 1 else "。")
    return _merge(out)
