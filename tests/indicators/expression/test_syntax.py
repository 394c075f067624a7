"""Grammar: what parses (and how it is normalised), what is refused (where and why)."""

import re
import subprocess
import sys
from decimal import Decimal

import pytest

from weijian.indicators.expression import (
    ConstantRef,
    ElementRef,
    ExpressionError,
    GroupCountRef,
    IndicatorRef,
    ReportingMetric,
    ReportingRef,
    parse,
)
from weijian.indicators.expression.nodes import Binary, Call, Group, Item, Number, Unary


def n(value) -> Number:
    return Number(Decimal(value))


# (text as written, canonical to_text())
ACCEPTED = [
    ("#{OPD}", "#{OPD}"),
    ("#{OPD.MALE}", "#{OPD.MALE}"),
    ("#{ OPD . MALE }", "#{OPD.MALE}"),
    ("#{A-B_1.C-2}", "#{A-B_1.C-2}"),
    ("#{P3jJH5Tu5VC.S34ULMcHMca}", "#{P3jJH5Tu5VC.S34ULMcHMca}"),  # DHIS2 UIDs are codes too
    ("C{DAYS}", "C{DAYS}"),
    ("N{BED_USE}", "N{BED_USE}"),
    ("R{MONTHLY.REPORTING_RATE}", "R{MONTHLY.REPORTING_RATE}"),
    ("R{MONTHLY.reporting_rate_on_time}", "R{MONTHLY.REPORTING_RATE_ON_TIME}"),
    ("R{F.ACTUAL_REPORTS} / R{F.EXPECTED_REPORTS}", "R{F.ACTUAL_REPORTS} / R{F.EXPECTED_REPORTS}"),
    ("R{F.ACTUAL_REPORTS_ON_TIME}", "R{F.ACTUAL_REPORTS_ON_TIME}"),
    ("OUG{THC}", "OUG{THC}"),
    ("42", "42"),
    ("3.25", "3.25"),
    (".5", "0.5"),
    ("1.", "1"),
    ("1e3", "1E+3"),
    ("2.5E-2", "0.025"),
    ("-#{A}", "-#{A}"),
    ("+#{A}", "+#{A}"),
    ("- -2", "- -2"),
    ("--2", "- -2"),
    ("1+2*3", "1 + 2 * 3"),
    ("(1+2)*3", "(1 + 2) * 3"),
    ("((1))", "((1))"),
    ("2^3^2", "2 ^ 3 ^ 2"),
    ("(2^3)^2", "(2 ^ 3) ^ 2"),
    ("2^-1", "2 ^ -1"),
    ("7 % 3", "7 % 3"),
    ("1<2", "1 < 2"),
    ("1<=2", "1 <= 2"),
    ("1>2", "1 > 2"),
    ("1>=2", "1 >= 2"),
    ("1==2", "1 == 2"),
    ("1!=2", "1 != 2"),
    ("1 and 0 or not 1", "1 && 0 || !1"),
    ("1 AND 0 OR NOT 1", "1 && 0 || !1"),
    ("1&&0||!1", "1 && 0 || !1"),
    ("true || FALSE", "true || false"),
    ("if(#{A} > 0, #{A}, 0)", "if(#{A} > 0, #{A}, 0)"),
    ("IF(1,2,3)", "if(1, 2, 3)"),
    ("isnull(#{A})", "isNull(#{A})"),
    ("ISNOTNULL(#{A})", "isNotNull(#{A})"),
    ("greatest(1)", "greatest(1)"),
    ("Greatest(#{A}, #{B}, 3)", "greatest(#{A}, #{B}, 3)"),
    ("least(#{A},#{B})", "least(#{A}, #{B})"),
    ("firstnonnull(#{A}, 0)", "firstNonNull(#{A}, 0)"),
    ("#{orders} + #{not} + #{if}", "#{orders} + #{not} + #{if}"),  # keywords are codes here
    ("1 +\n\t2 *\u30003", "1 + 2 * 3"),  # newline, tab, ideographic space are all whitespace
    (
        "( 2 * #{P3jJH5Tu5VC.S34ULMcHMca} ) / ( #{FQ2o8UBlcrS.S34ULMcHMca} - 200 ) * 25",
        "(2 * #{P3jJH5Tu5VC.S34ULMcHMca}) / (#{FQ2o8UBlcrS.S34ULMcHMca} - 200) * 25",
    ),
    (
        "#{P3jJH5Tu5VC.S34ULMcHMca} + C{Gfd3ppDfq8E} + OUG{CXw2yu5fodb}",
        "#{P3jJH5Tu5VC.S34ULMcHMca} + C{Gfd3ppDfq8E} + OUG{CXw2yu5fodb}",
    ),
]


