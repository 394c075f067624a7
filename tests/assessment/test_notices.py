"""A deduction raises a rectification notice in the inspections app, once; the unit answers
and the issuer re-checks it like any other notice; the notice prints as a Word document."""

import datetime as dt
import io

import pytest
from docx import Document

from tests.world import make_user
from weijian.assessment.actions import notices, runs
from weijian.assessment.actions.common import AssessmentError
from weijian.assessment.models import ItemResult, Stage
from weijian.inspections import actions as inspection_actions
from weijian.inspections.documents import notice_docx
from weijian.inspections.models import NoticeStatus
from weijian.orgs.models import Role
from weijian.reporting.models import SubmissionStatus

from .helpers import report

TODAY = dt.date(2026, 4, 15)


@pytest.fixture
def reviewed(setup):
    world = setup.world
    report(world, world.medicine, "202603", SubmissionStatus.LOCKED, OPD=1000, DIS=80)
    report(world, world.surgery, "202603", SubmissionStatus.LOCKED, OPD=60, DIS=3)
    run = runs.start_run(setup.hank, setup.scheme, "202603", today=TODAY)
    while run.stage != Stage.REVIEW:
        if run.stage == Stage.INITIAL:
            for unit in (world.medicine, world.surgery):
                for code, score in (("1.2", "30"), ("B.1", "0")):
                    node = run.version.nodes.get(code=code)
                    runs.record_score(setup.ivan, run, unit, node, score, "院感制度落实不到位")
        run = runs.advance(setup.hank, run, run.stage, today=TODAY)
    return run


def test_deductions_raise_one_notice(setup, reviewed):
    world = setup.world
    # 外科 lost points on 1.1 (10 of 20), 1.2 (10 of 40), 2.1 (20 of 40)
    assert [r.node.code for r in notices.deductions(reviewed, world.surgery)] == [
        "1.1",
        "1.2",
        "2.1",
    ]
    notice = notices.raise_notice(
        setup.hank, reviewed, world.surgery, ["1.2", "2.1"], measures="完善院感制度", responsible="外科主任",
        deadline=dt.date(2026, 5, 15), today=TODAY,
    )  # fmt: skip
    assert notice.inspection is None
    assert notice.origin == "2026年3月《人民医院科室月度考核方案》考核扣分"
    assert notice.number == "考核整改〔2026〕1号"
    assert [(line["code"], line["lost"]) for line in notice.items] == [("1.2", "10"), ("2.1", "20")]
    assert set(ItemResult.objects.filter(notice=notice).values_list("node__code", flat=True)) == {
        "1.2",
        "2.1",
    }
    with pytest.raises(AssessmentError, match="第1.2项已下发整改通知，未重复下发"):
        notices.raise_notice(
            setup.hank, reviewed, world.surgery, ["1.2"], measures="x", responsible="y",
            deadline=dt.date(2026, 5, 15), today=TODAY,
        )  # fmt: skip
    text = "\n".join(p.text for p in Document(io.BytesIO(notice_docx(notice))).paragraphs)
    assert "2026年3月《人民医院科室月度考核方案》考核扣分，发现以下问题" in text

    # the department answers; the hospital's inspector re-checks and closes it
    inspection_actions.answer_notice(
        world.bob, notice, "已完善院感制度并组织培训", today=dt.date(2026, 5, 10)
    )
    checker = make_user("zhi", Role.INSPECTOR, world.hospital)
    inspection_actions.recheck_notice(
        checker, notice, passed=True, note="整改到位", today=dt.date(2026, 5, 12)
    )
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.CLOSED and notice.on_time


def test_only_managers_and_inspectors_raise_notices(setup, reviewed):
    world = setup.world
    for user in (world.alice, world.bob, world.olivia, world.rita):
        with pytest.raises(AssessmentError, match="只有方案制定单位的管理员或检查人员"):
            notices.raise_notice(
                user, reviewed, world.surgery, ["1.2"], measures="x", responsible="y",
                deadline=dt.date(2026, 5, 15), today=TODAY,
            )  # fmt: skip
    assert not ItemResult.objects.filter(notice__isnull=False).exists()
