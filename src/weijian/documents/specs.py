"""Summary templates as data: the built-in YAML files in `documents/summaries/` and offices'
edited copies (SummaryTemplate rows), checked the same way (Chinese messages).

A template:
    code, name, kind (summary | plan), period_types, unit_types, title, we
    opening / closing: [ {text: …} | {review: …} | {headline: {lead, items}} ]
    sections: [ {title, kind, …, sections: [...]} ]   kinds: figures, indicators, reporting,
              problems, next_steps, text, plan_targets, work_done, inspections, plan_review,
              party_reform, area (with `part:` one of AREA_PARTS); a section without kind only groups.
Placeholders in texts: {unit} {period} {span} {year} {next_year} {plan_year} {we} {whole} (全区,
全院, 全科) {parts} (部分单位, 部分科室) {next_span} (the plan part's time: 2026年 after a year,
下半年 after a first half-year, 下一步 else, so a heading reads "2026年工作打算"). `targets: template` weighs only the named indicators'
targets (topical summaries); by default every target the unit holds is weighed.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import yaml

KINDS = {
    "figures", "indicators", "reporting", "problems", "next_steps", "text", "plan_targets",
    "work_done", "inspections", "plan_review", "party_reform", "area", "district_reform",
    "supervision",
}  # fmt: skip
# The parts of 加强党建引领，推进改革发展 (documents/party_reform.py PARTS)
PARTY_REFORM_PARTS = ("campaigns", "party", "reform", "new_tech", "specialties")
# The areas of documents/areas.py (one per section: `part:`)
AREA_PARTS = ("conduct", "safety", "insurance", "talent", "health_education")
WORK_PARTS = (
    "groups",
    "contracts",
    "meetings",
    "trainings",
    "drills",
    "health_days",
    "health_education",
)
PERIOD_TYPES = {"YEARLY", "SIXMONTHLY", "QUARTERLY", "MONTHLY", "RANGE"}
# worst: the most serious problems, filled in the opening's verdict ("：A，B"), empty elsewhere;
# bureau: the bureau above the unit by its own name; next_span: when the plan part falls;
# leaders: the district's leadership as its top unit sets it ("区委、区政府" by default);
# government: its executive, the bureau's 主送机关 ("区人民政府", "示范区管委会")
PLACEHOLDERS = {
    "unit",
    "period",
    "span",
    "end",
    "year",
    "next_year",
    "plan_year",
    "we",
    "whole",
    "parts",
    "worst",
    "bureau",
    "next_span",
    "leaders",
    "government",
}


class SpecError(ValueError):
    """A template that cannot be used; the message lists every problem, in Chinese."""


@cache
def builtin_specs() -> dict[str, dict]:
    found = {}
    folder = resources.files("weijian.documents") / "summaries"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            spec = yaml.safe_load(entry.read_text(encoding="utf-8"))
            check(spec)
            found[spec["code"]] = spec
    return found


def parse_yaml(text: str) -> dict:
    try:
        spec = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第{mark.line + 1}行第{mark.column + 1}列" if mark else ""
        raise SpecError(f"模板不是有效的 YAML{('（' + where + '）') if where else ''}") from None
    check(spec)
    return spec


def dump_yaml(spec: dict, sort_keys: bool = False) -> str:
    return yaml.safe_dump(spec, allow_unicode=True, sort_keys=sort_keys, width=1000)


def check(spec) -> None:
    problems: list[str] = []
    if not isinstance(spec, dict):
        raise SpecError("模板内容应为键值结构（code、name、sections 等）")
    for key in ("code", "name", "title", "sections"):
        if not spec.get(key):
            problems.append(f"缺少“{key}”")
    if spec.get("kind", "summary") not in ("summary", "plan"):
        problems.append("kind 只能是 summary（总结）或 plan（计划）")
    unknown_types = set(spec.get("period_types") or []) - PERIOD_TYPES
    if unknown_types:
        problems.append(f"period_types 中有无法识别的期间类型：{'、'.join(sorted(unknown_types))}")
    for where in ("opening", "closing"):
        for i, block in enumerate(spec.get(where) or [], start=1):
            _check_block(block, f"{where} 第{i}段", problems)
    if not isinstance(spec.get("sections", []), list):
        problems.append("sections 应为列表")
    else:
        _check_sections(spec.get("sections") or [], "sections", problems)
    _check_placeholders(spec, problems)
    if problems:
        raise SpecError("；".join(problems))


def _check_block(block, where: str, problems: list[str]) -> None:
    if not isinstance(block, dict) or not ({"text", "review", "headline", "verdict"} & set(block)):
        problems.append(f"{where}应为 text、review、headline 或 verdict 之一")
    elif "headline" in block and not isinstance(block["headline"].get("items"), list):
        problems.append(f"{where}的 headline 缺少 items 列表")


def _check_sections(sections: list, where: str, problems: list[str]) -> None:
    for i, section in enumerate(sections, start=1):
        place = f"{where} 第{i}节"
        if not isinstance(section, dict) or not section.get("title"):
            problems.append(f"{place}缺少标题（title）")
            continue
        kind = section.get("kind")
        if kind is None and not section.get("sections"):
            problems.append(f"{place}“{section['title']}”既没有 kind 也没有下级 sections")
        if kind is not None and kind not in KINDS:
            problems.append(f"{place}的 kind“{kind}”无法识别（可用：{'、'.join(sorted(KINDS))}）")
        if kind in ("figures", "indicators"):
            items = section.get("items")
            if not isinstance(items, list) or not items:
                problems.append(f"{place}“{section['title']}”缺少 items 列表")
            elif kind == "figures" and not all(isinstance(x, dict) and x.get("dx") for x in items):
                problems.append(f"{place}“{section['title']}”的每一项都需要 dx 编码")
        if kind == "text" and not section.get("paragraphs"):
            problems.append(f"{place}“{section['title']}”缺少 paragraphs")
        if kind in ("work_done", "party_reform"):
            known = WORK_PARTS if kind == "work_done" else PARTY_REFORM_PARTS
            parts = section.get("parts")
            unknown = (
                [p for p in parts or [] if p not in known] if isinstance(parts, list) else None
            )
            if not parts or unknown is None:
                problems.append(
                    f"{place}“{section['title']}”缺少 parts 列表（可用：{'、'.join(known)}）"
                )
            elif unknown:
                problems.append(
                    f"{place}“{section['title']}”的 parts 中有无法识别的内容：{'、'.join(map(str, unknown))}（可用：{'、'.join(known)}）"
                )
        if kind == "area" and section.get("part") not in AREA_PARTS:
            problems.append(
                f"{place}“{section['title']}”的 part 无法识别（可用：{'、'.join(AREA_PARTS)}）"
            )
        if section.get("sections"):
            _check_sections(section["sections"], f"{place}“{section['title']}”", problems)


def _check_placeholders(spec: dict, problems: list[str]) -> None:
    for text in _texts(spec):
        try:
            _fields(text)
        except SpecError as exc:
            problems.append(str(exc))


def _fields(text: str) -> list[tuple[str, str]]:
    """(literal text, placeholder name) pairs of a template text; SpecError (Chinese) for
    anything but a plain known name: `{unit:>400000000}` would pad to 400 MB, `{unit!r}` and
    `{unit.x}` reach into Python, `{}` takes positional arguments there are none of."""
    import string

    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        raise SpecError(
            f"文字“{text[:20]}…”中的花括号不成对（要写花括号本身，请写两个：{{{{ }}}}）"
        ) from None
    fields = []
    for literal, name, spec, conversion in parsed:
        if name is None:
            fields.append((literal, ""))
            continue
        if spec or conversion:
            shown = (
                "{"
                + name
                + (f"!{conversion}" if conversion else "")
                + (f":{spec}" if spec else "")
                + "}"
            )
            raise SpecError(
                f"文字“{text[:20]}…”中的占位符不能带格式或转换（“{shown}”），只能写 {{{name}}}"
            )
        if not name:
            raise SpecError(
                f"文字“{text[:20]}…”中有空的花括号 {{}}：花括号中应写占位符名称，如 {{unit}}"
            )
        if name not in PLACEHOLDERS:
            raise SpecError(f"文字“{text[:20]}…”中有无法识别的占位符：{{{name}}}")
        fields.append((literal, name))
    return fields


def fill(text: str, words: dict[str, str]) -> str:
    """The text with its placeholders replaced by `words`: plain substitution, never
    `str.format` (a template stored before these checks is refused here too)."""
    return "".join(literal + (words[name] if name else "") for literal, name in _fields(text))


def _texts(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            if key not in (
                "dx",
                "items",
                "code",
                "period_types",
                "unit_types",
                "thresholds",
                "judge",
            ):
                yield from _texts(value)
            elif key == "items" and isinstance(value, list):
                for item in value:
                    if isinstance(item, dict):
                        yield from _texts({k: v for k, v in item.items() if k != "dx"})
    elif isinstance(node, list):
        for value in node:
            yield from _texts(value)


def codes_in(spec: dict) -> list[str]:
    """Every dx code the template draws on, in order, without repeats."""
    found: dict[str, None] = {}

    def visit(section):
        for item in section.get("items") or []:
            found[item["dx"] if isinstance(item, dict) else item] = None
        chart = section.get("chart")
        if chart:
            found[chart["dx"]] = None
        for entry in section.get("zero_events") or []:
            found[entry["dx"]] = None
            if entry.get("instead"):
                found[entry["instead"]] = None
        if section.get("unit_chart"):
            found[section["unit_chart"]] = None
        for child in section.get("sections") or []:
            visit(child)

    for code in spec.get("judge") or []:
        found[code] = None
    for block in spec.get("opening") or []:
        if "headline" in block:
            visit(block["headline"])
    for section in spec.get("sections") or []:
        visit(section)
    return list(found)