@pytest.mark.parametrize(("text", "canonical"), ACCEPTED)
def test_accepted_and_normalised(text, canonical):
    expression = parse(text)
    assert expression.to_text() == canonical
    assert expression.text == text
    # Round trip: the canonical text is the same tree.
    assert parse(canonical) == expression


def test_references_become_typed_operands():
    expression = parse(
        "#{OPD} + #{OPD.MALE} + C{K} + N{X} + R{F.REPORTING_RATE_ON_TIME} + OUG{THC}"
    )
    assert expression.ordered_items() == (
        ElementRef("OPD"),
        ElementRef("OPD", "MALE"),
        ConstantRef("K"),
        IndicatorRef("X"),
        ReportingRef("F", ReportingMetric.REPORTING_RATE_ON_TIME),
        GroupCountRef("THC"),
    )


def test_tree_shape_follows_precedence_and_associativity():
    # 2-3-4 is (2-3)-4: left-associative.
    assert parse("2-3-4").root == Binary("-", Binary("-", n(2), n(3)), n(4))
    # 2^3^2 is 2^(3^2): right-associative.
    assert parse("2^3^2").root == Binary("^", n(2), Binary("^", n(3), n(2)))
    # -2^2 is -(2^2): power binds tighter than unary minus (DHIS2, Python).
    assert parse("-2^2").root == Unary("-", Binary("^", n(2), n(2)))
    # a*b+c: * binds tighter than +.
    tree = parse("#{A}*#{B}+1").root
    assert tree == Binary("+", Binary("*", Item(ElementRef("A")), Item(ElementRef("B"))), n(1))
    # !a > b is (!a) > b: DHIS2 puts the prefix operators above the comparisons.
    assert parse("!#{A} > 1").root == Binary(">", Unary("!", Item(ElementRef("A"))), n(1))
    # && binds tighter than ||.
    assert parse("1 || 0 && 0").root == Binary("||", n(1), Binary("&&", n(0), n(0)))
    # Parentheses are kept as a node, so describe() can show them as written.
    assert parse("(1)").root == Group(n(1))
    assert parse("iF(1, 2, 3)").root == Call("if", (n(1), n(2), n(3)))


def test_equality_ignores_spacing_and_spelling_but_not_parentheses():
    assert parse("#{A}+1") == parse("  #{A} +  1 ")
    assert parse("1 and not 0") == parse("1 && !0")
    assert parse("ISNULL(#{A})") == parse("isNull(#{A})")
    assert hash(parse("#{A}+1")) == hash(parse("#{A} + 1"))
    assert parse("(1)") != parse("1")
    assert parse("#{A}") != parse("#{a}")  # codes are case-sensitive


def test_numbers_are_exact_decimals():
    assert parse("0.1").root == n("0.1")
    assert parse("1e3").root.value == Decimal(1000)


def test_positions_are_recorded_on_operands():
    item = parse("1 + #{OPD}").root.right
    assert (item.start, item.end) == (4, 10)


