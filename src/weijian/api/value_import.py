"""Importing data values (DHIS2 dataValueSets, JSON or CSV) through the reporting actions.

DHIS2 rows name no form, so each row finds its form: the forms that contain the element, are
assigned to the unit and have the period's type (or the one named by `dataSet`). Rows are then
grouped per form × unit × period and each group is saved with `actions.save_values`, so scope,
assignment, opening dates, review locks and value checks are exactly the web page's.

    summary = import_values(user, rows, ImportOptions(schemes=Schemes(data_element=CODE)))
    summary.as_dict()   # DHIS2's ImportSummary: status, importCount, conflicts…

Rows are checked one by one first (unknown identifiers, bad periods, wrong options, values the
element cannot take); with atomicMode NONE the good rows are saved and each bad one reported,
with ALL nothing is saved if any row is bad. A refused group (e.g. a locked report) refuses its
rows together. dryRun goes through the very same path inside a transaction rolled back at the
end, so it reports what a real import would do.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from enum import StrEnum

from django.db import transaction

from weijian import periods
from weijian.orgs.models import OrgUnit
from weijian.orgs.scope import Can, get_scope
from weijian.reporting import actions, queries
from weijian.reporting.models import (
    DEFAULT_OPTION_CODE,
    CategoryMembership,
    DataElement,
    DataValue,
    Form,
    FormElement,
)
from weijian.reporting.values import ValueProblem, clean_value

from .errors import bad_request
from .schemes import (
    DEFAULT_OPTION_ALIASES,
    Ambiguous,
    IdScheme,
    Schemes,
    describe_ambiguous,
    describe_missing,
    lookup,
    lookup_options,
)
from .value_rows import Row, text_of


class Strategy(StrEnum):
    CREATE = "CREATE"
    UPDATE = "UPDATE"
    CREATE_AND_UPDATE = "CREATE_AND_UPDATE"
    DELETE = "DELETE"


class AtomicMode(StrEnum):
    NONE = "NONE"
    ALL = "ALL"


def parse_choice(enum, value, param: str, default):
    if value is None or value == "":
        return default
    text = str(value).strip().upper()
    if text == "NEW_AND_UPDATES":  # DHIS2's old name for CREATE_AND_UPDATE
        text = "CREATE_AND_UPDATE"
    try:
        return enum(text)
    except ValueError:
        allowed = " | ".join(member.value for member in enum)
        raise bad_request(f"参数“{param}”的值“{value}”无效，应为 {allowed}") from None


def parse_bool(value, param: str, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "1", "yes"):
        return True
    if text in ("false", "0", "no"):
        return False
    raise bad_request(f"参数“{param}”应为 true 或 false")


@dataclass(frozen=True)
class Strictness:
    """DHIS2's strict* import options, all off by default as in DHIS2: a value is then
    imported whether or not a form of the unit holds its element for that period type and
    option (locks still apply). Each one set refuses such values with DHIS2's conflict."""

    periods: bool = False  # strictPeriods: the period type must be one of the element's forms'
    data_elements: bool = False  # strictDataElements: `dataSet` given and holding the element
    option_combos: bool = False  # strictCategoryOptionCombos: the option in the element's category
    org_units: bool = False  # strictOrganisationUnits: a form holding it assigned to the unit

    NAMES = {
        "periods": "strictPeriods",
        "data_elements": "strictDataElements",
        "option_combos": "strictCategoryOptionCombos",
        "org_units": "strictOrganisationUnits",
    }

    @classmethod
    def from_pick(cls, pick) -> Strictness:
        return cls(**{attr: parse_bool(pick(name), name) for attr, name in cls.NAMES.items()})

    def as_dict(self) -> dict:
        return {name: getattr(self, attr) for attr, name in self.NAMES.items()}


