"""Parsing DHIS2 analytics dimensions: `dx:A;B`, `pe:2026Q1;LAST_12_MONTHS`, `ou:X;LEVEL-3`.

dx   indicators or data elements by uid or code; `ELEMENT.OPTION` for one option of an element.
pe   period ids (2026, 2026S1, 2026Q1, 202601…) and DHIS2's common relative periods
     (THIS_YEAR, LAST_12_MONTHS, QUARTERS_THIS_YEAR…, counted from today).
ou   units by uid or code, and the keywords
       LEVEL-n            the units at absolute level n inside the given units (boundaries)
       CHILDREN           the children of the given units (our addition; DHIS2 spells it with
                          USER_ORGUNIT_CHILDREN or a level)
       OU_GROUP-g         the members of group g (uid or code) inside the given units
       USER_ORGUNIT, USER_ORGUNIT_CHILDREN, USER_ORGUNIT_GRANDCHILDREN
     As in DHIS2, when LEVEL-n, CHILDREN or OU_GROUP appear the listed units are boundaries
     and not rows themselves; without listed units the user's own units are the boundaries.

Every unit asked for must lie in the user's VIEW scope.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from weijian import periods
from weijian.indicators.models import Indicator
from weijian.orgs.models import OrgUnit, OrgUnitGroup
from weijian.orgs.scope import Can, get_scope
from weijian.reporting.models import CategoryOption, DataElement

from .errors import bad_request, conflict
from .schemes import IdScheme, lookup_any, lookup_any_option

DIMENSIONS = ("dx", "pe", "ou")
DIMENSION_NAMES = {"dx": "数据", "pe": "期间", "ou": "组织机构"}


@dataclass(frozen=True)
class DxItem:
    code: str  # what the engine is asked for: "OPD", "OPD.MALE" or an indicator code
    obj: Indicator | DataElement
    option: CategoryOption | None = None

    def output_id(self, scheme: IdScheme) -> str:
        if self.option is None:
            return scheme.of(self.obj)
        separator = " " if scheme is IdScheme.NAME else "."
        return f"{scheme.of(self.obj)}{separator}{scheme.of(self.option)}"

    @property
    def name(self) -> str:
        return f"{self.obj.name}（{self.option.name}）" if self.option else self.obj.name


@dataclass
class Request:
    """A parsed analytics request: the items of each dimension and which are filters."""

    dx: list[DxItem] = field(default_factory=list)
    pe: list[periods.Period] = field(default_factory=list)
    ou: list[OrgUnit] = field(default_factory=list)
    filters: set[str] = field(default_factory=set)
    order: list[str] = field(default_factory=list)  # the dimensions that are columns, in order


def split_dimension(text: str) -> tuple[str, list[str]]:
    name, _, items = (text or "").partition(":")
    name = name.strip()
    if name not in DIMENSIONS:
        raise conflict(f"不支持的维度“{name}”，目前支持 dx（数据）、pe（期间）、ou（组织机构）")
    values = [item.strip() for item in items.split(";") if item.strip()]
    if not values:
        raise conflict(f"维度“{name}”没有指定任何项目（应写成 {name}:项目1;项目2）")
    return name, values


def parse_request(user, dimensions: list[str], filters: list[str]) -> Request:
    request = Request()
    seen: dict[str, list[str]] = {}
    for text, is_filter in [(d, False) for d in dimensions] + [(f, True) for f in filters]:
        name, items = split_dimension(text)
        if name in seen:
            raise conflict(f"维度“{name}”重复出现")
        seen[name] = items
        if is_filter:
            request.filters.add(name)
        else:
            request.order.append(name)
    for name in DIMENSIONS:
        if name not in seen:
            raise conflict(
                f"缺少维度“{name}”（{DIMENSION_NAMES[name]}），请用 dimension 或 filter 指定"
            )
    request.dx = resolve_dx(seen["dx"])
    request.pe = resolve_pe(seen["pe"])
    request.ou = resolve_ou(user, seen["ou"])
    for name in request.filters:
        if len(getattr(request, name)) != 1:
            raise conflict(f"筛选维度（filter）{name} 目前只支持一个项目；多个项目请改用 dimension")
    return request


# -- dx --------------------------------------------------------------------------------


def resolve_dx(items: list[str]) -> list[DxItem]:
    wanted = {item.partition(".")[0] for item in items}
    indicators = lookup_any(Indicator, wanted)
    elements = lookup_any(DataElement, wanted - set(indicators))
    options = lookup_any_option({item.partition(".")[2] for item in items if "." in item})
    result, unknown = [], []
    for item in items:
        head, _, tail = item.partition(".")
        if tail:
            element, option = elements.get(head), options.get(tail)
            if element is None or option is None:
                unknown.append(item)
            else:
                result.append(DxItem(f"{element.code}.{option.code}", element, option))
        elif head in indicators:
            result.append(DxItem(indicators[head].code, indicators[head]))
        elif head in elements:
            result.append(DxItem(elements[head].code, elements[head]))
        else:
            unknown.append(item)
    if unknown:
        raise conflict(f"找不到指标或数据元：{'、'.join(unknown)}", error_code="E7143")
    return list(dict.fromkeys(result))


# -- pe --------------------------------------------------------------------------------

_LAST_N = re.compile(r"^LAST_(\d+)_(MONTHS|QUARTERS|SIXMONTHS|YEARS)$")
_TYPES = {
    "MONTH": periods.PeriodType.MONTHLY,
    "MONTHS": periods.PeriodType.MONTHLY,
    "QUARTER": periods.PeriodType.QUARTERLY,
    "QUARTERS": periods.PeriodType.QUARTERLY,
    "SIX_MONTH": periods.PeriodType.SIXMONTHLY,
    "SIXMONTH": periods.PeriodType.SIXMONTHLY,
    "SIXMONTHS": periods.PeriodType.SIXMONTHLY,
    "YEAR": periods.PeriodType.YEARLY,
    "YEARS": periods.PeriodType.YEARLY,
}


def relative_periods(keyword: str, today: dt.date) -> list[periods.Period] | None:
    """DHIS2's relative periods, or None when `keyword` is not one."""
    if keyword.startswith("THIS_") and keyword[5:] in _TYPES:
        return [periods.Period.containing(_TYPES[keyword[5:]], today)]
    if keyword.startswith("LAST_") and keyword[5:] in _TYPES:
        return [periods.last_ended(_TYPES[keyword[5:]], today)]
    match = _LAST_N.match(keyword)
    if match:
        count, unit = int(match.group(1)), _TYPES[match.group(2)]
        if not 1 <= count <= 120:
            return None
        result = [periods.last_ended(unit, today)]
        while len(result) < count:
            result.insert(0, result[0].previous())
        return result
    for prefix, year in (("_THIS_YEAR", today.year), ("_LAST_YEAR", today.year - 1)):
        if keyword.endswith(prefix) and keyword[: -len(prefix)] in _TYPES:
            return periods.parse(str(year)).periods_within(_TYPES[keyword[: -len(prefix)]])
    return None


