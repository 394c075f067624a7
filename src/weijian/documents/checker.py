"""The document checker (Django-free): scans a composed document for sentences its own data
contradicts, the way a careful reader would, and names each. It reads only the document —
its text and the figures' values and sources — plus a few facts the caller supplies (which way
each indicator is better, each unit's type, the calendar's health days), so it checks the
composer from outside rather than repeating its logic.

    findings = check(document, Knowledge(directions={"HAI_INCIDENCE": "down"}, …))
    [Finding("increase-word", "门诊…同比增长-3.2%")]   # empty when nothing contradicts

Rules (each a `rule` name in the findings):
- direction-word: a change said with the wrong verb (增长/提高/上升/增加/增收/延长 before a
  negative change, 下降/减少/降低/缩短/减收 before a positive one), 高于/低于 last year's value
  when the current value is not higher/lower.
- target-word: 控制在…目标以内 / 达到…目标要求 / 超出…控制目标 / 低于…目标值 that the two
  figures do not bear out.
- scope: a figure stated under a period word (全年, 上半年, 1—11月…) larger than the period its
  source covers (a December-only ledger figure under 全年), in a sentence or a table's column.
- heading: a section heading whose verdict its paragraphs contradict — growth above a section
  with no growth, decline above one with no decline, 基本持平 alone above changes of 10 % or
  more, 控制/安全 claims above a cost that rose or a risk that rose by half or more.
- opening: 主要指标完成良好 / 全面完成 above a 存在的问题 that lists a missed target or floor.
- ranking: best and worst named among units of different kinds.
- plan-floor: a plan target below a result already reached (above it, for a lower-is-better one).
- register: 个千分点, unexplained Latin abbreviations, None/nan, 为为, chart data tables.
- past-event: a coming health day named in 下一步 whose date is before the document's date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from .model import Chart, Document, Paragraph, Section, Table, walk
from .narrative import Figure, Text, plain

UP_WORDS = ("增长", "提高", "上升", "增加", "增收", "延长")
DOWN_WORDS = ("下降", "减少", "降低", "缩短", "减收")
ALLOWED_LATIN = {"ICU", "CT", "DRG", "DIP", "DDDs", "I"}
CHANGE_OPS = {"pct_change", "change", "abs_change"}
GROWTH_HEADING = ("稳步增长", "较快增长", "有所提高", "明显提高", "持续提升")
DECLINE_HEADING = ("有所下降", "明显下降")
FLAT_HEADING = ("基本持平", "保持稳定", "保持平稳", "基本稳定")
GOOD_CLAIMS = ("筑牢安全底线", "保障医疗安全", "控制不合理费用", "经济运行平稳", "持续改进")


@dataclass(frozen=True)
class Finding:
    rule: str
    text: str

    def __str__(self) -> str:
        return f"[{self.rule}] {self.text}"


@dataclass
class Knowledge:
    """What the checker needs beyond the document: each indicator's better direction ("up",
    "down"), each unit's kind by the name the text uses, the calendar's health days by name
    (month, day), and the document's date."""

    directions: dict[str, str] = field(default_factory=dict)
    unit_kinds: dict[str, str] = field(default_factory=dict)
    health_days: dict[str, tuple[int, int]] = field(default_factory=dict)
    date: dt.date | None = None
    # (dx, pe, ou) → the months ("202512") of pe that have data, None when unknown
    coverage: Callable[[str, str, str], set[str] | None] | None = None
    # survey rate code → the district's floor (%) for that kind of survey
    survey_floors: dict[str, Decimal] = field(default_factory=dict)


def check(document: Document, knowledge: Knowledge | None = None) -> list[Finding]:
    knowledge = knowledge or Knowledge()
    findings: list[Finding] = []
    paragraphs = [
        (level, block) for level, _, block in walk(document) if isinstance(block, Paragraph)
    ]
    for _, paragraph in paragraphs:
        text = paragraph.text
        findings += _direction_words(text)
        findings += _target_words(text)
        findings += _register(text)
        if not paragraph.review:
            findings += _ranking(text, knowledge)
    findings += _scope(document)
    findings += _coverage(document, knowledge)
    findings += _survey_floors(document, knowledge)
    findings += _received_as_done(document)
    findings += _headings(document, knowledge)
    findings += _opening(document)
    findings += _plan_floor(document, knowledge)
    findings += _past_events(document, knowledge)
    findings += _chart_tables(document)
    return findings