@dataclass
class ImportOptions:
    schemes: Schemes = field(default_factory=Schemes)
    dry_run: bool = False
    strategy: Strategy = Strategy.CREATE_AND_UPDATE
    atomic: AtomicMode = AtomicMode.NONE
    reason: str = ""  # 修改说明, needed to change a returned report (our addition to DHIS2)
    data_set: str = ""  # DHIS2 `dataSet`: the form all rows belong to
    strict: Strictness = field(default_factory=lambda: Strictness())

    @classmethod
    def from_sources(cls, query, root=None) -> ImportOptions:
        """From query parameters and the payload root (which wins), as DHIS2 reads them."""
        root = root or {}

        def pick(name):
            value = root.get(name)
            return value if value not in (None, "") else query.get(name)

        return cls(
            schemes=Schemes.from_sources(query, root),
            dry_run=parse_bool(pick("dryRun"), "dryRun"),
            strategy=parse_choice(
                Strategy, pick("importStrategy"), "importStrategy", Strategy.CREATE_AND_UPDATE
            ),
            atomic=parse_choice(AtomicMode, pick("atomicMode"), "atomicMode", AtomicMode.NONE),
            reason=str(pick("reason") or "")[:500],
            data_set=text_of(root.get("dataSet")) or text_of(query.get("dataSet")),
            strict=Strictness.from_pick(pick),
        )

    def as_dict(self) -> dict:
        return {
            "idSchemes": {
                "dataElementIdScheme": self.schemes.data_element.value,
                "orgUnitIdScheme": self.schemes.org_unit.value,
                "categoryOptionComboIdScheme": self.schemes.option.value,
                "dataSetIdScheme": self.schemes.data_set.value,
            },
            "dryRun": self.dry_run,
            "importStrategy": self.strategy.value,
            "atomicMode": self.atomic.value,
            **self.strict.as_dict(),
        }


@dataclass
class Conflict:
    object: str
    message: str
    property: str = ""
    indexes: list[int] = field(default_factory=list)
    error_code: str = ""

    def as_dict(self) -> dict:
        body = {
            "object": self.object,
            "objects": {self.property: self.object} if self.property else {},
            "value": self.message,
            "reason": self.message,
            "errorCode": self.error_code,
            "property": self.property,
            "indexes": self.indexes,
        }
        return {k: v for k, v in body.items() if v not in ("", None)}


@dataclass
class ImportSummary:
    options: ImportOptions
    total: int = 0
    imported: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    rejected: set[int] = field(default_factory=set)
    aborted: bool = False  # atomicMode ALL refused everything, or the request was unusable

    @property
    def ignored(self) -> int:
        if self.aborted:
            return self.total
        return self.unchanged + len(self.rejected)

    @property
    def status(self) -> str:
        if self.aborted:
            return "ERROR"
        return "WARNING" if self.conflicts else "SUCCESS"

    @property
    def description(self) -> str:
        prefix = "试运行（dryRun），未保存任何数据：" if self.options.dry_run else ""
        if self.aborted and self.options.atomic == AtomicMode.ALL and self.conflicts:
            return prefix + "原子模式（atomicMode=ALL）下存在冲突，未导入任何数据"
        if self.aborted:
            return prefix + "导入失败，未导入任何数据"
        if self.conflicts:
            return prefix + f"导入完成，{len(self.rejected)} 条数据有冲突未导入"
        return prefix + "导入完成"

    def as_dict(self) -> dict:
        counts = (0, 0, 0) if self.aborted else (self.imported, self.updated, self.deleted)
        return {
            "responseType": "ImportSummary",
            "status": self.status,
            "importOptions": self.options.as_dict(),
            "description": self.description,
            "importCount": {
                "imported": counts[0],
                "updated": counts[1],
                "ignored": self.ignored,
                "deleted": counts[2],
            },
            "conflicts": [c.as_dict() for c in self.conflicts],
            "rejectedIndexes": sorted(self.rejected),
            "dataSetComplete": "false",
        }

    def reject(self, rows, obj: str, message: str, prop: str = "", code: str = "") -> None:
        indexes = [row.index for row in rows]
        self.conflicts.append(Conflict(obj, message, prop, indexes, code))
        self.rejected.update(indexes)


# -- the import ------------------------------------------------------------------------


@dataclass
class _Ref:
    """A resolved row, ready to save."""

    row: Row
    element: DataElement
    option_code: str
    unit: OrgUnit
    period: periods.Period
    form: Form | None  # None: no single form of the unit takes it (saved outside forms)
    raw: object


