"""The document checker on hand-made documents: each rule finds the contradiction it is for,
and says nothing when the text and its figures agree."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from weijian.documents.checker import Knowledge, check
from weijian.documents.model import Chart, Document, Paragraph, Section, Table
from weijian.documents.narrative import Figure


def fig(text, value, dx="OPD", pe="2026S1", ou="HOS"):
    return Figure(text, D(str(value)), {"dx": dx, "pe": pe, "ou": ou})


def change(text, value, op="pct_change", dx="OPD"):
    inputs = [{"dx": dx, "pe": "2026S1", "ou": "HOS"}, {"dx": dx, "pe": "2025S1", "ou": "HOS"}]
    return Figure(text, D(str(value)), {"derived": op, "inputs": inputs})


def doc(*sections, opening=(), period="2026S1", kind="summary"):
    document = Document("人民医院2026年上半年工作总结", "HOS", "人民医院", period, "2026年上半年",
                        "T", "测试", template_kind=kind)  # fmt: skip
    document.opening = list(opening)
    document.sections = list(sections)
    return document


def rules(document, knowledge=None):
    return sorted({f.rule for f in check(document, knowledge)})


def test_a_change_said_with_the_wrong_verb_is_found():
    # 门诊 fell by 3.2 % but the text says 增长
    bad = Section("业务", [Paragraph(("门诊", fig("22万人次", 220000), "，同比增长", change("3.2%", -3.2), "。"))])  # fmt: skip
    assert rules(doc(bad)) == ["direction-word"]
    good = Section("业务", [Paragraph(("门诊", fig("22万人次", 220000), "，同比下降", change("3.2%", -3.2), "。"))])  # fmt: skip
    assert rules(doc(good)) == []


def test_higher_than_last_year_must_be_higher():
    # 0.118‰ this year said "低于上年同期的0.104‰": it is higher
    text = ("跌倒发生率为", fig("0.118‰", "0.118", dx="FALL"), "，低于上年同期的", fig("0.104‰", "0.104", dx="FALL", pe="2025S1"), "。")  # fmt: skip
    assert rules(doc(Section("质量", [Paragraph(text)]))) == ["direction-word"]


def test_higher_than_last_year_in_brackets_compares_the_bracketed_rate():
    # "婴儿死亡由上年的3例增至6例（婴儿死亡率为7.69‰，高于上年的3.76‰）": 7.69 > 3.76, so 高于
    # is right; the counts before the bracket (3, 6) are another clause's figures
    text = (
        "婴儿死亡由上年的", fig("3例", 3, dx="IMR_N", pe="2024"), "增至", fig("6例", 6, dx="IMR_N"),
        "（婴儿死亡率为", fig("7.69‰", "7.69", dx="IMR"), "，高于上年的",
        fig("3.76‰", "3.76", dx="IMR", pe="2024"), "）。",
    )  # fmt: skip
    assert rules(doc(Section("妇幼", [Paragraph(text)]))) == []
    wrong = (*text[:6], "，低于上年的", *text[7:])  # 7.69 said to be below 3.76
    assert rules(doc(Section("妇幼", [Paragraph(wrong)]))) == ["direction-word"]


def test_target_words_must_match_the_figures():
    goal = Figure("1.20%", D("1.2"), {"source": "目标", "query": "T"})
    over = ("医院感染发病率为", fig("1.21%", "1.21", dx="HAI"), "，控制在", goal, "的目标以内。")
    assert rules(doc(Section("院感", [Paragraph(over)]))) == ["target-word"]
    within = ("医院感染发病率为", fig("1.16%", "1.16", dx="HAI"), "，控制在", goal, "的目标以内。")
    assert rules(doc(Section("院感", [Paragraph(within)]))) == []


def test_a_figure_of_part_of_the_year_under_全年_is_found():
    # a December-only ledger figure (pe 202512) stated in a sentence that opens with 全年
    text = ("全年，我院组织业务培训", fig("19次", 19, dx="LG_TRAIN_EVENTS", pe="202512"), "。")
    assert rules(doc(Section("培训", [Paragraph(text)]), period="2025")) == ["scope"]
    honest = ("12月，我院组织业务培训", fig("19次", 19, dx="LG_TRAIN_EVENTS", pe="202512"), "。")
    assert rules(doc(Section("培训", [Paragraph(honest)]), period="2025")) == []


def test_a_table_column_headed_全年_over_one_months_figures_is_found():
    # the unit began reporting in December 2023: its 2023 table's values are December's
    def table(header, label="病床使用率（%）"):
        row = [(label,), (fig("90.93", "90.93", dx="BED", pe="202312"),), ("—",), ("—",)]
        return Table("主要指标完成情况", ["指标", header, "上年同期", "同比"], [row])

    assert rules(doc(Section("质量", [table("全年")]), period="2023")) == ["scope"]
    assert rules(doc(Section("质量", [table("12月份")]), period="2023")) == []
    # a row naming its own months is read by them
    assert (
        rules(doc(Section("质量", [table("全年", "病床使用率（%）（12月份）")]), period="2023"))
        == []
    )


def test_a_figure_whose_period_has_months_without_data_is_found():
    # stated for 2025 (pe 2025), but the engine has data for December only
    text = ("全年，我院组织业务培训", fig("19次", 19, dx="LG_TRAIN_EVENTS", pe="2025"), "。")
    knowledge = Knowledge(coverage=lambda dx, pe, ou: {"202512"}, date=dt.date(2026, 1, 10))
    assert rules(doc(Section("培训", [Paragraph(text)]), period="2025"), knowledge) == ["scope"]
    whole = Knowledge(coverage=lambda dx, pe, ou: {f"2025{m:02d}" for m in range(1, 13)})
    assert rules(doc(Section("培训", [Paragraph(text)]), period="2025"), whole) == []


def test_a_growth_heading_over_flat_figures_is_found():
    # the case: "医疗业务稳步增长" above "…均与上年同期基本持平" and one small rise
    flat = ("上半年，全院完成门诊", fig("22.78万人次", 227800), "、出院患者", fig("1.05万人次", 10500, dx="DIS"),
            "，均与上年同期基本持平；急诊", fig("2.65万人次", 26500, dx="ER"), "，同比增长", change("0.8%", "0.8", dx="ER"), "。")  # fmt: skip
    # (heading-verdict too: 0.8 % is under the 2 % a 稳步增长 needs)
    assert rules(doc(Section("医疗业务稳步增长", [Paragraph(flat)]))) == ["heading", "heading-verdict"]  # fmt: skip
    assert rules(doc(Section("门急诊和住院业务量基本持平", [Paragraph(flat)]))) == []


def test_a_flat_heading_over_a_big_change_is_found():
    text = ("上半年，全院完成门诊", fig("30万人次", 300000), "，同比增长", change("25%", 25), "。")
    assert rules(doc(Section("门诊业务量基本持平", [Paragraph(text)]))) == ["heading"]


def test_a_claim_of_safety_over_a_doubled_risk_is_found():
    # Ⅰ类切口感染率 0.99 % against 0.39 %: up 0.6 points, +154 %
    text = ("Ⅰ类切口感染率为", fig("0.99%", "0.99", dx="SSI"), "，同比上升", change("0.6个百分点", "0.6", op="change", dx="SSI"), "。")  # fmt: skip
    knowledge = Knowledge(directions={"SSI": "down"})
    assert rules(doc(Section("强化院感防控，筑牢安全底线", [Paragraph(text)])), knowledge) == [
        "heading"
    ]
    assert rules(doc(Section("强化院感防控", [Paragraph(text)])), knowledge) == []


def test_a_heading_picking_the_one_improving_figure_is_found():
    # director read: "强化院感防控，多重耐药菌检出率有所下降" above Ⅰ类切口感染率 0.39 % → 1.56 %
    # (+300 %): a verdict on one indicator while the section holds a worse one
    ssi = ("Ⅰ类切口感染率为", fig("1.56%", "1.56", dx="SSI"), "，同比上升", change("1.17个百分点", "1.17", op="change", dx="SSI"), "。")  # fmt: skip
    knowledge = Knowledge(directions={"SSI": "down"})
    picked = Section("强化院感防控，多重耐药菌检出率有所下降", [Paragraph(ssi)])
    assert rules(doc(picked), knowledge) == ["heading"]
    # a maternal death below "孕产妇系统管理率有所提高"
    death = ("孕产妇系统管理率同比有所提高，发生孕产妇死亡1例。",)
    mch = Section("扎实推进妇幼健康，孕产妇系统管理率有所提高", [Paragraph(death)])
    assert rules(doc(mch), knowledge) == ["heading"]
    # the heading that names the work only says nothing false
    assert rules(doc(Section("强化院感防控", [Paragraph(ssi)])), knowledge) == []


def test_a_bad_result_in_a_heading_under_成效_is_found():
    # blind read 2: "（四）强化院感防控，院感发病率超出控制目标" under 主要工作及成效 — the
    # heading names the work; the bad result goes to 存在的问题
    text = ("Ⅰ类切口感染率为", fig("1.56%", "1.56", dx="SSI"), "。")
    for title in ("强化院感防控，Ⅰ类切口感染率明显上升", "强化院感防控，院感发病率超出控制目标",
                  "医疗收入稳步增长，次均费用有所上升", "门急诊量进度滞后"):  # fmt: skip
        work = Section("上半年主要工作及成效", [Section(title, [Paragraph(text)])])
        found = check(doc(work))
        assert [f.rule for f in found] == ["heading"], title
        assert "成效" in found[0].text and title in found[0].text
    fine = Section("上半年主要工作及成效", [Section("强化院感防控，多重耐药菌检出率有所下降", [Paragraph(text)])])  # fmt: skip
    assert rules(doc(fine)) == []


def test_a_claim_of_cost_control_over_rising_costs_is_found():
    text = ("门诊次均费用为", fig("299.29元", "299.29", dx="COST"), "，同比增长", change("4%", 4, dx="COST"), "。")  # fmt: skip
    assert rules(doc(Section("控制不合理费用，经济运行平稳", [Paragraph(text)]))) == ["heading"]


def test_an_opening_of_success_over_missed_targets_is_found():
    opening = [Paragraph(("总体看，各项工作稳步推进，主要指标完成良好。",))]
    problems = Section("存在的问题", [Paragraph(("一是门急诊", fig("25万人次", 250000), "，未完成全年目标任务。"))])  # fmt: skip
    assert rules(doc(problems, opening=opening)) == ["opening"]


def test_ranking_unlike_units_or_a_tiny_gap_is_found():
    knowledge = Knowledge(unit_kinds={"区妇幼保健院": "MCH", "区中医医院": "TCM_HOSPITAL", "甲镇卫生院": "TOWNSHIP", "乙镇卫生院": "TOWNSHIP"})  # fmt: skip
    unlike = ("平均住院日以区妇幼保健院最好（4.89天），区中医医院相对较差（10.56天）。",)
    assert rules(doc(Section("质量", [Paragraph(unlike)])), knowledge) == ["ranking"]
    tiny = ("手卫生依从率以甲镇卫生院最好（83.86%），乙镇卫生院相对较差（83.11%）。",)  # 0.9 %
    assert rules(doc(Section("质量", [Paragraph(tiny)])), knowledge) == ["ranking"]
    fair = ("电子建档率以甲镇卫生院最好（92.88%），乙镇卫生院相对较差（84.88%）。",)
    assert rules(doc(Section("公卫", [Paragraph(fair)])), knowledge) == []


def test_a_plan_target_below_a_result_reached_is_found():
    goal = Figure("85%", D(85), {"source": "目标", "query": "T"})
    text = ("一是手卫生依从率达到", goal, "（2026年1—11月为", fig("86.79%", "86.79", dx="HH", pe="2026"), "）。")  # fmt: skip
    # (and it says no basis for its figure: plan-basis, checker/plans.py)
    assert rules(doc(Section("工作目标", [Paragraph(text)]), period="2027", kind="plan")) == [
        "plan-basis",
        "plan-floor",
    ]


def test_a_survey_floor_other_than_the_districts_rule_is_found():
    # a staff survey held against the inpatients' 90 % when the rule for staff is 80 %
    floor = Figure("90%", D(90), {"source": "模板", "query": "90"})
    text = ("职工满意度为", fig("64.3%", "64.3", dx="SVY_STAFF_RATE"), "，低于", floor, "的要求。")
    knowledge = Knowledge(survey_floors={"SVY_STAFF_RATE": D(80)})
    assert rules(doc(Section("存在的问题", [Paragraph(text)])), knowledge) == ["target-word"]


def test_received_inspections_said_as_carried_out_are_found():
    text = ("上半年，我院开展督导检查", fig("114次", 114, dx="INSP_DONE"), "。")
    assert rules(doc(Section("督查", [Paragraph(text)]))) == ["heading"]


def test_register_words_and_chart_tables_are_found():
    permille = ("跌倒发生率与上年相比上升0.014个千分点。",)
    latin = ("MDRO检出率为", fig("22.02%", "22.02", dx="MDRO"), "。")
    assert rules(doc(Section("院感", [Paragraph(permille)]))) == ["register"]
    assert rules(doc(Section("院感", [Paragraph(latin)]))) == ["register"]
    # no office computes a median of its departments: the yardstick is the overall rate
    median = ("病原学送检率儿科最低，比各科室中位数低5.6个百分点。",)
    assert rules(doc(Section("院感", [Paragraph(median)]))) == ["register"]
    # director read of 2026-12-07: the hospital's rate is its own, not an average of wards
    average = (
        "儿科最低（",
        fig("64.13%", "64.13"),
        "），低于全院",
        fig("69.30%", "69.30"),
        "的平均水平。",
    )
    assert rules(doc(Section("院感", [Paragraph(average)]))) == ["register"]
    own = (
        "儿科最低（",
        fig("64.13%", "64.13"),
        "），低于全院水平（",
        fig("69.30%", "69.30"),
        "）。",
    )
    assert rules(doc(Section("院感", [Paragraph(own)]))) == []
    allowed = ("ICU的抗菌药物使用强度为", fig("32.95DDDs/百人天", "32.95", dx="DDD"), "。")
    assert rules(doc(Section("院感", [Paragraph(allowed)]))) == []
    chart = Chart("门诊人次逐月对比", ["1月"], [("2026年", [None])])
    table = Table("门诊人次逐月对比数据", ["月份"], [[("1月",)]])
    assert rules(doc(Section("业务", [chart, table]))) == ["register"]


def test_a_coming_health_day_already_past_is_found():
    steps = Section("下半年工作打算", [Paragraph(("1．下半年，结合全民健康生活方式日、世界艾滋病日等健康主题日开展宣传（牵头科室：院办公室；完成时限：2026年底前）。",))])  # fmt: skip
    late = Knowledge(health_days={"全民健康生活方式日": (9, 1), "世界艾滋病日": (12, 1)}, date=dt.date(2026, 12, 7))  # fmt: skip
    assert rules(doc(steps), late) == ["past-event"]
    on_time = Knowledge(health_days=late.health_days, date=dt.date(2026, 7, 10))
    assert rules(doc(steps), on_time) == []


def test_a_percentage_on_a_change_of_one_or_two_is_found():
    # blind read 2: "按时办结60件，同比增长1.7%" — 59 → 60 (60 ÷ 1.017 = 59.0: a change of one)
    text = ("按时办结", fig("60件", 60, dx="ONTIME"), "，同比增长", change("1.7%", "1.6949", dx="ONTIME"), "。")  # fmt: skip
    found = check(doc(Section("服务", [Paragraph(text)])))
    assert [f.rule for f in found] == ["tiny-change"] and "60件" in found[0].text
    # 120 vs 100 (+20 %, a change of 20) is a fair percentage
    text = ("按时办结", fig("120件", 120, dx="ONTIME"), "，同比增长", change("20%", 20, dx="ONTIME"), "。")  # fmt: skip
    assert rules(doc(Section("服务", [Paragraph(text)]))) == []
    # money is not a count: 1.53亿元 up 4.1 % is no change of one
    text = ("医疗收入", fig("1.53亿元", 153000000, dx="INC"), "，同比增长", change("4.1%", "4.1", dx="INC"), "。")  # fmt: skip
    assert rules(doc(Section("收入", [Paragraph(text)]))) == []


def test_a_table_column_empty_in_most_rows_is_found():
    # 上年同期 "—" in two of three rows says nothing; 目标 and 完成情况 with one target of
    # three are dash-column's (read 2026-12-07 23:30: the few targets belong in the prose),
    # with two of three they stand
    def row(label, goal, status, before):
        return [(label,), (fig("89.81", "89.81"),), (goal,), (before,), ("+2.4个百分点",), (status,)]  # fmt: skip

    last = fig("87.45", "87.45", pe="2025S1")
    header = ["指标", "2026年1—6月", "目标", "2025年1—6月", "同比", "完成情况"]
    rows = [row("抗菌药物使用强度", "40", "达标", "—"), row("病床使用率", "—", "—", "—"), row("平均住院日", "—", "—", last)]  # fmt: skip
    found = check(doc(Section("质量", [Table("主要指标完成情况", header, rows)])))
    assert [f.rule for f in found] == ["table-empty", "dash-column", "dash-column"]
    assert "2025年1—6月" in found[0].text
    rows = [row("抗菌药物使用强度", "40", "达标", last), row("病床使用率", "85", "达标", last), row("平均住院日", "—", "—", "—")]  # fmt: skip
    assert rules(doc(Section("质量", [Table("主要指标完成情况", header, rows)]))) == []


def test_a_dated_table_column_over_fewer_months_is_found():
    # "2023年" heads a column of December's figure: the dated heading claims the whole year
    row = [("病床使用率（%）",), (fig("90.93", "90.93", dx="BED", pe="202312"),), ("—",), ("—",)]
    table = Table("主要指标情况", ["指标", "2023年", "2022年", "比上年"], [row])
    assert rules(doc(Section("质量", [table]), period="2023")) == ["scope"]
    table = Table("主要指标情况", ["指标", "2023年12月", "2022年12月", "同比"], [row])
    assert rules(doc(Section("质量", [table]), period="2023")) == []


def test_a_count_of_indicators_that_disagrees_with_its_list_is_found():
    # blind read 2: "…等4项指标同比变差" must count the names listed before it
    count = Figure("5项", D(5), {"source": "存在问题", "query": "同比变差的指标"})
    text = (
        "一是压力性损伤发生率、住院死亡率、住院次均费用、门诊次均费用等",
        count,
        "指标未达到目标。",
    )
    found = check(doc(Section("存在的问题", [Paragraph(text)])))
    assert [f.rule for f in found] == ["count-list"] and "4" in found[0].text
    right = Figure("4项", D(4), {"source": "存在问题", "query": "同比变差的指标"})
    text = (
        "一是压力性损伤发生率、住院死亡率、住院次均费用、门诊次均费用等",
        right,
        "指标未达到目标。",
    )
    assert rules(doc(Section("存在的问题", [Paragraph(text)]))) == []
    # the formula itself is a tell (director read of 2026-12-07): "等4项指标同比变差"
    formula = (*text[:2], "指标同比变差。")
    assert rules(doc(Section("存在的问题", [Paragraph(formula)]))) == ["register"]


def test_plan_items_worded_alike_are_found():
    # blind read 2: "2．围绕门急诊目标，逐月分析完成情况…" and "3．围绕医院感染发病率目标，逐月分析完成情况…"
    same = "逐月分析完成情况，查找差距和原因，细化落实措施，确保完成年度目标任务（牵头科室：医务科；完成时限：2026年底前）。"
    steps = Section("下半年工作打算", [Paragraph((f"1．围绕门急诊目标，{same}",)), Paragraph((f"2．围绕医院感染发病率目标，{same}",))])  # fmt: skip
    found = check(doc(steps))
    assert [f.rule for f in found] == ["plan-duplicate"] and "医院感染发病率" in found[0].text
    other = Section("下半年工作打算", [Paragraph((f"1．围绕门急诊目标，{same}",)), Paragraph(("2．对照医院感染发病率控制目标，加强目标性监测（牵头科室：院感科；完成时限：2026年底前）。",))])  # fmt: skip
    assert rules(doc(other)) == []


def test_a_verdict_word_said_a_third_time_is_found():
    # 基本持平 in the heading, then twice in the paragraph = 3 > 2
    flat = ("出院", fig("1.05万人次", 10500), "，与上年同期基本持平；急诊", fig("2.65万人次", 26500, dx="ER"), "，与上年同期基本持平。")  # fmt: skip
    assert rules(doc(Section("业务量基本持平", [Paragraph(flat)]))) == ["verdict-repeat"]
    assert rules(doc(Section("业务量", [Paragraph(flat)]))) == []  # twice is allowed


def test_the_ranking_formula_twice_in_a_document_is_found():
    one = "手卫生依从率以妇产科最好（88.27%），口腔科相对较差（80.59%）。"
    two = "病原学送检率以ICU最好（80.25%），儿科相对较差（64.13%）。"
    assert rules(doc(Section("院感", [Paragraph((one,)), Paragraph((two,))]))) == ["verdict-repeat"]
    assert rules(doc(Section("院感", [Paragraph((one,))]))) == []


def test_a_safety_event_that_rose_must_be_among_the_problems():
    # falls 0.104‰ → 0.118‰ said in the sections, 存在的问题 silent on 跌倒
    rose = ("跌倒发生率为", fig("0.118‰", "0.118", dx="FALL"), "，高于上年同期的", fig("0.104‰", "0.104", dx="FALL", pe="2025S1"), "。")  # fmt: skip
    quality = Section("医疗质量", [Paragraph(rose)])
    silent = Section("存在的问题", [Paragraph(("一是门诊次均费用有所上升。",))])
    assert rules(doc(quality, silent)) == ["safety-unranked"]
    # (a rise of three or more: one or two would be a trivial-problem of its own)
    named = Section("存在的问题", [Paragraph(("一是住院患者跌倒由8例增至12例。",))])
    assert rules(doc(quality, named)) == []


def test_a_count_of_seven_days_listing_four_is_found():
    days = Figure("7个", D(7), {"source": "活动日历", "query": "Q"})
    four = ("围绕世界卫生日、全国爱国卫生月、全国预防接种日、世界无烟日等", days, "健康主题日，开展主题宣传。")  # fmt: skip
    assert rules(doc(Section("宣传", [Paragraph(four)]))) == ["count-list"]
    seven = ("围绕甲日、乙日、丙日、丁日、戊日、己日、庚日等", days, "健康主题日，开展主题宣传。")
    assert rules(doc(Section("宣传", [Paragraph(seven)]))) == []
    many = Figure(
        "12个", D(12), {"source": "活动日历", "query": "Q"}
    )  # above 8: three and 等 is fine
    three = ("围绕甲日、乙日、丙日等", many, "健康主题日，开展主题宣传。")
    assert rules(doc(Section("宣传", [Paragraph(three)]))) == []


def test_a_heading_praising_what_the_problems_list_is_found():
    reports = Section("统计报表工作规范有序", [Paragraph(("全年应报报表1580份。",))])
    done = Section("全年工作完成情况", [reports])
    problems = Section("存在的问题", [Paragraph(("一是部分单位统计报表上报不够及时。",))])
    assert rules(doc(done, problems)) == ["heading"]
    reports.title = "加强统计报表管理"
    assert rules(doc(done, problems)) == []


def test_the_same_lead_for_unit_comparisons_twice_is_found():
    one = Paragraph(("从各乡镇卫生院看，平均住院日较为接近。",))
    two = Paragraph(("从各乡镇卫生院看，电子建档率以青山镇中心卫生院最好。",))
    assert rules(doc(Section("业务", [one]), Section("公卫", [two]))) == ["verdict-repeat"]
    two.text = ("各乡镇卫生院之间，电子建档率以青山镇中心卫生院最好。",)
    assert rules(doc(Section("业务", [one]), Section("公卫", [two]))) == []


def test_a_plan_target_looser_than_the_periods_result_is_found():
    # QSZ 2025 (blind read 2026-12-07): 高血压规范管理率 71.88 % reached, the plan part said
    # "2026年…保持在65%以上"; and 40 DDDs kept as a ceiling beside 34.96 reached (lower is better)
    htn = fig("71.88%", "71.88", dx="HTN", pe="2025", ou="QSZ")
    ddd = fig("34.96DDDs/百人天", "34.96", dx="DDD", pe="2025", ou="QSZ")
    body = Section("公卫", [Paragraph(("高血压规范管理率", htn, "，抗菌药物使用强度", ddd, "。"))])
    floor = Figure("65%", D(65), {"source": "目标", "query": "Target HTN · QSZ · 2026"})
    cap = Figure("40DDDs/百人天", D(40), {"source": "目标", "query": "Target DDD · QSZ · 2026"})
    owner = "（牵头科室：公共卫生科；完成时限：2026年底前）。"
    loose = Section("2026年工作打算", [
        Paragraph(("1．2026年高血压规范管理率保持在", floor, f"以上{owner}")),
        Paragraph(("2．2026年抗菌药物使用强度继续控制在", cap, f"以内{owner}")),
    ])  # fmt: skip
    knowledge = Knowledge(directions={"HTN": "up", "DDD": "down"})
    found = [f for f in check(doc(body, loose, period="2025"), knowledge) if f.rule == "plan-loose"]
    assert len(found) == 2, found
    # held at the result (72 % ≥ 71.88 %, 34 ≤ 34.96): nothing to say
    held_floor = Figure("72%", D(72), {"source": "目标", "query": "Target HTN · QSZ · 2026"})
    held_cap = Figure(
        "34DDDs/百人天", D(34), {"source": "目标", "query": "Target DDD · QSZ · 2026"}
    )
    held = Section("2026年工作打算", [
        Paragraph(("1．2026年高血压规范管理率达到", held_floor, f"以上{owner}")),
        Paragraph(("2．2026年抗菌药物使用强度控制在", held_cap, f"以内{owner}")),
    ])  # fmt: skip
    assert rules(doc(body, held, period="2025"), knowledge) == []


def test_plan_items_name_owner_and_deadline_and_avoid_set_phrases():
    # "10．以公立医院高质量发展为主线…" had no one responsible and no deadline; 坚决遏制上升势头
    # twice; 扬长避短 in the closing; 牵头科室 inside a department (it has a 责任人)
    steps = Section("2026年工作打算", [
        Paragraph(("1．对跌倒开展分析，坚决遏制上升势头（牵头科室：护士长；完成时限：2026年9月底前）。",)),
        Paragraph(("2．对压力性损伤开展分析，坚决遏制上升势头（牵头科室：护士长；完成时限：2026年9月底前）。",)),
        Paragraph(("3．以公立医院高质量发展为主线，加强重点专科建设。",)),
    ])  # fmt: skip
    document = doc(steps)
    document.closing = [Paragraph(("今后，我科将扬长避短，再接再厉。",))]
    found = check(document, Knowledge(unit_kinds={"人民医院": "DEPARTMENT"}))
    phrases = [f.text for f in found if f.rule == "plan-phrase"]
    owners = [f.text for f in found if f.rule == "plan-owner"]
    assert len(phrases) == 2 and "坚决遏制上升势头" in phrases[0] and "扬长避短" in phrases[1]
    assert sum("以公立医院高质量发展为主线" in t for t in owners) == 1  # no owner, no deadline
    assert sum("应写责任人" in t for t in owners) == 2
    good = Section("2026年工作打算", [
        Paragraph(("1．对跌倒开展分析，坚决遏制上升势头（责任人：护士长；完成时限：2026年9月底前）。",)),
    ])  # fmt: skip
    assert rules(doc(good), Knowledge(unit_kinds={"人民医院": "DEPARTMENT"})) == []


def test_a_year_target_due_in_march_or_a_past_deadline_is_found():
    # RMYY 2025 (blind read 2026-12-07): "对照医院感染发病率控制目标…确保全年控制在目标以内（…完成
    # 时限：2026年3月底前）" — a year's rate is judged at the year's end
    early = Section("2026年工作打算", [Paragraph(("1．对照医院感染发病率控制目标，逐月通报，确保全年控制在目标以内（牵头科室：院感科；完成时限：2026年3月底前）。",))])  # fmt: skip
    assert rules(doc(early, period="2025")) == ["plan-deadline"]
    at_year_end = Section("2026年工作打算", [Paragraph(("1．对照医院感染发病率控制目标，逐月通报，确保全年控制在目标以内（牵头科室：院感科；完成时限：2026年底前）。",))])  # fmt: skip
    assert rules(doc(at_year_end, period="2025")) == []
    # a re-inspection due at the end of September, in a document dated 7 December: already past
    past = Section("下半年工作打算", [Paragraph(("1．针对检查中得分低于合格线的问题，按期整改到位并接受复查（牵头科室：质控科；完成时限：2026年9月底前）。",))])  # fmt: skip
    assert rules(doc(past), Knowledge(date=dt.date(2026, 12, 7))) == ["plan-deadline"]
    assert rules(doc(past), Knowledge(date=dt.date(2026, 7, 10))) == []


def test_a_dated_list_shorter_than_its_count_and_各类_for_one_are_found():
    # director read 6: "应急演练8次（2月19日…、3月24日…、4月12日…）" and "组织各类培训1次"
    three = ("组织停电停水和消防应急演练8次，参演535人次（2月19日停电停水演练、3月24日消防演练、4月12日停电停水演练）。",)  # fmt: skip
    assert rules(doc(Section("培训演练", [Paragraph(three)]))) == ["count-list"]
    every = ("组织消防应急演练2次（6月21日消防演练、11月23日消防演练）。",)
    assert rules(doc(Section("培训演练", [Paragraph(every)]))) == []
    assert rules(doc(Section("培训", [Paragraph(("组织各类培训1次。",))]))) == ["count-list"]
    assert rules(doc(Section("培训", [Paragraph(("组织培训1次。",))]))) == []


def test_the_same_bracketed_tail_on_every_plan_item_is_found():
    # read 2026-12-07: "（牵头科室：…；完成时限：…）" closing all six items marked the plan as
    # machine-made; three alike are found, two are not
    tail = "（牵头科室：院办公室；完成时限：2027年底前）。"
    items = ["对照目标按月分析进度", "结合健康主题日开展宣传", "加强统计报表管理，每月审核"]
    three = Section("主要任务", [Paragraph((f"{i}．{t}{tail}",)) for i, t in enumerate(items, 1)])
    assert rules(doc(three, kind="plan")) == ["plan-tail"]
    two = Section("主要任务", [Paragraph((f"{i}．{t}{tail}",)) for i, t in enumerate(items[:2], 1)])
    assert rules(doc(two, kind="plan")) == []


def test_plan_items_with_the_office_in_the_sentence_are_owned():
    # the office folded into the sentence, the deadline a date for one-off work or the rhythm
    # of a duty; items an office leads together named once after them
    steps = Section("2027年工作打算", [
        Paragraph(("1．医院感染管理科于2027年3月底前对Ⅰ类切口感染率成倍上升开展专项调查，落实防控措施。",)),
        Paragraph(("2．由护理部牵头，医务科配合，针对跌倒上升的情况，按月跟踪，推动指标回落。",)),
        Paragraph(("3．建立问题整改台账，按月跟踪督办，确保按期整改率达到90%以上。",)),
        Paragraph(("4．下半年，院办公室结合全国高血压日等健康主题日，精心组织开展主题宣传。",)),
        Paragraph(("以上第3项由质控科牵头落实。",)),
    ])  # fmt: skip
    assert rules(doc(steps, period="2026")) == []
    # an item with neither its office in the sentence nor a 责任分工 naming it
    lost = Section("2027年工作打算", [Paragraph(("1．建立问题整改台账，按月跟踪督办。",))])
    assert rules(doc(lost, period="2026")) == ["plan-owner"]
    # "加强重点部门…" is no office at the head of a sentence
    loose = Section("2027年工作打算", [Paragraph(("1．加强重点部门监测，全年推进。",))])
    assert rules(doc(loose, period="2026")) == ["plan-owner"]


def test_a_standing_monthly_duty_due_at_the_year_end_is_found():
    # "坚持每月病历质量点评（…完成时限：2027年底前）": a monthly duty is done every month, not
    # by December (a routine duty such as 消防演练 is no plan item at all: plan-routine)
    bad = Section("主要任务", [Paragraph(("1．坚持每月开展病历质量点评，按月通报（牵头科室：医务科；完成时限：2027年底前）。",))])  # fmt: skip
    assert rules(doc(bad, kind="plan")) == ["plan-rhythm"]
    good = Section("主要任务", [Paragraph(("1．医务科坚持每月开展病历质量点评，按月通报。",))])  # fmt: skip
    assert rules(doc(good, kind="plan")) == []


def test_a_figure_said_three_times_in_the_body_is_found():
    # director read of 2026-12-07: the opening, the section and 存在的问题 each restate the
    # same figure. Twice is the bound (a section and 存在的问题); a table and the plan's
    # "（2025年为1.56%）" do not count, nor a different indicator's equal figure
    rate = fig("1.56%", "1.56", dx="SSI")
    said = ("Ⅰ类切口感染率为", rate, "。")
    other = ("手术部位感染率为", fig("1.56%", "1.56", dx="SSI2"), "。")
    table = Table("主要指标情况", ["指标", "2026年1—6月"], [[("Ⅰ类切口感染率（%）",), (rate,)]])
    plan = Section(
        "下半年工作打算",
        [
            Paragraph(
                (
                    "1．Ⅰ类切口感染率控制在1%以内（2026年上半年为",
                    rate,
                    "）（牵头科室：医院感染管理科；完成时限：2026年9月底前）。",
                )
            )
        ],
    )
    twice = doc(Section("院感", [Paragraph(said), Paragraph(other), table]), Section("存在的问题", [Paragraph(said)]), plan)  # fmt: skip
    assert rules(twice) == []
    thrice = doc(Section("院感", [Paragraph(said), table]), Section("存在的问题", [Paragraph(said)]), plan, opening=[Paragraph(said)])  # fmt: skip
    found = check(thrice)
    assert [f.rule for f in found] == ["figure-repeat"] and "1.56%" in found[0].text
