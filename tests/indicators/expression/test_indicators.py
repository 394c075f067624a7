"""compute_indicator: numerator × factor ÷ denominator with the DHIS2 indicator rule, and
hand-computed national indicators (the DDDs trap, ‰ and /10万 factors)."""

from decimal import Decimal

from weijian.indicators.expression import (
    ConstantRef,
    ElementRef,
    MissingValueStrategy,
    compute_indicator,
    parse,
)

A, B, C = ElementRef("A"), ElementRef("B"), ElementRef("C")
SIX = Decimal("0.000001")


def indicator(numerator, denominator, factor, values, **kwargs):
    return compute_indicator(parse(numerator), parse(denominator), factor, values, **kwargs)


class TestRule:
    def test_both_sides_present(self):
        # 45 × 100 ÷ 300 = 4500 ÷ 300 = 15 (%)
        assert indicator("#{A}", "#{B}", 100, {A: 45, B: 300}) == 15

    def test_a_side_has_a_value_when_any_of_its_items_has(self):
        # Numerator A + C with C not reported: (45 + 0) × 100 ÷ 300 = 15.
        assert indicator("#{A} + #{C}", "#{B}", 100, {A: 45, B: 300}) == 15

    def test_no_numerator_means_no_value(self):
        assert indicator("#{A}", "#{B}", 100, {B: 300}) is None
        assert indicator("#{A} + #{C}", "#{B}", 100, {B: 300}) is None

    def test_no_denominator_means_no_value(self):
        assert indicator("#{A}", "#{B}", 100, {A: 45}) is None

    def test_zero_denominator_means_no_value(self):
        assert indicator("#{A}", "#{B}", 100, {A: 45, B: 0}) is None
        assert indicator("#{A}", "#{B} - #{C}", 100, {A: 45, B: 5, C: 5}) is None

    def test_a_reported_zero_numerator_is_zero(self):
        # 0 infections in 300 patients is a rate of 0, not "no data".
        assert indicator("#{A}", "#{B}", 100, {A: 0, B: 300}) == 0

    def test_factor_as_int_or_decimal(self):
        values = {A: 1, B: 8}
        assert indicator("#{A}", "#{B}", 1, values) == Decimal("0.125")  # 1 ÷ 8
        assert indicator("#{A}", "#{B}", Decimal("1000"), values) == 125  # 1000 ÷ 8

    def test_no_rounding(self):
        # 1 × 100 ÷ 3 = 33.333…: all 34 significant digits; rounding is the caller's job.
        assert indicator("#{A}", "#{B}", 100, {A: 1, B: 3}) == Decimal("33." + "3" * 32)

    def test_the_strategy_can_be_chosen(self):
        values = {A: 45, B: 300}  # C not reported
        strategy = MissingValueStrategy.SKIP_IF_ANY_VALUE_MISSING
        assert indicator("#{A} + #{C}", "#{B}", 100, values, missing=strategy) is None
        never = MissingValueStrategy.NEVER_SKIP
        assert indicator("#{C}", "#{B}", 100, values, missing=never) == 0

    def test_constants_in_a_denominator(self):
        # Beds per 1000 population: 850 beds × 1000 ÷ 250000 = 850000 ÷ 250000 = 3.4
        k = ConstantRef("POP")
        assert indicator("#{A}", "C{POP}", 1000, {A: 850, k: 250000}) == Decimal("3.4")