# -- figures and the words around them -----------------------------------------------------


def _before(text: Text, index: int, width: int = 8) -> str:
    """The plain text just before span `index`."""
    out = ""
    for span in reversed(text[:index]):
        out = (span if isinstance(span, str) else span.text) + out
        if len(out) >= width:
            break
    return out[-width:]


def _clause_of(text: Text, index: int) -> str:
    before = plain(text[:index])
    start = max(before.rfind(c) for c in "；。") + 1
    return before[start:]


def _direction_words(text: Text) -> list[Finding]:
    found = []
    for index, span in enumerate(text):
        if not isinstance(span, Figure) or span.source.get("derived") not in CHANGE_OPS:
            continue
        words = _before(text, index, 6)
        value = Decimal(span.value)
        said_up = any(words.endswith(w) or words.endswith(w + "了") for w in UP_WORDS)
        said_down = any(words.endswith(w) for w in DOWN_WORDS)
        if (said_up and value < 0) or (said_down and value > 0):
            found.append(Finding("direction-word", f"{_clause_of(text, index)}{span.text}"))
    # 高于/低于上年同期的X: X is the earlier value; the clause's first figure the current one
    for index, span in enumerate(text):
        if not isinstance(span, Figure):
            continue
        words = _before(text, index, 10)
        match = re.search(r"(高于|低于)上年(同期)?的$", words)
        if not match:
            continue
        current = _first_figure_of_clause(text, index)
        if current is None:
            continue
        higher = Decimal(current.value) > Decimal(span.value)
        if higher != (match.group(1) == "高于"):
            found.append(Finding("direction-word", f"{_clause_of(text, index)}{span.text}"))
    return found


def _first_figure_of_clause(text: Text, index: int) -> Figure | None:
    for back in range(index - 1, -1, -1):
        span = text[back]
        if isinstance(span, str) and ("；" in span or "。" in span):
            break
        if isinstance(span, Figure) and "derived" not in span.source:
            candidate = span
            # keep going to the clause's first figure
            for earlier in range(back - 1, -1, -1):
                s = text[earlier]
                if isinstance(s, str) and ("；" in s or "。" in s or "，" in s):
                    return candidate
                if isinstance(s, Figure) and "derived" not in s.source:
                    candidate = s
            return candidate
    return None


_TARGET_PATTERNS = [
    (re.compile(r"控制在$"), "目标以内", "le"),
    (re.compile(r"超出$"), "控制目标", "gt"),
    (re.compile(r"达到$"), "目标要求", "ge"),
    (re.compile(r"低于$"), "目标值", "lt"),
]


def _target_words(text: Text) -> list[Finding]:
    found = []
    for index, span in enumerate(text):
        if not isinstance(span, Figure) or index + 1 >= len(text):
            continue
        after = text[index + 1] if isinstance(text[index + 1], str) else ""
        words = _before(text, index, 4)
        for pattern, tail, relation in _TARGET_PATTERNS:
            if pattern.search(words) and after.startswith(f"的{tail}"):
                current = _first_figure_of_clause(text, index)
                if current is None or current is span:
                    continue
                now, goal = _shown(current), _shown(span)
                ok = {
                    "le": now <= goal, "gt": now > goal, "ge": now >= goal, "lt": now < goal,
                }[relation]  # fmt: skip
                if not ok:
                    found.append(
                        Finding("target-word", f"{_clause_of(text, index)}{span.text}{after[:8]}")
                    )
    return found


def _shown(figure: Figure) -> Decimal:
    """The value as printed (bounds are judged on what the reader sees)."""
    match = re.match(r"-?[0-9.]+", figure.text.replace(",", ""))
    if not match:
        return Decimal(figure.value)
    number = Decimal(match.group())
    if "亿" in figure.text[: len(match.group()) + 1]:
        number *= 100000000
    elif "万" in figure.text[: len(match.group()) + 1]:
        number *= 10000
    return number


# -- scope: 全年 on a part of the year ----------------------------------------------------------

