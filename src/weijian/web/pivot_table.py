"""The pivot page's table: a GET query (dx, pe, ou, rows, cols) turned into tables of numbers.

The numbers are the analytics API's answer (`analytics_table.build` with outputIdScheme=CODE,
rounded as the API rounds), only laid out: one dimension down the rows, one across the
columns, and one table per item of the third dimension.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from weijian.api import analytics_table
from weijian.api.dimensions import Request, parse_request
from weijian.api.errors import ApiError
from weijian.api.schemes import IdScheme
from weijian.orgs.models import OrgUnit
from weijian.orgs.scope import get_scope

DEFAULT_PERIODS = "LAST_12_MONTHS"
LAYOUT_NAMES = {"ou": "组织机构", "pe": "期间", "dx": "指标"}


class PivotError(Exception):
    """A query the page cannot answer; `message` is shown to the user in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Item:
    key: str  # dx code, period id or unit code: the key of the API's rows
    label: str
    unit_code: str = ""  # set for org units: the row header links to their children
    has_children: bool = False


@dataclass
class Table:
    title: str  # the item of the third dimension ("" when it has one item only)
    columns: list[Item]
    rows: list[tuple[Item, list[str | None]]]  # cells as the API writes numbers, None = none
    # (row, column) of cells above 100 % whose numerator is a part of the denominator
    impossible: set[tuple[int, int]] = field(default_factory=set)


@dataclass
class Query:
    """What the form says, with defaults filled in."""

    dx: list[str]
    pe: str
    ou: str
    rows: str = "ou"
    cols: str = "pe"
    show_empty: bool = False  # unit or indicator rows without any value are left out

    @property
    def page(self) -> str:
        return next(d for d in ("dx", "pe", "ou") if d not in (self.rows, self.cols))


@dataclass
class Pivot:
    query: Query
    tables: list[Table] = field(default_factory=list)
    units_text: str = ""
    periods_text: str = ""
    hidden_rows: int = 0  # rows left out for having no value at all (largest over the tables)

    @property
    def title(self) -> str:
        return f"数据透视：{self.units_text} · {self.periods_text}"


def split_codes(values) -> list[str]:
    codes: list[str] = []
    for value in values:
        codes += [c.strip() for c in str(value).replace("；", ";").split(";") if c.strip()]
    return list(dict.fromkeys(codes))


def default_units(user) -> str:
    home = get_scope(user).home_unit()
    if home is None:
        return "USER_ORGUNIT;CHILDREN"
    return f"{home.code};CHILDREN" if home.numchild else home.code


# The unit pickers' scope words (`ous`), added to the chosen unit's code.
OU_SCOPES = {"CHILDREN", "SELF_CHILDREN"}


def read_query(user, params) -> Query:
    ou = names_to_codes(user, (params.get("ou") or "").strip()) or default_units(user)
    word = (params.get("ous") or "").strip().upper()
    if word and ";" not in ou:
        if word not in OU_SCOPES and not (word.startswith("LEVEL-") and word[6:].isdigit()):
            raise PivotError(
                f"机构范围只能是本单位、本单位及下级、下级各单位或第N级（收到“{word}”）"
            )
        ou = _with_scope(ou, word)
    query = Query(
        dx=split_codes(params.getlist("dx") + params.getlist("dxt")),
        pe=(params.get("pe") or "").strip() or DEFAULT_PERIODS,
        ou=ou,
        rows=params.get("rows") or "ou",
        cols=params.get("cols") or "pe",
        show_empty=params.get("empty") == "1",
    )
    for name in (query.rows, query.cols):
        if name not in LAYOUT_NAMES:
            raise PivotError(f"行、列只能选择组织机构、期间或指标（收到“{name}”）")
    if query.rows == query.cols:
        raise PivotError("行和列不能选同一个维度，请换一个")
    return query


def _with_scope(code: str, word: str) -> str:
    """本单位及下级 names the unit and its children, because the API's CHILDREN makes the
    unit a boundary rather than a row."""
    if word != "SELF_CHILDREN":
        return f"{code};{word}"
    unit = OrgUnit.objects.filter(code=code).first()
    if unit is None:
        return code
    children = OrgUnit.objects.get_children(unit).order_by("path").values_list("code", flat=True)
    return ";".join([code, *children])


def names_to_codes(user, ou: str) -> str:
    """Let people write a unit's Chinese name where a code is expected (“人民医院;CHILDREN”):
    a name that is nobody's code and names exactly one unit in the user's scope becomes its
    code; anything else is left for the API's lookup and its message."""
    items = split_codes([ou])
    texts = [i for i in items if not i.upper().startswith(_OU_KEYWORDS) and not i.isascii()]
    if not texts:
        return ou
    scope_units = get_scope(user).units()
    for text in texts:
        found = list(
            scope_units.filter(Q(name=text) | Q(short_name=text)).values_list("code", flat=True)[:2]
        )
        if len(found) == 1:
            items[items.index(text)] = found[0]
    return ";".join(items)


def with_unit(name: str, unit: str | None) -> str:
    """ "治愈率（%）"; left alone when the name already ends with its unit: "…强度（DDDs）"."""
    if not unit or name.endswith((f"（{unit}）", f"({unit})")):
        return name
    return f"{name}（{unit}）"