# (text, 1-based column, fragment of the reason)
REJECTED = [
    ("", None, "空表达式"),
    ("   \n ", None, "空表达式"),
    ("(#{OPD} + 1", 12, "缺少右括号“)”（第 1 个字符处的“(”没有配对）"),
    ("((1+2)", 7, "第 1 个字符处的“(”没有配对"),
    ("if(1, 2, 3", 11, "缺少右括号“)”"),
    ("1)", 2, "多余的右括号“)”"),
    (")", 1, "多余的右括号“)”"),
    ("()", 2, "括号“()”内缺少内容"),
    ("(", 2, "“(”后缺少内容和右括号“)”"),
    ("1 *", 4, "运算符“*”后缺少数值"),
    ("1 + * 2", 5, "运算符“+”后缺少数值"),
    ("(1 + )", 6, "运算符“+”后缺少数值"),
    ("1 ** 2", 4, "乘方请用“^”"),
    ("1 < > 2", 5, "运算符“<”后缺少数值"),
    ("*2", 1, "表达式不能以运算符“*”开头"),
    ("(/2)", 2, "“(”后缺少数值"),
    ("1 2", 3, "缺少运算符：“1”与“2”之间"),
    ("#{A}#{B}", 5, "缺少运算符：“#{A}”与“#{B}”之间"),
    ("2(3)", 2, "乘号请写成“*”"),
    ("1.2.3", 4, "缺少运算符"),
    ("1 ! 2", 3, "“不等于”请写成“!=”"),
    (",1", 1, "表达式不能以“,”开头"),
    ("(1, 2)", 3, "逗号“,”只能用来分隔函数的参数"),
    ("if(1,,2)", 6, "“,”前缺少参数"),
    ("if(1,2,)", 8, "“,”后缺少参数"),
    ("greatest(1,", 12, "“,”后缺少参数"),
    ("#{}", 3, "“#{”后应为数据元编码"),
    ("#{ }", 4, "“#{”后应为数据元编码"),
    ("#{.MALE}", 3, "“#{”后应为数据元编码"),
    ("#{OPD.}", 7, "“.”后应为分类选项编码"),
    ("#{A.B.C}", 6, "数据元引用中最多有一个“.”"),
    ("#{A B}", 4, "编码中间不能有空格"),
    ("#{OPD*}", 6, "编码中不能有“*”"),
    ("#{A} + #{B.门}", 12, "请填写编码，不要填写名称"),
    ("#{OPD", 1, "“#{”缺少右花括号“}”"),
    ("#{A{B}}", 4, "“#{…}”中不能再有“{”"),
    ("C{X", 1, "“C{”缺少右花括号“}”"),
    ("OUG{G + 1", 1, "“OUG{”缺少右花括号“}”"),
    ("#A", 1, "“#”后应为“{”"),
    ("#{A}}", 5, "多余的右花括号“}”"),
    ("{1}", 1, "多余的左花括号“{”"),
    ("C{}", 3, "“C{”后应为常量编码"),
    ("C{A.B}", 4, "常量编码中不能有“.”"),
    ("N{ }", 4, "“N{”后应为指标编码"),
    ("OUG{}", 5, "“OUG{”后应为机构组编码"),
    ("R{}", 3, "“R{”后应为报表编码"),
    ("R{F}", 4, "缺少上报指标：应写成 R{F.REPORTING_RATE}"),
    ("R{F.}", 5, "“.”后应为上报指标"),
    ("R{F.FOO}", 5, "未知的上报指标“FOO”"),
    ("R{F.REPORTING_RATE.X}", 19, "报表引用中只能有一个“.”"),
    ("c{X}", 1, "引用前缀要大写：请把“c{”写成“C{”"),
    ("oug{X}", 1, "写成“OUG{”"),
    ("D{P.X}", 1, "不支持的引用“D{…}”"),
    (
        "sum(#{A}, #{B})",
        1,
        "未知函数“sum”（可用：if、isNull、isNotNull、greatest、least、firstNonNull）",
    ),
    ("1 + log(2)", 5, "未知函数“log”"),
    ("if(1, 2)", 1, "if 需要 3 个参数，实际 2 个"),
    ("if(1, 2, 3, 4)", 1, "if 需要 3 个参数，实际 4 个"),
    ("isNull()", 1, "isNull 需要 1 个参数，实际 0 个"),
    ("isNotNull(1, 2)", 1, "isNotNull 需要 1 个参数，实际 2 个"),
    ("greatest()", 1, "greatest 至少需要 1 个参数，实际 0 个"),
    ("least()", 1, "least 至少需要 1 个参数"),
    ("firstNonNull()", 1, "firstNonNull 至少需要 1 个参数"),
    ("if 1", 1, "函数 if 后应为“(”"),
    ("OPD + 1", 1, "无法识别的“OPD”：数据元请写成 #{OPD}"),
    ("1 + OPD 2", 5, "无法识别的“OPD”"),
    ("C + 1", 1, "“C”后应为“{”"),
    ("orders(1)", 1, "未知函数“orders”"),  # `or` is a keyword only as a whole word
    ("1 + notable", 5, "无法识别的“notable”"),
    ("and 1", 1, "“and”前缺少数值"),
    ("门急诊人次 / 2", 1, "无法识别的“门急诊人次”：引用请写编码，不要写名称"),
    ("1 （2", 3, "请用半角符号“(”，不要用“（”"),
    ("(1）", 3, "请用半角符号“)”"),
    ("if(1，2, 3)", 5, "请用半角符号“,”"),
    ("#{A} × 2", 6, "请用半角符号“*”，不要用“×”"),
    ("#{A} ÷ 2", 6, "请用半角符号“/”"),
    ("#{A} ≥ 2", 6, "请用半角符号“>=”"),
    ("＃{A}", 1, "请用半角符号“#”"),
    ("#{A} = 1", 6, "判断相等请写成“==”"),
    ("1 & 2", 3, "“并且”请写成“&&”或 and"),
    ("1 | 2", 3, "“或者”请写成“||”或 or"),
    ("“1”", 1, "表达式中不能有文字"),
    ("1 @ 2", 3, "无法识别的字符“@”"),
    ("+".join(["1"] * 201), 1, "表达式嵌套过深（超过 200 层）"),
    ("(" * 201 + "1" + ")" * 201, 201, "表达式嵌套过深"),
    ("1" * 5001, None, "表达式过长（5001 个字符，最多 5000 个）"),
    ("2^99999999", 1, "“2^99999999”的结果超出数值范围（绝对值须小于 10^25）"),
    ("#{A} * (10 ^ 30)", 9, "“10 ^ 30”的结果超出数值范围"),
    ("#{A} ^ 1001", 1, "指数“1001”过大（绝对值最多为 1000）"),
    ("#{A} ^ -5000", 1, "指数“-5000”过大"),
    ("1" * 26, 1, "超出范围（绝对值须小于 10^25）"),
]