_SCOPE = re.compile(
    r"(全年|上半年|下半年|一季度|二季度|三季度|四季度|\d{1,2}—\d{1,2}月|\d{1,2}月份|\d{1,2}月)"
)


def _scope(document: Document) -> list[Finding]:
    """Each analytics figure in a sentence that opens with a period word must cover that
    period: its source's period may not be shorter than the words say."""
    found = []
    year = _document_year(document)
    for _, _, block in walk(document):
        if isinstance(block, Table):
            found += _table_scope(block, year)
        if not isinstance(block, Paragraph) or block.review:
            continue
        for sentence in _sentences(block.text):
            head = plain(sentence)[:12]
            match = _SCOPE.match(head) or _SCOPE.match(head.split("，", 1)[-1][:10])
            if not match:
                continue
            claimed = _months_of(match.group(1), year)
            if claimed is None:
                continue
            for span in sentence:
                if (
                    not isinstance(span, Figure)
                    or "pe" not in span.source
                    or "derived" in span.source
                ):
                    continue
                covered = _source_months(str(span.source["pe"]))
                if (
                    covered is not None
                    and year is not None
                    and covered[0] == year
                    and covered[1] < claimed
                ):
                    found.append(
                        Finding(
                            "scope",
                            f"“{match.group(1)}”下的{span.text}（数据期间 {span.source['pe']}）",
                        )
                    )
    return found


def _table_scope(table: Table, year: int | None) -> list[Finding]:
    """The value column's heading (全年, 上半年, 12月份) over figures of fewer months, unless the
    row's label names its own months (“病床使用率（%）（12月份）”)."""
    if len(table.header) < 2 or year is None:
        return []
    column = _months_of(table.header[1], year)
    found = []
    for row in table.rows:
        if len(row) < 2:
            continue
        label = plain(row[0])
        own = _SCOPE.search(label.rsplit("（", 1)[-1]) if label.endswith("）") else None
        claimed = _months_of(own.group(1), year) if own else column
        for span in row[1]:
            if not isinstance(span, Figure) or "pe" not in span.source:
                continue
            covered = _source_months(str(span.source["pe"]))
            if claimed and covered and covered[0] == year and covered[1] < claimed:
                found.append(
                    Finding(
                        "scope",
                        f"表“{table.title}”中{label}的{span.text}（数据期间 {span.source['pe']}）",
                    )  # fmt: skip
                )
    return found


def _sentences(text: Text) -> list[Text]:
    out, current = [], []
    for span in text:
        if isinstance(span, str) and "。" in span:
            parts = span.split("。")
            for part in parts[:-1]:
                current.append(part + "。")
                out.append(tuple(current))
                current = []
            if parts[-1]:
                current.append(parts[-1])
        else:
            current.append(span)
    if current:
        out.append(tuple(current))
    return out


def _document_year(document: Document) -> int | None:
    match = re.match(r"(\d{4})", document.period_id or "")
    return int(match.group(1)) if match else None


def _months_of(word: str, year: int | None) -> set[int] | None:
    if word == "全年":
        return set(range(1, 13))
    if word == "上半年":
        return set(range(1, 7))
    if word == "下半年":
        return set(range(7, 13))
    if word.endswith("季度"):
        q = "一二三四".index(word[0])
        return set(range(3 * q + 1, 3 * q + 4))
    match = re.match(r"(\d{1,2})—(\d{1,2})月", word)
    if match:
        return set(range(int(match.group(1)), int(match.group(2)) + 1))
    match = re.match(r"(\d{1,2})月", word)
    return {int(match.group(1))} if match else None


def _source_months(pe: str) -> tuple[int, set[int]] | None:
    """(year, months) a period id or range covers."""
    match = re.fullmatch(r"(\d{4})-(\d{2})-\d{2}~(\d{4})-(\d{2})-\d{2}", pe)
    if match and match.group(1) == match.group(3):
        return int(match.group(1)), set(range(int(match.group(2)), int(match.group(4)) + 1))
    if re.fullmatch(r"\d{6}", pe):
        return int(pe[:4]), {int(pe[4:])}
    if re.fullmatch(r"\d{4}", pe):
        return int(pe), set(range(1, 13))
    match = re.fullmatch(r"(\d{4})S([12])", pe)
    if match:
        half = int(match.group(2))
        return int(match.group(1)), set(range(1 + 6 * (half - 1), 7 + 6 * (half - 1)))
    match = re.fullmatch(r"(\d{4})Q([1-4])", pe)
    if match:
        q = int(match.group(2))
        return int(match.group(1)), set(range(3 * q - 2, 3 * q + 1))
    return None


