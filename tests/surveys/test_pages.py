"""Survey pages: scope for the offices, the public page for respondents."""

import pytest

from tests.surveys.conftest import answers, field
from tests.world import PASSWORD
from weijian.surveys.models import Questionnaire, Response, Survey


def client_for(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


def test_the_outsider_gets_404_on_every_survey_page(client, survey, world):
    c = client_for(client, world.olivia)
    for url in [
        f"/surveys/{survey.pk}/",
        f"/surveys/{survey.pk}/edit/",
        f"/surveys/{survey.pk}/qr.svg",
        f"/surveys/{survey.pk}/qr.png",
    ]:
        assert c.get(url).status_code == 404, url
    assert (
        c.post(f"/surveys/{survey.pk}/edit/", {"title": "x", "status": "CLOSED"}).status_code == 404
    )
    assert survey.title not in c.get("/surveys/").content.decode()
    assert c.get("/surveys/new/").status_code == 404
    survey.refresh_from_db()
    assert survey.status == "OPEN"


def test_a_viewer_reads_results_but_cannot_edit(client, survey, world):
    c = client_for(client, world.victor)
    page = c.get(f"/surveys/{survey.pk}/")
    assert page.status_code == 200 and "有效问卷" in page.content.decode()
    assert c.get(f"/surveys/{survey.pk}/edit/").status_code == 404
    svg = c.get(f"/surveys/{survey.pk}/qr.svg?download=1")
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    png = c.get(f"/surveys/{survey.pk}/qr.png")
    assert png.content[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_public_page_needs_no_login_and_refuses_bad_answers(client, survey):
    url = f"/s/{survey.token}/"
    page = client.get(url)
    assert page.status_code == 200 and "住院患者满意度调查问卷" in page.content.decode()
    bad = answers(survey)
    del bad[field(survey, "总体来说")]
    response = client.post(url, bad)
    assert response.status_code == 400
    assert "第 8 题为必答题" in response.content.decode()
    assert not Response.objects.exists()
    response = client.post(url, answers(survey), follow=True)
    assert "提交成功" in response.content.decode()
    assert Response.objects.count() == 1
    assert client.get("/s/not-a-token/").status_code == 404


@pytest.mark.parametrize("status", ["CLOSED"])
def test_a_closed_survey_says_so(client, survey, world, status):
    Survey.objects.filter(pk=survey.pk).update(status=status)
    page = client.get(f"/s/{survey.token}/").content.decode()
    assert "本次调查已结束" in page
    response = client.post(f"/s/{survey.token}/", answers(survey))
    assert "本次调查已结束" in response.content.decode()
    assert not Response.objects.exists()


def test_the_office_creates_and_closes_a_survey(client, world):
    c = client_for(client, world.admin)
    page = c.get("/surveys/new/")
    assert page.status_code == 200 and "职工 · 职工满意度调查问卷（内置）" in page.content.decode()
    assert not Questionnaire.objects.exists()  # showing the choices created nothing
    response = c.post("/surveys/new/", {"unit": "TWN", "questionnaire": "STAFF_STD", "title": ""})
    survey = Survey.objects.get()
    assert survey.questionnaire.code == "STAFF_STD" and survey.questionnaire.questions.exists()
    assert response.status_code == 302 and survey.org_unit.code == "TWN"
    response = c.post(
        f"/surveys/{survey.pk}/edit/", {"title": survey.title, "status": "CLOSED"}, follow=True
    )
    assert "已保存" in response.content.decode()
    survey.refresh_from_db()
    assert survey.status == "CLOSED"
    assert survey.log.count() == 2


def test_list_pages_take_a_bounded_number_of_queries(
    client, survey, world, django_assert_max_num_queries
):
    c = client_for(client, world.admin)
    c.get("/surveys/")  # warm the session
    with django_assert_max_num_queries(12):
        assert c.get("/surveys/").status_code == 200
    with django_assert_max_num_queries(15):
        assert c.get(f"/surveys/{survey.pk}/").status_code == 200


def test_a_department_sees_its_own_survey_only(client, survey, world):
    from weijian.surveys.actions import create_survey

    ward = create_survey(world.admin, survey.questionnaire, world.medicine, "内科住院患者调查")
    c = client_for(client, world.alice)
    assert c.get(f"/surveys/{ward.pk}/").status_code == 200
    assert c.get(f"/surveys/{survey.pk}/").status_code == 404  # the hospital's, above her
    listed = c.get("/surveys/").content.decode()
    assert "内科住院患者调查" in listed and "住院患者满意度调查<" not in listed


def test_the_list_filters_by_unit_and_title_and_keeps_the_outsider_out(client, survey):
    from tests.world import PASSWORD

    client.login(username="admin", password=PASSWORD)

    def titles(query):
        response = client.get(f"/surveys/?{query}")
        assert response.status_code == 200
        return [row[0].title for row in response.context["rows"]]

    assert titles("") == ["住院患者满意度调查"]
    assert titles("ou=HOS") == ["住院患者满意度调查"] and titles("ou=TWN") == []
    assert titles("q=住院") == ["住院患者满意度调查"] and titles("q=门诊") == []
    client.login(username="olivia", password=PASSWORD)
    assert client.get("/surveys/?ou=HOS").status_code == 404
