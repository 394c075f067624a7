"""Turning the item editor's fields into a NodeInput: pickers for the data source (indicator,
checklist, ledger type, survey), a few fields per scoring method, and a JSON box for the rare
parameters (达标与改善取高). Garbage becomes a Chinese message, never a 500."""

from __future__ import annotations

import json

from ..actions.common import AssessmentError
from ..actions.schemes import NodeInput
from ..models import AssessorOffice, Node, SchemeVersion, Source

# Which form fields each method reads (others are ignored).
METHOD_FIELDS = {
    "yes_no": ["expect"],
    "ratio": ["target", "direction", "floor"],
    "linear": ["threshold", "target", "base"],
    "bands": ["closed"],
    "per_occurrence": ["mode", "per", "cap"],
    "rank": ["mode", "step", "direction"],
    "better_of": [],
    "evidence": ["required", "partial"],
    "manual": [],
}


def _text(post, name: str) -> str:
    return (post.get(name) or "").strip()


def bands_from(text: str) -> list[list]:
    """“95,,10” per line (下限,上限,得分; an empty bound is open), or four numbers to
    interpolate (下限,上限,下限得分,上限得分)."""
    rows = []
    for index, line in enumerate(text.replace("，", ",").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split(",")]
        if len(parts) not in (3, 4):
            raise AssessmentError(f"区间第{index}行应为“下限,上限,得分”（如 95,,10）")
        rows.append([p or None for p in parts])
    return rows


def bands_text(rows) -> str:
    return "\n".join(",".join("" if v is None else str(v) for v in row) for row in rows or [])


def params_from(post, method: str) -> dict:
    advanced = _text(post, "params_json")
    if advanced:
        try:
            value = json.loads(advanced)
        except json.JSONDecodeError as exc:
            raise AssessmentError(f"计分参数（JSON）格式错误：第 {exc.colno} 个字符处") from None
        if not isinstance(value, dict):
            raise AssessmentError("计分参数（JSON）应为 {…} 形式")
        return value
    params = {key: _text(post, f"p_{key}") for key in METHOD_FIELDS.get(method, [])}
    params = {k: v for k, v in params.items() if v}
    if method == "bands":
        params["bands"] = bands_from(_text(post, "p_bands"))
    if method == "evidence":
        params["partial"] = post.get("p_partial") == "1"
    return params


def binding_from(post, source: str) -> dict:
    if source == Source.INDICATOR:
        if _text(post, "indicator"):
            out = {"indicator": _text(post, "indicator")}
            if post.get("target_from_library") == "1":
                out["target_from_library"] = True
            return out
        return {
            key: _text(post, f"f_{key}")
            for key in (
                "name",
                "numerator",
                "denominator",
                "factor",
                "unit",
                "numerator_name",
                "denominator_name",
            )
            if _text(post, f"f_{key}")
        }
    if source in (Source.INSPECTION, Source.FINDINGS):
        return {"template": _text(post, "template")} if _text(post, "template") else {}
    if source == Source.LEDGER:
        match = {}
        for pair in _text(post, "ledger_match").replace("；", ";").split(";"):
            if "=" in pair:
                key, _, value = pair.partition("=")
                match[key.strip()] = value.strip()
        out = {"type": _text(post, "ledger_type"), "match": match}
        if _text(post, "ledger_field"):
            out["field"] = _text(post, "ledger_field")
        return out
    if source == Source.SURVEY:
        return {"kind": _text(post, "survey_kind")}
    if source == Source.CONTRACT:
        return {"title": _text(post, "contract_title")} if _text(post, "contract_title") else {}
    if source == Source.EVIDENCE:
        return {"due_days": _text(post, "due_days") or "0"}
    return {}


def node_input_from(post, version: SchemeVersion) -> NodeInput:
    kind = "dimension" if post.get("kind") == "dimension" else "item"
    office = None
    if _text(post, "office"):
        office = AssessorOffice.objects.filter(
            owner=version.scheme.owner, pk=_int(post["office"])
        ).first()
        if office is None:
            raise AssessmentError("考核科室无效")
    method = _text(post, "method") or "manual"
    source = _text(post, "source") or Source.MANUAL
    return NodeInput(
        code=_text(post, "code"),
        name=_text(post, "name"),
        points=_text(post, "points"),
        kind=kind,
        parent=_text(post, "parent"),
        section=_text(post, "section") or "normal",
        standard=_text(post, "standard"),
        method_text=_text(post, "method_text"),
        rule_text=_text(post, "rule_text"),
        source=source if kind == "item" else "",
        binding=binding_from(post, source) if kind == "item" else {},
        method=method if kind == "item" else "",
        params=params_from(post, method) if kind == "item" else {},
        on_missing=_text(post, "on_missing") or "zero",
        on_zero_denominator=_text(post, "on_zero_denominator") or "exclude",
        office=office,
    )


def _int(text) -> int:
    try:
        return int(str(text).strip())
    except ValueError:
        raise AssessmentError("选择无效") from None


def initial_of(node: Node | None) -> dict:
    """The editor's fields for an existing node."""
    if node is None:
        return {}
    b, p = node.binding or {}, node.params or {}
    return {
        "indicator": b.get("indicator", ""),
        "target_from_library": b.get("target_from_library", False),
        **{
            f"f_{k}": b.get(k, "")
            for k in (
                "name",
                "numerator",
                "denominator",
                "factor",
                "unit",
                "numerator_name",
                "denominator_name",
            )
        },
        "template": b.get("template", ""),
        "ledger_type": b.get("type", ""),
        "ledger_field": b.get("field", ""),
        "ledger_match": "; ".join(f"{k}={v}" for k, v in (b.get("match") or {}).items()),
        "survey_kind": b.get("kind", ""),
        "contract_title": b.get("title", ""),
        "due_days": b.get("due_days", ""),
        **{f"p_{k}": v for k, v in p.items() if not isinstance(v, list | dict)},
        "p_bands": bands_text(p.get("bands")),
        "params_json": json.dumps(p, ensure_ascii=False) if node.method == "better_of" else "",
    }
