"""The national indicator library files: they load, they compute what the catalogues define, they
use only the demo's data elements, and a bad file is refused with a Chinese message."""

import re
import subprocess
import sys
from decimal import Decimal

import pytest
import yaml

from weijian.demo import catalogue
from weijian.indicators.expression import (
    ConstantRef,
    ElementRef,
    GroupCountRef,
    IndicatorRef,
    ReportingRef,
    compute_indicator,
)
from weijian.indicators.library import (
    IMPORTANCES,
    OPERATORS,
    TYPE_FACTORS,
    LibraryError,
    element_codes_used,
    element_refs_used,
    library_files,
    read_library,
)


@pytest.fixture(scope="module")
def library():
    return read_library()


def compute(spec, **values):
    """The indicator's value from element values given as CODE=… or CODE__OPTION=…."""
    supplied = {}
    for key, value in values.items():
        code, _, option = key.partition("__")
        supplied[ElementRef(code, option or None)] = Decimal(str(value))
    numerator, denominator = spec.expressions()
    return compute_indicator(numerator, denominator, spec.factor, supplied)


# -- the shipped files ---------------------------------------------------------------------------


def test_every_file_loads_and_is_one_source(library):
    files = library_files()
    assert len(files) >= 8
    assert [source.path for source in library.sources] == files
    assert len({source.code for source in library.sources}) == len(files)


def test_indicator_counts_per_file(library):
    counts = {source.path.name: len(library.by_source(source.code)) for source in library.sources}
    assert counts["hai_2015.yaml"] >= 13
    assert counts["performance_tertiary_2024.yaml"] >= 20
    assert counts["performance_secondary_2019.yaml"] >= 10
    assert counts["nursing_2020.yaml"] >= 7
    assert counts["phs_2017.yaml"] >= 12
    assert counts["mch.yaml"] >= 6
    assert counts["immunization.yaml"] >= 7
    assert counts["reporting.yaml"] == 2 * len(catalogue.FORMS)
    assert len(library.indicators) >= 120


def test_all_13_hai_indicators_are_there(library):
    numbers = set()
    for spec in library.by_source("HAI_2015"):
        numbers.update(int(n) for n in re.findall(r"指标(\d+)", spec.citation))
    assert numbers == set(range(1, 14))


def test_cases_and_episodes_are_both_offered(library):
    # 人数 vs 例次: same denominator, numerators are the case and the episode counts.
    cases, episodes = (
        library.indicator("HAI_INCIDENCE"),
        library.indicator("HAI_INCIDENCE_EPISODES"),
    )
    assert cases.denominator_expression == episodes.denominator_expression
    assert cases.numerator_expression.items() == {ElementRef("HAI_NEW_CASES")}
    assert episodes.numerator_expression.items() == {ElementRef("HAI_NEW_EPISODES")}
    # 3 patients with 4 infections among 200 inpatients.
    values = {"HAI_NEW_CASES": 3, "HAI_NEW_EPISODES": 4, "HAI_INPATIENTS": 200}
    assert compute(cases, **values) == Decimal("1.5")
    assert compute(episodes, **values) == Decimal("2")


def test_codes_are_unique_and_every_indicator_is_documented(library):
    codes = [spec.code for spec in library.indicators]
    assert len(codes) == len(set(codes))
    for spec in library.indicators:
        assert spec.citation and spec.definition, spec.code
        assert spec.numerator_description and spec.denominator_description, spec.code
        if spec.verification == "adapted":
            assert spec.note, f"{spec.code}: an adapted indicator must say how it differs"


def test_every_factor_type_appears(library):
    assert {spec.type for spec in library.indicators} == set(TYPE_FACTORS)


# -- the definitions that are easy to get wrong -----------------------------------------------


def test_ddds_is_ddd_times_100_over_patient_days_never_discharges_times_days(library):
    ddds = [
        spec
        for spec in library.indicators
        if ElementRef("DDD_SUM") in spec.numerator_expression.items()
    ]
    assert {spec.code for spec in ddds} == {"PERF3_DDDS", "PERF2_DDDS"}
    for spec in ddds:
        assert spec.type == "PER_HUNDRED" and spec.factor == 100
        assert spec.numerator_expression.to_text() == "#{DDD_SUM}"
        # One figure, bed days of the discharged patients, not a product of counts.
        assert spec.denominator_expression.to_text() == "#{ABX_PATIENT_DAYS}"
        assert ElementRef("DISCHARGES") not in spec.denominator_expression.items()
        assert spec.target is not None and spec.target.value == 40
        # 1234.5 DDD over 3087 patient-days = 39.99 DDDs per 100 patient-days.
        value = compute(spec, DDD_SUM="1234.5", ABX_PATIENT_DAYS=3087)
        assert round(value, 2) == Decimal("39.99")
        assert spec.target.met_by(value)