# -- headings and the opening -----------------------------------------------------------------


def _section_text(section: Section) -> tuple[list[Text], str]:
    texts = [b.text for b in section.blocks if isinstance(b, Paragraph) and not b.review]
    return texts, "".join(plain(t) for t in texts)


def _headings(document: Document, knowledge: Knowledge) -> list[Finding]:
    found = []
    for _, _, block in walk(document):
        if not isinstance(block, Section):
            continue
        texts, body = _section_text(block)
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
            cost = span.text.endswith("元") and "费用" in _before(text, index, 8)
            if cost:  # a cost per visit or per stay that rose belies 控制费用
                before = _earlier_value(text, index)
                if before is not None and Decimal(span.value) > before * Decimal("1.005"):
                    return f"{_before(text, index, 8)}{span.text}（上升）"
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
        if "pe" in span.source and re.search(r"(高于|低于)上年(同期)?的$", _before(text, pos, 10)):
            return Decimal(span.value)
    return None


def _opening(document: Document) -> list[Finding]:
    opening = "".join(plain(p.text) for p in document.opening if not p.review)
    if not any(w in opening for w in ("完成良好", "全面完成", "圆满完成", "取得了显著成效")):
        return []
    for _, _, block in walk(document):
        if isinstance(block, Section) and block.title == "存在的问题":
            _, body = _section_text(block)
            if re.search(
                r"未完成|滞后|超出.{0,12}控制目标|低于.{0,12}(底线|目标值)|发生.{0,8}死亡", body
            ):
                return [Finding("opening", "开头称指标完成良好，存在问题却列出未达标的指标")]
    return []


# -- comparisons, plans, register, events -----------------------------------------------------


def _ranking(text: Text, knowledge: Knowledge) -> list[Finding]:
    found = []
    for match in re.finditer(
        r"以([^，；（]+?)最好（([^）]*)），([^，；（]+?)相对较差（([^）]*)）", plain(text)
    ):
        best, best_value, worst, worst_value = match.groups()
        kinds = knowledge.unit_kinds
        if best in kinds and worst in kinds and kinds[best] != kinds[worst]:
            found.append(Finding("ranking", f"{best}与{worst}不是同类单位：{match.group(0)}"))
        a, b = _number(best_value), _number(worst_value)
        if (
            a is not None
            and b is not None
            and (a + b)
            and abs(a - b) / ((abs(a) + abs(b)) / 2) < Decimal("0.05")
        ):
            found.append(Finding("ranking", f"差距过小不足以分出好差：{match.group(0)}"))
    return found


def _number(text: str) -> Decimal | None:
    match = re.match(r"-?[0-9.]+", text)
    return Decimal(match.group()) if match else None


def _plan_floor(document: Document, knowledge: Knowledge) -> list[Finding]:
    found = []
    for _, _, block in walk(document):
        if not isinstance(block, Paragraph):
            continue
        text = block.text
        for index, span in enumerate(text):
            if not isinstance(span, Figure) or "dx" in span.source or "pe" in span.source:
                continue
            words = _before(text, index, 4)
            if not (words.endswith("达到") or words.endswith("保持在") or words.endswith("控制在")):
                continue
            now = _next_figure_after(text, index, "为")
            if now is None:
                continue
            goal, reached = _shown(span), _shown(now)
            lower_better = words.endswith("控制在")
            if (lower_better and goal > reached) or (not lower_better and goal < reached):
                found.append(
                    Finding(
                        "plan-floor", f"{_clause_of(text, index)}{span.text}（已达到{now.text}）"
                    )
                )
    return found


def _next_figure_after(text: Text, index: int, marker: str) -> Figure | None:
    for pos in range(index + 1, min(index + 4, len(text))):
        span = text[pos]
        if isinstance(span, str) and ("；" in span or "。" in span):
            return None
        if isinstance(span, Figure) and "pe" in span.source and "derived" not in span.source:
            before = _before(text, pos, 4)
            return span if before.endswith(marker) else None
    return None