def _items(request: Request, name: str) -> list[Item]:
    if name == "dx":
        return [Item(dx.code, with_unit(dx.name, getattr(dx.obj, "unit", ""))) for dx in request.dx]
    if name == "pe":
        return [Item(p.id, p.label) for p in request.pe]
    return [Item(u.code, u.name, u.code, bool(u.numchild)) for u in request.ou]


_OU_KEYWORDS = ("CHILDREN", "LEVEL-", "OU_GROUP-", "USER_ORGUNIT")


def _units_summary(query: Query, request: Request) -> str:
    """ "人民医院、内科", or what the keywords asked for: "人民医院的下级单位（22 个）"."""
    tokens = split_codes([query.ou])
    keywords = [t.upper() for t in tokens if t.upper().startswith(_OU_KEYWORDS)]
    if not keywords:
        if len(request.ou) <= 3:
            return "、".join(u.name for u in request.ou)
        return f"{request.ou[0].name}等 {len(request.ou)} 个机构"
    named = [t for t in tokens if t.upper() not in keywords]
    names = "、".join(OrgUnit.objects.filter(code__in=named).values_list("name", flat=True))
    what = "、".join(
        "下级单位" if k == "CHILDREN" else f"第 {k[6:]} 层单位" if k.startswith("LEVEL-") else k
        for k in keywords
    )
    return f"{names + '的' if names else ''}{what}（{len(request.ou)} 个）"


def _periods_summary(items: list[Item]) -> str:
    if len(items) <= 2:
        return "、".join(i.label for i in items)
    return f"{items[0].label}至{items[-1].label}"


def build_pivot(user, query: Query) -> Pivot:
    """Raises PivotError (or ApiError from parsing) with a Chinese message."""
    if not query.dx:
        raise PivotError("请至少选择一个指标或填写数据元编码")
    request = parse_request(
        user, [f"dx:{';'.join(query.dx)}", f"pe:{query.pe}", f"ou:{query.ou}"], []
    )
    answer = analytics_table.build(request, IdScheme.CODE, skip_rounding=False, skip_meta=False)
    order = request.order  # ["dx", "pe", "ou"]: the API's row is [dx, pe, ou, value]
    cells: dict[tuple[str, str, str], str] = {}
    for row in answer["rows"]:
        keys = dict(zip(order, row[:-1], strict=True))
        cells[(keys["dx"], keys["pe"], keys["ou"])] = row[-1]

    def cell(**keys) -> str | None:
        return cells.get((keys["dx"], keys["pe"], keys["ou"]))

    # rates that can never pass 100 %: a cell above it is flagged, not shown silently
    bounds = {
        dx.code: Decimal(dx.obj.factor)
        for dx in request.dx
        if getattr(dx.obj, "numerator_within_denominator", False)
    }

    def impossible(**keys) -> bool:
        text = cell(**keys)
        return keys["dx"] in bounds and text is not None and Decimal(text) > bounds[keys["dx"]]

    row_items, col_items = _items(request, query.rows), _items(request, query.cols)
    page_items = _items(request, query.page)
    pivot = Pivot(
        query=query,
        units_text=_units_summary(query, request),
        periods_text=_periods_summary(_items(request, "pe")),
    )
    for page in page_items:
        rows, flagged = [], set()
        for r in row_items:
            keys = [{query.page: page.key, query.rows: r.key, query.cols: c.key} for c in col_items]
            values = [cell(**k) for k in keys]
            # periods stay, so that a time axis has its gaps
            if query.show_empty or query.rows == "pe" or any(v is not None for v in values):
                flagged |= {(len(rows), i) for i, k in enumerate(keys) if impossible(**k)}
                rows.append((r, values))
        pivot.hidden_rows = max(pivot.hidden_rows, len(row_items) - len(rows))
        title = page.label if len(page_items) > 1 or query.page == "dx" else ""
        pivot.tables.append(Table(title, col_items, rows, flagged))
    return pivot


def as_number(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def chart_specs(pivot: Pivot) -> list[dict]:
    """One ECharts description per table: a line over periods when periods are an axis,
    bars otherwise. Plain data only; pivot.js turns it into options."""
    query = pivot.query
    specs = []
    for table in pivot.tables:
        row_labels = [item.label for item, _ in table.rows]
        col_labels = [item.label for item in table.columns]
        grid = [[None if v is None else float(v) for v in values] for _, values in table.rows]
        if query.rows == "pe":  # periods down the rows: they become the x axis
            x, names = row_labels, col_labels
            series_data = [[grid[r][c] for r in range(len(row_labels))] for c in range(len(names))]
        else:
            x, names, series_data = col_labels, row_labels, grid
        kind = "line" if "pe" in (query.rows, query.cols) else "bar"
        if kind == "bar" and query.cols == "dx":  # bars grouped by unit, one series per indicator
            x, names = row_labels, col_labels
            series_data = [[grid[r][c] for r in range(len(row_labels))] for c in range(len(names))]
        specs.append(
            {
                "type": kind,
                "title": table.title,
                "x": x,
                "series": [{"name": n, "data": d} for n, d in zip(names, series_data, strict=True)],
            }
        )
    return specs


__all__ = ["ApiError", "PivotError", "build_pivot", "chart_specs", "read_query"]
