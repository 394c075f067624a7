"""Importing DHIS2 metadata (POST /api/metadata): units, elements, options, categories,
forms, indicator types, indicators and validation rules, referenced by code (or uid).

    report = import_metadata(user, payload, MetadataOptions(dry_run=True))
    report.as_dict()   # DHIS2's ImportReport: status, stats, typeReports with errorReports

Objects are matched by `id` (our uid) and else by `code`; each is saved in its own savepoint,
so a bad object is ignored whole, with its reasons in Chinese, and the others are kept
(atomicMode NONE, the default here), or nothing is kept when any is bad (atomicMode ALL).
Only superusers and bureau administrators (MANAGE at the root of the tree) may import.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from weijian.indicators.expression import (
    CycleError,
    ExpressionError,
    MissingValueStrategy,
    check_no_cycles,
    parse,
)
from weijian.indicators.models import FACTORS, Importance, Indicator, IndicatorType, Operator
from weijian.indicators.models import ValidationRule as Rule
from weijian.orgs.models import OrgUnit, OrgUnitType, code_validator, uid_validator
from weijian.orgs.scope import Can, get_scope
from weijian.reporting import rollups
from weijian.reporting.models import (
    DEFAULT_OPTION_CODE,
    AggregationType,
    Category,
    CategoryMembership,
    CategoryOption,
    DataElement,
    DataValue,
    Form,
    FormElement,
    Submission,
    ValueType,
)

from .errors import forbidden
from .expressions import ExpressionProblem, check_expression
from .resources import PERIOD_TYPES_IN
from .schemes import DEFAULT_CATEGORY_COMBO_UID, DEFAULT_COC_UID
from .value_import import AtomicMode


class MetadataError(Exception):
    def __init__(self, message: str, prop: str = "", code: str = "E4000") -> None:
        super().__init__(message)
        self.message = message
        self.prop = prop
        self.code = code


class MetadataStrategy:
    CREATE = "CREATE"
    UPDATE = "UPDATE"
    CREATE_AND_UPDATE = "CREATE_AND_UPDATE"
    ALL = (CREATE, UPDATE, CREATE_AND_UPDATE)


@dataclass
class MetadataOptions:
    dry_run: bool = False
    strategy: str = MetadataStrategy.CREATE_AND_UPDATE
    atomic: AtomicMode = AtomicMode.NONE


@dataclass
class ObjectReport:
    klass: str
    index: int
    uid: str
    errors: list[MetadataError]

    def as_dict(self) -> dict:
        return {
            "klass": self.klass,
            "index": self.index,
            "uid": self.uid,
            "errorReports": [
                {
                    "message": e.message,
                    "mainKlass": self.klass,
                    "errorCode": e.code,
                    "errorProperty": e.prop,
                }
                for e in self.errors
            ],
        }


@dataclass
class TypeReport:
    key: str
    klass: str
    created: int = 0
    updated: int = 0
    ignored: int = 0
    objects: list[ObjectReport] = field(default_factory=list)

    def stats(self) -> dict:
        total = self.created + self.updated + self.ignored
        return {
            "created": self.created,
            "updated": self.updated,
            "deleted": 0,
            "ignored": self.ignored,
            "total": total,
        }

    def as_dict(self) -> dict:
        return {
            "klass": self.klass,
            "stats": self.stats(),
            "objectReports": [o.as_dict() for o in self.objects],
        }


@dataclass
class ImportReport:
    options: MetadataOptions
    types: list[TypeReport] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return any(t.objects for t in self.types)

    @property
    def status(self) -> str:
        if not self.has_errors:
            return "OK"
        if self.options.atomic == AtomicMode.ALL or not any(
            t.created or t.updated for t in self.types
        ):
            return "ERROR"
        return "WARNING"

    def stats(self) -> dict:
        totals = {"created": 0, "updated": 0, "deleted": 0, "ignored": 0, "total": 0}
        for t in self.types:
            for key, value in t.stats().items():
                totals[key] += value
        if self.options.atomic == AtomicMode.ALL and self.has_errors:
            totals.update(created=0, updated=0, ignored=totals["total"])
        return totals

    def as_dict(self) -> dict:
        return {
            "responseType": "ImportReport",
            "status": self.status,
            "importParams": {
                "dryRun": self.options.dry_run,
                "importStrategy": self.options.strategy,
                "atomicMode": self.options.atomic.value,
                "identifier": "UID 或 CODE",
            },
            "stats": self.stats(),
            "typeReports": [t.as_dict() for t in self.types],
        }


def can_import(user) -> bool:
    scope = get_scope(user)
    if scope.is_everything:
        return True
    roots = list(OrgUnit.get_root_nodes())
    return bool(roots) and all(scope.can(Can.MANAGE, root) for root in roots)


# -- small readers ---------------------------------------------------------------------------


def _text(item: dict, key: str, *, max_length: int, required: bool = False) -> str | None:
    value = item.get(key)
    if value is None or value == "":
        if required:
            raise MetadataError(f"缺少{_LABELS.get(key, key)}（{key}）", key, "E4000")
        return None
    if not isinstance(value, (str, int, Decimal)) or isinstance(value, bool):
        raise MetadataError(f"“{key}”应为文本", key, "E4000")
    text = str(value).strip()
    if len(text) > max_length:
        raise MetadataError(f"“{key}”过长（最多 {max_length} 个字符）", key, "E4001")
    return text


_LABELS = {"code": "编码", "name": "名称", "periodType": "报告周期", "numerator": "分子表达式"}


def _code(item: dict) -> str:
    if item.get("code") in (None, "") and item.get("id") not in (None, ""):
        # DHIS2 objects need no code and plain DHIS2 payloads often have none; ours are
        # looked up by code, so the (validated) uid stands in for it.
        return _uid(item)
    code = _text(item, "code", max_length=50, required=True)
    try:
        code_validator(code)
    except ValidationError:
        raise MetadataError(
            f"编码“{code}”无效：只能包含字母、数字、下划线和短横线", "code", "E4000"
        ) from None
    return code


def _uid(item: dict) -> str | None:
    uid = _text(item, "id", max_length=11)
    if uid is None:
        return None
    try:
        uid_validator(uid)
    except ValidationError:
        raise MetadataError(
            f"UID“{uid}”无效：须为 11 位，字母开头，其余为字母或数字", "id", "E4014"
        ) from None
    return uid


def _ref(value, what: str, prop: str) -> tuple[str | None, str | None]:
    """A reference {"id": …} / {"code": …} / "text" → (uid, code)."""
    if isinstance(value, str) and value.strip():
        return value.strip(), value.strip()
    if isinstance(value, dict):
        uid = value.get("id")
        code = value.get("code")
        uid = str(uid).strip() if isinstance(uid, str) and uid.strip() else None
        code = str(code).strip() if isinstance(code, str) and code.strip() else None
        if uid or code:
            return uid, code
    raise MetadataError(f'{what}引用应写成 {{"code": "编码"}} 或 {{"id": "UID"}}', prop, "E5002")


def _find(model, value, what: str, prop: str, queryset=None):
    uid, code = _ref(value, what, prop)
    qs = queryset if queryset is not None else model.objects.all()
    found = (qs.filter(uid=uid).first() if uid else None) or (
        qs.filter(code=code).first() if code else None
    )
    if found is None:
        raise MetadataError(f"找不到{what}“{code or uid}”", prop, "E5002")
    return found


def _refs(items, model, what: str, prop: str) -> list:
    if not isinstance(items, list):
        raise MetadataError(f"“{prop}”应为数组", prop, "E4000")
    wanted = [_ref(item, what, prop) for item in items]
    uids = {u for u, _ in wanted if u}
    codes = {c for _, c in wanted if c}
    objs = list(model.objects.filter(uid__in=uids)) + list(model.objects.filter(code__in=codes))
    by_uid = {o.uid: o for o in objs}
    by_code = {o.code: o for o in objs}
    result, missing = [], []
    for uid, code in wanted:
        obj = by_uid.get(uid) or by_code.get(code)
        if obj is None:
            missing.append(code or uid)
        elif obj not in result:
            result.append(obj)
    if missing:
        raise MetadataError(f"找不到{what}：{'、'.join(missing)}", prop, "E5002")
    return result


def _date(item: dict, key: str) -> dt.date | None:
    value = item.get(key)
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise MetadataError(f"“{key}”应为日期，如 2020-01-01", key, "E4000") from None


def _integer(item: dict, key: str, low: int, high: int) -> int | None:
    value = item.get(key)
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        number = None
    if (
        number is None
        or isinstance(value, bool)
        or not number.is_finite()
        or number != number.to_integral_value()
    ):
        raise MetadataError(f"“{key}”应为整数", key, "E4000")
    if not low <= number <= high:
        raise MetadataError(f"“{key}”应在 {low} 到 {high} 之间", key, "E4000")
    return int(number)


def _match(model, item: dict, what: str, strategy: str):
    """The existing object this item updates, or None to create one."""
    uid = _uid(item)
    if uid and item.get("code") in (None, ""):
        known = model.objects.filter(uid=uid).first()
        if known is not None:  # an update by uid alone keeps the code
            item = {**item, "code": known.code}
    code = _code(item)
    by_uid = model.objects.filter(uid=uid).first() if uid else None
    by_code = model.objects.filter(code=code).first()
    if by_uid and by_code and by_uid.pk != by_code.pk:
        raise MetadataError(f"编码“{code}”已被另一个{what}使用", "code", "E5003")
    if by_code and uid and by_code.uid != uid:
        raise MetadataError(
            f"编码为“{code}”的{what}已存在，其 UID 为“{by_code.uid}”，与导入的“{uid}”不一致",
            "id",
            "E5003",
        )
    existing = by_uid or by_code
    if existing and strategy == MetadataStrategy.CREATE:
        raise MetadataError(f"{what}“{code}”已存在；导入策略为 CREATE（只新增）", "code", "E5000")
    if not existing and strategy == MetadataStrategy.UPDATE:
        raise MetadataError(f"{what}“{code}”不存在；导入策略为 UPDATE（只修改）", "code", "E5001")
    return existing, uid, code


def _save(obj) -> None:
    try:
        obj.full_clean(validate_unique=False)
    except ValidationError as exc:
        messages = [f"{name}：{'；'.join(errors)}" for name, errors in exc.message_dict.items()]
        raise MetadataError("；".join(messages), "", "E4000") from None
    obj.save()


# -- handlers, one per type --------------------------------------------------------------------


@dataclass
class _State:
    """Aliases that live only in the payload (DHIS2 objects we do not store)."""

    combos: dict[str, Category | None] = field(default_factory=dict)
    indicator_types: dict[str, str] = field(default_factory=dict)
    indicator_codes: set[str] = field(default_factory=set)


Outcome = tuple[str, str]  # ("created" | "updated" | "ignored", uid)


def _org_unit(item: dict, state: _State, strategy: str) -> Outcome:
    existing, uid, code = _match(OrgUnit, item, "组织机构", strategy)
    fields = {
        "code": code,
        "name": _text(item, "name", max_length=200, required=existing is None),
        "short_name": _text(item, "shortName", max_length=100),
        "opening_date": _date(item, "openingDate"),
        "closing_date": _date(item, "closedDate"),
        "type": _text(item, "type", max_length=20),
    }
    if fields["type"] and fields["type"] not in OrgUnitType.values:
        raise MetadataError(
            f"机构类型“{fields['type']}”无效（可用：{'、'.join(OrgUnitType.values)}）", "type"
        )
    parent = None
    if item.get("parent") not in (None, "", {}):
        parent = _find(OrgUnit, item["parent"], "上级机构", "parent")
    if existing is None:
        values = {k: v for k, v in fields.items() if v is not None}
        values.setdefault("type", OrgUnitType.OTHER)
        values.setdefault("short_name", "")
        if uid:
            values["uid"] = uid
        _check_fields(OrgUnit(**values))
        unit = parent.add_child(**values) if parent else OrgUnit.add_root(**values)
        return "created", unit.uid
    for name, value in fields.items():
        if value is not None:
            setattr(existing, name, value)
    _check_fields(existing)
    existing.save()
    if parent is not None and existing.path[: -OrgUnit.steplen] != parent.path:
        if parent.path.startswith(existing.path):
            raise MetadataError("上级机构不能是本机构或其下级机构", "parent", "E4030")
        existing.move(parent, "sorted-child")
        # The unit's values now count towards other ancestors.
        rollups.rebuild()
    return "updated", existing.uid


def _check_fields(unit: OrgUnit) -> None:
    try:
        unit.clean_fields(exclude=["path", "depth", "numchild"])
    except ValidationError as exc:
        messages = [f"{name}：{'；'.join(errors)}" for name, errors in exc.message_dict.items()]
        raise MetadataError("；".join(messages)) from None


def _category_option(item: dict, state: _State, strategy: str) -> Outcome:
    if item.get("code") == DEFAULT_OPTION_CODE or item.get("id") == DEFAULT_COC_UID:
        return "ignored", DEFAULT_COC_UID
    existing, uid, code = _match(CategoryOption, item, "分类选项", strategy)
    option = existing or CategoryOption(code=code, **({"uid": uid} if uid else {}))
    option.name = _text(item, "name", max_length=200, required=existing is None) or option.name
    _save(option)
    return ("updated" if existing else "created"), option.uid


def _category(item: dict, state: _State, strategy: str) -> Outcome:
    existing, uid, code = _match(Category, item, "分类", strategy)
    category = existing or Category(code=code, **({"uid": uid} if uid else {}))
    category.name = _text(item, "name", max_length=200, required=existing is None) or category.name
    options = None
    if "categoryOptions" in item:
        options = _refs(item["categoryOptions"], CategoryOption, "分类选项", "categoryOptions")
        if any(o.code == DEFAULT_OPTION_CODE for o in options):
            raise MetadataError("分类不能包含默认选项 default", "categoryOptions")
    _save(category)
    if options is not None:
        removed = CategoryMembership.objects.filter(category=category).exclude(option__in=options)
        if DataValue.objects.filter(
            element__category=category, option__in=removed.values("option")
        ).exists():
            raise MetadataError("要移除的分类选项已有数据，不能移除", "categoryOptions", "E4030")
        removed.delete()
        for order, option in enumerate(options, start=1):
            CategoryMembership.objects.update_or_create(
                category=category, option=option, defaults={"sort_order": order}
            )
    return ("updated" if existing else "created"), category.uid


def _category_combo(item: dict, state: _State, strategy: str) -> Outcome:
    """Mapped, not stored: a combo of one category stands for that category."""
    keys = [k for k in (item.get("id"), item.get("code")) if isinstance(k, str) and k]
    if not keys:
        raise MetadataError("分类组合缺少 id 或 code", "code")
    refs = item.get("categories") or []
    if not isinstance(refs, list):
        raise MetadataError("“categories”应为数组", "categories")
    categories = _refs(refs, Category, "分类", "categories") if refs else []
    categories = [c for c in categories if c.code != DEFAULT_OPTION_CODE]
    if len(categories) > 1:
        raise MetadataError(
            f"本系统每个数据元只按一个分类分组；该分类组合含 {len(categories)} 个分类", "categories"
        )
    for key in keys:
        state.combos[key] = categories[0] if categories else None
    return "ignored", keys[0]


VALUE_TYPES: dict[str, tuple[str, int | None, int | None]] = {
    "NUMBER": (ValueType.NUMBER, None, None),
    "INTEGER": (ValueType.INTEGER, None, None),
    "INTEGER_ZERO_OR_POSITIVE": (ValueType.INTEGER_ZERO_OR_POSITIVE, None, None),
    "INTEGER_POSITIVE": (ValueType.INTEGER_ZERO_OR_POSITIVE, 1, None),
    "INTEGER_NEGATIVE": (ValueType.INTEGER, None, -1),
    "PERCENTAGE": (ValueType.PERCENTAGE, None, None),
    "UNIT_INTERVAL": (ValueType.NUMBER, 0, 1),
    "BOOLEAN": (ValueType.BOOLEAN, None, None),
    "TRUE_ONLY": (ValueType.BOOLEAN, None, None),
    "TEXT": (ValueType.TEXT, None, None),
    "LONG_TEXT": (ValueType.TEXT, None, None),
    "LETTER": (ValueType.TEXT, None, None),
}


def _data_element(item: dict, state: _State, strategy: str) -> Outcome:
    existing, uid, code = _match(DataElement, item, "数据元", strategy)
    element = existing or DataElement(code=code, **({"uid": uid} if uid else {}))
    element.name = _text(item, "name", max_length=200, required=existing is None) or element.name
    element.short_name = _text(item, "shortName", max_length=100) or element.short_name
    element.description = _text(item, "description", max_length=5000) or element.description
    has_values = existing is not None and DataValue.objects.filter(element=existing).exists()
    value_type = _text(item, "valueType", max_length=40)
    if value_type:
        if value_type.upper() not in VALUE_TYPES:
            raise MetadataError(
                f"不支持的值类型“{value_type}”（可用：{'、'.join(VALUE_TYPES)}）", "valueType"
            )
        mapped, low, high = VALUE_TYPES[value_type.upper()]
        if has_values and mapped != element.value_type:
            raise MetadataError("数据元已有数据，不能更改值类型", "valueType", "E4030")
        element.value_type = mapped
        if low is not None:
            element.min_value = Decimal(low)
        if high is not None:
            element.max_value = Decimal(high)
    aggregation = _text(item, "aggregationType", max_length=40)
    if aggregation:
        if aggregation.upper() not in AggregationType.values:
            allowed = "、".join(AggregationType.values)
            raise MetadataError(
                f"不支持的汇总方式“{aggregation}”（可用：{allowed}）", "aggregationType"
            )
        element.aggregation_type = aggregation.upper()
    if "categoryCombo" in item and item["categoryCombo"] not in (None, {}):
        category = _combo_category(item["categoryCombo"], state)
        if has_values and category != element.category:
            raise MetadataError("数据元已有数据，不能更改分类", "categoryCombo", "E4030")
        element.category = category
    _save(element)
    return ("updated" if existing else "created"), element.uid


def _combo_category(value, state: _State) -> Category | None:
    uid, code = _ref(value, "分类组合", "categoryCombo")
    for key in (uid, code):
        if key in state.combos:
            return state.combos[key]
    if uid == DEFAULT_CATEGORY_COMBO_UID or code == DEFAULT_OPTION_CODE:
        return None
    return _find(Category, value, "分类（分类组合）", "categoryCombo")


def _data_set(item: dict, state: _State, strategy: str) -> Outcome:
    existing, uid, code = _match(Form, item, "报表", strategy)
    form = existing or Form(code=code, **({"uid": uid} if uid else {}))
    form.name = _text(item, "name", max_length=200, required=existing is None) or form.name
    form.description = _text(item, "description", max_length=5000) or form.description
    period_type = _text(item, "periodType", max_length=20, required=existing is None)
    if period_type:
        mapped = PERIOD_TYPES_IN.get(period_type.upper(), period_type.upper())
        if mapped not in PERIOD_TYPES_IN.values():
            raise MetadataError(
                f"不支持的报告周期“{period_type}”（可用：Monthly、Quarterly、SixMonthly、Yearly）",
                "periodType",
            )
        if (
            existing
            and mapped != existing.period_type
            and Submission.objects.filter(form=existing).exists()
        ):
            raise MetadataError("报表已有上报记录，不能更改报告周期", "periodType", "E4030")
        form.period_type = mapped
    timely = _integer(item, "timelyDays", 0, 366)
    if timely is not None:
        form.due_days = timely
    elements = None
    if "dataSetElements" in item:
        links = item["dataSetElements"]
        if not isinstance(links, list) or not all(isinstance(x, dict) for x in links):
            raise MetadataError(
                '“dataSetElements”应为 [{"dataElement": {…}}] 形式的数组', "dataSetElements"
            )
        elements = _refs(
            [x.get("dataElement") for x in links], DataElement, "数据元", "dataSetElements"
        )
    elif "dataElements" in item:
        elements = _refs(item["dataElements"], DataElement, "数据元", "dataElements")
    units = None
    if "organisationUnits" in item:
        units = _refs(item["organisationUnits"], OrgUnit, "组织机构", "organisationUnits")
    _save(form)
    if elements is not None:
        FormElement.objects.filter(form=form).exclude(element__in=elements).delete()
        present = set(FormElement.objects.filter(form=form).values_list("element_id", flat=True))
        FormElement.objects.bulk_create(
            FormElement(form=form, element=e, sort_order=i)
            for i, e in enumerate(elements, start=1)
            if e.pk not in present
        )
    if units is not None:
        form.org_units.set(units)
    return ("updated" if existing else "created"), form.uid


def _indicator_type(item: dict, state: _State, strategy: str) -> Outcome:
    """Mapped onto our built-in types by factor, not stored."""
    keys = [
        k for k in (item.get("id"), item.get("code"), item.get("name")) if isinstance(k, str) and k
    ]
    if not keys:
        raise MetadataError("指标类型缺少 id 或 code", "code")
    factor = _integer(item, "factor", 1, 100000)
    if item.get("number") is True:
        factor = 1
    matches = [t for t, f in FACTORS.items() if f == factor]
    if not matches:
        allowed = "、".join(str(f) for f in sorted(set(FACTORS.values())))
        raise MetadataError(f"不支持的指标系数“{item.get('factor')}”（可用：{allowed}）", "factor")
    chosen = matches[0]
    if factor == 100 and any("HUNDRED" in k.upper() or "每百" in k for k in keys):
        chosen = IndicatorType.PER_HUNDRED
    for key in keys:
        state.indicator_types[key] = chosen
    return "ignored", keys[0]


def _indicator_type_of(value, state: _State) -> str:
    uid, code = _ref(value, "指标类型", "indicatorType")
    for key in (uid, code):
        if key in state.indicator_types:
            return state.indicator_types[key]
        if key and key.upper() in IndicatorType.values:
            return key.upper()
    raise MetadataError(
        f"找不到指标类型“{code or uid}”：请在同一次导入的 indicatorTypes 中给出（code、factor），"
        f"或直接使用 {'、'.join(IndicatorType.values)}",
        "indicatorType",
        "E5002",
    )


def _indicator(item: dict, state: _State, strategy: str) -> Outcome:
    existing, uid, code = _match(Indicator, item, "指标", strategy)
    indicator = existing or Indicator(code=code, **({"uid": uid} if uid else {}))
    indicator.name = (
        _text(item, "name", max_length=200, required=existing is None) or indicator.name
    )
    indicator.short_name = _text(item, "shortName", max_length=100) or indicator.short_name
    indicator.definition = _text(item, "description", max_length=5000) or indicator.definition
    pending = state.indicator_codes | {code}
    try:
        if "numerator" in item or existing is None:
            indicator.numerator = check_expression(item.get("numerator"), "分子表达式", pending)
        if "denominator" in item or existing is None:
            indicator.denominator = check_expression(
                item.get("denominator", "1"), "分母表达式", pending
            )
    except ExpressionProblem as exc:
        prop = "numerator" if str(exc).startswith("分子") else "denominator"
        raise MetadataError(str(exc), prop, "E4031") from None
    for key, attr in (("numeratorDescription", "numerator_description"),
                      ("denominatorDescription", "denominator_description")):  # fmt: skip
        text = _text(item, key, max_length=300)
        if text is not None:
            setattr(indicator, attr, text)
    if "indicatorType" in item or existing is None:
        if item.get("indicatorType") in (None, "", {}):
            raise MetadataError("缺少指标类型（indicatorType）", "indicatorType")
        indicator.type = _indicator_type_of(item["indicatorType"], state)
    decimals = _integer(item, "decimals", 0, 10)
    if decimals is not None:
        indicator.decimals = decimals
    if item.get("annualized") is True:
        raise MetadataError("暂不支持年化指标（annualized）", "annualized")
    _save(indicator)
    _check_cycles(indicator)
    state.indicator_codes.add(code)
    return ("updated" if existing else "created"), indicator.uid


def _check_cycles(indicator: Indicator) -> None:
    definitions = {indicator.code: list(indicator.parsed())}
    pending = {r.code for e in definitions[indicator.code] for r in e.indicator_refs()}
    while pending - set(definitions):
        for other in Indicator.objects.filter(code__in=pending - set(definitions)):
            try:
                definitions[other.code] = [parse(other.numerator), parse(other.denominator)]
            except ExpressionError:
                definitions[other.code] = []
        pending = {
            r.code for exprs in definitions.values() for e in exprs for r in e.indicator_refs()
        }
        pending &= set(Indicator.objects.filter(code__in=pending).values_list("code", flat=True))
    try:
        check_no_cycles(definitions)
    except CycleError as exc:
        raise MetadataError(exc.message, "numerator", "E4031") from None


OPERATORS = {op.value: op for op in Operator}


def _validation_rule(item: dict, state: _State, strategy: str) -> Outcome:
    existing, uid, code = _match(Rule, item, "校验规则", strategy)
    rule = existing or Rule(code=code, **({"uid": uid} if uid else {}))
    rule.name = _text(item, "name", max_length=200, required=existing is None) or rule.name
    rule.description = _text(item, "description", max_length=5000) or rule.description
    for key, attr, label in (
        ("leftSide", "left", "左侧表达式"),
        ("rightSide", "right", "右侧表达式"),
    ):
        side = item.get(key)
        if side is None and existing is not None:
            continue
        if not isinstance(side, dict):
            raise MetadataError(f'缺少{label}（{key}: {{"expression": …}}）', key)
        try:
            setattr(
                rule, attr, check_expression(side.get("expression"), label, state.indicator_codes)
            )
        except ExpressionProblem as exc:
            raise MetadataError(str(exc), key, "E4031") from None
        strategy_name = side.get("missingValueStrategy")
        if key == "leftSide" and strategy_name:
            if strategy_name not in MissingValueStrategy.__members__:
                raise MetadataError(f"缺失值处理方式“{strategy_name}”无效", key)
            rule.missing_value_strategy = strategy_name
    operator = _text(item, "operator", max_length=40, required=existing is None)
    if operator:
        if operator.lower() not in OPERATORS:
            raise MetadataError(
                f"运算符“{operator}”无效（可用：{'、'.join(OPERATORS)}）", "operator"
            )
        rule.operator = operator.lower()
    importance = _text(item, "importance", max_length=10)
    if importance:
        if importance.upper() not in Importance.values:
            raise MetadataError(
                f"重要性“{importance}”无效（可用：HIGH、MEDIUM、LOW）", "importance"
            )
        rule.importance = importance.upper()
    _save(rule)
    return ("updated" if existing else "created"), rule.uid


# -- the import ---------------------------------------------------------------------------------

Handler = Callable[[dict, _State, str], Outcome]

TYPES: list[tuple[str, str, Handler]] = [
    ("organisationUnits", "org.hisp.dhis.organisationunit.OrganisationUnit", _org_unit),
    ("categoryOptions", "org.hisp.dhis.category.CategoryOption", _category_option),
    ("categories", "org.hisp.dhis.category.Category", _category),
    ("categoryCombos", "org.hisp.dhis.category.CategoryCombo", _category_combo),
    ("dataElements", "org.hisp.dhis.dataelement.DataElement", _data_element),
    ("dataSets", "org.hisp.dhis.dataset.DataSet", _data_set),
    ("indicatorTypes", "org.hisp.dhis.indicator.IndicatorType", _indicator_type),
    ("indicators", "org.hisp.dhis.indicator.Indicator", _indicator),
    ("validationRules", "org.hisp.dhis.validation.ValidationRule", _validation_rule),
]
KNOWN = {key for key, _, _ in TYPES}
SKIPPED = {"system", "date", "package"}  # export headers DHIS2 adds to every file


def import_metadata(user, payload: dict, options: MetadataOptions) -> ImportReport:
    if not can_import(user):
        raise forbidden("只有局管理员（全区管理权限）或超级用户可以导入元数据")
    report = ImportReport(options)
    state = _State()
    with transaction.atomic():
        for key, klass, handler in TYPES:
            if key in payload:
                report.types.append(_import_type(key, klass, handler, payload[key], state, options))
        for key in sorted(set(payload) - KNOWN - SKIPPED):
            report.types.append(_unsupported(key, payload[key]))
        if options.dry_run or (options.atomic == AtomicMode.ALL and report.has_errors):
            transaction.set_rollback(True)
    return report


def _import_type(key, klass, handler, items, state, options) -> TypeReport:
    report = TypeReport(key, klass)
    if not isinstance(items, list):
        report.objects.append(ObjectReport(klass, 0, "", [MetadataError(f"“{key}”应为数组", key)]))
        return report
    pending = list(enumerate(items))
    # Units may name a parent later in the list: retry those until no progress is made.
    while pending:
        retry = []
        for index, item in pending:
            try:
                if not isinstance(item, dict):
                    raise MetadataError("每个对象应为 JSON 对象（{…}）")
                with transaction.atomic():
                    outcome, _uid_saved = _run(handler, item, state, options.strategy)
            except MetadataError as exc:
                if key == "organisationUnits" and exc.prop == "parent" and exc.code == "E5002":
                    retry.append((index, item, exc))
                    continue
                _ignore(report, klass, index, item, exc)
                continue
            if outcome == "created":
                report.created += 1
            elif outcome == "updated":
                report.updated += 1
            else:
                report.ignored += 1
        if len(retry) == len(pending) or not retry:
            for index, item, exc in retry:
                _ignore(report, klass, index, item, exc)
            break
        pending = [(index, item) for index, item, _ in retry]
    report.objects.sort(key=lambda o: o.index)
    return report


def _run(handler: Handler, item: dict, state: _State, strategy: str) -> Outcome:
    try:
        return handler(item, state, strategy)
    except (DatabaseError, ValidationError, ValueError) as exc:
        # A constraint the checks above did not foresee: the object is refused, not the request.
        raise MetadataError(f"数据库拒绝保存该对象：{exc}", "", "E5003") from None


def _ignore(report: TypeReport, klass: str, index: int, item, exc: MetadataError) -> None:
    uid = item.get("id") if isinstance(item, dict) and isinstance(item.get("id"), str) else ""
    code = item.get("code") if isinstance(item, dict) and isinstance(item.get("code"), str) else ""
    exc.message = f"{code}：{exc.message}" if code else exc.message
    report.objects.append(ObjectReport(klass, index, uid, [exc]))
    report.ignored += 1


def _unsupported(key: str, items) -> TypeReport:
    report = TypeReport(key, key)
    count = len(items) if isinstance(items, list) else 1
    report.ignored = count
    error = MetadataError(f"暂不支持导入“{key}”类元数据，已忽略 {count} 个对象", key, "E1005")
    report.objects.append(ObjectReport(key, 0, "", [error]))
    return report
