"""What the pickers offer, so nobody types a code: units as a tree searched by Chinese name or
pinyin initials, periods as words (2026年7月, 近12个月, 本年至今), indicators by catalogue with
the user's favourites first. The pages still accept codes in their URLs; the pickers only
write them.

Templates: `web/_unit_picker.html`, `web/_period_picker.html`, `web/_indicator_picker.html`;
behaviour in `static/web/pickers.js` (no inline script: the CSP forbids it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from weijian import periods
from weijian.accounts.models import Favourite
from weijian.accounts.queries import favourite_codes
from weijian.indicators.models import Indicator
from weijian.orgs.models import OrgUnit, label_with_ancestors
from weijian.orgs.scope import Can, get_scope
from weijian.orgs.search import initials, matches, normalise

from .pivot_table import with_unit

MAX_RESULTS = 30  # search answers; a longer list is a sign to type more
SCANNED_UNITS = 20_000  # a county has ~3 000 units; a city ~31 000 is searched in two steps

# -- units --------------------------------------------------------------------------------

# How the pivot's unit scope reads as words; the value is what follows the unit's code.
UNIT_SCOPES = {
    "": "本单位",
    "SELF_CHILDREN": "本单位及下级",
    "CHILDREN": "下级各单位",
}


def unit_row(unit: OrgUnit) -> dict:
    return {
        "code": unit.code,
        "name": unit.display_name,
        "label": unit.ancestor_names(),
        "children": bool(unit.numchild),
        "depth": unit.depth,
    }


def unit_answers(user, capability: Can, query: str = "", parent: str = "") -> list[dict]:
    """Units for the picker: the children of `parent`, the units matching `query`, or (with
    neither) the topmost units of the user's scope. Only units the user may reach."""
    scope = get_scope(user)
    if parent:
        unit = OrgUnit.objects.filter(code=parent).first()
        if unit is None or not scope.can(capability, unit):
            return []
        units = list(OrgUnit.objects.get_children(unit).order_by("path")[:500])
    elif normalise(query):
        units = _search(scope, capability, query)
    else:
        units = (
            scope.root_units(capability)
            if not scope.is_everything
            else list(OrgUnit.get_root_nodes())
        )
    label_with_ancestors(units)
    return [unit_row(u) for u in units]


def _search(scope, capability: Can, query: str) -> list[OrgUnit]:
    candidates = (
        scope.units(capability)
        .order_by("depth", "path")
        .only("pk", "path", "depth", "numchild", "code", "name", "short_name")[:SCANNED_UNITS]
    )
    found = []
    for unit in candidates:
        if matches(query, unit.name, unit.short_name, unit.code):
            found.append(unit)
            if len(found) >= MAX_RESULTS:
                break
    return found


@dataclass
class UnitChoice:
    """What a unit picker shows when the page opens: the chosen unit and, for the pivot, the
    scope word; `raw` keeps an ou text the picker cannot show as words (a link's LEVEL-3)."""

    code: str = ""
    label: str = ""
    scope: str = ""
    raw: str = ""


def unit_choice(user, ou_text: str) -> UnitChoice:
    """Read `RMYY`, `RMYY;CHILDREN` or `RMYY;<its children>` back into a unit and a word."""
    items = [i.strip() for i in (ou_text or "").split(";") if i.strip()]
    if not items:
        return UnitChoice()
    head = OrgUnit.objects.filter(code=items[0]).first()
    if head is None or not get_scope(user).can(Can.VIEW, head):
        return UnitChoice(raw=ou_text, label=ou_text)
    label_with_ancestors([head])
    rest = [i.upper() for i in items[1:]]
    if not rest:
        return UnitChoice(head.code, head.ancestor_names())
    if rest == ["CHILDREN"]:
        return UnitChoice(head.code, head.ancestor_names(), "CHILDREN")
    if len(rest) == 1 and rest[0].startswith("LEVEL-") and rest[0][6:].isdigit():
        return UnitChoice(head.code, head.ancestor_names(), rest[0])
    return UnitChoice(head.code, head.ancestor_names(), raw=ou_text)


def level_words(user) -> list[tuple[str, str]]:
    """第N级 for the levels below the user's topmost unit that exist (LEVEL-2 … LEVEL-4)."""
    home = get_scope(user).home_unit()
    top = home.depth if home else 1
    deepest = OrgUnit.objects.order_by("-depth").values_list("depth", flat=True).first() or 1
    return [(f"LEVEL-{n}", f"其中第{n}级各单位") for n in range(top + 1, min(deepest, top + 3) + 1)]