class _Context:
    """Everything the rows refer to, fetched in a few bulk queries."""

    def __init__(self, user, rows: list[Row], options: ImportOptions) -> None:
        schemes = options.schemes
        self.scope = get_scope(user)
        self.elements = lookup(
            DataElement,
            schemes.data_element,
            {r.data_element for r in rows},
            DataElement.objects.select_related("category"),
        )
        self.units = lookup(OrgUnit, schemes.org_unit, {r.org_unit for r in rows})
        self.options = lookup_options(
            schemes.option, {r.option for r in rows} | {r.attribute_option for r in rows}
        )
        elements = [e for e in self.elements.values() if isinstance(e, DataElement)]
        category_ids = {e.category_id for e in elements if e.category_id}
        self.category_options: dict[int, set[int]] = defaultdict(set)
        for category_id, option_id in CategoryMembership.objects.filter(
            category_id__in=category_ids
        ).values_list("category_id", "option_id"):
            self.category_options[category_id].add(option_id)
        self.forms_of: dict[int, list[Form]] = defaultdict(list)
        for form_element in FormElement.objects.filter(element__in=elements).select_related("form"):
            self.forms_of[form_element.element_id].append(form_element.form)
        forms = {f.pk: f for fs in self.forms_of.values() for f in fs}
        self.assigned = queries.assignments(list(forms.values())) if forms else {}
        self.data_set: Form | None = None
        if options.data_set:
            found = lookup(Form, schemes.data_set, [options.data_set]).get(options.data_set)
            if not isinstance(found, Form):
                raise bad_request(
                    describe_missing("报表（dataSet）", options.data_set, schemes.data_set)
                )
            self.data_set = found


def import_values(user, rows: list[Row], options: ImportOptions) -> ImportSummary:
    summary = ImportSummary(options=options, total=len(rows))
    context = _Context(user, rows, options)
    if options.strict.data_elements and context.data_set is None:
        # DHIS2 refuses the whole set: with strictDataElements the rows are checked against
        # the data set named, so one must be named.
        message = _dhis2(
            "strictDataElements=true 时须用 dataSet 指明报表", "A valid dataset is required"
        )
        summary.conflicts.append(Conflict("DATA_IMPORT_STRICT_DATA_ELEMENTS", message, "dataSet",
                                          error_code="E7602"))  # fmt: skip
        summary.aborted = True
        return summary
    refs = [ref for row in rows if (ref := _resolve(row, context, options, summary))]
    groups = _group(refs, summary)
    if options.strategy != Strategy.CREATE_AND_UPDATE:
        groups = _apply_strategy(groups, options.strategy, summary)
    if options.atomic == AtomicMode.ALL and summary.conflicts:
        summary.aborted = True
        return summary
    _save(user, groups, options, summary)
    return summary


class _Refused(Exception):
    """One row's conflict: the offending identifier, the Chinese reason, the DHIS2 property."""

    def __init__(self, obj: str, message: str, prop: str = "", code: str = "") -> None:
        super().__init__(message)
        self.obj, self.message, self.prop, self.code = obj, message, prop, code


def _resolve(row: Row, context: _Context, options: ImportOptions, summary: ImportSummary):
    """The row resolved and checked, or None after recording its conflict."""
    try:
        return _checked(row, context, options)
    except _Refused as refused:
        summary.reject([row], refused.obj, refused.message, refused.prop, refused.code)
        return None


def _checked(row: Row, context: _Context, options: ImportOptions) -> _Ref:
    schemes = options.schemes
    if row.problem:
        raise _Refused(row.data_element or str(row.index), row.problem)
    element = _found(
        context.elements, row.data_element, "数据元", schemes.data_element, "dataElement", "E7610"
    )
    try:
        period = periods.parse(row.period)
    except periods.PeriodError as exc:
        raise _Refused(row.period, str(exc), "period", "E7622") from None
    unit = _found(context.units, row.org_unit, "组织机构", schemes.org_unit, "orgUnit", "E7612")
    option_code, fits = _option(row, element, context, schemes.option, options.strict)
    if not context.scope.can(Can.ENTER, unit):
        message = f"您没有组织机构“{row.org_unit}”的填报权限"
        raise _Refused(row.org_unit, message, "orgUnit", "E7617")
    if element.system_managed:
        message = f"数据元“{element.name}”由系统自动生成，不能导入"
        raise _Refused(row.data_element, message, "dataElement")
    form = _form(row, element, unit, period, context, options.strict)
    if form is not None and not fits:
        form = None  # the option is no cell of the form: saved outside it, as DHIS2 would
    if options.strategy != Strategy.DELETE:
        if isinstance(row.value, (dict, list)):
            raise _Refused(row.data_element, "数据值应为数字或文本", "value", "E7619")
        try:
            clean_value(element, row.value)
        except ValueProblem as exc:
            raise _Refused(_shown(row.value), f"{element.name}：{exc}", "value", "E7619") from None
    return _Ref(row, element, option_code, unit, period, form, row.value)