def resolve_pe(items: list[str], today: dt.date | None = None) -> list[periods.Period]:
    today = today or timezone.localdate()
    result: list[periods.Period] = []
    for item in items:
        relative = relative_periods(item.upper(), today)
        if relative is not None:
            result.extend(relative)
            continue
        try:
            result.append(periods.parse(item))
        except periods.PeriodError as exc:
            raise conflict(str(exc), error_code="E7104") from None
    return list(dict.fromkeys(result))


# -- ou --------------------------------------------------------------------------------

_USER_KEYWORDS = {"USER_ORGUNIT": 0, "USER_ORGUNIT_CHILDREN": 1, "USER_ORGUNIT_GRANDCHILDREN": 2}


def resolve_ou(user, items: list[str]) -> list[OrgUnit]:
    scope = get_scope(user)
    explicit_ids, levels, groups, children = [], set(), [], False
    user_depths: set[int] = set()
    for item in items:
        keyword = item.upper()
        if keyword.startswith("LEVEL-"):
            level = keyword[6:]
            if not (level.isdigit() and len(level) <= 3 and 1 <= int(level) <= 100):
                raise conflict(f"“{item}”不是有效的层级，应写成 LEVEL-2 这样的形式")
            levels.add(int(level))
        elif keyword == "CHILDREN":
            children = True
        elif keyword.startswith("OU_GROUP-"):
            groups.append(item[9:])
        elif keyword in _USER_KEYWORDS:
            user_depths.add(_USER_KEYWORDS[keyword])
        else:
            explicit_ids.append(item)
    found = lookup_any(OrgUnit, explicit_ids)
    unknown = [i for i in explicit_ids if i not in found]
    if unknown:
        raise conflict(f"找不到组织机构：{'、'.join(unknown)}", error_code="E7124")
    refused = [i for i in explicit_ids if not scope.can(Can.VIEW, found[i])]
    if refused:
        raise conflict(f"您没有组织机构“{'、'.join(refused)}”的查看权限", error_code="E7120")
    explicit = [found[i] for i in explicit_ids]
    roots = _user_roots(scope) if user_depths or not explicit else []
    result: list[OrgUnit] = []
    if levels or children or groups:
        boundaries = explicit + (roots if 0 in user_depths or not explicit else [])
        result += _inside(boundaries, levels, children, _groups(groups))
    else:
        result += explicit
        if 0 in user_depths:
            result += roots
    for depth in sorted(user_depths - {0}):
        result += _below(roots, depth)
    if not result:
        raise conflict("组织机构维度没有得到任何机构（检查层级或分组是否在所选机构之内）")
    return list({unit.pk: unit for unit in result}.values())


