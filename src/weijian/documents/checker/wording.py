"""Rules on wording and register: lists announced with a count, Latin and machine leftovers,
rankings of unlike units, chart data tables, empty table columns, plan items worded alike."""

from __future__ import annotations

import re
from decimal import Decimal

from ..model import Chart, Document, Paragraph, Section, Table, walk
from ..narrative import Figure, Text, plain
from .base import Finding, Knowledge, leading_number

ALLOWED_LATIN = {"ICU", "CT", "DRG", "DIP", "DDDs", "I"}


# a list announced with a count of up to this many names them all (the composer's rule)
LIST_ALL_UP_TO = 8


def counted_lists(text: Text) -> list[Finding]:
    """ "A、B、C等N项指标": N must be the number of names; "围绕A、B、C、D等7个健康主题日": a
    count of up to LIST_ALL_UP_TO names them all, and never fewer than are listed (the list
    starts after 是/，/：/围绕/组织/开展)."""
    found = []
    for index, span in enumerate(text):
        if not isinstance(span, Figure) or index == 0 or span.text[-1:] not in "项个类":
            continue
        before = plain(text[:index])
        after = plain(text[index + 1 : index + 2])
        if not before.endswith("等"):
            continue
        names = re.split(r"[是，：；。]|围绕|组织|开展", before[:-1])[-1].split("、")
        count = Decimal(span.value)
        indicators = span.text.endswith("项") and after.startswith("指标")
        if indicators and len(names) != count:
            found.append(Finding("count-list", f"列出{len(names)}项却说“{span.text}”：{before}{span.text}"))  # fmt: skip
        elif not indicators and (len(names) > count or len(names) < count <= LIST_ALL_UP_TO):
            found.append(Finding("count-list", f"列出{len(names)}个却说“{span.text}”：{before}{span.text}"))  # fmt: skip
    return found


def register(text: Text) -> list[Finding]:
    words = plain(text)
    found = []
    # 中位数: no office computes one; units are held against the parent's overall rate
    for bad in ("个千分点", "None", "nan", "为为", "为达到", "中位数"):
        if bad in words:
            found.append(Finding("register", f"“{bad}”：{words[:40]}"))
    # "A、B、C等3项指标同比变差": the count formula a blind reader named as machine-written;
    # the problem says what each figure did
    for match in re.finditer(r"等\d+项指标(同比|比上年)?变差", words):
        found.append(Finding("register", f"清单计数套话：{match.group(0)}"))
    # a hospital's (district's) rate is its own, not an average of its departments (units)
    for match in re.finditer(r"(全院|全区|全科|全市)[^，。；]{0,14}平均水平", words):
        found.append(Finding("register", f"全院率不是平均数：{match.group(0)}"))
    for latin in re.findall(r"[A-Za-z]+", words):
        if latin not in ALLOWED_LATIN:
            found.append(Finding("register", f"外文缩写“{latin}”：{words[:40]}"))
    return found


def unmarked_blanks(paragraph) -> list[Finding]:
    """A blank left for the office (“（请填写：…）”) in a paragraph not marked for review: the
    yellow marking is what tells the office to fill it before the document goes out, and a
    sentence written from records is never a blank."""
    words = plain(paragraph.text)
    if paragraph.review or "请填写" not in words:
        return []
    return [Finding("blank-unmarked", f"待填写的内容未标记：{words[:40]}")]


def dated_lists(text: Text) -> list[Finding]:
    """ "应急演练8次…（2月19日…、3月24日…、4月12日…）": a dated list after a count names every
    one or none; "各类培训1次": 各类 only for several."""
    words = plain(text)
    found = []
    for match in re.finditer(r"(\d+)次[^（。；]*（([^）]*)）", words):
        dates = re.findall(r"\d+月\d+日", match.group(2))
        if dates and len(dates) != int(match.group(1)):
            found.append(Finding("count-list", f"{match.group(1)}次只列出{len(dates)}个日期：{match.group(0)}"))  # fmt: skip
    for match in re.finditer(r"各类[^，。；\d]{1,8}1(次|项|场)", words):
        found.append(Finding("count-list", f"只有一次却说“各类”：{match.group(0)}"))
    return found


def ranking(text: Text, knowledge: Knowledge) -> list[Finding]:
    found = []
    for match in re.finditer(
        r"以([^，；（]+?)最好（([^）]*)），([^，；（]+?)相对较差（([^）]*)）", plain(text)
    ):
        best, best_value, worst, worst_value = match.groups()
        kinds = knowledge.unit_kinds
        if best in kinds and worst in kinds and kinds[best] != kinds[worst]:
            found.append(Finding("ranking", f"{best}与{worst}不是同类单位：{match.group(0)}"))
        a, b = leading_number(best_value), leading_number(worst_value)
        if (
            a is not None
            and b is not None
            and (a + b)
            and abs(a - b) / ((abs(a) + abs(b)) / 2) < Decimal("0.05")
        ):
            found.append(Finding("ranking", f"差距过小不足以分出好差：{match.group(0)}"))
    return found