def test_permille_and_per_hundred_thousand_factors(library):
    # 2 CLABSI episodes over 1 600 catheter days = 1.25 ‰.
    clabsi = library.indicator("HAI_CLABSI_RATE")
    assert clabsi.factor == 1000 and clabsi.unit == "‰"
    assert compute(clabsi, CLABSI=2, CVC_DAYS=1600) == Decimal("1.25")
    # 1 maternal death among 2 000 live births = 50 per 100 000.
    mmr = library.indicator("MCH_MATERNAL_MORTALITY")
    assert mmr.factor == 100000 and mmr.unit == "/10万"
    assert compute(mmr, MCH_MATERNAL_DEATHS=1, MCH_LIVE_BIRTHS=2000) == Decimal("50")
    # Falls per 1 000 occupied bed days, not per 100 patients.
    falls = library.indicator("NUR_FALL_RATE")
    assert compute(falls, NUR_FALLS=3, NUR_BED_DAYS=6000) == Decimal("0.5")


def test_money_in_wan_yuan_is_converted_to_yuan(library):
    # 12.5 万元 of outpatient income over 500 visits = 250 元 a visit.
    cost = library.indicator("PERF3_OPD_COST_PER_VISIT")
    assert cost.type == "NUMBER" and cost.unit == "元"
    assert compute(cost, FIN_OPD_INCOME="12.5", OPD_VISITS=500) == Decimal("250")
    # 3.2 万元 of energy over 800 万元 of income = 40 元 per 万元 of income.
    energy = library.indicator("PERF3_ENERGY_PER_10K_INCOME")
    assert energy.factor == 10000 and energy.unit == "元"
    assert compute(energy, FIN_ENERGY_EXPENSE="3.2", FIN_TOTAL_INCOME=800) == Decimal("40")


def test_ratio_indicators_and_averages(library):
    alos = library.indicator("PERF2_ALOS")
    assert compute(alos, DIS_BED_DAYS=2100, DISCHARGES=300) == Decimal("7")
    ratio = library.indicator("PERF3_OPD_DISCHARGE_RATIO")
    assert compute(ratio, OPD_VISITS=4500, DISCHARGES=300) == Decimal("15")
    beds = library.indicator("NUR_BED_NURSE_RATIO")
    assert compute(beds, NUR_NURSES=24, NUR_OPEN_BEDS=40) == Decimal("0.6")
    # A count is numerator / 1, and no value when nothing was reported.
    lectures = library.indicator("PHS_HE_LECTURES")
    assert lectures.denominator == "1" and lectures.factor == 1
    assert compute(lectures, HE_LECTURES=3) == Decimal("3")
    assert compute(lectures) is None


def test_zero_or_missing_denominator_gives_no_value(library):
    rate = library.indicator("HAI_INCIDENCE")
    assert compute(rate, HAI_NEW_CASES=0, HAI_INPATIENTS=0) is None
    assert compute(rate, HAI_NEW_CASES=2) is None


def test_medical_service_ratio_uses_the_service_income_indicator(library):
    income = library.indicator("PERF3_MED_SERVICE_INCOME")
    ratio = library.indicator("PERF3_MED_SERVICE_RATIO")
    assert ratio.numerator_expression.items() == {IndicatorRef("PERF3_MED_SERVICE_INCOME")}
    service = compute(
        income,
        FIN_MEDICAL_INCOME=1000,
        FIN_DRUG_INCOME=300,
        FIN_MATERIAL_INCOME=150,
        FIN_EXAM_INCOME=200,
    )
    assert service == Decimal("350")
    values = {IndicatorRef(income.code): service, ElementRef("FIN_MEDICAL_INCOME"): Decimal(1000)}
    assert compute_indicator(*ratio.expressions(), ratio.factor, values) == Decimal("35")


def test_vaccine_coverage_reads_one_option(library):
    hepb = library.indicator("IMM_COVERAGE_HEPB")
    assert hepb.numerator_expression.items() == {ElementRef("IMM_DONE", "VAC_HEPB")}
    assert hepb.denominator_expression.items() == {ElementRef("IMM_DUE", "VAC_HEPB")}
    assert compute(hepb, IMM_DONE__VAC_HEPB=95, IMM_DUE__VAC_HEPB=100) == Decimal("95")


# -- everything refers to what the demo has -------------------------------------------------------


