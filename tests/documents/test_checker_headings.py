"""Rule heading-verdict on hand-made sections: the cases the directors read on 2026-12-07
(bureau, neike and qingshan), each with its figures and the arithmetic by hand."""

from __future__ import annotations

from decimal import Decimal as D

from weijian.documents.checker import Knowledge, check
from weijian.documents.model import Document, Paragraph, Section
from weijian.documents.narrative import Figure


def fig(text, value, dx, pe="2025"):
    return Figure(text, D(str(value)), {"dx": dx, "pe": pe, "ou": "U"})


def pct(text, value, dx, op="pct_change"):
    inputs = [{"dx": dx, "pe": "2025", "ou": "U"}, {"dx": dx, "pe": "2024", "ou": "U"}]
    return Figure(text, D(str(value)), {"derived": op, "inputs": inputs})


def found(title, *texts, directions=None):
    document = Document("2025年工作总结", "U", "单位", "2025", "2025年", "T", "测试")
    document.sections = [Section(title, [Paragraph(t) for t in texts])]
    knowledge = Knowledge(directions=directions or {})
    return [f.text for f in check(document, knowledge) if f.rule == "heading-verdict"]


# bureau 2025: 急诊 7.61万 (+6.1 %) and 手术 9119 (+2.6 %); 门诊 and 出院 are in the opening only
BUREAU = (
    "全年，全区共完成急诊", fig("7.61万人次", 76100, "ER"), "，比上年增长", pct("6.1%", "6.1", "ER"),
    "；出院患者手术", fig("9119例", 9119, "SURG"), "，比上年增长", pct("2.6%", "2.6", "SURG"), "。",
)  # fmt: skip


def test_a_growth_heading_naming_volumes_the_section_does_not_print_is_found():
    said = found("全区门急诊和住院服务量、手术量稳步增长", BUREAU)
    # 门诊 and 住院 are named by the heading, printed nowhere below; 急诊 and 手术 are
    assert said == [
        "“全区门急诊和住院服务量、手术量稳步增长”说住院，段中却没有住院的数字",
        "“全区门急诊和住院服务量、手术量稳步增长”说门诊，段中却没有门诊的数字",
    ]
    # the heading the composer now writes names what is printed: 6.1 % and 2.6 % are ≥ 2 %
    assert found("全区急诊人次和手术量稳步增长", BUREAU) == []


# neike 2026S1: 门诊 5.58万 (+3.9 %), 收治 2478 (+0.8 %), 出院 2483 (+0.6 %)
NEIKE = (
    "上半年，我科共完成门诊", fig("5.58万人次", 55800, "OPD"), "，同比增长", pct("3.9%", "3.9", "OPD"),
    "；收治住院患者", fig("2478人次", 2478, "ADM"), "，同比增长", pct("0.8%", "0.8", "ADM"),
    "；出院患者", fig("2483人次", 2483, "DIS"), "，同比增长", pct("0.6%", "0.6", "DIS"), "。",
)  # fmt: skip


def test_a_growth_heading_above_growth_under_the_flat_band_is_found():
    said = found("门诊和住院业务量稳步增长", NEIKE)
    # 0.8 % and 0.6 % are under the 2 % of verdicts.FLAT_RELATIVE: two clauses named
    assert len(said) == 2 and "0.8%" in said[0] and "0.6%" in said[1]
    # the mixed heading says which grew and which held: nothing to find
    assert found("门诊人次稳步增长，入院和出院人次基本持平", NEIKE) == []


def test_a_hold_heading_above_a_rate_printed_as_a_fall_is_found():
    # qingshan 2025: 接种率 98.54 % vs 98.91 %, printed "下降0.37个百分点" (98.54 − 98.91)
    text = (
        "建证率为", fig("99.73%", "99.73", "CERT"), "，与上年基本持平；总体接种率为",
        fig("98.54%", "98.54", "IMM"), "，比上年下降", pct("0.37个百分点", "-0.37", "IMM", op="change"), "。",
    )  # fmt: skip
    up = {"IMM": "up", "CERT": "up"}
    said = found("做好预防接种，免疫规划疫苗接种率保持稳定", text, directions=up)
    assert len(said) == 1 and "下降0.37个百分点" in said[0]
    assert found("做好预防接种", text, directions=up) == []
    # a lower-is-better rate that fell is no contradiction of 保持平稳
    assert found("院感发病率保持平稳", text, directions={"IMM": "down", "CERT": "down"}) == []


def test_a_claim_of_better_service_above_a_satisfaction_that_fell_is_found():
    # qingshan 2025: 门诊患者满意度 90.4 %, −0.9 points on 91.3 %
    text = (
        "全年，门诊患者满意度为", fig("90.4%", "90.4", "SVY"), "，比上年下降",
        pct("0.9个百分点", "-0.9", "SVY", op="change"), "。",
    )  # fmt: skip
    assert len(found("改善服务，优化就医体验", text)) == 1
    assert found("患者满意度和投诉处理", text) == []
    risen = (*text[:2], "，比上年提高", pct("5.3个百分点", "5.3", "SVY", op="change"), "。")
    assert found("改善医疗服务，优化就医体验", risen) == []
