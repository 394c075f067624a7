"""The summary's body on the small hand-made world (issue 11, fresh director reads of
2026-12-07): the indicator table heads its columns with dated periods, shows targets when it
has any, and says every change as a figure in one unit per row."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from weijian import periods
from weijian.documents.checker import check
from weijian.documents.context import Problem
from weijian.documents.model import Paragraph, Section, Table, walk
from weijian.documents.narrative import Figure, plain
from weijian.documents.ranking import _trends_together
from weijian.documents.tables import dated
from weijian.indicators.models import Direction, Indicator, IndicatorType, Target

from .test_checker import doc
from .test_compose import put, section, summary, text_of

SPEC = {
    "code": "T_TABLE",
    "name": "测试",
    "title": "{unit}{period}工作总结",
    "we": "我院",
    "sections": [
        {
            "title": "医疗质量",
            "kind": "indicators",
            "table": True,
            "items": [{"dx": "DIS"}, {"dx": "T_FALL"}],
        },
    ],
}


def tables(document) -> list[Table]:
    return [b for _, _, b in walk(document) if isinstance(b, Table)]


def fall_rate(world):
    """Falls per 1000 discharges (‰): 2025 H1 1 fall / 600, 2026 H1 1 fall / 540."""
    for month in range(1, 7):
        put(world.discharges, world.medicine, f"2025{month:02d}", 100)
        put(world.discharges, world.medicine, f"2026{month:02d}", 90)
        # the world's OPD stands in for falls: one in March of each year
        put(world.visits, world.medicine, f"2025{month:02d}", int(month == 3))
        put(world.visits, world.medicine, f"2026{month:02d}", int(month == 3))
    return Indicator.objects.create(
        code="T_FALL", name="跌倒发生率", numerator="#{OPD}", denominator="#{DIS}",
        type=IndicatorType.PER_THOUSAND, decimals=3, unit="‰", direction=Direction.LOWER_BETTER,
    )  # fmt: skip


def test_the_table_heads_dated_periods_and_says_a_permille_change_in_permille(world):
    # the director: "上半年/上年同期" says nothing once the table is copied; "上升" for a ‰
    # rate is no figure. 1/600 = 1.667‰, 1/540 = 1.852‰: +0.185‰ (1.852 − 1.667)
    fall_rate(world)
    document = summary(world, SPEC)
    [table] = tables(document)
    assert table.header == ["指标", "2026年1—6月", "2025年1—6月", "同比"]
    # no target in any row: not 完成情况; dated like its columns (issue 11 reads 2026-12-07
    # 23:30: "2026年1—6月", not 上半年)
    assert table.title == "2026年1—6月主要指标情况"
    cells = {plain(row[0]): plain(row[-1]) for row in table.rows}
    assert cells["跌倒发生率（‰）"] == "+0.185‰"
    assert cells["出院人次（人次）"] == "−10%"  # 540 against 600
    assert not any("千分点" in c or c in ("上升", "下降") for c in cells.values())


def test_one_target_brings_the_target_column_and_完成情况(world):
    # one row of two has a target: half the rows, the columns stand (fewer than half drops
    # them: test_section_prose)
    indicator = fall_rate(world)
    Target.objects.create(indicator=indicator, org_unit=world.hospital, period="2026", value=2)
    [table] = tables(summary(world, SPEC))
    assert table.header == ["指标", "2026年1—6月", "目标", "2025年1—6月", "同比", "完成情况"]
    assert table.title == "2026年1—6月主要指标完成情况"
    target = {plain(row[0]): plain(row[2]) for row in table.rows}
    assert target == {"出院人次（人次）": "—", "跌倒发生率（‰）": "2"}


def test_a_year_with_six_months_of_data_is_headed_by_those_months(world):
    # the 2026 summary (written 2026-11-23) over data of January–June: the columns say the
    # months they hold, never "2026年" (全年 on partial coverage)
    fall_rate(world)
    [table] = tables(summary(world, SPEC, period="2026"))
    assert table.header[1:3] == ["2026年1—6月", "2025年1—6月"]


@pytest.mark.parametrize(
    "period, now, before",
    [
        ("2025", "2025年", "2024年"),
        ("2026S1", "2026年1—6月", "2025年1—6月"),
        ("202612", "2026年12月", "2025年12月"),
        ("2026Q3", "2026年7—9月", "2025年7—9月"),
    ],
)
def test_dated_column_headings(period, now, before):
    found = periods.parse(period)
    assert (dated(found), dated(found, 1)) == (now, before)


def _fig(text: str) -> Figure:
    return Figure(text, D(text.rstrip("元%个百分点")), {"source": "test", "query": text})


def test_three_trends_are_said_by_what_each_did_not_by_a_count_formula():
    # blind read of 2026-12-07: "住院次均费用、门诊次均费用、门诊患者满意度等3项指标同比变差，
    # 其中住院次均费用8031.18元，同比增长3.4%" was named as machine-written. The two costs rose
    # alike (one clause, 分别), the satisfaction fell (its own clause), no "等3项"
    trends = [
        Problem(
            "trend",
            "IPC",
            "住院次均费用",
            ("住院次均费用", _fig("8031.18元"), "，同比增长", _fig("3.4%")),
            D("3.4"),
            "down",
        ),  # fmt: skip
        Problem(
            "trend",
            "OPC",
            "门诊次均费用",
            ("门诊次均费用", _fig("295.60元"), "，同比增长", _fig("2.7%")),
            D("2.7"),
            "down",
        ),  # fmt: skip
        Problem(
            "trend",
            "SAT",
            "门诊患者满意度",
            ("门诊患者满意度为", _fig("87.9%"), "，同比下降", _fig("1.4个百分点")),
            D("1.6"),
            "up",
        ),  # fmt: skip
    ]
    joined = _trends_together(trends)
    assert plain(joined.text) == (
        "住院次均费用8031.18元、门诊次均费用295.60元，同比分别增长3.4%、2.7%，"
        "门诊患者满意度为87.9%，同比下降1.4个百分点"
    )
    assert joined.members == trends  # the plan still answers each
    assert check(doc(Section("存在的问题", [Paragraph(joined.text)]))) == []


def test_one_more_fall_on_a_handful_is_said_as_counts_and_left_out_of_the_problems(world):
    # blind reads of 2026-12-07: "住院患者跌倒由8例增至9例" among the problems, beside 104
    # deaths, told a machine's list. 8 → 9 (+1, under MIN_COUNT_CHANGE 3): said as counts in
    # the body (not 1.481‰ against 1.333‰: 8/6000 and 9/6000 bed-days … here discharges) and
    # no problem at all (causes.trivial_count_change): the missed target is the only one
    for month in range(1, 7):
        put(world.discharges, world.medicine, f"2025{month:02d}", 100)
        put(world.discharges, world.medicine, f"2026{month:02d}", 100)
        put(world.visits, world.medicine, f"2025{month:02d}", 8 if month == 3 else 0)
        put(world.visits, world.medicine, f"2026{month:02d}", 9 if month == 3 else 0)
    Indicator.objects.create(
        code="T_FALL", name="跌倒发生率", numerator="#{OPD}", denominator="#{DIS}",
        type=IndicatorType.PER_THOUSAND, decimals=3, unit="‰", direction=Direction.LOWER_BETTER,
    )  # fmt: skip
    volume = Indicator.objects.create(
        code="T_DIS", name="出院人次（指标）", numerator="#{DIS}", type=IndicatorType.NUMBER,
        decimals=0, unit="人次", direction=Direction.HIGHER_BETTER,
    )  # fmt: skip
    # 600 of 2000 by June (30 %, against 49.6 % of the year elapsed): a missed target, tier 1
    Target.objects.create(indicator=volume, org_unit=world.hospital, period="2026", value=2000)
    spec = {
        **SPEC,
        "safety": [{"dx": "T_FALL", "what": "住院患者跌倒"}],
        "sections": [
            {
                "title": "医疗质量",
                "kind": "indicators",
                "table": True,
                "items": [{"dx": "T_DIS"}, {"dx": "T_FALL"}],
            },  # fmt: skip
            {"title": "存在的问题", "kind": "problems", "none": "暂无。"},
        ],
    }
    document = summary(world, spec)
    body = text_of(section(document, "医疗质量"))
    assert "门急诊9人次，上年同期8人次" in body and "‰" not in body
    problems = text_of(section(document, "存在的问题"))
    assert "一是业务量完成情况不够理想。出院人次（指标）" in problems, problems
    assert "跌倒" not in problems, problems
    assert "‰" not in problems


def test_beside_a_table_the_paragraph_names_only_what_matters(world):
    # director read of 2026-12-07: each figure in the paragraph and again in the table below.
    # 出院 600 against 600 (flat) and 门急诊 9 against 8 (+12.5 %, no direction, not strong)
    # are the table's; the falls rate on 9 events is said by its counts
    for month in range(1, 7):
        put(world.discharges, world.medicine, f"2025{month:02d}", 100)
        put(world.discharges, world.medicine, f"2026{month:02d}", 100)
        put(world.visits, world.medicine, f"2025{month:02d}", 8 if month == 3 else 0)
        put(world.visits, world.medicine, f"2026{month:02d}", 9 if month == 3 else 0)
    Indicator.objects.create(
        code="T_FALL", name="跌倒发生率", numerator="#{OPD}", denominator="#{DIS}",
        type=IndicatorType.PER_THOUSAND, decimals=3, unit="‰", direction=Direction.LOWER_BETTER,
    )  # fmt: skip
    spec = {**SPEC, "sections": [{**SPEC["sections"][0], "items": [{"dx": "DIS"}, {"dx": "OPD"}, {"dx": "T_FALL"}]}]}  # fmt: skip
    document = summary(world, spec)
    assert (
        text_of(section(document, "医疗质量"))
        == "门急诊9人次，上年同期8人次；主要指标情况见下表。"  # the table repeats 门急诊
    )
    [table] = tables(document)
    assert [plain(row[0]) for row in table.rows] == [
        "出院人次（人次）",
        "门急诊人次（人次）",
        "跌倒发生率（‰）",
    ]


def test_a_rise_carried_by_one_department_names_it_in_the_problem(world):
    # issue 11 item 4: each problem says why where the data shows it. Cases 6 → 15, of which
    # 外科 3 → 12 carries 9 of the 9 more (≥ 60 %); rate 6/600 = 1% → 15/600 = 2.5%
    for month in range(1, 7):
        for unit in (world.medicine, world.surgery):
            put(world.discharges, unit, f"2025{month:02d}", 50)
            put(world.discharges, unit, f"2026{month:02d}", 50)
        put(world.visits, world.medicine, f"2025{month:02d}", 3 if month == 3 else 0)
        put(world.visits, world.medicine, f"2026{month:02d}", 3 if month == 3 else 0)
        put(world.visits, world.surgery, f"2025{month:02d}", 3 if month == 3 else 0)
        put(world.visits, world.surgery, f"2026{month:02d}", 12 if month == 3 else 0)
    Indicator.objects.create(
        code="T_SSI", name="切口感染率", numerator="#{OPD}", denominator="#{DIS}",
        type=IndicatorType.PERCENT, decimals=2, unit="%", direction=Direction.LOWER_BETTER,
    )  # fmt: skip
    spec = {
        **SPEC,
        "sections": [
            {"title": "医疗质量", "kind": "indicators", "items": [{"dx": "T_SSI"}]},
            {"title": "存在的问题", "kind": "problems", "none": "暂无。"},
        ],
    }
    problems = text_of(section(summary(world, spec), "存在的问题"))
    # the department once, after the cases (no second "由…增至…" inside the first's brackets)
    assert (
        "（门急诊由上年同期的6人次增至15人次），增加主要集中在外科（12人次，上年同期3人次）"
        in problems
    ), problems


def test_a_satisfaction_drop_is_not_explained_by_its_own_questionnaires(world):
    # demo read: "门诊患者满意度…同比下降1.6个百分点（满意问卷数由213份降至192份）" restates
    # the rate. 95 of 100 satisfied → 80 of 100: −15 points, a trend without a cases clause
    from weijian.reporting.models import DataElement

    satisfied = DataElement.objects.create(code="SAT_OK", name="满意问卷数", unit="份")
    asked = DataElement.objects.create(code="SAT_ALL", name="有效问卷数", unit="份")
    for month in range(1, 7):
        for year, yes in ((2025, 95 if month == 3 else 0), (2026, 80 if month == 3 else 0)):
            put(satisfied, world.medicine, f"{year}{month:02d}", yes)
            put(asked, world.medicine, f"{year}{month:02d}", 100 if month == 3 else 0)
    Indicator.objects.create(
        code="T_SAT", name="患者满意度", numerator="#{SAT_OK}", denominator="#{SAT_ALL}",
        type=IndicatorType.PERCENT, decimals=1, unit="%", direction=Direction.HIGHER_BETTER,
    )  # fmt: skip
    spec = {
        **SPEC,
        "sections": [
            {"title": "服务", "kind": "indicators", "items": [{"dx": "T_SAT"}]},
            {"title": "存在的问题", "kind": "problems", "none": "暂无。"},
        ],
    }
    problems = text_of(section(summary(world, spec), "存在的问题"))
    assert "患者满意度为80%，同比下降15个百分点" in problems, problems
    assert "问卷" not in problems and "份降至" not in problems


def test_one_more_fall_on_a_handful_gets_no_plan_item(world):
    # found regenerating the examples after the merge: a minor safety problem (8 → 9 falls,
    # +1 on fewer than 10) got the full "逐例开展原因分析和评审…坚决遏制上升势头" measure, the
    # same words as the serious rise beside it (checker: plan-phrase, plan-duplicate). It is no
    # problem now (causes.trivial_count_change), so the plan has no item for it either (readers
    # of 2026-12-07: "problems mapped 1:1 onto plan items")
    for month in range(1, 7):
        put(world.discharges, world.medicine, f"2025{month:02d}", 100)
        put(world.discharges, world.medicine, f"2026{month:02d}", 100)
        put(world.visits, world.medicine, f"2025{month:02d}", 8 if month == 3 else 0)
        put(world.visits, world.medicine, f"2026{month:02d}", 9 if month == 3 else 0)
    Indicator.objects.create(
        code="T_FALL", name="跌倒发生率", numerator="#{OPD}", denominator="#{DIS}",
        type=IndicatorType.PER_THOUSAND, decimals=3, unit="‰", direction=Direction.LOWER_BETTER,
    )  # fmt: skip
    spec = {
        **SPEC,
        "safety": [{"dx": "T_FALL", "what": "住院患者跌倒"}],
        "sections": [
            {"title": "医疗质量", "kind": "indicators", "items": [{"dx": "T_FALL"}]},
            {"title": "存在的问题", "kind": "problems", "none": "暂无。"},
            {"title": "下半年工作计划", "kind": "next_steps"},
        ],
    }
    document = summary(world, spec)
    steps = text_of(section(document, "下半年工作计划"))
    assert "跌倒" not in steps, steps
    assert "坚决遏制上升势头" not in steps
    assert "跌倒" not in text_of(section(document, "存在的问题"))
