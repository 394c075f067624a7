"""The checker's rules on counts and numbered classes (checker/counts.py), on hand-made
documents: a count printed twice with two values, and Latin letters for Roman numerals."""

from __future__ import annotations

from decimal import Decimal as D

from weijian.documents.checker import check
from weijian.documents.model import Document, Paragraph, Section
from weijian.documents.narrative import Figure


def fig(text, value, dx="HE", ou="DEMO"):
    return Figure(text, D(str(value)), {"dx": dx, "pe": "2025", "ou": ou})


def ledger(text, value, query="健康教育 讲座"):
    return Figure(text, D(str(value)), {"source": "工作台账", "query": query})


def doc(*sections):
    document = Document("示范区卫生健康局2025年工作总结", "DEMO", "示范区卫生健康局", "2025", "2025年",
                        "T", "测试")  # fmt: skip
    document.sections = list(sections)
    return document


def rules(document):
    return sorted({f.rule for f in check(document)})


PUBLIC_HEALTH = ("电子建档率为", fig("90.46%", "90.46"), "；健康讲座", fig("127次", 127, dx="PHS_HE_LECTURES"), "。")  # fmt: skip


def test_one_count_printed_twice_with_two_values_is_found():
    # the bureau's 2025 summary: (四) 健康讲座127次 from the centres' form, (七) 其中健康讲座128次
    # from every unit's ledger — one meaning, two numbers
    education = (
        "开展健康教育活动",
        ledger("410次", 410),
        "，其中健康讲座",
        ledger("128次", 128),
        "。",
    )
    document = doc(Section("基本公共卫生服务", [Paragraph(PUBLIC_HEALTH)]), Section("健康教育", [Paragraph(education)]))  # fmt: skip
    findings = [f for f in check(document) if f.rule == "count-twice"]
    assert [f.text for f in findings] == ["“健康讲座”先写127次，又写128次"]


def test_the_same_count_said_again_comparisons_and_one_units_share_are_not_found():
    again = ("其中健康讲座", ledger("127次", 127), "，比上年增加", Figure("7次", D(7), {"derived": "abs_change", "inputs": []}), "。")  # fmt: skip
    # a comparison ("由上年的120次增至127次") and one centre's count are other meanings
    before = ("健康讲座由上年的", fig("120次", 120), "增至", fig("127次", 127), "。")
    centre = ("石坪乡卫生院健康讲座", fig("10次", 10, ou="SPX"), "，低于每月1次的规范要求。")
    # two surveys' samples in brackets: each annotates its own rate
    surveys = ("门诊患者满意度为", fig("88.4%", "88.4"), "（有效问卷", fig("995份", 995), "），住院患者满意度为",
               fig("93.0%", "93"), "（有效问卷", fig("598份", 598), "）。")  # fmt: skip
    document = doc(Section("基本公共卫生服务", [Paragraph(PUBLIC_HEALTH)]),
                   Section("健康教育", [Paragraph(again), Paragraph(before), Paragraph(centre), Paragraph(surveys)]))  # fmt: skip
    assert "count-twice" not in rules(document)


def test_a_plans_targets_are_not_the_years_count():
    plan = ("全年开展健康讲座", ledger("150次", 150), "以上。")
    document = doc(Section("基本公共卫生服务", [Paragraph(PUBLIC_HEALTH)]),
                   Section("2026年工作打算", [Paragraph(plan)]))  # fmt: skip
    assert "count-twice" not in rules(document)


def test_latin_i_for_a_roman_numeral_is_found():
    latin = ("I类切口感染率为", fig("1.56%", "1.56", dx="SSI"), "。")
    assert "latin-numeral" in rules(doc(Section("院感", [Paragraph(latin)])))
    roman = ("Ⅰ类切口感染率为", fig("1.56%", "1.56", dx="SSI"), "。")
    assert rules(doc(Section("院感", [Paragraph(roman)]))) == []
    # ICU and the like are abbreviations, not numerals
    icu = ("ICU医院感染发病率为", fig("3.1%", "3.1", dx="HAI"), "。")
    assert "latin-numeral" not in rules(doc(Section("院感", [Paragraph(icu)])))


def test_latin_i_in_a_heading_or_a_table_is_found():
    from weijian.documents.model import Table

    heading = Section("强化院感防控，I类切口感染率明显上升", [Paragraph(("。",))])
    assert "latin-numeral" in rules(doc(heading))
    table = Table("主要指标完成情况", ["指标", "本期"], [[("I类切口感染率（%）",), (fig("1.56", "1.56", dx="SSI"),)]])  # fmt: skip
    assert "latin-numeral" in rules(doc(Section("院感", [table])))
    roman = Table("主要指标完成情况", ["指标", "本期"], [[("Ⅰ类切口感染率（%）",), (fig("1.56", "1.56", dx="SSI"),)]])  # fmt: skip
    assert rules(doc(Section("院感", [roman]))) == []


def test_the_norms_name_and_the_ledgers_name_of_one_count_are_one_meaning():
    # a centre's 健康教育 summary: the 基本公卫 form says 举办健康知识讲座16次 and 开展公众健康咨询
    # 活动9次, its ledger 其中健康讲座11次、健康咨询4次 — the same lectures, two counts
    norms = (
        "全年，我单位举办健康知识讲座",
        fig("16次", 16),
        "；开展公众健康咨询活动",
        fig("9次", 9),
        "。",
    )
    kept = ("开展健康教育活动", ledger("32次", 32), "，其中健康讲座", ledger("11次", 11), "、健康咨询", ledger("4次", 4), "。")  # fmt: skip
    findings = check(doc(Section("健康教育", [Paragraph(norms), Paragraph(kept)])))
    assert sorted(f.text for f in findings if f.rule == "count-twice") == [
        "“健康咨询”先写9次，又写4次",
        "“健康讲座”先写16次，又写11次",
    ]