def _register(text: Text) -> list[Finding]:
    words = plain(text)
    found = []
    for bad in ("个千分点", "None", "nan", "为为", "为达到"):
        if bad in words:
            found.append(Finding("register", f"“{bad}”：{words[:40]}"))
    for latin in re.findall(r"[A-Za-z]+", words):
        if latin not in ALLOWED_LATIN:
            found.append(Finding("register", f"外文缩写“{latin}”：{words[:40]}"))
    return found


def _chart_tables(document: Document) -> list[Finding]:
    found = []
    previous = None
    for _, _, block in walk(document):
        if isinstance(block, Table) and isinstance(previous, Chart):
            found.append(Finding("register", f"图下附数据表：{block.title}"))
        previous = block
    return found


def _past_events(document: Document, knowledge: Knowledge) -> list[Finding]:
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
    year = _document_year(document)
    partial = "S" in document.period_id or "Q" in document.period_id
    kind = getattr(document, "template_kind", "summary")
    return year == knowledge.date.year and kind != "plan" and partial


# -- coverage, survey floors, inspections -------------------------------------------------------


def _coverage(document: Document, knowledge: Knowledge) -> list[Finding]:
    """Every analytics figure must have data in every month of the period it is stated for
    (a year's figure from December alone is not 全年)."""
    if knowledge.coverage is None:
        return []
    found = []
    seen = set()
    for _, _, block in walk(document):
        texts = [block.text] if isinstance(block, Paragraph) and not block.review else []
        for text in texts:
            for span in text:
                if not isinstance(span, Figure) or "derived" in span.source:
                    continue
                source = span.source
                if not all(k in source for k in ("dx", "pe", "ou")) or "source" in source:
                    continue
                if "未报" in plain(text):  # the gap is said where the figure is
                    continue
                key = (source["dx"], str(source["pe"]), source["ou"])
                if key in seen:
                    continue
                seen.add(key)
                months = _source_months(key[1])
                covered = knowledge.coverage(*key)
                if months is None or covered is None:
                    continue
                wanted = {f"{months[0]}{m:02d}" for m in months[1]}
                if knowledge.date is not None:
                    wanted = {m for m in wanted if m < f"{knowledge.date:%Y%m}"}
                missing = sorted(wanted - covered)
                if missing and covered:
                    found.append(
                        Finding(
                            "scope",
                            f"{span.text}（{key[0]}，{key[1]}）缺{len(missing)}个月数据：{','.join(missing[:4])}",
                        )
                    )
    return found


def _survey_floors(document: Document, knowledge: Knowledge) -> list[Finding]:
    """A satisfaction said to be below a floor must be below the district's own floor for that
    kind of survey (a staff survey is not held against the inpatients' 90 %)."""
    found = []
    for _, _, block in walk(document):
        if not isinstance(block, Paragraph):
            continue
        text = block.text
        for index, span in enumerate(text):
            if not isinstance(span, Figure) or span.source.get("dx") not in knowledge.survey_floors:
                continue
            for after in range(index + 1, min(index + 6, len(text))):
                floor = text[after]
                if isinstance(floor, str) and ("；" in floor or "。" in floor):
                    break
                if isinstance(floor, Figure) and "低于" in _before(text, after, 3):
                    expected = knowledge.survey_floors[span.source["dx"]]
                    if _shown(floor) != expected:
                        found.append(
                            Finding(
                                "target-word",
                                f"{_clause_of(text, after)}{floor.text}（本区规则为{expected.normalize():f}%）",
                            )
                        )
                    break
    return found


def _received_as_done(document: Document) -> list[Finding]:
    """INSP_DONE counts the inspections a unit received: never "开展督导检查N次" by it."""
    found = []
    for _, _, block in walk(document):
        if not isinstance(block, Paragraph):
            continue
        for index, span in enumerate(block.text):
            received = isinstance(span, Figure) and span.source.get("dx") == "INSP_DONE"
            if received and "开展" in _before(block.text, index, 10):
                clause = _clause_of(block.text, index)
                found.append(Finding("heading", f"受检次数说成了开展检查：{clause}{span.text}"))
    return found
