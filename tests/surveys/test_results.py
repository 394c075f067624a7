"""Results per survey and period: counts, 满意度, per-question breakdown, comments, flags."""

from decimal import Decimal

from django.utils import timezone

from tests.surveys.conftest import answers, field
from weijian import periods
from weijian.surveys.actions import create_survey, ensure_builtin_questionnaires, submit_response
from weijian.surveys.queries import flags, results, rules_for


def test_breakdown_and_flags(survey, settings):
    settings.WEIJIAN_SURVEY_RATE_PER_HOUR = 100
    improve, comment = field(survey, "您认为最需要改进"), field(survey, "您的意见")
    for overall, extra in [
        (5, {comment: "护士很耐心"}),
        (4, {improve: "0"}),
        (3, {comment: "停车难"}),
        (2, {}),
        (5, {}),
    ]:
        submit_response(survey, answers(survey, overall, **extra), ip="192.0.2.1")
    year = periods.parse(str(timezone.localdate().year))
    r = results(survey, year)
    # 5 responses, overall 5, 4, 3, 2, 5 → satisfied 3 → 3 / 5 × 100 = 60.0% (< 90: flag)
    assert (r.total, r.satisfied, r.rate) == (5, 3, Decimal("60.0"))
    assert [f.text for f in r.flags] == ["满意度 60.0% 低于 90%：按规定取消该医疗单位年度评先资格"]
    overall = next(q for q in r.questions if q.question.overall)
    assert [(label, n) for label, n, _ in overall.counts] == [
        ("5 非常满意", 2), ("4 满意", 1), ("3 一般", 1), ("2 不满意", 1), ("1 非常不满意", 0)
    ]  # fmt: skip
    assert overall.average == Decimal("3.80")  # (5 + 4 + 3 + 2 + 5) / 5
    assert overall.satisfied_share == Decimal("60.0")
    texts = next(q for q in r.questions if q.question.type == "TEXT")
    assert sorted(t for _, t in texts.comments) == ["停车难", "护士很耐心"]
    multi = next(q for q in r.questions if q.question.type == "MULTI")
    assert multi.answered == 1 and multi.counts[0][:2] == ("就医流程", 1)
    # Another period has nothing.
    assert results(survey, periods.parse(str(year.year - 1))).total == 0


def test_thresholds_follow_the_documents():
    assert flags("INPAT", Decimal("89.9")) and not flags("INPAT", Decimal("90.0"))
    assert flags("OUTPAT", Decimal("79.9")) and not flags("OUTPAT", Decimal("80"))
    assert "约谈" in flags("STAFF", Decimal("75"))[0].text
    assert flags("STAFF", None) == []


def test_staff_survey_publishes_its_own_codes(world, settings):
    settings.WEIJIAN_SURVEY_MIN_SECONDS = 0
    staff = create_survey(world.admin, ensure_builtin_questionnaires()["STAFF"], world.township)
    submit_response(staff, answers(staff, 4), ip="192.0.2.5")
    from weijian.reporting.models import DataValue

    codes = set(DataValue.objects.values_list("element__code", flat=True))
    assert codes == {"SVY_STAFF_RESPONSES", "SVY_STAFF_SATISFIED"}


def test_a_questionnaire_carries_its_own_rule_and_the_results_use_it(survey, settings):
    settings.WEIJIAN_SURVEY_RATE_PER_HOUR = 100
    survey.questionnaire.threshold = Decimal("95")
    survey.questionnaire.consequence = "通报批评"
    survey.questionnaire.save()
    for overall in (5, 5, 5, 5, 5, 5, 5, 5, 5, 3):
        submit_response(survey, answers(survey, overall), ip="192.0.2.1")
    year = periods.parse(str(timezone.localdate().year))
    # 9 of 10 satisfied = 90.0%: meets the built-in 90% floor, breaches this questionnaire's 95%
    r = results(survey, year)
    assert r.rate == Decimal("90.0")
    assert [f.text for f in r.flags] == ["满意度 90.0% 低于 95%：按规定通报批评"]
    # the unit's rule for 住院患者 surveys in the year is this questionnaire's; the kinds it did not
    # survey keep the built-in rules
    rules = rules_for(survey.org_unit, year)
    assert (rules["INPAT"].threshold, rules["INPAT"].consequence) == (Decimal("95"), "通报批评")
    assert rules["STAFF"].threshold == Decimal("80") and "约谈" in rules["STAFF"].consequence
    # a questionnaire without a rule flags nothing
    survey.questionnaire.threshold = None
    survey.questionnaire.save()
    assert results(survey, year).flags == []


def test_built_in_questionnaires_are_created_with_the_districts_rules(db):
    made = ensure_builtin_questionnaires()
    assert {k: (q.threshold, q.consequence) for k, q in made.items()} == {
        "INPAT": (Decimal("90"), "取消该医疗单位年度评先资格"),
        "OUTPAT": (Decimal("80"), "取消该医疗单位年度评先资格"),
        "STAFF": (Decimal("80"), "对该医疗单位领导予以约谈"),
    }