def chart_tables(document: Document) -> list[Finding]:
    found = []
    previous = None
    for _, _, block in walk(document):
        if isinstance(block, Table) and isinstance(previous, Chart):
            found.append(Finding("register", f"图下附数据表：{block.title}"))
        previous = block
    return found


TARGET_COLUMNS = ("目标", "目标值", "完成情况")


def empty_columns(document: Document) -> list[Finding]:
    found = []
    for _, _, block in walk(document):
        if not isinstance(block, Table) or len(block.rows) < 2:
            continue
        for col, name in enumerate(block.header[1:], start=1):
            if name in TARGET_COLUMNS:
                continue  # kept when any row has a target: the others' "—" says "none set"
            empty = sum(1 for row in block.rows if col < len(row) and plain(row[col]).strip() in ("—", ""))  # fmt: skip
            if empty * 2 > len(block.rows):
                found.append(Finding("table-empty", f"《{block.title}》的“{name}”列{len(block.rows)}行中{empty}行为空"))  # fmt: skip
    return found


# a plan item's opening: "3．" as numbered, "二是" inside a themed part (plan_themes.py)
ITEM = re.compile(r"^(\d+．|[一二三四五六七八九十]+是)")


def plan_paragraphs(section) -> list[Paragraph]:
    """A plan part's paragraphs, those of its themed parts (（一）…) included, in order."""
    found = []
    for block in section.blocks:
        if isinstance(block, Paragraph):
            found.append(block)
        elif hasattr(block, "blocks"):
            found += plan_paragraphs(block)
    return found


def plan_duplicates(document: Document) -> list[Finding]:
    found = []
    for top in document.sections:
        if not any(w in top.title for w in ("打算", "计划", "主要任务", "下一步")):
            continue
        seen: dict[str, str] = {}
        for block in plan_paragraphs(top):
            words = ITEM.sub("", plain(block.text))
            tail = re.sub(r"（(牵头科室|责任人).*$", "", words.split("，", 1)[-1])
            tail = re.sub(r"^[^，]*?配合，", "", tail)  # "由A牵头，B配合，…": the measure after it
            if len(tail) < 12:
                continue
            if tail in seen:
                found.append(Finding("plan-duplicate", f"“{seen[tail]}”与“{words}”措辞相同"))
            else:
                seen[tail] = words
    return found


PLAN_PARTS = ("打算", "计划", "主要任务", "下一步")
# who answers an item, folded into its sentence: "由医务科牵头，…", "由公共卫生科负责，…",
# "医院感染管理科于…前…", "科主任围绕…"
OWNER = re.compile(
    r"^(\d+．|[一二三四五六七八九十]+是)(下半年，|下季度，|\d+—\d+月，)?(由[^，]{2,30}?(牵头|负责)|[^，于]{0,12}?(科|部|室|办|工会|主任|护士长|统计员|中心|院|局)"
    r"(于|对|围绕|针对|严格|建立|加强|结合|坚持|逐月|关心|以|创新|按照|做好|落实|开展|继续|巩固|持续|全年))"
)
# when: a date for one-off work, the rhythm of a duty, the year or the health days it follows
WHEN = re.compile(
    r"于\d{4}年(\d{1,2}月)?底前|每月|按月|逐月|每季度|按季|逐季|全年|\d{4}年|主题日|宣传月"
)
# a bracketed note naming both is an owner too (three alike are plan-tail)
OWNED = re.compile(r"（(牵头科室|责任人)：[^；）]+；完成时限：[^）]+）。?$")
# the old machine tail, and any bracketed note closing an item ("（牵头科室：…；完成时限：…）")
TAIL = re.compile(r"（[^（）]*：[^（）]*）。?$")
MAX_SAME_TAIL = 2
# a standing duty with a monthly or quarterly rhythm given the year's end as its deadline (a
# year target's task that reports monthly is judged at the year's end: not this)
RHYTHM = re.compile(r"坚持每(月|季度)|常规工作")
YEAR_END = re.compile(r"(于|完成时限：)\d{4}年(12月)?底前")
# how many 坚决/切实 phrases a reader bears once each in a plan
ONCE_IN_A_PLAN = ("坚决遏制上升势头", "扬长避短")


