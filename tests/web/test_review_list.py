"""报表审核 at scale: filters, search, paging, 批量审核通过 with the one-by-one checks, and
“下一份待审” after an approval."""

import pytest

from tests.world import PASSWORD
from weijian.reporting import actions
from weijian.reporting.models import Submission, SubmissionEvent, SubmissionStatus

pytestmark = pytest.mark.django_db

FULL = {("OPD", "MALE"): "1", ("OPD", "FEMALE"): "2", ("DIS", "default"): "3"}


def submit(world, clerk, unit, period):
    actions.save_values(clerk, world.form, unit, period, FULL)
    return actions.submit(clerk, world.form, unit, period)


@pytest.fixture
def waiting(world):
    """Six reports waiting: 内科 and 外科 for January–March 2026."""
    rows = []
    for period in ("202601", "202602", "202603"):
        rows.append(submit(world, world.alice, world.medicine, period))
        rows.append(submit(world, world.bob, world.surgery, period))
    return rows


def listed(client, query=""):
    response = client.get(f"/review/?{query}")
    assert response.status_code == 200
    return response.context["page"].paginator.count, [
        (s.org_unit.code, s.period_id) for s, _note in response.context["submissions"]
    ]


def test_the_reviewer_filters_by_unit_period_and_text(client, world, waiting):
    client.login(username="rita", password=PASSWORD)
    assert listed(client)[0] == 6
    assert listed(client, "ou=SUR")[0] == 3
    assert listed(client, "pe=202602")[1] == [("MED", "202602"), ("SUR", "202602")]
    assert listed(client, "pe=2026Q1")[0] == 6  # a quarter holds its months
    assert listed(client, "q=外科")[1] == [("SUR", "202603"), ("SUR", "202602"), ("SUR", "202601")]
    assert listed(client, "q=门急诊")[0] == 6  # the form's name
    assert listed(client, "form=NOPE")[0] == 0
    assert listed(client, "status=APPROVED")[0] == 0


def test_the_list_pages_instead_of_stopping(client, world, waiting, monkeypatch):
    from weijian.web.views import review_list

    monkeypatch.setattr(review_list, "PAGE_SIZE", 4)
    client.login(username="rita", password=PASSWORD)
    first = client.get("/review/")
    assert len(first.context["submissions"]) == 4 and "下一页" in first.content.decode()
    second = client.get("/review/?page=2")
    assert len(second.context["submissions"]) == 2  # 6 = 4 + 2


def test_the_outsider_sees_no_reports_and_cannot_filter_to_the_hospital(client, world, waiting):
    client.login(username="olivia", password=PASSWORD)
    assert listed(client)[0] == 0
    assert client.get("/review/?ou=HOS").status_code == 404
    # nor approve them by id
    client.post("/review/approve/", {"ids": [s.pk for s in waiting]})
    assert Submission.objects.filter(status=SubmissionStatus.APPROVED).count() == 0


def test_bulk_approval_approves_each_once_with_the_same_checks(client, world, waiting):
    # Rita submitted 外科's March report (as the workflow trail says): four eyes keeps her
    # from approving it, in bulk as one by one.
    march = waiting[5]
    assert (march.org_unit.code, march.period_id) == ("SUR", "202603")
    SubmissionEvent.objects.filter(submission=march, action="SUBMIT").update(by=world.rita)

    client.login(username="rita", password=PASSWORD)
    ids = [s.pk for s in waiting]
    response = client.post("/review/approve/", {"ids": ids, "back": "status=SUBMITTED"})
    assert response.status_code == 302 and response.url == "/review/?status=SUBMITTED"
    approved = Submission.objects.filter(status=SubmissionStatus.APPROVED)
    assert approved.count() == 5  # six waiting, one refused by four eyes
    assert Submission.objects.get(pk=march.pk).status == SubmissionStatus.SUBMITTED
    page = client.get(response.url).content.decode()
    assert "已审核通过 5 份报表" in page and "不能审核自己经手的报表" in page

    # The same post again (a double click, the back button): nothing approved twice.
    client.post("/review/approve/", {"ids": ids})
    assert SubmissionEvent.objects.filter(action="APPROVE").count() == 5


def test_after_an_approval_the_entry_page_offers_the_next_waiting_report(client, world, waiting):
    client.login(username="rita", password=PASSWORD)
    first = waiting[0]
    url = f"/forms/WORK/{first.org_unit.code}/{first.period_id}/"
    client.post(url + "review/", {"action": "APPROVE"})
    page = client.get(url)
    nxt = page.context["next_review"]
    # the oldest-submitted of the five still waiting: 外科, January (submitted second)
    assert (nxt.org_unit.code, nxt.period_id) == ("SUR", "202601")
    assert 'id="next-report"' in page.content.decode()


def test_next_report_stays_inside_the_narrowed_list(client, world, waiting):
    client.login(username="rita", password=PASSWORD)
    page = client.get("/review/?status=SUBMITTED&ou=SUR")
    html = page.content.decode()
    # the rows carry the narrowing (not the status) to the entry page
    assert "/forms/WORK/SUR/202603/?list=ou%3DSUR#review" in html
    # 开始审核 within 外科: its oldest, January (内科's January was submitted earlier)
    assert (page.context["next_review"].org_unit.code, page.context["next_review"].period_id) == (
        "SUR",
        "202601",
    )
    response = client.post("/forms/WORK/SUR/202601/review/?list=ou%3DSUR", {"action": "APPROVE"})
    assert response.url == "/forms/WORK/SUR/202601/?list=ou%3DSUR"
    after = client.get(response.url)
    nxt = after.context["next_review"]
    # 外科 February, not 内科 January, which waits longer but lies outside the list
    assert (nxt.org_unit.code, nxt.period_id) == ("SUR", "202602")
    assert "/forms/WORK/SUR/202602/?list=ou%3DSUR#review" in after.content.decode()
    assert "/review/?ou=SUR" in after.content.decode()  # 返回审核列表 with the filter


def test_a_foreign_or_broken_list_on_the_entry_page_is_ignored(client, world, waiting):
    client.login(username="rita", password=PASSWORD)
    client.post("/forms/WORK/MED/202601/review/", {"action": "APPROVE"})
    for junk in ("ou%3DNOPE", "pe%3Dnonsense", "%%%", "ou%3DSUR%26ou%3DMED"):
        page = client.get(f"/forms/WORK/MED/202601/?list={junk}")
        assert page.status_code == 200
    # unusable narrowing falls back to the whole queue: the oldest still waiting, 外科 January
    nxt = client.get("/forms/WORK/MED/202601/?list=ou%3DNOPE").context["next_review"]
    assert (nxt.org_unit.code, nxt.period_id) == ("SUR", "202601")
