"""Rules on the document's structure: headings their paragraphs contradict, bad results
heading the achievements, an opening that the problems belie, past events in the plan, and
inspections received told as done."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from ..model import Document, Paragraph, Section, subsections, walk
from ..narrative import Figure, Text, plain
from .base import (
    CHANGE_OPS,
    DOWN_WORDS,
    Finding,
    Knowledge,
    clause_of,
    document_year,
    problems_section,
    section_text,
    text_before,
)

GROWTH_HEADING = ("稳步增长", "较快增长", "有所提高", "明显提高", "持续提升")


DECLINE_HEADING = ("有所下降", "明显下降")


FLAT_HEADING = ("基本持平", "保持稳定", "保持平稳", "基本稳定")


BAD_HEADING = ("有所上升", "明显上升", "超出控制目标", "未达到目标", "进度滞后", "有所下滑")


GOOD_CLAIMS = ("筑牢安全底线", "保障医疗安全", "控制不合理费用", "经济运行平稳", "持续改进")


def headings(document: Document, knowledge: Knowledge) -> list[Finding]:
    found = []
    for _, _, block in walk(document):
        if not isinstance(block, Section):
            continue
        texts, body = section_text(block)
        if not body or not re.search(r"同比|比上年|上年同期|上年的", body):
            continue
        title = block.title
        changes = _changes(texts)
        said_up = any(w in body for w in ("增长", "提高", "上升", "增加", "增收", "高于上年"))
        said_down = any(w in body for w in ("下降", "减少", "降低", "缩短", "低于上年"))
        if any(p in title for p in GROWTH_HEADING) and not said_up:
            found.append(Finding("heading", f"“{title}”下没有任何增长"))
        alone = not any(p in title for p in (*FLAT_HEADING, *DECLINE_HEADING, "上升"))
        phrase = next((p for p in GROWTH_HEADING if p in title), None)
        if phrase and alone:
            label = title.split(phrase)[0].split("，")[-1]
            clause = next(
                (c for c in re.split(r"[；。]", body) if label and c.startswith(label)), None
            )
            if clause is not None:  # the heading names one indicator: its own clause must rise
                if not any(w in clause for w in ("增长", "提高", "上升", "增加", "高于")):
                    found.append(Finding("heading", f"“{title}”：{clause}"))
            else:
                grew, held = _tally(texts)
                if held > grew:
                    found.append(
                        Finding(
                            "heading",
                            f"“{title}”下多数指标持平或下降（增长{grew}项，持平或下降{held}项）",
                        )
                    )
        if any(p in title for p in DECLINE_HEADING) and not said_down:
            found.append(Finding("heading", f"“{title}”下没有任何下降"))
        verdicts = [
            p for p in (*GROWTH_HEADING, *DECLINE_HEADING, *FLAT_HEADING, "上升") if p in title
        ]
        if verdicts and all(v in FLAT_HEADING for v in verdicts):
            big = [c for c in changes if c[2] == "pct" and abs(c[1]) >= 10]
            if big:
                found.append(Finding("heading", f"“{title}”下有{big[0][0]}"))
        if any(p in title for p in GOOD_CLAIMS):
            worse = _worsened(texts, knowledge)
            if worse:
                found.append(Finding("heading", f"“{title}”下有{worse}"))
        elif any(p in title for p in GOOD_VERDICTS):
            # a heading's verdict about one indicator while the section holds a worse one
            # ("多重耐药菌检出率有所下降" above I类切口感染率 5 → 19 cases, a missed target, a death)
            worse = _worsened(texts, knowledge) or next(
                (w for w in WORSE_WORDS if re.search(w, body)), ""
            )
            if worse:
                found.append(Finding("heading", f"“{title}”只说了好的一面，段中却有{worse}"))
    return found


# a heading verdict that something went well or held
GOOD_VERDICTS = (*GROWTH_HEADING, *DECLINE_HEADING, *FLAT_HEADING, "控制在目标以内", "达到目标要求")
# what a section's paragraphs say that outranks any such verdict
WORSE_WORDS = (r"超出[^，。；]*目标", r"未达到[^，。；]*目标", r"死亡\d+例", r"发生[^，。；]*死亡")


def bad_results_in_achievements(document: Document) -> list[Finding]:
    found = []
    for top in document.sections:
        if "成效" not in top.title and "主要工作" not in top.title:
            continue
        for block in subsections(top):
            bad = next((w for w in BAD_HEADING if w in block.title), None)
            if bad:
                found.append(Finding("heading", f"“{top.title}”下的标题说了问题（{bad}）：“{block.title}”"))  # fmt: skip
    return found


def _tally(texts: list[Text]) -> tuple[int, int]:
    """(clauses that grew, figures flat or lower): a clause counts once by its change word;
    "A、B，均与上年同期基本持平" counts each of its figures as flat."""
    grew = held = 0
    for text in texts:
        for clause in re.split(r"[；。]", plain(text)):
            if "持平" in clause:
                held += max(
                    1,
                    len(
                        re.findall(
                            r"\d+(?:\.\d+)?(?:万|亿)?(?:人次|人|例|台次|次|元|份|件)", clause
                        )
                    ),
                )
            elif any(w in clause for w in ("增长", "提高", "上升", "增加", "增收", "高于上年")):
                grew += 1
            elif any(w in clause for w in DOWN_WORDS) or "低于上年" in clause:
                held += 1
    return grew, held


def _changes(texts: list[Text]) -> list[tuple[str, Decimal, str]]:
    """(figure text, signed change, pct|other) of every comparison in the texts."""
    out = []
    for text in texts:
        for span in text:
            if isinstance(span, Figure) and span.source.get("derived") in CHANGE_OPS:
                kind = "pct" if span.source["derived"] == "pct_change" else "other"
                out.append((span.text, Decimal(span.value), kind))
    return out


def _worsened(texts: list[Text], knowledge: Knowledge) -> str:
    """A figure that moved the wrong way enough to belie a claim of safety or control: a cost
    (元) that rose, or a lower-is-better rate up by half or more."""
    for text in texts:
        for index, span in enumerate(text):
            if not isinstance(span, Figure) or "derived" in span.source or "dx" not in span.source:
                continue
            cost = span.text.endswith("元") and "费用" in text_before(text, index, 8)
            if cost:  # a cost per visit or per stay that rose belies 控制费用
                before = _earlier_value(text, index)
                if before is not None and Decimal(span.value) > before * Decimal("1.005"):
                    return f"{text_before(text, index, 8)}{span.text}（上升）"
                continue
            if knowledge.directions.get(span.source["dx"]) != "down":
                continue
            before = _earlier_value(text, index)
            if before is None or before <= 0:
                continue
            now = Decimal(span.value)
            if (now - before) / before >= Decimal("0.5"):
                return f"{span.text}（上年同期约{before.normalize():f}）"
    return ""


def _earlier_value(text: Text, index: int) -> Decimal | None:
    """Last year's value of the figure at `index`, from the comparison that follows it in the
    same clause: a % change, a change in points or days, or "高于上年同期的X"."""
    now = Decimal(text[index].value)
    for pos in range(index + 1, len(text)):
        span = text[pos]
        if isinstance(span, str) and ("；" in span or "。" in span):
            return None
        if not isinstance(span, Figure):
            continue
        op = span.source.get("derived")
        if op == "pct_change":
            change = Decimal(span.value)
            return now / (1 + change / 100) if change != -100 else None
        if op in ("change", "abs_change"):
            return now - Decimal(span.value)
        if "pe" in span.source and re.search(
            r"(高于|低于)上年(同期)?的$", text_before(text, pos, 10)
        ):
            return Decimal(span.value)
    return None


def opening(document: Document) -> list[Finding]:
    opening = "".join(plain(p.text) for p in document.opening if not p.review)
    if not any(w in opening for w in ("完成良好", "全面完成", "圆满完成", "取得了显著成效")):
        return []
    for _, _, block in walk(document):
        if isinstance(block, Section) and block.title == "存在的问题":
            _, body = section_text(block)
            if re.search(
                r"未完成|滞后|超出.{0,12}控制目标|低于.{0,12}(底线|目标值)|发生.{0,8}死亡", body
            ):
                return [Finding("opening", "开头称指标完成良好，存在问题却列出未达标的指标")]
    return []


def past_events(document: Document, knowledge: Knowledge) -> list[Finding]:
    if knowledge.date is None or not knowledge.health_days:
        return []
    found = []
    in_steps = False
    for level, _, block in walk(document):
        if isinstance(block, Section) and level == 1:
            in_steps = "打算" in block.title or "计划" in block.title or "主要任务" in block.title
            continue
        if not in_steps or not isinstance(block, Paragraph):
            continue
        words = plain(block.text)
        if "结合" not in words:
            continue
        for name, (month, day) in knowledge.health_days.items():
            when = dt.date(knowledge.date.year, month, day)
            if name in words and when < knowledge.date and _same_year_steps(document, knowledge):
                found.append(Finding("past-event", f"{name}（{month}月{day}日）已过：{words[:30]}"))
    return found


def _same_year_steps(document: Document, knowledge: Knowledge) -> bool:
    """The next steps speak of the rest of the document's year (a half-year or a quarter), not
    of the next year."""
    year = document_year(document)
    partial = "S" in document.period_id or "Q" in document.period_id
    kind = getattr(document, "template_kind", "summary")
    return year == knowledge.date.year and kind != "plan" and partial


def received_as_done(document: Document) -> list[Finding]:
    """INSP_DONE counts the inspections a unit received: never "开展督导检查N次" by it."""
    found = []
    for _, _, block in walk(document):
        if not isinstance(block, Paragraph):
            continue
        for index, span in enumerate(block.text):
            received = isinstance(span, Figure) and span.source.get("dx") == "INSP_DONE"
            if received and "开展" in text_before(block.text, index, 10):
                clause = clause_of(block.text, index)
                found.append(Finding("heading", f"受检次数说成了开展检查：{clause}{span.text}"))
    return found


SAFETY_WORDS = ("死亡", "跌倒", "压力性损伤", "不良事件")
_ROSE = re.compile(r"高于上年|上升|增至|增加|增长")


def unranked_safety(document: Document) -> list[Finding]:
    """A safety event (deaths, falls, pressure injuries, adverse events) said to have risen in
    the sections but missing from 存在的问题: it belongs first there, however few the cases."""
    problems = problems_section(document)
    if problems is None:
        return []
    _, listed = section_text(problems)
    found = []
    for top in document.sections:
        if top is problems:
            continue
        for block in _paragraphs_in(top):
            for clause in re.split(r"[；。]", plain(block.text)):
                word = next((w for w in SAFETY_WORDS if w in clause), None)
                if word and _ROSE.search(clause) and "未发生" not in clause and word not in listed:
                    found.append(Finding("safety-unranked", f"{clause}（存在的问题未提及{word}）"))
    return found


def _paragraphs_in(section: Section) -> list[Paragraph]:
    out = []
    for block in section.blocks:
        if isinstance(block, Section):
            out += _paragraphs_in(block)
        elif isinstance(block, Paragraph) and not block.review:
            out.append(block)
    return out


PRAISE = ("规范有序", "成效显著", "全面完成", "扎实有效", "圆满完成")


def praised_problems(document: Document) -> list[Finding]:
    """A heading under 成效 that praises a work ("统计报表工作规范有序") whose subject 存在的问题
    names as a problem (统计报表上报不够及时)."""
    problems = problems_section(document)
    if problems is None:
        return []
    _, listed = section_text(problems)
    found = []
    for top in document.sections:
        if "成效" not in top.title and "完成情况" not in top.title and "主要工作" not in top.title:
            continue
        for block in subsections(top):
            praise = next((w for w in PRAISE if w in block.title), None)
            subject = block.title.split(praise)[0].split("，")[-1][:4] if praise else ""
            if len(subject) == 4 and subject in listed:
                found.append(Finding("heading", f"“{block.title}”，存在的问题却列出{subject}"))
    return found