def plan_items(document: Document, knowledge: Knowledge) -> list[Finding]:
    """Every numbered item of a plan part says who answers it and when, in its own sentence
    (a slogan without either is not a task); the same bracketed tail closing three items or
    more reads as machine-made (plan-tail); a monthly or quarterly duty is not given the year's
    end (plan-rhythm); a set phrase (坚决遏制上升势头) is said at most once; the idiom 扬长避短 (it
    reads as avoiding weaknesses) is never said; a department's tasks have a 责任人, not a
    牵头科室."""
    found = []
    body = []
    inside = knowledge.unit_kinds.get(document.unit_name) in ("DEPARTMENT", "WARD")
    for top in document.sections:
        if not any(w in top.title for w in PLAN_PARTS):
            continue
        tails = []
        owned = _owned_after(top)
        for block in plan_paragraphs(top):
            words = plain(block.text)
            body.append(words)
            numbered = re.match(r"^(\d+)．", words)
            themed = not any(b is block for b in top.blocks)  # inside a （一） part
            if not numbered and not themed:
                continue
            number = int(numbered.group(1)) if numbered else 0
            owner = OWNER.search(words) or number in owned or OWNER.search(f"一是{words}")
            # a numbered item says who and when; a themed part's item says who, and its date
            # where the work has one (read 2026-12-08: the same 由…于…前 frame on every item
            # read as machine-made; plan-urgent still holds a safety item to its month)
            dated = WHEN.search(words) or themed
            if not OWNED.search(words) and (not owner or not dated):
                found.append(Finding("plan-owner", f"计划事项未写明牵头科室（责任人）和完成时限：{words}"))  # fmt: skip
            if RHYTHM.search(words) and YEAR_END.search(words):
                found.append(Finding("plan-rhythm", f"按月（季）开展的工作不应以年底为完成时限：{words}"))  # fmt: skip
            tail = TAIL.search(words)
            if tail:
                tails.append(re.sub(r"：[^；）]*", "：", tail.group(0)))
            found += _deadline(words, knowledge)
            if inside and ("牵头科室：" in words or "科牵头" in words):
                found.append(Finding("plan-owner", f"科室计划应写责任人，而非牵头科室：{words}"))
        for shape in dict.fromkeys(tails):
            if tails.count(shape) > MAX_SAME_TAIL:
                found.append(Finding("plan-tail", f"{tails.count(shape)}项计划以同一格式“{shape}”结尾"))  # fmt: skip
    closing = [plain(p.text) for p in document.closing]
    text = "\n".join([*body, *closing])
    for phrase in ONCE_IN_A_PLAN:
        count = text.count(phrase)
        if count > (0 if phrase == "扬长避短" else 1):
            found.append(Finding("plan-phrase", f"“{phrase}”在计划部分出现{count}次"))
    return found


SHARED = re.compile(r"以上第([\d、]+)项由[^，。]+?(牵头|负责)")


def _owned_after(section) -> set[int]:
    """The items a closing 责任分工 sentence gives an office ("以上第1、3、4项由…牵头落实。")."""
    found: set[int] = set()
    for block in section.blocks:
        if isinstance(block, Paragraph):
            for match in SHARED.finditer(plain(block.text)):
                found |= {int(x) for x in match.group(1).split("、") if x}
    return found


DEADLINE = re.compile(
    r"(?:完成时限：|于|，|^\d+．|^[一二三四五六七八九十]+是)(\d{4})年(\d{1,2})月底前"
)


def _deadline(words: str, knowledge: Knowledge) -> list[Finding]:
    """A task about a whole year's figure (全年, 年度目标) due before December cannot be judged by
    then; a deadline already past at the document's date is no plan."""
    match = DEADLINE.search(words)
    if not match:
        return []
    year, month = int(match.group(1)), int(match.group(2))
    if month < 12 and ("全年" in words or "年度目标" in words):
        return [Finding("plan-deadline", f"全年目标的任务期限早于年底：{words}")]
    if knowledge.date and (year, month) < (knowledge.date.year, knowledge.date.month):
        return [Finding("plan-deadline", f"完成时限已过：{words}")]
    return []


# verdict words a reader notices when they come back a third time in one document
REPEATABLE_VERDICTS = ("基本持平", "稳步增长", "有所下降", "有所上升", "明显提高")
MAX_SAME_VERDICT = 2
RANKING_FORMULA = re.compile(r"以[^，；（]+?最好（[^）]*），[^，；（]+?相对较差（[^）]*）")


def repeated_verdicts(document: Document) -> list[Finding]:
    """The same verdict word more than twice in a document (headings and paragraphs), or the
    per-unit ranking formula "以A最好（x），B相对较差（y）" more than once."""
    words = []
    for _, _, block in walk(document):
        if isinstance(block, Section):
            words.append(block.title)
        elif isinstance(block, Paragraph) and not block.review:
            words.append(plain(block.text))
    body = "\n".join(words)
    found = []
    for verdict in REPEATABLE_VERDICTS:
        count = body.count(verdict)
        if count > MAX_SAME_VERDICT:
            found.append(Finding("verdict-repeat", f"“{verdict}”在文中出现{count}次"))
    leads = re.findall(r"从各[^，。；]{1,12}看，", body)
    for lead in set(leads):
        if leads.count(lead) > 1:
            found.append(Finding("verdict-repeat", f"“{lead}”在文中出现{leads.count(lead)}次"))
    formulas = RANKING_FORMULA.findall(body)
    if len(formulas) > 1:
        found.append(Finding("verdict-repeat", f"排名句式重复{len(formulas)}次：{formulas[0]}"))
    return found
