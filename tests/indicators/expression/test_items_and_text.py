"""items(), describe(), to_text() and the names callback."""

from decimal import Decimal

import pytest

from weijian.indicators.expression import (
    ConstantRef,
    ElementRef,
    Expression,
    ExpressionError,
    GroupCountRef,
    IndicatorRef,
    ReportingMetric,
    ReportingRef,
    describe_ref,
    names_from,
    parse,
)
from weijian.indicators.expression.nodes import Binary, Call, Item, Number, Unary

NAMES = names_from(
    elements={"OPD": "门急诊人次", "DIS": "出院人次", "BED_DAYS": "实际占用总床日数"},
    options={"MALE": "男"},
    constants={"DAYS": "报告期天数"},
    indicators={"BOR": "病床使用率"},
    forms={"HOSP": "医院月报"},
    groups={"THC": "乡镇卫生院"},
)


class TestItems:
    TEXT = (
        "#{OPD} + #{OPD.MALE} * C{DAYS} / N{BOR} - R{HOSP.REPORTING_RATE}"
        " + OUG{THC} + #{OPD} + if(isNull(#{DIS}), 0, greatest(#{X}, N{Y}))"
    )

    def test_every_operand_once(self):
        assert parse(self.TEXT).items() == {
            ElementRef("OPD"),
            ElementRef("OPD", "MALE"),
            ConstantRef("DAYS"),
            IndicatorRef("BOR"),
            ReportingRef("HOSP", ReportingMetric.REPORTING_RATE),
            GroupCountRef("THC"),
            ElementRef("DIS"),  # inside isNull: still needed
            ElementRef("X"),  # inside a function inside if
            IndicatorRef("Y"),
        }

    def test_in_order_of_first_appearance(self):
        ordered = parse(self.TEXT).ordered_items()
        assert ordered[:3] == (ElementRef("OPD"), ElementRef("OPD", "MALE"), ConstantRef("DAYS"))
        assert len(ordered) == len(set(ordered)) == 9

    def test_indicator_refs_for_cycle_detection(self):
        assert parse(self.TEXT).indicator_refs() == {IndicatorRef("BOR"), IndicatorRef("Y")}
        assert parse("#{A} + 1").indicator_refs() == frozenset()

    def test_items_of_many_expressions_make_one_query(self):
        # The engine unions the operands of all requested indicators before querying.
        expressions = [parse("#{A} / #{B}"), parse("#{B} * 100 / #{C}"), parse("#{A}")]
        wanted = frozenset().union(*(e.items() for e in expressions))
        assert wanted == {ElementRef("A"), ElementRef("B"), ElementRef("C")}

    def test_a_number_alone_needs_nothing(self):
        assert parse("100").items() == frozenset()

    def test_refs_are_hashable_values(self):
        assert ElementRef("A") == ElementRef("A", None)
        assert ElementRef("A") != ElementRef("A", "M")
        assert len({ConstantRef("A"), IndicatorRef("A"), GroupCountRef("A")}) == 3
        with pytest.raises(AttributeError):
            ElementRef("A").code = "B"


class TestCheckKnown:
    def test_first_unknown_operand_is_reported_where_it_is(self):
        known = {ElementRef("A")}
        with pytest.raises(ExpressionError) as caught:
            parse("#{A} + #{B.M}").check_known(known.__contains__)
        assert caught.value.column == 8
        assert caught.value.reason == "找不到数据元或分类选项“#{B.M}”"
        assert caught.value.excerpt.endswith("^^^^^^")

    @pytest.mark.parametrize(
        ("text", "reason"),
        [
            ("#{Z}", "找不到数据元“#{Z}”"),
            ("C{Z}", "找不到常量“C{Z}”"),
            ("N{Z}", "找不到指标“N{Z}”"),
            ("R{Z.ACTUAL_REPORTS}", "找不到报表“R{Z.ACTUAL_REPORTS}”"),
            ("OUG{Z}", "找不到机构组“OUG{Z}”"),
        ],
    )
    def test_kinds(self, text, reason):
        with pytest.raises(ExpressionError, match=reason):
            parse(text).check_known(lambda ref: False)

    def test_all_known_passes(self):
        parse("#{A} + 1").check_known(lambda ref: True)


