"""What an item's data binding and a veto rule's trigger may say, checked when a scheme is
edited or imported (so a run never meets a formula that does not parse).

Item bindings (Node.binding), by source:

    INDICATOR      {"indicator": "HAI_INCIDENCE"}, or a formula of its own:
                   {"name": "院感发病率", "numerator": "#{HAI_NEW}", "denominator": "#{IP_PATIENTS}",
                    "factor": 100, "unit": "%", "numerator_name": "新发例次",
                    "denominator_name": "住院患者数"}
                   optionally "target_from_library": true (the unit's Target for the period)
    INSPECTION     {"template": "YGGL"}                 average score of submitted inspections
    FINDINGS       {"template": "YGGL"} (optional)     problems found (for 按次扣分)
    RECTIFICATION  {}                                   按期整改率 of notices due in the period
    LEDGER         {"type": "TRAIN", "field": "ATTEND", "match": {"LEVEL": "全院"}}  count or Σ
    SURVEY         {"kind": "INPAT"}                    satisfaction % (满意份数 ÷ 有效问卷)
    CONTRACT       {"title": "…"} (optional)           share of the contract's targets met (%)
    EVIDENCE       {"due_days": 10}                     uploads by the period's end + N days
    MANUAL         {}

Veto conditions (VetoRule.condition), by trigger:

    LEDGER      {"type": "SAFETY", "match": {…}, "min": 1}
    INSPECTION  {"template": "XFAQ"}                    any failed (不合格) inspection
    SURVEY      {"kind": "INPAT", "floor": 90}          satisfaction below the floor (without
                                                        one: the district's threshold)
    INDICATOR   {"indicator": "CODE", "op": ">", "value": "5"}
    MANUAL      {}
"""

from __future__ import annotations

from weijian.indicators.expression import ElementRef, ExpressionError, parse
from weijian.indicators.models import Indicator
from weijian.inspections.models import ChecklistTemplate
from weijian.ledger.models import ActivityType
from weijian.reporting.models import DataElement
from weijian.surveys.models import Kind as SurveyKind

from .methods import Method, MethodError
from .models import Source, Trigger
from .numbers import NumberError, number

OPS = {">": "高于", ">=": "不低于", "<": "低于", "<=": "不高于"}

# Methods that make sense for each source (a count is never "ratio to a rate target" etc.).
METHODS_FOR = {
    Source.MANUAL: {Method.MANUAL},
    Source.EVIDENCE: {Method.EVIDENCE},
    Source.FINDINGS: {Method.PER_OCCURRENCE, Method.YES_NO, Method.BANDS, Method.LINEAR},
}


def check_binding(source: str, binding: dict, method: str, label: str) -> dict:
    """The binding, cleaned; MethodError with a precise Chinese message when it is wrong."""
    if source not in Source.values:
        raise MethodError(f"{label}的数据来源“{source}”无效")
    if not isinstance(binding, dict):
        raise MethodError(f"{label}的数据绑定格式错误")
    allowed = METHODS_FOR.get(source)
    if allowed and method not in allowed:
        raise MethodError(
            f"{label}的数据来源为“{Source(source).label}”，计分方法应为{_labels(allowed)}"
        )
    if source != Source.MANUAL and method == Method.MANUAL:
        raise MethodError(f"{label}为人工评分，数据来源应为“考核科室人工评分”")
    if source != Source.EVIDENCE and method == Method.EVIDENCE:
        raise MethodError(f"{label}为资料报送计分，数据来源应为“资料报送”")
    check = _CHECKS.get(source)
    return check(dict(binding), label) if check else {}


def _labels(methods) -> str:
    from .methods import LABELS

    return "或".join(f"“{LABELS[m]}”" for m in sorted(methods))


def _indicator(binding: dict, label: str) -> dict:
    code = str(binding.get("indicator", "")).strip()
    if code:
        if not Indicator.objects.filter(code=code).exists():
            raise MethodError(f"{label}引用的指标“{code}”不存在")
        return {"indicator": code, **_flags(binding)}
    numerator = str(binding.get("numerator", "")).strip()
    if not numerator:
        raise MethodError(f"{label}须指定指标编码，或填写分子表达式")
    denominator = str(binding.get("denominator", "") or "1").strip()
    for text, what in ((numerator, "分子"), (denominator, "分母")):
        try:
            expression = parse(text)
        except ExpressionError as exc:
            raise MethodError(f"{label}的{what}表达式有误：{exc.headline}") from None
        codes = {r.code for r in expression.items() if isinstance(r, ElementRef)}
        known = set(DataElement.objects.filter(code__in=codes).values_list("code", flat=True))
        if codes - known:
            raise MethodError(
                f"{label}的{what}引用了不存在的数据元：{'、'.join(sorted(codes - known))}"
            )
    try:
        factor = number(binding.get("factor", 1) or 1, f"{label}的系数")
    except NumberError as exc:
        raise MethodError(str(exc)) from None
    if factor <= 0:
        raise MethodError(f"{label}的系数应大于 0")
    return {
        "name": str(binding.get("name", "")).strip()[:60],
        "numerator": numerator,
        "denominator": denominator,
        "factor": str(factor),
        "unit": str(binding.get("unit", "")).strip()[:10],
        "numerator_name": str(binding.get("numerator_name", "")).strip()[:60],
        "denominator_name": str(binding.get("denominator_name", "")).strip()[:60],
        **_flags(binding),
    }