def _user_roots(scope) -> list[OrgUnit]:
    if scope.is_everything:
        return list(OrgUnit.get_root_nodes())
    roots = scope.root_units(Can.VIEW)
    if not roots:
        raise conflict("您没有任何组织机构的查看权限")
    return roots


def _subtree_q(boundaries: list[OrgUnit]) -> Q:
    condition = Q(pk__in=[])
    for unit in boundaries:
        condition |= Q(path__startswith=unit.path)
    return condition


def _inside(boundaries, levels: set[int], children: bool, groups) -> list[OrgUnit]:
    units = OrgUnit.objects.filter(_subtree_q(boundaries))
    wanted = Q(pk__in=[])
    if levels:
        wanted |= Q(depth__in=levels)
    if children:
        for unit in boundaries:
            wanted |= Q(path__startswith=unit.path, depth=unit.depth + 1)
    if groups:
        wanted |= Q(groups__in=groups)
    return list(units.filter(wanted).distinct().order_by("path"))


def _below(roots: list[OrgUnit], generations: int) -> list[OrgUnit]:
    condition = Q(pk__in=[])
    for unit in roots:
        condition |= Q(path__startswith=unit.path, depth=unit.depth + generations)
    return list(OrgUnit.objects.filter(condition).order_by("path"))


def _groups(identifiers: list[str]) -> list[OrgUnitGroup]:
    if not identifiers:
        return []
    found = lookup_any(OrgUnitGroup, identifiers)
    unknown = [i for i in identifiers if i not in found]
    if unknown:
        raise conflict(f"找不到机构分组：{'、'.join(unknown)}")
    return list(found.values())


def parse_output_scheme(value) -> IdScheme:
    if not value:
        return IdScheme.UID
    text = str(value).strip().upper()
    if text in ("UID", "ID"):
        return IdScheme.UID
    if text in ("CODE", "NAME"):
        return IdScheme(text)
    raise bad_request(f"参数“outputIdScheme”的值“{value}”无效，应为 UID、CODE 或 NAME")
