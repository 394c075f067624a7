"""What an activity type's fields are and how a record's values are checked (layer 1: no Django).

A type's fields are a list of `FieldSpec`s (stored as JSON on `ActivityType.fields`). A record's
values are a dict {field key: value} with JSON-friendly values: text, ISO dates, numbers as
strings, counters as ints, booleans, person lists as lists of names. `clean_values` turns what
a user typed (a web form or an .xlsx row) into that dict, or a list of precise Chinese problems.

A type's published figures are `FigureSpec`s: a record count (optionally of records whose
choice/boolean field has a given value) or the sum of one counter field, per unit and month.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    TEXT = "TEXT"
    CHOICE = "CHOICE"
    DATE = "DATE"
    NUMBER = "NUMBER"
    COUNTER = "COUNTER"  # a non-negative integer that is summed per unit and month
    BOOLEAN = "BOOLEAN"
    PEOPLE = "PEOPLE"


KIND_LABELS = {
    Kind.TEXT: "文本",
    Kind.CHOICE: "选择",
    Kind.DATE: "日期",
    Kind.NUMBER: "数值",
    Kind.COUNTER: "计数",
    Kind.BOOLEAN: "是否",
    Kind.PEOPLE: "人员",
}
KINDS_BY_LABEL = {label: kind for kind, label in KIND_LABELS.items()}

TRUE_WORDS = {"是", "有", "按时", "y", "yes", "true", "1", "√"}
FALSE_WORDS = {"否", "无", "未按时", "n", "no", "false", "0", "×"}
PEOPLE_SEPARATORS = re.compile(r"[、,，;；/\s]+")
KEY = re.compile(r"^[A-Z][A-Z0-9_]{0,19}$")
MAX_TEXT = 1000
MAX_COUNTER = 10_000_000


@dataclass(frozen=True)
class FieldSpec:
    key: str  # upper-case code; published counters are named LG_<TYPE>_<KEY>
    label: str
    kind: Kind
    options: tuple[str, ...] = ()
    required: bool = False
    unit: str = ""  # 场, 人次, 份… (for counters and numbers)

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["kind"] = str(self.kind)
        data["options"] = list(self.options)
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FieldSpec:
        return cls(
            key=data["key"],
            label=data["label"],
            kind=Kind(data["kind"]),
            options=tuple(data.get("options") or ()),
            required=bool(data.get("required", False)),
            unit=data.get("unit", ""),
        )

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


@dataclass(frozen=True)
class FigureSpec:
    """One published figure of a type: COUNT of records (where `match` holds) or SUM of a
    counter field (over records where `match` holds)."""

    code: str
    name: str
    unit: str
    op: str  # "COUNT" or "SUM"
    field: str = ""  # the counter summed (SUM only)
    match: dict[str, Any] = dataclasses.field(default_factory=dict)  # field key -> required value

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FigureSpec:
        return cls(
            code=data["code"],
            name=data["name"],
            unit=data.get("unit", ""),
            op=data["op"],
            field=data.get("field", ""),
            match=dict(data.get("match") or {}),
        )

    def compute(self, records: Iterable[Mapping[str, Any]]) -> int | Decimal:
        """The figure over the `values` dicts of one unit's records in one month."""
        chosen = [r for r in records if all(r.get(k) == v for k, v in self.match.items())]
        if self.op == "COUNT":
            return len(chosen)
        total = sum((Decimal(str(r.get(self.field) or 0)) for r in chosen), Decimal(0))
        return int(total) if total == total.to_integral_value() else total


@dataclass(frozen=True)
class Problem:
    where: str  # the field label (or row, for imports)
    reason: str


def default_figures(
    type_code: str, type_name: str, fields: Iterable[FieldSpec]
) -> list[FigureSpec]:
    """Figures for a type an office defined: its record count and the sum of each counter."""
    figures = [FigureSpec(f"LG_{type_code}_EVENTS", f"{type_name}次数", "次", "COUNT")]
    for spec in fields:
        if spec.kind == Kind.COUNTER:
            figures.append(
                FigureSpec(
                    f"LG_{type_code}_{spec.key}",
                    f"{type_name}：{spec.label}",
                    spec.unit,
                    "SUM",
                    spec.key,
                )
            )
    return figures


