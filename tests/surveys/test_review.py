"""Findings of the security review on the public survey page."""

import threading

import pytest
from django.db import connection

from weijian.surveys.actions import SurveyError, submit_response
from weijian.surveys.models import Response

from .conftest import answers


@pytest.mark.django_db(transaction=True)
def test_a_burst_of_simultaneous_answers_from_one_address_keeps_to_the_hourly_limit(survey):
    """The limit was counted before the lock: six answers sent at once all saw "0 this hour"
    and were all saved, past the limit of 3."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers: the race needs PostgreSQL")
    barrier = threading.Barrier(6)
    refused = []
    pages = [answers(survey) for _ in range(6)]  # six pages, six stamps

    def send(data):
        try:
            barrier.wait()
            submit_response(survey, data, ip="203.0.113.7")
        except SurveyError as exc:
            refused.append(exc.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(data,)) for data in pages]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert Response.objects.count() == 3
    assert len(refused) == 3 and "每小时最多提交 3 份" in refused[0]


def test_an_answer_posted_from_another_site_is_refused(client, survey):
    """The page is csrf_exempt (respondents have no cookie) and a stamp can be reused: a page
    on another site could make each visitor's browser post an answer from the visitor's own
    address, past the per-address limit. Browsers name the posting page's origin; a foreign
    one is refused, the page's own (or none, as from scripts and tests) is accepted."""
    url = f"/s/{survey.token}/"
    for origin in ("https://evil.example", "null", "http://testserver.evil.example"):
        response = client.post(url, answers(survey), HTTP_ORIGIN=origin)
        assert response.status_code == 403, origin
        assert "请从调查链接打开问卷后提交" in response.content.decode()
    assert not Response.objects.exists()
    response = client.post(url, answers(survey), HTTP_ORIGIN="http://testserver", follow=True)
    assert "提交成功" in response.content.decode()
    assert Response.objects.count() == 1
