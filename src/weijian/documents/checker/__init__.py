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
  more, 控制/安全 claims above a cost that rose or a risk that rose by half or more; a bad
  result (明显上升, 超出控制目标, 进度滞后…) in a heading under 主要工作及成效, which names the work
  (the result belongs to 存在的问题); a heading praising a work (统计报表工作规范有序) whose
  subject 存在的问题 lists.
- heading-verdict: a heading's verdict its own section's figures contradict: 稳步增长 above a
  volume that held or grew under 2 %, or above volumes the section does not print; 保持稳定 /
  基本持平 above a figure printed as a change the wrong way; 改善服务、优化就医体验 above a
  satisfaction that fell (`heading_verdicts`).
- opening: 主要指标完成良好 / 全面完成 above a 存在的问题 that lists a missed target or floor.
- ranking: best and worst named among units of different kinds.
- monthly-count: a count said to be monthly (做到每月一次) fewer than the months of its sentence's
  period word (全年…主题党日活动11次，做到每月一次).
- plan-floor: a plan target below a result already reached (above it, for a lower-is-better one).
- plan-loose: a set target restated in a plan part (保持在65%以上) looser than the result the
  document reports for its own period (71.88 %), whichever way the indicator is better.
- plan-owner: a numbered plan item without who answers it (in its sentence, “由…牵头”, or a
  closing “以上第…项由…牵头落实”; a department's: a person) and when (a date, 每月/每季度, 全年).
- plan-tail: the same bracketed tail (“（牵头科室：…；完成时限：…）”) closing three items or more.
- plan-rhythm: a standing monthly or quarterly duty (坚持每月…, 常规工作) due at the year's end.
- plan-deadline: a task about a whole year's figure (全年, 年度目标) due before December, or a
  deadline already past at the document's date.
- plan-phrase: 坚决遏制上升势头 twice in a plan part, or 扬长避短 at all.
- tiny-change: a percentage change on a count that moved by one or two (59 → 60 said
  "同比增长1.7%"): the count's change is the honest statement.
- table-empty: a table column that is "—" in more than half its rows (上年同期 for a unit's
  first year): the column says nothing. 目标 and 完成情况 are exempt: they stand when any row
  has a target, and their "—" says "none set".
- plan-basis: a 工作目标 that gives the result it starts from and no basis for its figure
  (按…确定, 巩固现有水平, 尚未达到原定目标, 恢复到…水平): "this year's result rounded up"; a
  plan's table of targets without a 测算依据 column, or a row with an empty one.
- plan-target-arithmetic: a target's arithmetic inside a plan part's sentence (按近两年年均提高
  1.4个百分点确定, ×12÷11, 86.79+3.6=90.39): it belongs in the table of targets.
- plan-floor (tables): a target in a plan's table of targets below the result in its row.
- plan-urgent: a live safety signal's investigation (专项调查, 逐例开展原因分析) due more than
  two months after the document's date (9月底 for a live cluster).
- plan-routine: a routine duty (常规工作, 消防演练, 院务会, 例会) listed as a plan item.
- plan-template-repeat: more than three items of a plan's 主要任务 open with the same office-
  and-date frame ("由X牵头，Y配合，于2027年1月底前…", "X科于…前…"): machine-made.
- plan-duplicate: two items of 下一步/工作打算/计划 worded alike after their first clause (the
  same measure with another name in front).
- count-list: "A、B、C等4项指标…" whose count is not the number of names listed; "应急演练8次
  （…3 dates…）" that dates fewer than it counts; "各类培训1次".
- verdict-repeat: one verdict word (基本持平, 稳步增长 …) more than twice in a document, or the
  ranking formula 以A最好（x），B相对较差（y） more than once.
- safety-unranked: deaths, falls, pressure injuries or adverse events said to have risen in the
  sections and missing from 存在的问题.
- register: 个千分点, unexplained Latin abbreviations, None/nan, 为为, chart data tables,
  "全院…的平均水平" (a hospital-wide rate is the hospital's own, not an average of departments),
  "等N项指标同比变差" (a list-count formula: say what each figure did).
- past-event: a coming health day named in 下一步 whose date is before the document's date.
- blank-unmarked: a blank for the office (（请填写：…）) in a paragraph not marked for review.
- count-twice: one named count printed with two values (健康讲座127次 … 健康讲座128次).
- latin-numeral: I类切口 with the Latin letter; official texts write Ⅰ类切口 (U+2160).
- stock-span: a stock count (签约居民人数) printed under 全年/上半年/1—11月 as if done over it
  rather than dated (截至年底).
- figure-repeat: one figure (same text and source) said more than twice in the opening,
  the sections' paragraphs and 存在的问题 (tables and plan parts not counted).
- problems-paragraph: three or more problems run together in one paragraph of 存在的问题
  (一是…；二是…；三是…): each is its own numbered paragraph.
- count-as-trend: a service count held to a norm (宣传栏更新, 健康讲座, 健康咨询) said to have
  fallen in 存在的问题 or a plan part: a count is judged against its norm, not as a trend.
- missed-target-softened: 略高于/略低于 a target: a miss is said as missed, with its gap.
- unit-figure-list: a clause that sets one unit against the others (最低, 全区水平) and lists
  more than three figures after 分别为/分别低于 (a data dump: the range of its gaps, once).
- trivial-problem: a problem in 存在的问题 that is only a count of events up by one or two
  (跌倒由8例增至9例).
- drilldown-twice: a department's "其中外科由0例增至11例" after the problem's own "由…增至…".
- near-miss-problem: a numbered problem that misses its target within the noise (超出1.20%的
  控制目标0.01个百分点).
- campaign-unrecorded: a paragraph of the body (not review text, not a plan part) that tells a
  campaign of study or a plan (学习教育, 全会精神, 两会精神, 十五五) as done (读书班, 专题党课,
  查摆问题, 审议通过…) without one figure from a record; 已整改N条 above 查摆问题 (`campaigns`).
- indicator-string: more than three "X为…，同比…" clauses in one paragraph (a section told as a
  data dump: the telling figures in the prose, the rest in its table).
- dash-column: a 目标/完成情况 column with a target in fewer than half its rows (all "—"
  included): the few targets belong in the prose.
- term: a clipped indicator name in the body (院感发病率: 医院感染发病率).

The package, by what it does: `base` (findings, knowledge, reading spans), `figures` (the words
around each figure: direction, targets, tiny changes, plan floors, survey floors), `coverage`
(period words and the months a figure covers), `counts` (a count printed twice, Latin
numerals), `repeats` (figures said again), `problems` (存在的问题's paragraphs, counts held to
norms), `wording` (register, lists, rankings, tables, plan items), `plans` (a plan's target
bases, urgent deadlines, routine items) and `structure` (headings, the opening, the plan's
events, received inspections) and `prose` (indicator strings, columns of dashes, clipped terms).
"""

from __future__ import annotations

from ..model import Document, Paragraph, walk
from .base import Finding, Knowledge
from .campaigns import unrecorded_campaigns
from .counts import counts_twice, latin_numerals, latin_numerals_in_titles
from .coverage import coverage_findings, monthly_counts, scope
from .figures import (
    direction_words,
    loose_targets,
    plan_floor,
    survey_floors,
    target_words,
    tiny_changes,
)
from .heading_verdicts import heading_verdicts
from .plans import plan_targets, plan_tasks
from .problems import (
    counts_as_trends,
    problem_wording,
    run_together,
    softened_misses,
    trivial_problems,
)
from .prose import clipped_terms, dash_columns, indicator_strings
from .repeats import repeated_figures
from .stocks import stock_spans
from .structure import (
    bad_results_in_achievements,
    headings,
    opening,
    past_events,
    praised_problems,
    received_as_done,
    unranked_safety,
)
from .unit_lists import unit_figure_lists
from .wording import (
    chart_tables,
    counted_lists,
    dated_lists,
    empty_columns,
    plan_duplicates,
    plan_items,
    ranking,
    register,
    repeated_verdicts,
    unmarked_blanks,
)

__all__ = ["Finding", "Knowledge", "check"]


def check(document: Document, knowledge: Knowledge | None = None) -> list[Finding]:
    knowledge = knowledge or Knowledge()
    findings: list[Finding] = []
    paragraphs = [
        (level, block) for level, _, block in walk(document) if isinstance(block, Paragraph)
    ]
    for _, paragraph in paragraphs:
        text = paragraph.text
        findings += direction_words(text)
        findings += tiny_changes(text)
        findings += counted_lists(text)
        findings += dated_lists(text)
        findings += target_words(text)
        findings += register(text)
        findings += unmarked_blanks(paragraph)
        findings += latin_numerals(text)
        findings += softened_misses(text)
        findings += unit_figure_lists(paragraph)
        findings += indicator_strings(text)
        findings += clipped_terms(paragraph)
        if not paragraph.review:
            findings += ranking(text, knowledge)
    findings += scope(document)
    findings += monthly_counts(document)
    findings += coverage_findings(document, knowledge)
    findings += survey_floors(document, knowledge)
    findings += received_as_done(document)
    findings += headings(document, knowledge)
    findings += heading_verdicts(document, knowledge)
    findings += bad_results_in_achievements(document)
    findings += opening(document)
    findings += plan_floor(document, knowledge)
    findings += loose_targets(document, knowledge)
    findings += plan_items(document, knowledge)
    findings += plan_targets(document, knowledge)
    findings += plan_tasks(document, knowledge)
    findings += past_events(document, knowledge)
    findings += chart_tables(document)
    findings += empty_columns(document)
    findings += plan_duplicates(document)
    findings += repeated_verdicts(document)
    findings += unranked_safety(document)
    findings += praised_problems(document)
    findings += stock_spans(document, knowledge)
    findings += counts_twice(document)
    findings += latin_numerals_in_titles(document)
    findings += repeated_figures(document)
    findings += run_together(document)
    findings += counts_as_trends(document)
    findings += trivial_problems(document)
    findings += problem_wording(document)
    findings += unrecorded_campaigns(document)
    findings += dash_columns(document)
    return findings
