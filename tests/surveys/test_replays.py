"""A public answer counts once: one page (stamp) gives one accepted answer, the answer is
followed by a redirect (post/redirect/get), and the per-address limit believes
X-Forwarded-For only from configured trusted proxies."""

import threading

import pytest
from django.db import connection

from weijian.client_ip import trusted_networks
from weijian.surveys.actions import AlreadyAnswered, SurveyError, submit_response
from weijian.surveys.models import Response

from .conftest import answers, field

IP = "203.0.113.7"


def test_one_stamp_serves_exactly_one_answer_however_often_it_is_sent(survey, settings):
    settings.WEIJIAN_SURVEY_RATE_PER_HOUR = 100  # not the limit: the stamp stops the replays
    page = answers(survey)
    submit_response(survey, page, ip=IP)
    for _ in range(19):  # the probe: one stamp served 20 answers
        with pytest.raises(AlreadyAnswered):
            submit_response(survey, page, ip=IP)
    assert Response.objects.count() == 1
    submit_response(survey, answers(survey), ip=IP)  # a new page (new stamp) counts again
    assert Response.objects.count() == 2


def test_the_answer_is_followed_by_a_redirect_and_a_resend_is_not_counted(client, survey):
    url = f"/s/{survey.token}/"
    page = answers(survey)
    response = client.post(url, page)
    assert (response.status_code, response["Location"]) == (303, f"{url}thanks/")
    thanks = client.get(response["Location"])
    assert "提交成功，感谢您的参与" in thanks.content.decode()
    # back + resend: the same page posted again
    again = client.post(url, page)
    assert (again.status_code, again["Location"]) == (303, f"{url}thanks/?again=1")
    assert "您的答卷已经提交过了" in client.get(again["Location"]).content.decode()
    assert Response.objects.count() == 1


def test_a_corrected_page_keeps_its_stamp_and_still_counts_once(client, survey):
    url = f"/s/{survey.token}/"
    page = answers(survey)
    bad = dict(page)
    del bad[field(survey, "总体来说")]
    refused = client.post(url, bad)
    assert refused.status_code == 400
    assert f'value="{page["started"]}"' in refused.content.decode()  # the same page, its stamp
    assert client.post(url, page).status_code == 303
    assert client.post(url, page)["Location"].endswith("?again=1")
    assert Response.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_simultaneous_resends_of_one_page_count_once(survey):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers: the race needs PostgreSQL")
    page = answers(survey)
    barrier = threading.Barrier(5)
    outcomes = []

    def send():
        try:
            barrier.wait()
            submit_response(survey, page, ip=IP)
            outcomes.append("saved")
        except AlreadyAnswered:
            outcomes.append("again")
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["again"] * 4 + ["saved"]
    assert Response.objects.count() == 1


def test_a_forged_forwarded_for_does_not_escape_the_per_address_limit(client, survey, settings):
    settings.WEIJIAN_TRUSTED_PROXIES = []  # the default: nobody's X-Forwarded-For is believed
    url = f"/s/{survey.token}/"
    for n in range(3):  # the limit is 3 an hour (conftest)
        client.post(url, answers(survey), HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    refused = client.post(url, answers(survey), HTTP_X_FORWARDED_FOR="198.51.100.99")
    assert "同一网络每小时最多提交 3 份问卷" in refused.content.decode()
    assert Response.objects.count() == 3


def test_behind_a_trusted_proxy_each_client_has_its_own_limit(client, survey, settings):
    settings.WEIJIAN_TRUSTED_PROXIES = trusted_networks("127.0.0.1")  # the test client's peer
    url = f"/s/{survey.token}/"
    for n in range(4):  # four patients behind the hospital's proxy, one answer each
        response = client.post(url, answers(survey), HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
        assert response.status_code == 303
    assert Response.objects.count() == 4
    for _ in range(3):
        client.post(url, answers(survey), HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.0")
    # 198.51.100.0 has now sent 1 + 3 = 4 (its forged left part changes nothing): 4th refused
    assert Response.objects.count() == 6


def test_a_forged_or_old_style_stamp_is_refused_with_a_message(survey):
    from weijian.surveys.actions import _STARTED

    old_style = _STARTED.sign(f"{survey.pk}:1700000000")  # no one-time token in it
    for stamp in ("1:2", old_style):
        with pytest.raises(SurveyError, match="页面已失效，请刷新后重新填写"):
            submit_response(survey, {**answers(survey), "started": stamp}, ip=IP)
    assert not Response.objects.exists()


def test_a_double_clicked_new_survey_is_made_once(client, world):
    from tests.replay import form_token, submit_twice
    from tests.world import PASSWORD
    from weijian.surveys.models import Survey

    assert client.login(username="admin", password=PASSWORD)
    token = form_token(client.get("/surveys/new/").content.decode())
    data = {"unit": "TWN", "questionnaire": "STAFF_STD", "title": ""}
    first, second = submit_twice(client, "/surveys/new/", data, token)
    survey = Survey.objects.get()
    assert first.url == second.redirect_chain[-1][0] == f"/surveys/{survey.pk}/"
