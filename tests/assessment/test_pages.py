"""The assessment pages through the test client: who sees what (the outsider gets 404), forms
that write through the actions with Chinese refusals, downloads, and bounded query counts."""

import datetime as dt
import io
from decimal import Decimal as D

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from tests.world import PASSWORD
from weijian.assessment.actions import runs
from weijian.assessment.models import ItemResult, Node, Stage, UnitResult
from weijian.reporting.models import SubmissionStatus

from .helpers import report


@pytest.fixture
def run(setup):
    world = setup.world
    report(world, world.medicine, "202603", SubmissionStatus.LOCKED, OPD=1000, DIS=80)
    report(world, world.surgery, "202603", SubmissionStatus.LOCKED, OPD=60, DIS=3)
    return runs.start_run(setup.hank, setup.scheme, "202603", today=dt.date(2026, 4, 15))


def login(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


def advance(setup, run, stage):
    while run.stage != stage:
        run = runs.advance(setup.hank, run, run.stage, today=dt.date(2026, 4, 15))
    return run


def test_outsider_gets_404_everywhere(client, setup, run):
    login(client, setup.world.olivia)
    for url in (
        reverse("assessment:scheme", args=[setup.scheme.code]),
        reverse("assessment:run", args=[run.pk]),
        reverse("assessment:unit", args=[run.pk, "MED"]),
        reverse("assessment:publicity_docx", args=[run.pk]),
        reverse("assessment:notice_docx", args=[run.pk, "MED"]),
        reverse("assessment:version_xlsx", args=[setup.scheme.code, 1]),
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(reverse("assessment:appeal", args=[run.pk, "MED"]), {"text": "x" * 10})
    assert response.status_code == 404
    home = client.get(reverse("assessment:home"))
    assert "人民医院科室月度考核方案" not in home.content.decode()


def test_a_department_sees_its_own_result_not_the_others(client, setup, run):
    login(client, setup.world.alice)
    page = client.get(reverse("assessment:run", args=[run.pk])).content.decode()
    assert "内科的考核结果与扣分说明" in page
    assert 'data-testid="ranking"' not in page  # not public yet
    unit = client.get(reverse("assessment:unit", args=[run.pk, "MED"])).content.decode()
    assert "内科 · 2026年3月考核结果" in unit  # the period as people say it, not “202603”
    assert "出院人次占门急诊比例 = 出院人次 ÷ 门急诊人次 = 80 ÷ 1000 = 8%（已审核数据）" in unit
    assert client.get(reverse("assessment:unit", args=[run.pk, "SUR"])).status_code == 404


def test_the_owner_sees_the_ranking_and_history(client, setup, run):
    login(client, setup.hank)
    page = client.get(reverse("assessment:run", args=[run.pk])).content.decode()
    assert 'data-testid="ranking"' in page
    assert "第1次计算" in page and "数据采集" in page


def test_the_office_scores_on_its_sheet(client, setup, run):
    run = advance(setup, run, Stage.INITIAL)
    login(client, setup.ivan)
    sheet = client.get(reverse("assessment:sheet", args=[run.pk])).content.decode()
    assert sheet.count('name="score"') == 4  # 2 units × (1.2 院感管理, B.1 获得表彰)
    node = Node.objects.get(version=setup.version, code="1.2")
    url = reverse("assessment:score", args=[run.pk, "MED"])
    response = client.post(
        url, {"node": node.pk, "score": "45", "reason": "x", "next": "sheet"}, follow=True
    )
    assert "得分 45 超过本项分值 40 分" in response.content.decode()
    assert ItemResult.objects.get(run=run, org_unit__code="MED", node=node).manual_score is None
    client.post(
        url, {"node": node.pk, "score": "36", "reason": "手卫生依从性不足", "next": "sheet"}
    )
    # 内科 16 + 36 + 40 = 92
    assert UnitResult.objects.get(run=run, org_unit__code="MED").total == D(92)


def test_the_task_board_lists_assessment_to_dos(client, setup, run):
    run = advance(setup, run, Stage.INITIAL)
    sheet = reverse("assessment:sheet", args=[run.pk])
    board = login(client, setup.ivan).get("/").content.decode()
    # 院感科 scores 1.2 and B.1 for 内科 and 外科: 4 items
    assert "人民医院科室月度考核方案（2026年3月）：本科室待评分 4 项" in board
    assert f'href="{sheet}"' in board
    client.logout()
    board = login(client, setup.world.olivia).get("/").content.decode()
    assert "考核待办" not in board and "人民医院科室月度考核方案" not in board


def test_a_unit_cannot_score_what_an_office_scores(client, setup, run):
    run = advance(setup, run, Stage.INITIAL)
    login(client, setup.world.alice)
    node = Node.objects.get(version=setup.version, code="1.2")
    response = client.post(
        reverse("assessment:score", args=[run.pk, "MED"]),
        {"node": node.pk, "score": "40"},
        follow=True,
    )
    assert "您不是该科室的考核人员" in response.content.decode()
    assert ItemResult.objects.get(run=run, org_unit__code="MED", node=node).manual_score is None


def test_the_node_editor_saves_an_item_and_refuses_a_bad_formula(client, setup):
    from weijian.assessment.actions import schemes

    draft = schemes.new_version(setup.hank, setup.scheme)
    login(client, setup.hank)
    url = reverse("assessment:node_new", args=[setup.scheme.code, draft.number])
    bad = {
        "kind": "item", "code": "1.3", "name": "病历甲级率", "points": "5", "parent": "1",
        "source": "INDICATOR", "indicator": "", "f_numerator": "#{DIS} / (", "method": "bands",
        "p_bands": "95,,5\n,95,0", "on_missing": "zero", "on_zero_denominator": "exclude",
    }  # fmt: skip
    page = client.post(url, bad).content.decode()
    assert "第1.3项“病历甲级率”的分子表达式有误" in page
    assert not draft.nodes.filter(code="1.3").exists()
    good = {
        **bad,
        "f_numerator": "#{DIS}",
        "f_denominator": "#{OPD}",
        "f_factor": "100",
        "f_unit": "%",
    }
    client.post(url, good)
    node = draft.nodes.get(code="1.3")
    assert node.params == {"bands": [["95", None, "5"], [None, "95", "0"]]}  # closed: default left
    assert node.binding["numerator"] == "#{DIS}"
    page = client.get(reverse("assessment:scheme", args=[setup.scheme.code])).content.decode()
    assert "草稿与现行版本相比的变化（1 处" in page and "新增 1.3“病历甲级率”（5 分）" in page


def test_downloads(client, setup, run):
    login(client, setup.hank)
    docx = client.get(reverse("assessment:publicity_docx", args=[run.pk]))
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "关于2026年3月人民医院科室月度考核结果的公示" in text
    # the scheme has no veto rules: no promise of a 计0分 it never made
    assert "总分含加分和扣分。" in text and "一票否决" not in text
    book = load_workbook(
        io.BytesIO(client.get(reverse("assessment:publicity_xlsx", args=[run.pk])).content)
    )
    rows = list(book["公示"].iter_rows(min_row=3, values_only=True))
    assert [(r[1], r[2], r[6]) for r in rows] == [
        (1, "人民医院 / 内科", 56),
        (2, "人民医院 / 外科", 30),
    ]
    notice = client.get(reverse("assessment:notice_docx", args=[run.pk, "MED"]))
    doc = Document(io.BytesIO(notice.content))
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "你单位2026年3月考核得分56分" in body
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert any("按线性计分 20 × (8% − 0%) ÷ (10% − 0%)，得 16 分" in c for c in cells)


def test_before_publicity_units_cannot_download_the_ranking(client, setup, run):
    login(client, setup.world.alice)
    response = client.get(reverse("assessment:publicity_docx", args=[run.pk]))
    assert response.status_code == 302


def test_pages_use_a_bounded_number_of_queries(client, setup, run, django_assert_max_num_queries):
    login(client, setup.hank)
    client.get(reverse("assessment:run", args=[run.pk]))  # warm the session
    with django_assert_max_num_queries(40):
        assert client.get(reverse("assessment:run", args=[run.pk])).status_code == 200
    with django_assert_max_num_queries(40):
        assert client.get(reverse("assessment:unit", args=[run.pk, "MED"])).status_code == 200
    with django_assert_max_num_queries(30):
        assert client.get(reverse("assessment:scheme", args=[setup.scheme.code])).status_code == 200


def test_garbage_ids_are_404_not_500(client, setup, run):
    login(client, setup.hank)
    response = client.post(
        reverse("assessment:score", args=[run.pk, "MED"]), {"node": "abc", "score": "1"}
    )
    assert response.status_code == 404
    assert client.get(reverse("assessment:run", args=[999999])).status_code == 404