def test_every_element_and_option_exists_in_the_demo_catalogue(library):
    for ref in element_refs_used(library):
        element = catalogue.ELEMENTS_BY_CODE.get(ref.code)
        assert element is not None, f"unknown data element {ref.code}"
        if ref.option_code is not None:
            assert element.category is not None, f"{ref.code} has no options"
            options = {o.code for o in catalogue.CATEGORIES_BY_CODE[element.category].options}
            assert ref.option_code in options, f"{ref.code}.{ref.option_code}"


def test_every_demo_element_is_used(library):
    assert element_codes_used(library) == set(catalogue.ELEMENTS_BY_CODE)


def test_other_operands_exist(library):
    for spec in library.indicators:
        for expression in spec.expressions():
            for ref in expression.items():
                if isinstance(ref, ReportingRef):
                    assert ref.form_code in catalogue.FORMS_BY_CODE, spec.code
                # Nothing defines constants or org-unit groups for the library (yet).
                assert not isinstance(ref, ConstantRef | GroupCountRef), spec.code
    reporting = [spec for spec in library.indicators if spec.code.startswith("RPT_")]
    assert {spec.numerator_expression.ordered_items()[0].form_code for spec in reporting} == set(
        catalogue.FORMS_BY_CODE
    )


# -- validation rules --------------------------------------------------------------------------


def test_validation_rules_are_well_formed(library):
    rules = library.validation_rules
    assert len(rules) >= len(catalogue.CHECKS)
    assert len({rule.code for rule in rules}) == len(rules)
    for rule in rules:
        assert rule.operator in OPERATORS
        assert rule.importance in IMPORTANCES
        assert rule.name and rule.description


def test_every_demo_check_has_its_rule(library):
    operators = {"<=": "less_than_or_equal_to", "==": "equal_to"}
    rules = {
        (rule.left_expression.items(), rule.operator, rule.right_expression.items())
        for rule in library.validation_rules
    }
    for check in catalogue.CHECKS:
        if check.per_option:
            category = catalogue.ELEMENTS_BY_CODE[check.left[0]].category
            options = [o.code for o in catalogue.CATEGORIES_BY_CODE[category].options]
        else:
            options = [None]
        for option in options:
            left = frozenset(ElementRef(code, option) for code in check.left)
            right = frozenset(ElementRef(code, option) for code in check.right)
            assert (left, operators[check.op], right) in rules, check.message


def test_cross_form_rules_do_not_block_submission(library):
    form_of = {code: f.code for f in catalogue.FORMS for code in f.element_codes}
    for rule in library.validation_rules:
        refs = rule.left_expression.items() | rule.right_expression.items()
        forms = {form_of[ref.code] for ref in refs}
        if len(forms) > 1:
            assert rule.importance != "HIGH", rule.code


# -- the reader stays Django-free ---------------------------------------------------------------


def test_reading_the_library_does_not_import_django():
    code = (
        "import sys; from weijian.indicators.library import read_library; read_library(); "
        "print('django' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


# -- bad files -----------------------------------------------------------------------------------


def indicator(**overrides):
    entry = {
        "code": "T_RATE",
        "name": "测试率",
        "group": "测试",
        "numerator": "#{A}",
        "numerator_description": "甲",
        "denominator": "#{B}",
        "denominator_description": "乙",
        "type": "PERCENT",
        "decimals": 2,
        "unit": "%",
        "direction": "LOWER_BETTER",
        "data_source": "医院填报",
        "national_monitoring": False,
        "definition": "甲 / 乙 × 100%",
        "citation": "测试文件",
        "verification": "unverified",
        "note": "",
        "valid_from": None,
        "valid_to": None,
    }
    entry.update(overrides)
    return {key: value for key, value in entry.items() if value != "<drop>"}


def write(tmp_path, name="test_lib.yaml", indicators=(), rules=(), source=None, **top):
    data = {
        "source": source or {"code": "T_SRC", "title": "测试来源", "issuer": "测试机关"},
        "indicators": list(indicators),
        "validation_rules": list(rules),
        **top,
    }
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def refused(*paths):
    with pytest.raises(LibraryError) as caught:
        read_library(paths)
    return caught.value


def test_a_good_minimal_file_reads(tmp_path):
    path = write(tmp_path, indicators=[indicator(denominator=1, type="NUMBER", unit="")])
    library = read_library([path])
    spec = library.indicator("T_RATE")
    assert spec.denominator == "1" and spec.factor == 1
    assert spec.source.code == "T_SRC" and spec.source.path == path
    assert element_codes_used(library) == {"A"}


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"numerator": "#{A} +"}, "分子（numerator）表达式有误"),
        ({"denominator": "#{B"}, "分母（denominator）表达式有误"),
        ({"type": "PER_MILLE"}, "type 应为 NUMBER、PERCENT"),
        ({"direction": "UP"}, "direction 应为"),
        ({"verification": "checked"}, "verification 应为 verified、unverified、adapted"),
        ({"decimals": 7}, "decimals 应为 0–6 的整数"),
        ({"decimals": "2"}, "decimals 应为 0–6 的整数"),
        ({"national_monitoring": "yes"}, "national_monitoring 应为 true 或 false"),
        ({"citation": "<drop>"}, "缺少必填项：citation"),
        ({"factor": 100}, "未知的键：factor"),
        ({"valid_from": "2020-13-01"}, "valid_from 应为日期"),
        ({"valid_from": "2021-01-01", "valid_to": "2020-01-01"}, "早于开始日"),
        ({"target": {"value": 40, "comparator": "<>"}}, "target.comparator"),
        ({"target": {"value": "abc", "comparator": "<"}}, "target.value 应为数值"),
        ({"numerator": "N{NOWHERE}"}, "引用了不存在的指标“N{NOWHERE}”"),
        ({"numerator": "N{T_RATE}"}, "指标引用形成循环：T_RATE → T_RATE"),
    ],
)
def test_a_bad_indicator_is_refused_naming_file_and_code(tmp_path, overrides, reason):
    error = refused(write(tmp_path, indicators=[indicator(**overrides)]))
    assert reason in str(error)
    assert str(error).startswith("指标库文件 test_lib.yaml（T_RATE）：")
    assert error.code == "T_RATE" and error.path.name == "test_lib.yaml"


