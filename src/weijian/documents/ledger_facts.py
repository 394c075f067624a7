"""What the ledger says in words: the campaign calendar's health days, campaign months and the
unit's own recurring duties in the coming period (for 下一步工作打算), and the themes of the
recorded activities (培训内容涵盖…). Names only — no figures, so nothing here needs provenance.

Also the one way the sections written from records (party_reform, areas, bureau_work) find
them: the part of the period that has passed (`passed_scope`), the owner's records of a type in
it (`owner_records`) and the query text their counted Figures cite (`record_query`)."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from decimal import Decimal

from django.db.models import Q

from weijian import periods
from weijian.ledger.models import Campaign, Frequency
from weijian.ledger.queries import records
from weijian.orgs.models import OrgUnit, OrgUnitType

from . import timeframe
from .context import Context
from .narrative import Figure, Text
from .work_done import count_figure, date_figure

YEARLY = (Frequency.YEARLY_DAY, Frequency.YEARLY_MONTH)
RECURRING = (Frequency.MONTHLY, Frequency.QUARTERLY)
# Units that mark the shared health days (every institution; the bureau organises them).
MARKS_HEALTH_DAYS = {
    OrgUnitType.BUREAU,
    OrgUnitType.HOSPITAL,
    OrgUnitType.TCM_HOSPITAL,
    OrgUnitType.MCH,
    OrgUnitType.CDC,
    OrgUnitType.TOWNSHIP,
    OrgUnitType.COMMUNITY,
}
MAX_NAMED = 5
HEALTH_EDUCATION = "HE"  # the activity type of the health days


def campaign_steps(
    unit: OrgUnit,
    months: list[int],
    when: str,
    topic: list[str] | None = None,
    types: list[str] | None = None,
    duties: bool = True,
) -> list[str]:
    """Next-step sentences for the months `months` (1–12) of the coming period, `when` naming
    it ("下半年", "" for a whole year): "下半年，结合全民健康生活方式日、全国高血压日、世界艾滋病日
    等健康主题日，精心组织开展主题宣传和健康教育活动。" and "坚持每季度消防演练、每月院务会等
    常规工作，确保按计划落实到位。" [] when the calendar has nothing for the unit; with `topic`,
    only the days and duties whose name or keyword holds one of its words, or whose activity
    type is one of `types` (every health day is the 健康教育 summary's); without `duties`, the
    health days only."""
    own = Q(org_unit=unit)
    if unit.type in MARKS_HEALTH_DAYS:
        own |= Q(org_unit__isnull=True)
    rows = list(
        Campaign.objects.filter(own)
        .select_related("activity_type")
        .order_by("month", "day", "code")
    )
    if topic or types:  # a special summary names only the days and duties of its own topic
        rows = [
            c for c in rows
            if any(word in f"{c.name}{c.keyword}" for word in topic)
            or c.activity_type.code in (types or ())
        ]  # fmt: skip
    steps = []
    # 健康主题日 are the calendar's health-education days: 国际护士节 (the nurses' own meeting)
    # and 安全生产月 (drills) are marked in the calendar but are no theme for public health
    # promotion (read 2026-12-07: 国际护士节 among a plan's health days)
    days = [
        c for c in rows
        if c.frequency in YEARLY and c.month in months and c.activity_type.code == HEALTH_EDUCATION
    ]  # fmt: skip
    if days:
        names = "、".join(c.name for c in days[:MAX_NAMED])
        kinds = "健康主题日"
        if any(c.frequency == Frequency.YEARLY_MONTH for c in days):
            kinds = "健康主题日和宣传月" if any(c.frequency == Frequency.YEARLY_DAY for c in days) else "宣传月"  # fmt: skip
        lead = f"{when}，" if when else ""
        steps.append(f"{lead}结合{names}等{kinds}，精心组织开展主题宣传和健康教育活动。")
    recurring = [c for c in rows if c.frequency in RECURRING and c.org_unit_id == unit.pk]
    if recurring and duties:
        names = "、".join(c.name for c in recurring[:MAX_NAMED])
        steps.append(f"坚持{names}等常规工作，确保按计划落实到位。")
    return steps


MAX_THEMES = 4
_DIGIT = re.compile(r"[0-9０-９]")


def theme_sentence(unit: OrgUnit, period, activity_type: str, words: list[str]) -> str:
    """The most frequent themes (else titles) of the unit's records of `activity_type` in the
    period between `words` (before, after): ["培训内容涵盖", "等"] → "培训内容涵盖护理核心制度、
    病历书写规范等。" Themes with digits are left out (a summary's every number must carry its
    source). "" when none."""
    counts: Counter[str] = Counter()
    for title, values in records(activity_type, unit, period).values_list("title", "values"):
        theme = str((values or {}).get("THEME") or title or "").strip()
        if theme and not _DIGIT.search(theme):
            counts[theme] += 1
    if not counts:
        return ""
    themes = [theme for theme, _ in sorted(counts.items(), key=lambda tc: (-tc[1], tc[0]))]
    before, after = words
    return f"{before}{'、'.join(themes[:MAX_THEMES])}{after}。"


# -- the records a section is written from --------------------------------------------------


def passed_scope(ctx: Context) -> tuple[periods.Period | None, str]:
    """The part of the period that has passed, and how the text names it: the period's own
    word (全年, 上半年) once it has ended, else 今年以来 (a year still running is not 全年).
    (None, "") when none of the period has passed."""
    facts = ctx.facts
    period = facts.period
    last = min(period.end, facts.today - dt.timedelta(days=1))
    if last < period.start:
        return None, ""
    if last == period.end:
        return period, ctx.words["span"]
    return timeframe.make_range(period.start, last), "今年以来"


def owner_records(ctx: Context, code: str, scope: periods.Period) -> list:
    """The document owner's records of ledger type `code` dated within `scope`."""
    return list(records(code, ctx.owner, scope))