class TestDescribe:
    @pytest.mark.parametrize(
        ("text", "words"),
        [
            ("#{OPD} / #{DIS}", "门急诊人次 ÷ 出院人次"),
            ("#{OPD.MALE}", "门急诊人次（男）"),
            ("#{OPD} * 100 / #{BED_DAYS}", "门急诊人次 × 100 ÷ 实际占用总床日数"),
            ("(#{OPD} + #{DIS}) * 2", "（门急诊人次 + 出院人次） × 2"),  # parentheses as written
            ("((#{OPD}))", "（（门急诊人次））"),
            ("#{OPD} - -1", "门急诊人次 - -1"),
            ("C{DAYS}", "报告期天数"),
            ("N{BOR}", "病床使用率"),
            ("R{HOSP.REPORTING_RATE}", "医院月报上报率"),
            ("R{HOSP.REPORTING_RATE_ON_TIME}", "医院月报及时上报率"),
            ("R{HOSP.ACTUAL_REPORTS}", "医院月报实报数"),
            ("R{HOSP.ACTUAL_REPORTS_ON_TIME}", "医院月报按时实报数"),
            ("R{HOSP.EXPECTED_REPORTS}", "医院月报应报数"),
            ("OUG{THC}", "乡镇卫生院机构数"),
            ("1e3 + 0.5", "1000 + 0.5"),  # plain numbers, not 1E+3
            ("#{OPD} % 7 ^ 2", "门急诊人次 取余 7 ^ 2"),
            (
                "#{OPD} >= 1 && #{DIS} != 0 || #{DIS} <= 2 and not true",
                "门急诊人次 ≥ 1 且 出院人次 ≠ 0 或 出院人次 ≤ 2 且 非真",
            ),
            ("#{OPD} == 1 || false", "门急诊人次 = 1 或 假"),
            ("if(isNull(#{OPD}), 0, #{OPD})", "如果（门急诊人次无数据，则 0，否则 门急诊人次）"),
            ("isNotNull(#{OPD} + #{DIS})", "（门急诊人次 + 出院人次）有数据"),
            ("isNull(#{OPD}) * 2", "（门急诊人次无数据） × 2"),
            ("greatest(#{OPD}, #{DIS})", "最大值（门急诊人次，出院人次）"),
            ("least(#{OPD}, 0)", "最小值（门急诊人次，0）"),
            ("firstNonNull(#{OPD}, #{DIS}, 0)", "首个有数据的值（门急诊人次，出院人次，0）"),
        ],
    )
    def test_in_words(self, text, words):
        assert parse(text).describe(NAMES) == words

    @pytest.mark.parametrize(
        ("text", "words"),
        [
            ("#{XYZ}", "【未知数据元 XYZ】"),
            ("#{XYZ.MALE}", "【未知数据元 XYZ.MALE】"),
            ("#{OPD.FEMALE}", "门急诊人次（【未知分类选项 FEMALE】）"),
            ("C{Q}", "【未知常量 Q】"),
            ("N{Q}", "【未知指标 Q】"),
            ("R{Q.REPORTING_RATE}", "【未知报表 Q】上报率"),
            ("OUG{Q}", "【未知机构组 Q】机构数"),
            ("#{OPD} / #{XYZ}", "门急诊人次 ÷ 【未知数据元 XYZ】"),
        ],
    )
    def test_unknown_operands_are_flagged(self, text, words):
        assert parse(text).describe(NAMES) == words

    def test_unknown_items_lists_what_the_ui_should_flag(self):
        expression = parse("#{OPD} + #{XYZ} + #{OPD.FEMALE} + C{DAYS} + OUG{Q} + #{XYZ}")
        assert expression.unknown_items(NAMES) == (
            ElementRef("XYZ"),
            ElementRef("OPD", "FEMALE"),
            GroupCountRef("Q"),
        )

    def test_a_custom_callback_gets_each_operand(self):
        asked = []

        def names(ref):
            asked.append(ref)
            return {ElementRef("A", "M"): "甲（男性）"}.get(ref)

        assert parse("#{A.M} + C{K}").describe(names) == "甲（男性） + 【未知常量 K】"
        assert asked == [ElementRef("A", "M"), ConstantRef("K")]

    def test_describe_ref_for_one_operand(self):
        ref = ReportingRef("HOSP", ReportingMetric.ACTUAL_REPORTS)
        assert describe_ref(ref, NAMES) == "医院月报实报数"
        assert ReportingMetric.ACTUAL_REPORTS.label == "实报数"


class TestToText:
    @pytest.mark.parametrize(
        "text",
        [
            "#{OPD}*100/#{BED_DAYS}",
            "if( isnull(#{A}) , firstNonNull(#{B}, 0), -#{A}^2 )",
            "not (1 > 2) or #{A} and !#{B}",
            "R{F.expected_reports} * OUG{G} + C{K} - N{X}",
            "2^-1 + (2^3)^2 - 2^3^2",
            "1e-7 + .5 + 3.",
            "- - - 2",
            "((#{A} + #{B})) / (#{C})",
            "greatest(least(1, 2), 3) % 2",
        ],
    )
    def test_round_trip(self, text):
        expression = parse(text)
        again = parse(expression.to_text())
        assert again == expression
        assert again.to_text() == expression.to_text()  # normal form is a fixed point
        assert str(expression) == expression.to_text()

    def test_round_trip_keeps_the_value(self):
        values = {ElementRef("A"): 3, ElementRef("B"): 4}
        expression = parse("-#{A}^2 + #{B} % 3 * 2^-1")
        # -(3^2) + (4 % 3) * 2^(-1) = -9 + 1 × 0.5 = -8.5
        assert expression.evaluate(values) == Decimal("-8.5")
        assert parse(expression.to_text()).evaluate(values) == Decimal("-8.5")

    @pytest.mark.parametrize(
        ("tree", "text", "result"),
        [
            # Trees built in code get the parentheses their shape needs.
            (Binary("*", Binary("+", Number(1), Number(2)), Number(3)), "(1 + 2) * 3", 9),
            (Binary("-", Number(1), Binary("-", Number(2), Number(3))), "1 - (2 - 3)", 2),
            (Binary("^", Binary("^", Number(2), Number(3)), Number(2)), "(2 ^ 3) ^ 2", 64),
            (Binary("^", Unary("-", Number(2)), Number(2)), "(-2) ^ 2", 4),
            (Unary("-", Binary("+", Number(1), Number(2))), "-(1 + 2)", -3),
            (Binary("+", Number(Decimal(-1)), Number(2)), "-1 + 2", 1),
            (Call("if", (Number(1), Number(2), Number(3))), "if(1, 2, 3)", 2),
            (Binary("/", Item(ElementRef("A")), Number(2)), "#{A} / 2", 0),
        ],
    )
    def test_trees_built_in_code(self, tree, text, result):
        expression = Expression("", tree)
        assert expression.to_text() == text
        assert expression.evaluate({}, missing="NEVER_SKIP") == result
        assert parse(text).evaluate({}, missing="NEVER_SKIP") == result