def _found(found, identifier: str, kind: str, scheme: IdScheme, prop: str, code: str):
    obj = found.get(identifier)
    if not identifier:
        raise _Refused("", f"缺少{kind}", prop, code)
    if isinstance(obj, Ambiguous):
        raise _Refused(identifier, describe_ambiguous(kind, identifier, obj.count), prop, code)
    if obj is None:
        raise _Refused(identifier, describe_missing(kind, identifier, scheme), prop, code)
    return obj


def _option(row: Row, element, context: _Context, scheme: IdScheme, strict: Strictness):
    """(code of the row's category option, whether it is a cell of the element's forms).

    As DHIS2 with strictCategoryOptionCombos off: no option means the default one, and an
    option outside the element's category is still imported; with it on, both are refused."""
    if row.attribute_option and row.attribute_option not in DEFAULT_OPTION_ALIASES:
        attribute = context.options.get(row.attribute_option)
        if getattr(attribute, "code", None) != DEFAULT_OPTION_CODE:
            message = "不支持属性组合（attributeOptionCombo），请留空或填 default"
            raise _Refused(row.attribute_option, message, "attributeOptionCombo", "E7615")
    if not row.option:
        if element.category_id and strict.option_combos:
            raise _outside_category(row, "default", element)
        return DEFAULT_OPTION_CODE, not element.category_id
    option = _found(context.options, row.option, "分类选项", scheme, "categoryOptionCombo", "E7613")
    allowed = context.category_options.get(element.category_id, set())
    fits = option.pk in allowed if element.category_id else option.code == DEFAULT_OPTION_CODE
    if not fits and strict.option_combos:
        raise _outside_category(row, option.name, element)
    return option.code, fits


def _outside_category(row: Row, option_name: str, element) -> _Refused:
    chinese = f"分类选项“{option_name}”不属于数据元“{element.name}”的分类"
    english = (
        f"Category option combo: `{row.option or 'default'}` must be part of category combo "
        f"of data element: `{row.data_element}`"
    )
    return _Refused(row.option or row.data_element, _dhis2(chinese, english),
                    "categoryOptionCombo", "E7634")  # fmt: skip


def _form(row: Row, element, unit, period, context: _Context, strict: Strictness) -> Form | None:
    """The one form the row is saved through: it holds the element, is assigned to the unit
    and has the period's type (or is the `dataSet` named). None when no single form takes
    it: DHIS2 imports the value all the same unless a strict* option says otherwise, and it
    is saved outside the forms, still under the locks of every form that holds it."""
    holding = context.forms_of.get(element.pk, [])
    assigned = [form for form in holding if unit.pk in context.assigned.get(form.pk, ())]
    chosen = context.data_set
    if strict.data_elements and chosen not in holding:
        chinese = f"报表“{chosen.name}”不含数据元“{element.name}”"
        english = f"Data element: `{row.data_element}` is not part of dataset: `{chosen.uid}`"
        raise _Refused(row.data_element, _dhis2(chinese, english), "dataElement", "E7633")
    if strict.org_units and not assigned:
        chinese = f"数据元“{element.name}”不在分配给组织机构“{row.org_unit}”的任何报表中"
        english = (
            f"Data element: `{row.data_element}` must be assigned through data sets to "
            f"organisation unit: `{row.org_unit}`"
        )
        raise _Refused(row.data_element, _dhis2(chinese, english), "orgUnit", "E7636")
    if strict.periods and period.type not in {form.period_type for form in holding}:
        types = "、".join(sorted({f.get_period_type_display() for f in holding})) or "无"
        chinese = f"期间“{row.period}”是{period.type.label}期间，而数据元“{element.name}”所在报表为{types}"
        english = (
            f"Period type of period: `{row.period}` not valid for data element: "
            f"`{row.data_element}`"
        )
        raise _Refused(row.period, _dhis2(chinese, english), "period", "E7632")
    candidates = assigned
    if chosen is not None:
        candidates = [chosen] if chosen in assigned else []
    fitting = [form for form in candidates if form.period_type == period.type]
    return fitting[0] if len(fitting) == 1 else None


