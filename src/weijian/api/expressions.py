"""Checking imported expressions: syntax (the expression language's own Chinese errors) and
references. Expressions exported from DHIS2 name objects by uid (`#{fbfJHSPpUQD.pq2XI5kz2BY}`);
ours use codes, so a uid that names one of our objects is rewritten to its code."""

from __future__ import annotations

import re

from weijian.indicators.expression import (
    ConstantRef,
    ElementRef,
    ExpressionError,
    GroupCountRef,
    IndicatorRef,
    ReportingRef,
    parse,
)
from weijian.indicators.models import Constant, Indicator
from weijian.orgs.models import OrgUnitGroup
from weijian.reporting.models import CategoryOption, DataElement, Form


class ExpressionProblem(ValueError):
    """An expression that cannot be stored; str() is the Chinese reason."""


_KINDS = [
    # ref type, attribute, model, the expression prefix, the Chinese name
    (ElementRef, "code", DataElement, "#{", "数据元"),
    (ConstantRef, "code", Constant, "C{", "常量"),
    (IndicatorRef, "code", Indicator, "N{", "指标"),
    (ReportingRef, "form_code", Form, "R{", "报表"),
    (GroupCountRef, "group_code", OrgUnitGroup, "OUG{", "机构分组"),
]


def check_expression(text, what: str, pending_indicators: set[str] = frozenset()) -> str:
    """The expression text to store (uids rewritten to codes), or ExpressionProblem.

    `pending_indicators` are indicator codes created by the same import, which N{…} may use.
    """
    if not isinstance(text, str) or not text.strip():
        raise ExpressionProblem(f"{what}为空")
    expression = _parsed(text, what)
    missing = _unknown(expression.items(), pending_indicators)
    if missing:
        text = _rewrite_uids(text, missing)
        expression = _parsed(text, what)
        missing = _unknown(expression.items(), pending_indicators)
    if missing:
        listed = "、".join(f"{kind}“{code}”" for kind, code in sorted(missing))
        raise ExpressionProblem(f"{what}引用了不存在的对象：{listed}")
    return text


def _unknown(refs, pending_indicators) -> set[tuple[str, str]]:
    missing: set[tuple[str, str]] = set()
    for ref_type, attr, model, _prefix, kind in _KINDS:
        codes = {getattr(r, attr) for r in refs if isinstance(r, ref_type)}
        if ref_type is IndicatorRef:
            codes -= set(pending_indicators)
        if codes:
            found = set(model.objects.filter(code__in=codes).values_list("code", flat=True))
            missing |= {(kind, code) for code in codes - found}
    options = {r.option_code for r in refs if isinstance(r, ElementRef) and r.option_code}
    if options:
        found = set(CategoryOption.objects.filter(code__in=options).values_list("code", flat=True))
        missing |= {("分类选项", code) for code in options - found}
    return missing


_UID = re.compile(r"(?<![A-Za-z0-9_\-])([A-Za-z][A-Za-z0-9]{10})(?![A-Za-z0-9_\-])")


def _rewrite_uids(text: str, missing: set[tuple[str, str]]) -> str:
    """Replace each 11-character uid among the unknown codes by the code of its object."""
    uids = {code for _kind, code in missing if _UID.fullmatch(code)}
    if not uids:
        return text
    codes: dict[str, str] = {}
    for model in (DataElement, CategoryOption, Constant, Indicator, Form, OrgUnitGroup):
        codes.update(dict(model.objects.filter(uid__in=uids).values_list("uid", "code")))
    if not codes:
        return text
    return _UID.sub(lambda m: codes.get(m.group(1), m.group(1)), text)


def _parsed(text: str, what: str):
    try:
        return parse(text)
    except ExpressionError as exc:
        raise ExpressionProblem(f"{what}有误：{exc.message}") from None