# -- periods -------------------------------------------------------------------------------

TYPE_WORDS = {
    periods.PeriodType.MONTHLY: "月",
    periods.PeriodType.QUARTERLY: "季",
    periods.PeriodType.SIXMONTHLY: "半年",
    periods.PeriodType.YEARLY: "年",
}
PICKED_TYPES = tuple(TYPE_WORDS)


@dataclass
class PeriodGroup:
    key: str  # MONTHLY … or RELATIVE
    label: str
    options: list[tuple[str, str]] = field(default_factory=list)


def period_groups(
    today: dt.date,
    types=PICKED_TYPES,
    years: int = 4,
    relative: bool = False,
    current: bool = False,
    plan_year: bool = False,
) -> list[PeriodGroup]:
    """Periods newest first, grouped by type, as far back as `years` years. Future periods are
    never offered; the running one only with `current` (a dashboard may show it, an entry
    page may not)."""
    groups = []
    if relative:
        groups.append(PeriodGroup("RELATIVE", "常用", relative_options(today)))
    for ptype in types:
        newest = (
            periods.Period.containing(ptype, today) if current else periods.last_ended(ptype, today)
        )
        earliest = dt.date(newest.year - years + 1, 1, 1)
        options, period = [], newest
        while period.start >= earliest:
            options.append((period.id, period.label))
            period = period.previous()
        groups.append(PeriodGroup(ptype.value, f"按{TYPE_WORDS[ptype]}", options))
    if plan_year:  # a plan is written for the coming year: the one future period offered
        coming = str(today.year + 1)
        groups.insert(0, PeriodGroup("PLAN", "计划年度", [(coming, f"{coming}年（下一年度计划）")]))
    return groups


def relative_options(today: dt.date) -> list[tuple[str, str]]:
    """The pivot's usual spans, each as the text the analytics request takes."""
    month = periods.last_ended(periods.PeriodType.MONTHLY, today)
    this_year = [p.id for p in periods.parse(str(month.year)).periods_within(
        periods.PeriodType.MONTHLY) if p.start <= month.start]  # fmt: skip
    return [
        ("LAST_12_MONTHS", "近12个月（逐月）"),
        (";".join(this_year), f"本年至今（{month.year}年1–{month.start.month}月逐月）"),
        ("MONTHS_LAST_YEAR", "上年（逐月）"),
        ("LAST_4_QUARTERS", "近4个季度"),
        ("QUARTERS_THIS_YEAR", "本年各季度"),
        ("LAST_5_YEARS", "近5年"),
    ]


def period_words(text: str, today: dt.date) -> str:
    """A period text as words: 2026年第1季度、2026年第2季度 or 近12个月（逐月）."""
    for value, label in relative_options(today):
        if value == text:
            return label
    words = []
    for item in (i.strip() for i in (text or "").split(";")):
        if not item:
            continue
        try:
            words.append(periods.parse(item).label)
        except periods.PeriodError:
            words.append(item)
    return "、".join(words)


def period_type_of(text: str) -> str:
    try:
        return periods.parse(text).type.value
    except periods.PeriodError:
        return "RELATIVE"


# -- indicators ----------------------------------------------------------------------------


@dataclass
class IndicatorOption:
    code: str
    label: str
    search: str  # what the search box matches: name, its pinyin initials, code
    chosen: bool
    favourite: bool


def indicator_groups(user, chosen) -> dict:
    """The catalogue grouped as the library groups it, favourites first, for the picker."""
    chosen = set(chosen)
    favourites = favourite_codes(user, Favourite.Kind.INDICATOR)
    catalogue = Indicator.objects.only("code", "name", "group", "unit").order_by("group", "code")
    groups: dict[str, list[IndicatorOption]] = {}
    for indicator in catalogue:
        option = IndicatorOption(
            indicator.code,
            with_unit(indicator.name, indicator.unit),
            f"{indicator.name} {initials(indicator.name)} {indicator.code}".lower(),
            indicator.code in chosen,
            indicator.code in favourites,
        )
        groups.setdefault(indicator.group or "其他", []).append(option)
    starred = [o for options in groups.values() for o in options if o.favourite]
    return {
        "favourites": starred,
        "groups": [(g, options, any(o.chosen for o in options)) for g, options in groups.items()],
        "known": {o.code for options in groups.values() for o in options},
    }
