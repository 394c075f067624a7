"""Schema checks for the built-in checklist templates (考评表) shipped as YAML.

Django-free on purpose: it reads `src/weijian/inspections/builtin/*.yaml` with PyYAML only, so
a malformed template fails here with a precise message, before any loader runs.
"""

import math
import re
from pathlib import Path

import pytest
import yaml

BUILTIN = Path(__file__).resolve().parents[2] / "src" / "weijian" / "inspections" / "builtin"
FILES = sorted(BUILTIN.glob("*.yaml"))

TEMPLATE_REQUIRED = {
    "code",
    "name",
    "version",
    "category",
    "issuer",
    "applies_to",
    "total_points",
    "citation",
    "sections",
}
TEMPLATE_OPTIONAL = {"pass_score"}
ITEM_REQUIRED = {"code", "content", "requirement", "method", "rule", "points", "kind"}
ITEM_OPTIONAL = {"per_occurrence", "cap", "grades", "na_allowed"}
KINDS = {"deduct", "passfail", "graded", "veto"}
# A section heading that states its budget, e.g. "一、组织管理（10分）".
SECTION_BUDGET = re.compile(r"[（(](\d+(?:\.\d+)?)分[）)]")
# A deduction printed in a 评分标准, e.g. "缺一项扣0.5分".
PRINTED_DEDUCTION = re.compile(r"扣(\d+(?:\.\d+)?)分")


def _number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _load(path):
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _items(template):
    return [item for section in template["sections"] for item in section["items"]]


def test_at_least_seven_templates():
    assert len(FILES) >= 7, [p.name for p in FILES]


def test_template_codes_unique_and_match_file_names():
    codes = [_load(p)["code"] for p in FILES]
    assert len(codes) == len(set(codes))
    for path, code in zip(FILES, codes, strict=True):
        assert path.stem == code


def test_veto_items_in_at_least_three_templates():
    with_veto = [p.stem for p in FILES if any(i["kind"] == "veto" for i in _items(_load(p)))]
    assert len(with_veto) >= 3, with_veto


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_template_schema(path):
    t = _load(path)
    where = path.name
    assert isinstance(t, dict), where
    keys = set(t)
    assert keys >= TEMPLATE_REQUIRED, f"{where}: missing {TEMPLATE_REQUIRED - keys}"
    assert keys <= TEMPLATE_REQUIRED | TEMPLATE_OPTIONAL, (
        f"{where}: unknown {keys - TEMPLATE_REQUIRED - TEMPLATE_OPTIONAL}"
    )
    assert re.fullmatch(r"[A-Z0-9_]+", t["code"]), where
    for key in ("name", "version", "category", "issuer", "citation"):
        assert isinstance(t[key], str) and t[key].strip(), f"{where}: {key} must be text"
    assert t["applies_to"] in {"department", "institution"}, where
    assert _number(t["total_points"]) and t["total_points"] == 100, where
    if "pass_score" in t:
        assert _number(t["pass_score"]) and 0 < t["pass_score"] <= t["total_points"], where

    sections = t["sections"]
    assert isinstance(sections, list) and sections, where
    for section in sections:
        assert set(section) == {"name", "items"}, f"{where}: section keys {set(section)}"
        assert isinstance(section["name"], str) and section["name"].strip(), where
        assert isinstance(section["items"], list) and section["items"], (
            f"{where}: {section['name']} has no items"
        )
        budget = SECTION_BUDGET.search(section["name"])
        if budget:
            got = sum(item["points"] for item in section["items"])
            assert math.isclose(got, float(budget.group(1))), (
                f"{where}: {section['name']} items sum to {got}"
            )

    items = _items(t)
    assert 10 <= len(items) <= 40, f"{where}: {len(items)} items"
    codes = [str(item["code"]) for item in items]
    assert len(codes) == len(set(codes)), f"{where}: duplicate item codes"
    total = sum(item["points"] for item in items)
    assert math.isclose(total, t["total_points"]), f"{where}: items sum to {total}"

    for item in items:
        _check_item(where, item)


def _check_item(where, item):
    at = f"{where} item {item.get('code')!r}"
    keys = set(item)
    assert keys >= ITEM_REQUIRED, f"{at}: missing {ITEM_REQUIRED - keys}"
    assert keys <= ITEM_REQUIRED | ITEM_OPTIONAL, (
        f"{at}: unknown {keys - ITEM_REQUIRED - ITEM_OPTIONAL}"
    )
    assert isinstance(item["code"], str), f"{at}: quote the code so YAML keeps it text"
    for key in ("content", "requirement", "method", "rule"):
        assert isinstance(item[key], str) and item[key].strip(), f"{at}: {key} must be text"
    points, kind = item["points"], item["kind"]
    assert _number(points) and points >= 0, at
    assert kind in KINDS, f"{at}: kind {kind!r}"
    if "na_allowed" in item:
        assert isinstance(item["na_allowed"], bool), at

    if kind == "veto":
        assert points == 0, f"{at}: a veto item carries no points"
        assert not keys & {"per_occurrence", "cap", "grades"}, at
    else:
        assert points > 0, f"{at}: only veto items may have 0 points"
    if kind == "deduct":
        step = item.get("per_occurrence")
        assert _number(step) and 0 < step <= points, f"{at}: per_occurrence {step!r}"
        cap = item.get("cap", points)
        assert _number(cap) and step <= cap <= points, f"{at}: cap"
        # Every deduction the printed rule names must be enterable as whole occurrences
        # ("扣2分" with per_occurrence 1 = 2 occurrences) and must fit under the cap.
        for printed in map(float, PRINTED_DEDUCTION.findall(item["rule"])):
            occurrences = printed / step
            assert math.isclose(occurrences, round(occurrences)) and printed <= cap, (
                f"{at}: rule deducts {printed} but per_occurrence is {step}, cap {cap}"
            )
        assert "grades" not in item, at
    else:
        assert not keys & {"per_occurrence", "cap"}, f"{at}: per_occurrence/cap only on deduct"
    if kind == "graded":
        grades = item.get("grades")
        assert isinstance(grades, list) and len(grades) >= 2, f"{at}: grades"
        assert all(_number(g) and 0 <= g <= points for g in grades), f"{at}: grades within points"
        assert all(a > b for a, b in zip(grades, grades[1:], strict=False)), (
            f"{at}: grades must descend"
        )
        assert grades[0] == points, f"{at}: the top grade is full points"
    else:
        assert "grades" not in item, f"{at}: grades only on graded"