@pytest.mark.parametrize(("text", "column", "reason"), REJECTED)
def test_rejected_with_where_and_why(text, column, reason):
    with pytest.raises(ExpressionError) as caught:
        parse(text)
    error = caught.value
    assert reason in error.reason
    assert error.column == column
    if column is None:
        assert error.message == error.reason
    else:
        assert error.headline == f"第 {column} 个字符处：{error.reason}"
        assert error.message.startswith(error.headline + "\n")
    assert str(error) == error.message


@pytest.mark.parametrize(("text", "column", "reason"), REJECTED)
def test_messages_never_leak_lark_english(text, column, reason):
    with pytest.raises(ExpressionError) as caught:
        parse(text)
    # Only codes and operators may be ASCII words; lark's vocabulary must not appear.
    assert not re.search(r"Unexpected|Expected|token|Token|line \d|col", caught.value.message)


def test_caret_points_at_the_fragment():
    with pytest.raises(ExpressionError) as caught:
        parse("(#{OPD} + 1")
    assert caught.value.excerpt == "  (#{OPD} + 1\n             ^"


def test_caret_spans_the_offending_word():
    with pytest.raises(ExpressionError) as caught:
        parse("sum(1)")
    assert caught.value.excerpt == "  sum(1)\n  ^^^"


def test_caret_counts_chinese_characters_as_two_columns():
    # "1 + " is 4 cells; 门诊 is 2 wide characters, 4 cells: caret indented 2 + 4 = 6.
    with pytest.raises(ExpressionError) as caught:
        parse("1 + 门诊")
    assert caught.value.excerpt == "  1 + 门诊\n      ^^^^"


def test_long_expressions_show_a_window_around_the_error():
    text = "#{A} + " * 20 + "#{B} * * 2"
    with pytest.raises(ExpressionError) as caught:
        parse(text)
    error = caught.value
    assert error.column == text.index("* 2") + 1
    shown, caret = error.excerpt.split("\n")
    assert shown.startswith("  …") and len(shown) < 80
    # The caret sits under the second "*".
    assert shown[caret.index("^")] == "*"


def test_newlines_in_the_text_keep_the_caret_aligned():
    with pytest.raises(ExpressionError) as caught:
        parse("#{A} +\n#{B} +")
    error = caught.value
    assert error.column == 14
    assert error.excerpt == "  #{A} + #{B} +\n               ^"


def test_non_text_input_is_a_programming_error():
    with pytest.raises(TypeError):
        parse(None)


def test_the_module_imports_no_django():
    # Layer 1: importable and usable without Django settings.
    code = (
        "import sys; import weijian.indicators.expression as e; "
        "e.parse('#{A} / #{B}').evaluate({}); "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'django' "
        "or (m.startswith('weijian.') and not m.startswith('weijian.indicators'))); "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