def test_a_bad_code_is_refused(tmp_path):
    error = refused(write(tmp_path, indicators=[indicator(code="院感率")]))
    assert "指标编码“院感率”不合规" in str(error)


def test_a_code_used_in_two_files_is_refused(tmp_path):
    first = write(tmp_path, "a.yaml", indicators=[indicator()])
    second = write(
        tmp_path,
        "b.yaml",
        indicators=[indicator()],
        source={"code": "T_SRC2", "title": "另一来源", "issuer": "测试机关"},
    )
    error = refused(first, second)
    assert str(error) == "指标库文件 b.yaml（T_RATE）：指标编码“T_RATE”重复：已在文件 a.yaml中定义"


def test_a_cycle_across_indicators_is_refused(tmp_path):
    path = write(
        tmp_path,
        indicators=[
            indicator(code="T_A", numerator="N{T_B}"),
            indicator(code="T_B", denominator="N{T_A}"),
        ],
    )
    assert "指标引用形成循环：T_A → T_B → T_A" in str(refused(path))


def test_yaml_syntax_errors_and_repeated_keys_are_refused(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("source:\n  code: X\n  title: [unclosed\n", encoding="utf-8")
    error = refused(broken)
    assert str(error).startswith("指标库文件 broken.yaml：YAML 格式错误：")
    repeated = tmp_path / "repeated.yaml"
    repeated.write_text(
        "source:\n  code: X\n  title: 甲\n  title: 乙\n  issuer: 丙\n", encoding="utf-8"
    )
    assert "键“title”重复" in str(refused(repeated))


def test_top_level_and_source_are_checked(tmp_path):
    assert "未知的顶层键：indicator" in str(refused(write(tmp_path, indicator=[])))
    no_issuer = write(tmp_path, source={"code": "T_SRC", "title": "测试来源"})
    assert "缺少必填项：issuer" in str(refused(no_issuer))


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"operator": "<="}, "operator 应为 equal_to"),
        ({"importance": "CRITICAL"}, "importance 应为 HIGH、MEDIUM、LOW"),
        ({"missing_value_strategy": "SKIP"}, "missing_value_strategy 应为 NEVER_SKIP"),
        ({"left": "N{T_RATE}"}, "左侧不能引用指标"),
        ({"right": "#{B} *"}, "右侧（right）表达式有误"),
    ],
)
def test_a_bad_rule_is_refused_naming_file_and_code(tmp_path, overrides, reason):
    rule = {
        "code": "VR_T",
        "name": "甲不大于乙",
        "left": "#{A}",
        "operator": "less_than_or_equal_to",
        "right": "#{B}",
        "importance": "HIGH",
        "missing_value_strategy": "SKIP_IF_ANY_VALUE_MISSING",
        "description": "",
        **overrides,
    }
    error = refused(write(tmp_path, indicators=[indicator()], rules=[rule]))
    assert str(error).startswith("指标库文件 test_lib.yaml（VR_T）：")
    assert reason in str(error)