class TestWorkedExamples:
    def test_ddds_from_pooled_operands(self):
        # 抗菌药物使用强度 (DDDs) = ΣDDD × 100 ÷ 同期收治患者人天数 (bed-days), per 100 bed-days.
        # Quarter totals: ΣDDD = 1234.5, bed-days = 3087.
        #   1234.5 × 100 = 123450;  3087 × 40 = 123480, so 123450 ÷ 3087 = 40 − 30 ÷ 3087;
        #   30 ÷ 3087 = 0.0097181730…, hence 39.9902818270…
        values = {ElementRef("DDD_SUM"): Decimal("1234.5"), ElementRef("BED_DAYS"): 3087}
        result = indicator("#{DDD_SUM}", "#{BED_DAYS}", 100, values)
        assert result.quantize(Decimal("1E-10")) == Decimal("39.9902818270")
        assert result.quantize(SIX) == Decimal("39.990282")
        # The same written as one expression.
        one = parse("#{DDD_SUM} * 100 / #{BED_DAYS}").evaluate(values)
        assert one.quantize(Decimal("1E-10")) == Decimal("39.9902818270")

    def test_ddds_trap_averaging_monthly_rates_is_wrong(self):
        # Month 1: 600 DDD over 1000 bed-days → 600 × 100 ÷ 1000 = 60.
        # Month 2: 634.5 DDD over 2087 bed-days → 63450 ÷ 2087 = 30.4024…
        # Mean of the two rates: (60 + 30.4024…) ÷ 2 = 45.2012… — the Excel trap.
        # The quarter rate pools the operands first: (600 + 634.5) × 100 ÷ (1000 + 2087)
        # = 123450 ÷ 3087 = 39.9903, which is what the engine must compute.
        month1 = indicator("#{D}", "#{BD}", 100, {ElementRef("D"): 600, ElementRef("BD"): 1000})
        month2 = indicator(
            "#{D}", "#{BD}", 100, {ElementRef("D"): Decimal("634.5"), ElementRef("BD"): 2087}
        )
        assert month1 == 60
        assert month2.quantize(Decimal("0.0001")) == Decimal("30.4025")  # 30.402491…
        pooled = indicator(
            "#{D}", "#{BD}", 100, {ElementRef("D"): Decimal("1234.5"), ElementRef("BD"): 3087}
        )
        assert pooled.quantize(Decimal("0.01")) == Decimal("39.99")
        assert ((month1 + month2) / 2).quantize(Decimal("0.01")) == Decimal("45.20")

    def test_vap_per_1000_ventilator_days(self):
        # 呼吸机相关肺炎发病率 (‰) = VAP cases × 1000 ÷ ventilator days.
        # 3 cases in 1250 ventilator days: 3000 ÷ 1250 = 2.4 ‰ (exactly).
        values = {ElementRef("VAP"): 3, ElementRef("VENT_DAYS"): 1250}
        assert indicator("#{VAP}", "#{VENT_DAYS}", 1000, values) == Decimal("2.4")

    def test_maternal_mortality_per_100000_live_births(self):
        # 孕产妇死亡率 (/10万) = maternal deaths × 100000 ÷ live births.
        # 2 deaths, 8000 live births: 200000 ÷ 8000 = 25 per 100 000 (exactly).
        values = {ElementRef("MAT_DEATH"): 2, ElementRef("LIVE_BIRTH"): 8000}
        assert indicator("#{MAT_DEATH}", "#{LIVE_BIRTH}", 100000, values) == 25
        # A county with no live births reported this month: no value, not 0 or infinity.
        assert indicator("#{MAT_DEATH}", "#{LIVE_BIRTH}", 100000, {}) is None

    def test_rate_by_patients_and_by_episodes_differ(self):
        # 医院感染发病率 (by patients) vs 例次发病率 (by episodes), same denominator:
        # 12 patients had 15 infection episodes among 2400 discharges.
        #   12 × 100 ÷ 2400 = 0.5 %;   15 × 100 ÷ 2400 = 0.625 %
        values = {ElementRef("HAI_PAT"): 12, ElementRef("HAI_EPI"): 15, ElementRef("DIS"): 2400}
        assert indicator("#{HAI_PAT}", "#{DIS}", 100, values) == Decimal("0.5")
        assert indicator("#{HAI_EPI}", "#{DIS}", 100, values) == Decimal("0.625")

    def test_bed_occupancy_with_a_constant(self):
        # 病床使用率 = occupied bed-days × 100 ÷ (open beds × days in period).
        # 2790 bed-days, 100 beds, C{DAYS} = 31: 279000 ÷ 3100 = 90 %.
        values = {ElementRef("OCC"): 2790, ElementRef("BEDS"): 100, ConstantRef("DAYS"): 31}
        assert indicator("#{OCC}", "#{BEDS} * C{DAYS}", 100, values) == 90

    def test_disaggregated_numerator(self):
        # Male share of outpatient visits: 45 × 100 ÷ 120 = 37.5 %.
        values = {ElementRef("OPD", "MALE"): 45, ElementRef("OPD"): 120}
        assert indicator("#{OPD.MALE}", "#{OPD}", 100, values) == Decimal("37.5")
