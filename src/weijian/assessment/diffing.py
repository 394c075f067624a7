"""A readable diff between two versions of a scheme (Django-free): what an office reads before
it publishes a new version (“1.2 “院感发病率” 分值 10 → 8”).

Versions are compared as snapshots: plain dicts built by `actions.schemes.snapshot`:

    {"total": "100", "mode": "points", "grades": [["优秀", "90"], …],
     "nodes": {code: {"name", "points", "section", "method", "params", "source", "binding",
                      "on_missing", "on_zero_denominator", "office", "parent"}},
     "vetoes": {code: {"name", "trigger", "condition", "effect", "section", "grade", "share"}}}
"""

from __future__ import annotations

import json
from decimal import Decimal

from .methods import LABELS, MISSING_LABELS
from .numbers import pts

FIELD_LABELS = {
    "name": "名称",
    "points": "分值",
    "section": "类别",
    "method": "计分方法",
    "params": "计分参数",
    "source": "数据来源",
    "binding": "数据绑定",
    "on_missing": "无数据时",
    "on_zero_denominator": "分母为0时",
    "office": "考核科室",
    "parent": "所属维度",
    "standard": "考核标准",
    "rule_text": "评分标准",
}
VETO_LABELS = {
    "name": "否决事项",
    "trigger": "触发方式",
    "condition": "触发条件",
    "effect": "后果",
    "section": "计0分的维度",
    "grade": "封顶等次",
    "share": "扣减比例",
}


# Keys of 计分参数, 数据绑定 and 触发条件, as an office names them.
KEY_LABELS = {
    "target": "目标值", "direction": "方向", "floor": "下限", "threshold": "门槛值",
    "base": "门槛处得分", "bands": "区间", "closed": "区间端点", "mode": "方式",
    "per": "每次分值", "cap": "上限", "step": "每名次分值", "achievement": "达标计分",
    "improvement": "改善计分", "required": "应报份数", "partial": "按份计分",
    "expect": "期望答案", "indicator": "指标", "name": "名称", "numerator": "分子",
    "denominator": "分母", "factor": "系数", "unit": "单位", "numerator_name": "分子名称",
    "denominator_name": "分母名称", "target_from_library": "采用指标库目标",
    "template": "考评表", "type": "台账类型", "field": "统计字段", "match": "筛选条件",
    "kind": "调查类型", "title": "目标责任书", "due_days": "报送期限（天）",
    "min": "最少记录数", "op": "比较", "value": "限值",
}  # fmt: skip
WORDS = {"higher": "越高越好", "lower": "越低越好", "deduct": "扣分", "add": "加分",
         "steps": "按名次递减", "proportional": "与最好者成比例", "left": "左闭右开",
         "right": "左开右闭", "yes": "是", "no": "否", True: "是", False: "否"}  # fmt: skip


def _dict_change(before: dict, after: dict) -> str:
    """“目标值 10 → 8，门槛值 0 → （空）”: only the keys that changed, each named."""
    parts = []
    for key in sorted({*before, *after}):  # sorted: PostgreSQL's jsonb keeps no key order
        if _norm(before.get(key)) != _norm(after.get(key)):
            label = KEY_LABELS.get(key, key)
            parts.append(f"{label} {_value(before.get(key))} → {_value(after.get(key))}")
    return "，".join(parts)


def _value(value) -> str:
    if value in (None, "", {}, []):
        return "（空）"
    if isinstance(value, bool | str) and value in WORDS:
        return WORDS[value]
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _change(key: str, before, after) -> str:
    keyed = key in ("params", "binding", "condition")
    if keyed and isinstance(before or {}, dict) and isinstance(after or {}, dict):
        return "：" + _dict_change(before or {}, after or {})
    return f" {_show(key, before)} → {_show(key, after)}"


def _show(key: str, value) -> str:
    if value in (None, "", {}, []):
        return "（空）"
    if key == "method":
        return LABELS.get(value, value)
    if key in ("on_missing", "on_zero_denominator"):
        return MISSING_LABELS.get(value, value)
    if key == "points":
        return pts(Decimal(str(value)))
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _natural(code: str):
    return [
        (0, int(p), "") if p.isdigit() else (1, 0, p) for p in code.replace("-", ".").split(".")
    ]


def diff(old: dict, new: dict) -> list[str]:
    """Lines in Chinese, in the order of the new tree; [] when nothing changed."""
    lines: list[str] = []
    if str(old.get("total")) != str(new.get("total")):
        lines.append(
            f"方案总分 {_show('points', old.get('total'))} → {_show('points', new.get('total'))}"
        )
    if old.get("mode") != new.get("mode"):
        lines.append(
            "计分方式由分值制改为权重制"
            if new.get("mode") == "weights"
            else "计分方式由权重制改为分值制"
        )
    if old.get("grades") != new.get("grades"):
        lines.append(f"等次 {_grades(old.get('grades'))} → {_grades(new.get('grades'))}")
    old_nodes, new_nodes = old.get("nodes", {}), new.get("nodes", {})
    for code in sorted(set(old_nodes) | set(new_nodes), key=_natural):
        before, after = old_nodes.get(code), new_nodes.get(code)
        if before is None:
            lines.append(f"新增 {code}“{after['name']}”（{_show('points', after['points'])} 分）")
        elif after is None:
            lines.append(f"删除 {code}“{before['name']}”（{_show('points', before['points'])} 分）")
        else:
            for key, label in FIELD_LABELS.items():
                if _norm(before.get(key)) != _norm(after.get(key)):
                    lines.append(
                        f"{code}“{after['name']}” {label}"
                        + _change(key, before.get(key), after.get(key))
                    )
    old_vetoes, new_vetoes = old.get("vetoes", {}), new.get("vetoes", {})
    for code in sorted(set(old_vetoes) | set(new_vetoes), key=_natural):
        before, after = old_vetoes.get(code), new_vetoes.get(code)
        if before is None:
            lines.append(f"新增否决事项“{after['name']}”")
        elif after is None:
            lines.append(f"删除否决事项“{before['name']}”")
        else:
            for key, label in VETO_LABELS.items():
                if _norm(before.get(key)) != _norm(after.get(key)):
                    lines.append(
                        f"否决事项“{after['name']}” {label}"
                        + _change(key, before.get(key), after.get(key))
                    )
    return lines


def _norm(value):
    """Equal numbers compare equal whatever their spelling (10 and "10.00")."""
    if isinstance(value, bool):  # a flag (target_from_library), not the number 1
        return value
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value)).normalize()
    if isinstance(value, str):
        try:
            return Decimal(value).normalize()
        except ArithmeticError:
            return value
    if isinstance(value, dict):
        return {k: _norm(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_norm(v) for v in value]
    return value


def _grades(grades) -> str:
    if not grades:
        return "（默认）"
    return "、".join(f"{name}≥{_show('points', minimum)}" for name, minimum in grades)