def record_query(ctx: Context, code: str, scope: periods.Period, what: str = "") -> str:
    """The query a count of those records cites: "台账 PARTY RMYY 2025-01-01~2025-12-31 形式=…"."""
    return f"台账 {code} {ctx.owner.code} {scope.start}~{scope.end}{what}"


def counter_value(record, key: str) -> int:
    """A counter the clerk typed (参加人数, 立案数…) as a whole number; 0 when blank or not one."""
    try:
        return max(0, int(record.values.get(key) or 0))
    except (TypeError, ValueError):
        return 0


# -- a record's values as a summary's spans (party_reform, areas, ledger_problems) ------------

SOURCE = "工作台账"  # what every figure taken from a ledger record cites


def record_sum(rows, key: str) -> Decimal:
    """The sum of a numeric value over records (blank counts 0)."""
    return sum((Decimal(str(r.values.get(key) or 0)) for r in rows), Decimal(0))


def record_count(value, unit: str, query: str) -> Figure:
    return count_figure(value, unit, SOURCE, query)


def record_money(row_or_rows, query: str) -> Figure:
    """The AMOUNT of a record (or records), in 万元."""
    rows = row_or_rows if isinstance(row_or_rows, list) else [row_or_rows]
    return count_figure(record_sum(rows, "AMOUNT"), "万元", SOURCE, query)


def record_date(record) -> Figure:
    return date_figure(record.start_date, SOURCE, f"台账记录 {record.pk}")


def typed(record, key: str) -> Text:
    """A value the clerk typed, without its closing punctuation; a Figure (source: the record)
    when it holds a number (“与3家卫生院签订协议”)."""
    text = str(record.values.get(key) or "").strip().rstrip("。；;，,、 ")
    if not text:
        return ()
    numbers = re.findall(r"\d+(?:\.\d+)?", text)
    if not numbers:
        return (text,)
    source = {"source": SOURCE, "query": f"台账记录 {record.pk} {key}"}
    return (Figure(text, Decimal(numbers[-1]), source),)


def record_docno(row) -> Text:
    """（区卫健发〔2026〕12号）after the act it belongs to; nothing when the record has none."""
    number = str(row.values.get("DOCNO") or "").strip()
    if not number:
        return ()
    return ("（", *typed(row, "DOCNO"), "）")
