"""The composer on the small hand-made world: sections appear only for codes that exist,
figures other apps publish reach the text with their provenance, problems are derived from
the data (overdue rectifications, low satisfaction, unmet targets, decline, late reporting),
and templates are checked with Chinese messages."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.utils import timezone

from weijian import periods
from weijian.documents import actions, specs, timeframe
from weijian.documents.compose import compose
from weijian.documents.model import Paragraph, Section, plain_text, provenance, walk
from weijian.documents.narrative import plain
from weijian.indicators.analytics import analyse
from weijian.indicators.models import Direction, Indicator, IndicatorType, Target
from weijian.reporting.actions import (
    SystemElement,
    SystemSource,
    ensure_system_elements,
    publish_system_values,
)
from weijian.reporting.models import DataValue
from weijian.reporting.models import Period as PeriodRow
from weijian.reporting.queries import default_option

TODAY = dt.date(2026, 11, 23)
LEDGER = [
    SystemElement("LG_HE_EVENTS", "健康教育活动次数", unit="次"),
    SystemElement("LG_HE_REACHED", "健康教育受益人次", unit="人次"),
]
OVERDUE = SystemElement("INSP_RECT_OVERDUE", "逾期未整改问题数", unit="项")
SATISFACTION = SystemElement(
    "SVY_INPAT_RATE", "住院患者满意度", unit="%", aggregation_type="AVERAGE", value_type="NUMBER"
)

SPEC = {
    "code": "T_SUMMARY",
    "name": "测试总结",
    "title": "{unit}{period}工作总结",
    "we": "我院",
    "judge": ["INSP_RECT_OVERDUE", "SVY_INPAT_RATE"],
    "opening": [{"review": "{period}，{we}在上级的正确领导下……"}, {"text": "现将工作总结如下："}],
    "sections": [
        {
            "title": "业务工作",
            "kind": "figures",
            "lead": "{span}，全院完成",
            "items": [
                {"dx": "OPD", "label": "门急诊", "direction": "up"},
                {"dx": "DIS", "label": "出院患者", "direction": "up"},
            ],
        },
        {
            "title": "健康教育",
            "kind": "figures",
            "lead": "{span}，{we}",
            "items": [
                {"dx": "LG_HE_EVENTS", "label": "开展健康教育活动"},
                {"dx": "LG_HE_REACHED", "label": "受益群众"},
            ],
        },
        {"title": "存在的问题", "kind": "problems", "none": "暂无明显问题。"},
        {"title": "下半年工作打算", "kind": "next_steps", "extra": ["继续努力。"]},
    ],
    "closing": [{"review": "今后，{we}将再接再厉。"}],
}


def publish_half_year(source, unit, year, by_month: dict[int, dict], codes):
    """Publish `codes` for every month of the year's first half: the given values, zero in the
    other months (a register kept all six months, as a ledger with 本月无记录 declared)."""
    for month in range(1, 7):
        values = dict.fromkeys(codes, 0) | by_month.get(month, {})
        publish_system_values(source, unit, f"{year}{month:02d}", values)


def put(element, unit, period_id, value):
    DataValue.objects.create(
        element=element, option=default_option(), org_unit=unit,
        period=PeriodRow.for_period(periods.parse(period_id)), value=str(value),
        number=Decimal(str(value)), updated_at=timezone.now(),
    )  # fmt: skip


@pytest.fixture
def history(world):
    """Discharges at MED: 2025 H1 100 a month (600); 2026 H1 90 a month (540): −10 %."""
    for month in range(1, 7):
        put(world.discharges, world.medicine, f"2025{month:02d}", 100)
        put(world.discharges, world.medicine, f"2026{month:02d}", 90)
    return world


def summary(world, spec=SPEC, period="2026S1", unit=None):
    return compose(unit or world.hospital, timeframe.parse(period), spec, TODAY)


def section(document, title):
    return next(
        (b for _, _, b in walk(document) if isinstance(b, Section) and b.title == title), None
    )


def text_of(sec) -> str:
    return "".join(plain(b.text) for b in sec.blocks if isinstance(b, Paragraph))


def test_a_section_whose_codes_are_unknown_is_left_out_silently(history):
    document = summary(history)
    assert section(document, "业务工作") is not None
    assert section(document, "健康教育") is None  # the ledger app is not installed
    assert "LG_" not in plain_text(document)


def test_published_ledger_figures_appear_with_their_analytics_provenance(history):
    ensure_system_elements(LEDGER)
    codes = ["LG_HE_EVENTS", "LG_HE_REACHED"]
    publish_half_year(SystemSource.LEDGER, history.medicine, 2026, {3: {"LG_HE_EVENTS": 4, "LG_HE_REACHED": 12500}}, codes)  # fmt: skip
    publish_half_year(SystemSource.LEDGER, history.surgery, 2026, {5: {"LG_HE_EVENTS": 2}}, codes)
    document = summary(history)
    # MED 4 (March) + SUR 2 (May) = 6 events; 12500 people reached → 1.25万人次
    assert (
        text_of(section(document, "健康教育"))
        == "上半年，我院开展健康教育活动6次；受益群众1.25万人次。"
    )
    entries = [e for e in provenance(document) if e.get("dx", "").startswith("LG_")]
    assert {(e["text"], e["dx"], e["pe"], e["ou"]) for e in entries} == {
        ("6次", "LG_HE_EVENTS", "2026S1", "HOS"),
        ("1.25万人次", "LG_HE_REACHED", "2026S1", "HOS"),
    }
    result = analyse(
        ["LG_HE_EVENTS", "LG_HE_REACHED"], [periods.parse("2026S1")], [history.hospital]
    )
    for e in entries:
        assert e["value"] == result.value(e["dx"], "2026S1", "HOS")


def test_a_ledger_kept_only_since_may_is_stated_for_may_to_june_never_for_the_half_year(history):
    ensure_system_elements(LEDGER)
    for month, events in ((5, 3), (6, 2)):
        publish_system_values(SystemSource.LEDGER, history.medicine, f"2026{month:02d}", {"LG_HE_EVENTS": events})  # fmt: skip
    document = summary(history)
    # 3 + 2 = 5 events in May and June only: "5—6月", with the figure's own period
    assert text_of(section(document, "健康教育")) == "5—6月，我院开展健康教育活动5次。"
    (entry,) = [e for e in provenance(document) if e.get("dx") == "LG_HE_EVENTS"]
    assert (entry["text"], entry["pe"]) == ("5次", "2026-05-01~2026-06-30")
    assert "上半年，我院开展健康教育" not in plain_text(document)


def test_a_ledger_with_a_gap_is_left_out_and_named_in_the_operators_note(history):
    ensure_system_elements(LEDGER)
    for month in (2, 5):  # March and April missing in between
        publish_system_values(SystemSource.LEDGER, history.medicine, f"2026{month:02d}", {"LG_HE_EVENTS": 1})  # fmt: skip
    document = summary(history)
    assert section(document, "健康教育") is None
    # the note is for whoever generated it (page, CLI), never a paragraph of the document
    assert any("开展健康教育活动有月份缺少数据" in note for note in document.notes)
    assert not any("缺少数据" in plain(p.text) for p in document.closing)


def test_a_decline_is_a_problem_stated_with_its_figures_and_answered_by_a_measure(history):
    document = summary(history)
    problems = text_of(section(document, "存在的问题"))
    # 540 against 600: −10 %, said as a % (a count's change)
    assert "出院患者540人次，同比下降10%" in problems
    steps = text_of(section(document, "下半年工作打算"))
    # the template's own item is a task like any other: who answers it and when (a year's
    # work with no rhythm of its own: 全年), said in the sentence, not in a bracketed tail
    assert "出院患者" in steps and "由医务科负责，全年继续努力。" in steps


def test_a_planted_overdue_rectification_and_low_satisfaction_are_problems(history):
    ensure_system_elements([OVERDUE, SATISFACTION])
    publish_half_year(SystemSource.INSPECTIONS, history.surgery, 2026, {4: {"INSP_RECT_OVERDUE": 2}}, ["INSP_RECT_OVERDUE"])  # fmt: skip
    publish_half_year(SystemSource.SURVEYS, history.hospital, 2026, {}, [])
    for month in range(1, 7):
        publish_system_values(SystemSource.SURVEYS, history.hospital, f"2026{month:02d}", {"SVY_INPAT_RATE": "86.5"})  # fmt: skip
    document = summary(history)
    problems = text_of(section(document, "存在的问题"))
    assert "逾期未完成整改2项" in problems
    # the district's rule kept with the 住院患者 questionnaire: 90 %, 取消年度评先资格
    assert "住院患者满意度为86.50%，低于90%的底线，按规定将取消该医疗单位年度评先资格" in problems
    # A breached floor outranks overdue paperwork.
    assert problems.index("满意度") < problems.index("逾期未完成整改")
    steps = text_of(section(document, "下半年工作打算"))
    assert "销号管理" in steps and "满意度" in steps
    overdue = next(e for e in provenance(document) if e.get("dx") == "INSP_RECT_OVERDUE")
    assert overdue == {
        "text": "2项",
        "value": 2,
        "dx": "INSP_RECT_OVERDUE",
        "pe": "2026S1",
        "ou": "HOS",
    }


def test_late_and_missing_reports_are_a_problem_with_their_counts(history):
    # WORK is assigned to MED, SUR and TWN; nothing was submitted for H1 2026:
    # 2 units in the hospital × 6 months = 12 expected, 12 missing.
    document = summary(history)
    problems = text_of(section(document, "存在的问题"))
    assert "应报报表12份" in problems and "至今未报12份" in problems
    assert "统计报表" in text_of(section(document, "下半年工作打算"))


def test_an_unmet_target_is_a_problem_and_next_years_target_a_next_step(history):
    rate = Indicator.objects.create(
        code="T_DIS", name="出院人次（指标）", numerator="#{DIS}", type=IndicatorType.NUMBER,
        decimals=0, unit="人次", direction=Direction.HIGHER_BETTER,
    )  # fmt: skip
    Target.objects.create(indicator=rate, org_unit=history.hospital, period="2026", value=2000)
    document = summary(history)
    problems = text_of(section(document, "存在的问题"))
    # 540 of 2000 = 27 %; 181 of 365 days elapsed = 49.6 %: 22.6 points behind, well behind (仅)
    assert (
        "仅完成全年目标（2000人次）的27%，低于序时进度（49.6%）22.6个百分点，进度明显滞后"
        in problems
    )
    steps = text_of(section(document, "下半年工作打算"))
    assert "下半年还需完成1460人次" in steps  # 2000 − 540


def test_nothing_wrong_gives_the_templates_fallback_for_review(world):
    document = summary(world, unit=world.township, period="2025S1")
    problems = section(document, "存在的问题")
    # TWN has WORK assigned and did not report in 2025 either, so that is a problem…
    assert "应报报表6份" in text_of(problems)
    quiet = {**SPEC, "sections": [SPEC["sections"][2]]}
    world.form.org_units.clear()
    document = summary(world, quiet, unit=world.township)
    (block,) = section(document, "存在的问题").blocks
    assert block.review and plain(block.text) == "暂无明显问题。"


def test_opening_and_closing_wording_is_marked_for_review(history):
    document = summary(history)
    assert document.title == "人民医院2026年上半年工作总结"
    assert document.opening[0].review and plain(document.opening[0].text).startswith(
        "2026年上半年，我院在上级"
    )
    assert not document.opening[1].review
    assert document.closing[0].review


def test_periods_ranges_and_an_unfinished_period_are_clipped_to_ended_months(history):
    assert timeframe.label(timeframe.parse("2026-01-01~2026-03-31")) == "2026年1—3月"
    assert timeframe.span(timeframe.parse("20260101-20260315")) == "1月1日至3月15日"
    with pytest.raises(periods.PeriodError, match="结束日期早于开始日期"):
        timeframe.parse("2026-03-01~2026-01-01")
    clipped = timeframe.clip(periods.parse("2026"), TODAY)
    assert (clipped.start, clipped.end) == (dt.date(2026, 1, 1), dt.date(2026, 10, 31))
    assert timeframe.label(clipped) == "2026年1—10月"
    assert timeframe.shift_years(clipped, -1).id == "2025-01-01~2025-10-31"
    document = summary(history, period="2026-01-01~2026-03-31")
    # 3 months of 90 against 3 of 100
    assert "1—3月，全院完成出院患者270人次" in plain_text(document)


def test_every_built_in_template_is_valid_and_bad_ones_are_refused_in_chinese():
    assert set(specs.builtin_specs()) == {
        "HOSPITAL_HALF_YEAR", "HOSPITAL_ANNUAL", "BUREAU_ANNUAL", "DEPARTMENT", "SPECIAL_HAI",
        "SPECIAL_HE", "NEXT_YEAR_PLAN", "PRIMARY_CARE", "CDC_SUMMARY", "MCH_SUMMARY",
    }  # fmt: skip
    with pytest.raises(specs.SpecError, match="不是有效的 YAML"):
        specs.parse_yaml("code: [")
    bad = {**SPEC, "sections": [{"title": "甲", "kind": "poem"}, {"kind": "figures"}]}
    with pytest.raises(specs.SpecError) as exc:
        specs.check(bad)
    assert "kind“poem”无法识别" in str(exc.value) and "缺少标题" in str(exc.value)
    with pytest.raises(specs.SpecError, match="无法识别的占位符"):
        specs.check({**SPEC, "title": "{单位}工作总结"})


def test_the_provenance_file_writes_exact_unrounded_numbers(history):
    rate = Indicator.objects.create(
        code="T_SHARE", name="出院占比", numerator="#{DIS}", denominator="#{DIS} * 3",
        type=IndicatorType.PERCENT, unit="%", direction=Direction.HIGHER_BETTER,
    )  # fmt: skip
    spec = {**SPEC, "sections": [{"title": "指标", "kind": "indicators", "items": [rate.code]}]}
    document = summary(history, spec)
    text = actions.provenance_json(document)
    entry = next(e for e in json.loads(text, parse_float=Decimal) if e.get("dx") == "T_SHARE")
    # 540 / 1620 × 100 = 33.333… printed 33.33%, kept unrounded in the file
    assert entry["text"] == "33.33%"
    assert str(entry["value"]).startswith("33.3333333333")


def test_a_zero_event_claim_needs_a_complete_register(world):
    """ "未发生" only when the count is zero and every report of the forms holding it came in."""
    from weijian.reporting.models import Submission, SubmissionStatus

    for month in range(1, 7):
        put(world.discharges, world.medicine, f"2026{month:02d}", 0)
    spec = {
        **SPEC,
        "sections": [
            {
                "title": "安全",
                "kind": "indicators",
                "items": [],
                "zero_events": [{"dx": "DIS", "what": "出院"}],
            }  # fmt: skip
        ],
    }
    assert section(summary(world, spec), "安全") is None  # nothing reported yet: no claim
    submitted = timezone.make_aware(dt.datetime(2026, 7, 1, 9))
    for unit in (world.medicine, world.surgery):
        for month in range(1, 6):
            Submission.objects.create(
                form=world.form, org_unit=unit,
                period=PeriodRow.for_period(periods.parse(f"2026{month:02d}")),
                status=SubmissionStatus.SUBMITTED, first_submitted_at=submitted,
            )  # fmt: skip
    assert section(summary(world, spec), "安全") is None  # June still missing
    for unit in (world.medicine, world.surgery):
        Submission.objects.create(
            form=world.form, org_unit=unit, period=PeriodRow.for_period(periods.parse("202606")),
            status=SubmissionStatus.SUBMITTED, first_submitted_at=submitted,
        )  # fmt: skip
    assert text_of(section(summary(world, spec), "安全")) == "上半年未发生出院。"


def _section_spec(items, **extra):
    return {**SPEC, "sections": [{"title": "测试", "kind": "figures", "lead": "{span}，{we}",
                                  "items": items, **extra}, *SPEC["sections"][2:]]}  # fmt: skip


def test_figures_compared_as_flat_are_said_once(world):
    ensure_system_elements(LEDGER)
    for year, events, reached in [(2025, 20, 12500), (2026, 20, 12520)]:
        march = {3: {"LG_HE_EVENTS": events, "LG_HE_REACHED": reached}}
        publish_half_year(SystemSource.LEDGER, world.medicine, year, march, ["LG_HE_EVENTS", "LG_HE_REACHED"])  # fmt: skip
    document = summary(world, spec=_section_spec(SPEC["sections"][1]["items"]))
    # 20 = 20 (持平); 12520 against 12500 is +0.16 % < 0.5 % (基本持平): one clause for both
    assert text_of(section(document, "测试")) == (
        "上半年，我院开展健康教育活动20次、受益群众1.25万人次，均与上年同期基本持平。"
    )


def test_a_label_ending_in_wei_is_not_doubled_and_separators_group_clauses(world):
    staff = SystemElement(
        "SVY_STAFF_RATE", "职工满意度", unit="%", aggregation_type="AVERAGE", value_type="NUMBER"
    )
    ensure_system_elements([SATISFACTION, staff, *LEDGER])
    for month in range(1, 7):
        publish_system_values(
            SystemSource.SURVEYS, world.hospital, f"2026{month:02d}",
            {"SVY_INPAT_RATE": "92", "SVY_STAFF_RATE": "64.3"},
        )  # fmt: skip
    publish_half_year(SystemSource.LEDGER, world.medicine, 2026, {3: {"LG_HE_EVENTS": 3}}, ["LG_HE_EVENTS"])  # fmt: skip
    items = [
        {"dx": "SVY_INPAT_RATE", "label": "住院患者满意度为", "direction": "up"},
        {"dx": "SVY_STAFF_RATE", "label": "职工满意度为", "direction": "up"},
        {"dx": "LG_HE_EVENTS", "label": "开展健康教育活动", "sep": "；"},
    ]
    spec = _section_spec(items, sep="，")
    spec["judge"] = ["SVY_STAFF_RATE"]
    document = summary(world, spec=spec)
    assert text_of(section(document, "测试")) == (
        "上半年，我院住院患者满意度为92%，职工满意度为64.30%；开展健康教育活动3次。"
    )
    # the district's rule for staff surveys: 80 %, 约谈
    assert "职工满意度为64.30%，低于80%的底线，按规定将对该医疗单位领导予以约谈" in text_of(
        section(document, "存在的问题")
    )
    # staff satisfaction is answered for the staff, not with 就医体验
    steps = text_of(section(document, "下半年工作打算"))
    assert "关心关爱职工" in steps and "就医体验" not in steps


def test_next_steps_name_the_health_days_of_the_coming_half_year_not_the_duties(world):
    from weijian.ledger.models import ActivityType, Campaign, Frequency

    kind, _ = ActivityType.objects.get_or_create(code="HE", defaults={"name": "健康教育活动"})
    meeting, _ = ActivityType.objects.get_or_create(code="MEET", defaults={"name": "会议"})
    Campaign.objects.all().delete()
    for code, name, frequency, month, unit, of_kind in [
        ("T_TB", "世界防治结核病日", Frequency.YEARLY_DAY, 3, None, kind),  # first half: not named
        # the nurses' own day, marked by a meeting: no health-promotion theme (read 2026-12-07)
        ("T_NURSE", "国际护士节", Frequency.YEARLY_DAY, 9, None, meeting),
        ("T_HTN", "全国高血压日", Frequency.YEARLY_DAY, 10, None, kind),
        ("T_AIDS", "世界艾滋病日", Frequency.YEARLY_DAY, 12, None, kind),
        ("T_BOARD", "每月宣传栏更新", Frequency.MONTHLY, None, world.hospital, kind),
        ("T_OTHER", "别院的院务会", Frequency.MONTHLY, None, world.township, kind),
    ]:
        Campaign.objects.create(code=code, name=name, frequency=frequency, month=month,
                                day=1 if month else None, activity_type=of_kind, org_unit=unit)  # fmt: skip
    steps = text_of(section(summary(world), "下半年工作打算"))
    # the office folded into the sentence after the span the task falls in
    assert "下半年，公共卫生科结合全国高血压日、世界艾滋病日等健康主题日" in steps, steps
    assert "结核病" not in steps and "护士节" not in steps
    # a standing duty is no next step by itself (readers of 2026-12-07 17:00 called
    # "坚持每季度消防演练、每月院务会等常规工作" filler), nor another unit's
    assert "宣传栏更新" not in steps and "常规工作" not in steps, steps
    assert "别院" not in steps


def test_the_themes_of_the_ledger_records_follow_their_figures(world):
    from weijian.ledger.models import Activity, ActivityType

    ensure_system_elements(LEDGER)
    publish_half_year(SystemSource.LEDGER, world.medicine, 2026, {3: {"LG_HE_EVENTS": 4}}, ["LG_HE_EVENTS"])  # fmt: skip
    kind = ActivityType.objects.create(code="HE", name="健康教育活动")
    now = timezone.now()
    for day, unit, theme in [
        (3, world.medicine, "高血压防治"),
        (9, world.surgery, "高血压防治"),
        (12, world.medicine, "合理用药"),
        (20, world.medicine, "2026年世界卫生日"),  # digits: out
        (25, world.township, "别处的主题"),  # outside the hospital
    ]:
        Activity.objects.create(
            type=kind, org_unit=unit, title=theme, start_date=dt.date(2026, 3, day),
            end_date=dt.date(2026, 3, day), period_id="202603", values={"THEME": theme},
            created_at=now, updated_at=now,
        )  # fmt: skip
    health = {**SPEC["sections"][1], "themes": {"HE": ["活动围绕", "等主题开展"]}}
    document = summary(world, spec={**SPEC, "sections": [health]})
    # most frequent first: 高血压防治 (2), then 合理用药 (1)
    assert text_of(section(document, "健康教育")) == (
        "上半年，我院开展健康教育活动4次。活动围绕高血压防治、合理用药等主题开展。"
    )


@pytest.mark.parametrize(
    ("name", "unit", "expected"),
    [
        ("门急诊人次", "人次", "门急诊"),
        ("健康讲座次数", "次", "健康讲座"),
        ("印刷资料份数", "份", "印刷资料"),
        ("病床使用率", "%", "病床使用率"),
        ("人数", "人", "人数"),  # nothing would be left
    ],
)
def test_a_subject_does_not_say_its_count_word_twice(name, unit, expected):
    from weijian.documents.compose import _subject

    assert _subject(name, unit) == expected


def test_a_summary_to_the_bureau_leaves_out_its_own_late_reports(history):
    # blind read 2: "部分科室统计报表上报不够及时" ranked in a hospital's summary to the bureau,
    # which keeps the reporting record itself; the same lateness stays in an internal summary
    document = summary(history, {**SPEC, "addressee": "区卫生健康局"})
    assert "统计报表" not in text_of(section(document, "存在的问题"))
    assert "统计报表" not in text_of(section(document, "下半年工作打算"))
    assert "统计报表" in text_of(section(summary(history), "存在的问题"))


def test_a_target_missed_within_its_noise_or_while_improving_is_a_near_miss():
    from decimal import Decimal as D

    from weijian.documents.judgements import near_miss

    # noise: under 5 printed steps (2 decimals: < 0.05 point). 院感发病率 1.21 % against a
    # 1.20 % cap: 0.01 < 0.05, a near miss whether it rose or fell since last year
    assert near_miss(D("1.21"), D("1.20"), D("1.31"), "down", decimals=2)
    assert near_miss(D("1.21"), D("1.20"), D("1.15"), "down", decimals=2)
    # 1.25 against 1.20: 0.05 is not < 0.05; 4.2 % over, improving (1.31 last year) but not
    # < 2 %: a miss either way
    assert not near_miss(D("1.25"), D("1.20"), D("1.31"), "down", decimals=2)
    assert not near_miss(D("1.25"), D("1.20"), D("1.15"), "down", decimals=2)
    # improving and < 2 %: 84.5 % against 85 % (0.5/85 = 0.59 %), up from 82 %, printed to one
    # decimal (0.5 ≥ 5 × 0.1): near only because it improved
    assert near_miss(D("84.5"), D("85"), D("82"), "up", decimals=1)
    assert not near_miss(D("84.5"), D("85"), D("86"), "up", decimals=1)
    # a 责任书 target (work_done: no decimals, no previous figure) is never a near miss:
    # 1.21 % against 1.20 % stays a problem (it has consequences)
    assert not near_miss(D("1.21"), D("1.20"), None, "down")
    from weijian.documents.context import TIERS

    # were one numbered, it would rank after the trends and failed inspections
    assert TIERS["near_target"] > TIERS["trend"] and TIERS["near_target"] > TIERS["inspection"]