# -- checking a type definition ---------------------------------------------------------


def check_fields(fields: list[FieldSpec]) -> list[str]:
    """Problems with a type's field list (keys unique and well-formed, choices have options)."""
    problems, seen_keys, seen_labels = [], set(), set()
    if not fields:
        problems.append("至少需要一个字段")
    for spec in fields:
        if not KEY.fullmatch(spec.key):
            problems.append(
                f"字段编码“{spec.key}”不合规：大写英文字母开头，只含大写字母、数字和“_”"
            )
        if spec.key in seen_keys:
            problems.append(f"字段编码“{spec.key}”重复")
        if not spec.label.strip():
            problems.append(f"字段“{spec.key}”缺少名称")
        if spec.label in seen_labels:
            problems.append(f"字段名称“{spec.label}”重复")
        if spec.kind == Kind.CHOICE and not spec.options:
            problems.append(f"选择字段“{spec.label}”至少需要一个选项")
        seen_keys.add(spec.key)
        seen_labels.add(spec.label)
    return problems


def parse_field_lines(
    text: str, existing: Iterable[FieldSpec] = ()
) -> tuple[list[FieldSpec], list[str]]:
    """The type editor's field list, one field per line: `名称 | 类型 | 选项1、选项2 | 单位`.

    Types are 文本、选择、日期、数值、计数、是否、人员; 计数 fields are the counters. A field keeps
    the key of the existing field with the same name, so renaming the type or reordering lines
    keeps stored values; new fields get the next free F<n>."""
    by_label = {spec.label: spec.key for spec in existing}
    used = set(by_label.values())
    counter = 1
    fields, problems = [], []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        parts = [p.strip() for p in re.split(r"[|｜]", line)]
        label = parts[0]
        kind_label = parts[1] if len(parts) > 1 and parts[1] else "文本"
        kind = KINDS_BY_LABEL.get(kind_label)
        if not label:
            problems.append(f"第 {number} 行：缺少字段名称")
            continue
        if kind is None:
            problems.append(
                f"第 {number} 行：类型“{kind_label}”不存在，可用：{'、'.join(KINDS_BY_LABEL)}"
            )
            continue
        options = tuple(o for o in PEOPLE_SEPARATORS.split(parts[2]) if o) if len(parts) > 2 else ()
        unit = parts[3] if len(parts) > 3 else ""
        key = by_label.get(label)
        if key is None:
            while f"F{counter}" in used:
                counter += 1
            key = f"F{counter}"
            used.add(key)
        fields.append(
            FieldSpec(key, label, kind, options if kind == Kind.CHOICE else (), False, unit)
        )
    problems += check_fields(fields)
    return fields, problems


def field_lines(fields: Iterable[FieldSpec]) -> str:
    """The inverse of `parse_field_lines`, for the editor's textarea."""
    lines = []
    for spec in fields:
        parts = [spec.label, spec.kind_label, "、".join(spec.options), spec.unit]
        while parts and not parts[-1]:
            parts.pop()
        lines.append(" | ".join(parts))
    return "\n".join(lines)


# -- checking a record -----------------------------------------------------------------


@dataclass
class CleanRecord:
    title: str
    start: dt.date | None
    end: dt.date | None
    values: dict[str, Any]
    problems: list[Problem]