def _flags(binding: dict) -> dict:
    return {"target_from_library": True} if binding.get("target_from_library") else {}


def _template(binding: dict, label: str, required: bool = True) -> dict:
    code = str(binding.get("template", "")).strip()
    if not code:
        if required:
            raise MethodError(f"{label}须指定考评表编码")
        return {}
    if not ChecklistTemplate.objects.filter(code=code).exists():
        raise MethodError(f"{label}引用的考评表“{code}”不存在")
    return {"template": code}


def _ledger(binding: dict, label: str) -> dict:
    code = str(binding.get("type", "")).strip()
    kind = ActivityType.objects.filter(code=code).first()
    if kind is None:
        raise MethodError(f"{label}引用的台账类型“{code}”不存在")
    fields = {f.key: f for f in kind.field_specs()}
    field = str(binding.get("field", "")).strip()
    if field and (field not in fields or fields[field].kind != "COUNTER"):
        raise MethodError(f"{label}：台账“{kind.name}”没有可累加的字段“{field}”")
    match = binding.get("match") or {}
    if not isinstance(match, dict) or any(k not in fields for k in match):
        raise MethodError(f"{label}：台账“{kind.name}”的筛选条件引用了不存在的字段")
    out = {"type": code, "match": {str(k): v for k, v in match.items()}}
    if field:
        out["field"] = field
    return out


def _survey(binding: dict, label: str) -> dict:
    kind = str(binding.get("kind", "")).strip()
    if kind not in SurveyKind.values:
        raise MethodError(f"{label}的调查对象应为 INPAT（住院）、OUTPAT（门诊）或 STAFF（职工）")
    return {"kind": kind}


def _evidence(binding: dict, label: str) -> dict:
    try:
        days = int(number(binding.get("due_days", 0) or 0, f"{label}的报送期限天数"))
    except NumberError as exc:
        raise MethodError(str(exc)) from None
    if not 0 <= days <= 366:
        raise MethodError(f"{label}的报送期限应为期末后 0–366 天")
    return {"due_days": days}


_CHECKS = {
    Source.INDICATOR: _indicator,
    Source.INSPECTION: _template,
    Source.FINDINGS: lambda b, label: _template(b, label, required=False),
    Source.RECTIFICATION: lambda b, label: {},
    Source.LEDGER: _ledger,
    Source.SURVEY: _survey,
    Source.CONTRACT: lambda b, label: (
        {"title": str(b.get("title", "")).strip()[:200]} if b.get("title") else {}
    ),
    Source.EVIDENCE: _evidence,
}


def check_condition(trigger: str, condition: dict, label: str) -> dict:
    if trigger not in Trigger.values:
        raise MethodError(f"{label}的触发方式“{trigger}”无效")
    if not isinstance(condition, dict):
        raise MethodError(f"{label}的触发条件格式错误")
    if trigger == Trigger.LEDGER:
        out = _ledger(condition, label)
        out.pop("field", None)
        try:
            minimum = int(number(condition.get("min", 1) or 1, f"{label}的触发次数"))
        except NumberError as exc:
            raise MethodError(str(exc)) from None
        if minimum < 1:
            raise MethodError(f"{label}的触发次数应至少为 1")
        return {**out, "min": minimum}
    if trigger == Trigger.INSPECTION:
        return _template(condition, label)
    if trigger == Trigger.SURVEY:
        out = _survey(condition, label)
        if str(condition.get("floor", "") or "").strip() == "":
            return out  # the district's own threshold (surveys.builtin.THRESHOLDS)
        try:
            floor = number(condition.get("floor", ""), f"{label}的满意度底线")
        except NumberError as exc:
            raise MethodError(str(exc)) from None
        if not 0 < floor <= 100:
            raise MethodError(f"{label}的满意度底线应在 0 到 100 之间")
        return {**out, "floor": str(floor)}
    if trigger == Trigger.INDICATOR:
        code = str(condition.get("indicator", "")).strip()
        if not Indicator.objects.filter(code=code).exists():
            raise MethodError(f"{label}引用的指标“{code}”不存在")
        op = str(condition.get("op", "")).strip()
        if op not in OPS:
            raise MethodError(f"{label}的比较方式应为 >、>=、< 或 <=")
        try:
            value = number(condition.get("value", ""), f"{label}的限值")
        except NumberError as exc:
            raise MethodError(str(exc)) from None
        return {"indicator": code, "op": op, "value": str(value)}
    return {}
