"""Answers from the public link: validation, spam defences, closed surveys, publishing."""

import datetime as dt
import time
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.surveys.conftest import answers, field
from weijian import periods
from weijian.indicators.analytics import analyse
from weijian.reporting.models import DataValue
from weijian.surveys.actions import (
    Discarded,
    SurveyError,
    start_stamp,
    submit_response,
    update_survey,
)
from weijian.surveys.models import Response

IP = "203.0.113.7"


def month_now() -> str:
    return f"{timezone.localtime():%Y%m}"


def test_answers_are_saved_and_published_for_the_unit_and_month(survey, world):
    submit_response(survey, answers(survey, overall=5), ip=IP)
    submit_response(survey, answers(survey, overall=4), ip=IP)
    submit_response(survey, answers(survey, overall=3), ip="198.51.100.1")
    month = month_now()
    # 3 responses; satisfied are those whose overall answer is 4 or 5: 2 → 2 / 3 × 100 = 66.7%
    result = analyse(
        ["SVY_INPAT_RESPONSES", "SVY_INPAT_SATISFIED", "SVY_INPAT_RATE"],
        [periods.parse(month)],
        [world.hospital, world.bureau],
    )
    assert result.value("SVY_INPAT_RESPONSES", month, "HOS") == Decimal(3)
    assert result.value("SVY_INPAT_SATISFIED", month, "HOS") == Decimal(2)
    assert result.rounded("SVY_INPAT_RATE", month, "BUR") == Decimal("66.7")
    assert list(Response.objects.values_list("satisfied", flat=True).order_by("id")) == [
        True,
        True,
        False,
    ]


def test_publishing_one_answer_takes_a_bounded_number_of_queries(
    survey, django_assert_max_num_queries
):
    for _ in range(2):
        submit_response(survey, answers(survey), ip=f"192.0.2.{_}")
    with django_assert_max_num_queries(20):
        submit_response(survey, answers(survey), ip=IP)


def test_missing_and_out_of_range_answers_save_nothing(survey):
    overall = field(survey, "总体来说")
    bad = answers(survey)
    del bad[overall]
    bad[field(survey, "您对入院手续")] = "6"
    bad[field(survey, "住院费用清单")] = "9"
    bad[field(survey, "您认为最需要改进")] = ["0", "0"]
    bad[field(survey, "您的意见")] = "太长" * 300
    with pytest.raises(SurveyError) as refused:
        submit_response(survey, _multi(bad), ip=IP)
    problems = refused.value.problems
    assert problems[overall] == "第 8 题为必答题，请作答"
    assert "1–5 分" in problems[field(survey, "您对入院手续")]
    assert "给出的选项" in problems[field(survey, "住院费用清单")]
    assert "选项无效" in problems[field(survey, "您认为最需要改进")]
    assert "最多 500 字" in problems[field(survey, "您的意见")]
    assert refused.value.message == "有 5 道题需要修改，问卷尚未提交"
    assert not Response.objects.exists()
    assert not DataValue.objects.exists()


def test_a_filled_honeypot_is_discarded(survey):
    with pytest.raises(Discarded):
        submit_response(survey, answers(survey, website="http://spam.example"), ip=IP)
    assert not Response.objects.exists()


def test_an_answer_sent_too_fast_or_with_a_forged_stamp_is_refused(survey):
    with pytest.raises(SurveyError, match="提交过快"):
        submit_response(survey, answers(survey, started=start_stamp(survey)), ip=IP)
    with pytest.raises(SurveyError, match="页面已失效"):
        forged = f"{survey.pk}:{int(time.time()) - 600}:forged"
        submit_response(survey, answers(survey, started=forged), ip=IP)
    assert not Response.objects.exists()


def test_the_rate_limit_counts_accepted_answers_per_address_and_hour(survey):
    for _ in range(3):  # the limit is 3 an hour in these tests
        submit_response(survey, answers(survey), ip=IP)
    with pytest.raises(SurveyError, match="每小时最多提交 3 份"):
        submit_response(survey, answers(survey), ip=IP)
    submit_response(survey, answers(survey), ip="198.51.100.9")  # another address is fine
    later = timezone.now() + dt.timedelta(hours=1, minutes=1)
    submit_response(survey, answers(survey), ip=IP, now=later)  # an hour later again
    assert Response.objects.count() == 5
    assert IP not in "".join(Response.objects.values_list("ip_hash", flat=True))


def test_a_closed_survey_refuses_answers(survey, world):
    update_survey(world.admin, survey, title=survey.title, status="CLOSED")
    with pytest.raises(SurveyError, match="本次调查已结束"):
        submit_response(survey, answers(survey), ip=IP)
    assert not Response.objects.exists()


def _multi(data):
    from django.utils.datastructures import MultiValueDict

    return MultiValueDict({k: v if isinstance(v, list) else [v] for k, v in data.items()})