def parse_date(value: Any) -> dt.date | None:
    """A date from a form (2026-03-05, 2026/3/5, 2026年3月5日, 20260305) or an Excel cell."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text) or re.fullmatch(
        r"(\d{4})(\d{2})(\d{2})", text
    )
    if not match:
        raise ValueError
    return dt.date(*(int(part) for part in match.groups()))


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def clean_record(
    fields: Iterable[FieldSpec],
    title: Any,
    start: Any,
    end: Any,
    raw: Mapping[str, Any],
    today: dt.date | None = None,
    checks: Iterable[tuple[str, str]] = (),
) -> CleanRecord:
    """Check a record's title, dates and field values (`raw` by field key). Every problem is
    listed, by the label the user sees; nothing is partially accepted."""
    problems: list[Problem] = []
    title_text = "" if _blank(title) else str(title).strip()
    if not title_text:
        problems.append(Problem("标题", "不能为空"))
    elif len(title_text) > 200:
        problems.append(Problem("标题", "不能超过 200 个字"))
    start_date = _date(start, "开始日期", problems, required=True)
    end_date = _date(end, "结束日期", problems, required=False)
    if start_date and end_date and end_date < start_date:
        problems.append(
            Problem("结束日期", f"结束日期 {end_date:%Y-%m-%d} 早于开始日期 {start_date:%Y-%m-%d}")
        )
    if start_date and today and start_date > today:
        problems.append(Problem("开始日期", f"{start_date:%Y-%m-%d} 尚未到来，不能登记未来的活动"))
    values: dict[str, Any] = {}
    fields = list(fields)
    for spec in fields:
        value = raw.get(spec.key)
        if _blank(value) or (spec.kind == Kind.PEOPLE and value == []):
            if spec.required:
                problems.append(Problem(spec.label, "不能为空"))
            continue
        try:
            values[spec.key] = clean_value(spec, value)
        except ValueError as error:
            problems.append(Problem(spec.label, str(error)))
    labels = {spec.key: spec.label for spec in fields}
    for smaller, larger in checks:
        low, high = values.get(smaller), values.get(larger)
        if low is not None and high is not None and low > high:
            problems.append(
                Problem(
                    labels[smaller], f"{labels[smaller]}（{low}）不能大于{labels[larger]}（{high}）"
                )
            )
    return CleanRecord(title_text, start_date, end_date or start_date, values, problems)


def _date(value: Any, label: str, problems: list[Problem], *, required: bool) -> dt.date | None:
    if _blank(value):
        if required:
            problems.append(Problem(label, "不能为空"))
        return None
    try:
        return parse_date(value)
    except ValueError:
        problems.append(Problem(label, f"“{value}”不是有效日期（如 2026-03-05）"))
        return None


def clean_value(spec: FieldSpec, value: Any) -> Any:
    """One value, as stored in `Activity.values`; ValueError with a Chinese reason if bad."""
    if spec.kind == Kind.COUNTER:
        number = _number(value)
        if number != number.to_integral_value():
            raise ValueError(f"应为整数，而不是“{value}”")
        if number < 0:
            raise ValueError(f"不能为负数（{value}）")
        if number > MAX_COUNTER:
            raise ValueError(f"数值 {value} 过大")
        return int(number)
    if spec.kind == Kind.NUMBER:
        number = _number(value)
        if number < 0:
            raise ValueError(f"不能为负数（{value}）")
        return format(number.normalize(), "f") if number else "0"
    if spec.kind == Kind.DATE:
        try:
            return parse_date(value).isoformat()
        except ValueError:
            raise ValueError(f"“{value}”不是有效日期（如 2026-03-05）") from None
    if spec.kind == Kind.BOOLEAN:
        if isinstance(value, bool):
            return value
        word = str(value).strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ValueError(f"应填“是”或“否”，而不是“{value}”")
    if spec.kind == Kind.CHOICE:
        text = str(value).strip()
        if text not in spec.options:
            raise ValueError(f"“{text}”不是可选项（可选：{'、'.join(spec.options)}）")
        return text
    if spec.kind == Kind.PEOPLE:
        names = value if isinstance(value, list | tuple) else PEOPLE_SEPARATORS.split(str(value))
        names = [str(n).strip() for n in names if str(n).strip()]
        if any(len(n) > 30 for n in names):
            raise ValueError("人名过长（每人不超过 30 个字，多人用“、”分隔）")
        return names
    text = str(value).strip()
    if len(text) > MAX_TEXT:
        raise ValueError(f"不能超过 {MAX_TEXT} 个字")
    return text


def _number(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValueError(f"应为数字，而不是“{value}”")
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise ValueError(f"应为数字，而不是“{value}”") from None
    if not number.is_finite():
        raise ValueError(f"应为数字，而不是“{value}”")
    return number


def display_value(spec: FieldSpec, value: Any) -> str:
    """A stored value as the user reads it."""
    if value is None or value == "" or value == []:
        return ""
    if spec.kind == Kind.BOOLEAN:
        return "是" if value else "否"
    if spec.kind == Kind.PEOPLE:
        return "、".join(value)
    return str(value)