def _dhis2(chinese: str, english: str) -> str:
    """A conflict in Chinese, followed by DHIS2's own wording for clients that match on it."""
    return f"{chinese}（{english}）"


Group = dict[tuple[str, str], _Ref]


def _group(refs: list[_Ref], summary: ImportSummary) -> dict[tuple, Group]:
    groups: dict[tuple, Group] = defaultdict(dict)
    for ref in refs:
        key = (ref.form.pk if ref.form else None, ref.unit.pk, ref.period.id)
        cell = (ref.element.code, ref.option_code)
        earlier = groups[key].get(cell)
        if earlier is not None:
            message = f"同一数据值在本次导入中重复出现（第 {ref.row.index + 1} 条），以最后一条为准"
            summary.reject([earlier.row], earlier.row.data_element, message, "dataElement")
        groups[key][cell] = ref
    return groups


def _apply_strategy(groups, strategy: Strategy, summary: ImportSummary) -> dict[tuple, Group]:
    """CREATE keeps only new values, UPDATE only existing ones, DELETE deletes existing ones."""
    refs = [ref for group in groups.values() for ref in group.values()]
    existing = set(
        DataValue.objects.filter(
            org_unit_id__in={r.unit.pk for r in refs},
            period_id__in={r.period.id for r in refs},
            element_id__in={r.element.pk for r in refs},
        ).values_list("element__code", "option__code", "org_unit_id", "period_id")
    )
    kept: dict[tuple, Group] = defaultdict(dict)
    for key, group in groups.items():
        for cell, ref in group.items():
            exists = (*cell, ref.unit.pk, ref.period.id) in existing
            if strategy == Strategy.CREATE and exists:
                message = "数据值已存在；导入策略为 CREATE（只新增），未修改"
                summary.reject([ref.row], ref.row.data_element, message, "value")
            elif strategy == Strategy.UPDATE and not exists:
                message = "数据值不存在；导入策略为 UPDATE（只修改），未新增"
                summary.reject([ref.row], ref.row.data_element, message, "value")
            elif strategy == Strategy.DELETE and not exists:
                summary.unchanged += 1
            else:
                if strategy == Strategy.DELETE:
                    ref.raw = ""
                kept[key][cell] = ref
    return kept


def _save(user, groups: dict[tuple, Group], options: ImportOptions, summary: ImportSummary):
    with transaction.atomic():
        for group in groups.values():
            first = next(iter(group.values()))
            try:
                result = _save_group(user, first, group, options)
            except actions.ReportingError as exc:
                message = exc.message
                if exc.problems:
                    message += "：" + "；".join(f"{p.where} {p.reason}" for p in exc.problems)
                where = first.form.name if first.form else "报表以外的数据"
                summary.reject(
                    [ref.row for ref in group.values()],
                    first.row.org_unit,
                    f"{where} · {first.row.org_unit} · {first.period.id}：{message}",
                    "orgUnit",
                    "E7640",
                )
                if options.atomic == AtomicMode.ALL:
                    summary.aborted = True
                    break
                continue
            summary.imported += result.created
            summary.updated += result.updated
            summary.deleted += result.deleted
            summary.unchanged += result.unchanged
        if options.dry_run or summary.aborted:
            transaction.set_rollback(True)


def _save_group(user, first: _Ref, group: Group, options: ImportOptions) -> actions.SaveResult:
    values = {cell: ref.raw for cell, ref in group.items()}
    where = {cell: f"第 {ref.row.index + 1} 条" for cell, ref in group.items()}
    common = dict(source=actions.Source.API, reason=options.reason, where=where)
    if first.form is None:
        return actions.save_values_outside_forms(
            user, first.unit, first.period.id, values, **common
        )
    return actions.save_values(user, first.form, first.unit, first.period.id, values, **common)


def _shown(value) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= 50 else text[:50] + "…"
