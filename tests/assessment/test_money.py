"""The money on a locked run, by hand: the split to the fen, 预拨 and 结算 with clawback,
二次分配 within bounds (proposed by the department, approved by finance, posted), what-if of a
draft version, and the documents."""

import datetime as dt
import io
from decimal import Decimal as D

import pytest
from openpyxl import load_workbook

from weijian.assessment import money_outputs, whatif
from weijian.assessment.actions import money, runs, schemes
from weijian.assessment.actions.common import AssessmentError
from weijian.assessment.actions.money import LineInput, PoolInput
from weijian.assessment.actions.schemes import NodeInput, VetoInput
from weijian.assessment.models import PoolShare, PoolStatus, Stage
from weijian.reporting.models import SubmissionStatus

from .helpers import report

TODAY = dt.date(2026, 4, 15)


def lock(setup, sur_manual="full", veto=None):
    """A locked March run. 内科: 16 + 40 + 40 + 5 = 101. 外科: 10 + 40 + 20 + 5 = 75 with full
    manual scores, or 10 + 0 + 20 + 0 = 30 with none."""
    world = setup.world
    report(world, world.medicine, "202603", SubmissionStatus.LOCKED, OPD=1000, DIS=80)
    report(world, world.surgery, "202603", SubmissionStatus.LOCKED, OPD=60, DIS=3)
    run = runs.start_run(setup.hank, setup.scheme, "202603", today=TODAY)
    if veto is not None:
        veto(run)
    while run.stage != Stage.FINAL:
        if run.stage == Stage.INITIAL:
            for unit in (world.medicine, world.surgery):
                for code in ("1.2", "B.1"):
                    node = run.version.nodes.get(code=code)
                    score = node.points if unit == world.medicine or sur_manual == "full" else D(0)
                    runs.record_score(setup.ivan, run, unit, node, str(score), "院感制度落实不到位")
        day = dt.date(2026, 5, 1) if run.stage == Stage.PUBLICITY else TODAY
        run = runs.advance(setup.hank, run, run.stage, today=day)
    return run


def pool(setup, run, **kw):
    data = dict(name="3月科室绩效", kind="PERFORMANCE", amount="10000.00", basis="score_x_base",
                base_label="人数", bases={"MED": "10", "SUR": "20"})  # fmt: skip
    data.update(kw)
    return money.create_pool(setup.hank, run, PoolInput(**data))


def amounts(p):
    return {
        s.org_unit.code: s.amount
        for s in PoolShare.objects.filter(pool=p).select_related("org_unit")
    }


def test_split_by_score_times_staff_adds_up_to_the_fen(setup):
    run = lock(setup)
    p = pool(setup, run)
    money.calculate_pool(setup.hank, p)
    p.refresh_from_db()
    # weights 101 × 10 = 1010 and 75 × 20 = 1500 (Σ 2510): 10 000 × 1010 ÷ 2510 = 4023.904…,
    # × 1500 ÷ 2510 = 5976.095…; the odd fen goes to the larger remainder (.56 > .44)
    assert amounts(p) == {"MED": D("4023.90"), "SUR": D("5976.10")}
    assert sum(amounts(p).values()) == p.amount
    assert p.point_value == D("3.984064")  # 10 000 ÷ 2510
    assert p.status == PoolStatus.CALCULATED


def test_money_waits_for_the_locked_result(setup):
    world = setup.world
    report(world, world.medicine, "202603", SubmissionStatus.LOCKED, OPD=1000, DIS=80)
    report(world, world.surgery, "202603", SubmissionStatus.LOCKED, OPD=60, DIS=3)
    run = runs.start_run(setup.hank, setup.scheme, "202603", today=TODAY)
    p = pool(setup, run)
    with pytest.raises(AssessmentError, match="考核结果尚未定稿，不能测算分配"):
        money.calculate_pool(setup.hank, p)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"amount": "100.001"}, "须精确到分"),
        ({"amount": "abc"}, "资金总额“abc”不是数字"),
        ({"floor_ratio": "1.5"}, "保底应为人均的 0 到 1 倍"),
        ({"grade_coefficients": {"特优": "1.2"}}, "等次“特优”不在方案的等次之中"),
        ({"bases": {"TWN": "5"}}, "单位“TWN”不在本次考核之中"),
    ],
)
def test_bad_pools_are_refused(setup, changes, message):
    run = lock(setup)
    with pytest.raises(AssessmentError, match=message):
        pool(setup, run, **changes)
    assert not run.pools.exists()


def test_floors_that_cannot_be_met_change_nothing(setup):
    run = lock(setup)
    # floor 0.6 × average 5000 = 3000 each: fine; then a pool whose floors exceed it cannot be
    # built from ratios (≤ 1), so check the core's refusal through a zero pool instead
    p = pool(setup, run, floor_ratio="1")
    money.calculate_pool(setup.hank, p)
    # every unit floored at the average 5000: 5000 + 5000 = 10 000
    assert amounts(p) == {"MED": D("5000.00"), "SUR": D("5000.00")}


def test_advance_then_settle_with_clawback(setup):
    run = lock(setup, sur_manual="none")
    p = pool(
        setup, run, kind="PUBLIC_HEALTH", bases={"MED": "10", "SUR": "30"}, advance_ratio="0.9"
    )
    with pytest.raises(AssessmentError, match="请先预拨再结算"):
        money.calculate_pool(setup.hank, p)
    money.advance_pool(setup.hank, p)
    # 预拨 9 000 by 10 : 30 → 2 250 and 6 750
    assert {s.org_unit.code: s.advanced for s in p.shares.select_related("org_unit")} == {
        "MED": D("2250.00"), "SUR": D("6750.00"),
    }  # fmt: skip
    money.calculate_pool(setup.hank, p)
    # final weights 101 × 10 = 1010 and 30 × 30 = 900 (Σ 1910): 5287.958… and 4712.041…
    # → 5287.96 and 4712.04; balances +3037.96 and −2037.96 (追回); Σ = 10 000 − 9 000
    shares = {s.org_unit.code: s for s in p.shares.select_related("org_unit")}
    assert (shares["MED"].amount, shares["MED"].balance) == (D("5287.96"), D("3037.96"))
    assert (shares["SUR"].amount, shares["SUR"].balance) == (D("4712.04"), D("-2037.96"))
    assert shares["MED"].balance + shares["SUR"].balance == D("1000.00")
    book = load_workbook(io.BytesIO(money_outputs.payment_xlsx(p)))
    rows = list(book["发放清单"].iter_rows(min_row=3, values_only=True))
    assert [(r[0], r[4], r[5]) for r in rows] == [
        ("人民医院 / 内科", 3037.96, "结算补拨"),
        ("人民医院 / 外科", -2037.96, "追回"),
    ]


def test_workload_below_the_quality_threshold_gets_nothing_and_says_why(setup):
    run = lock(setup, sur_manual="none")  # 内科 101, 外科 30
    p = pool(setup, run, basis="workload_x_quality", base_label="工分",
             bases={"MED": "100", "SUR": "300"}, quality_threshold="60")  # fmt: skip
    money.calculate_pool(setup.hank, p)
    # 外科 30 < 60 → 质量系数 0; 内科 100 × 101/100 = 101 takes the whole pool
    assert amounts(p) == {"MED": D("10000.00"), "SUR": D("0.00")}
    sur = p.shares.get(org_unit__code="SUR")
    assert sur.explanation.startswith("得分 30 低于门槛 60 分，质量系数为 0；")
    assert "低于门槛" not in p.shares.get(org_unit__code="MED").explanation


@pytest.fixture
def pay_cut_run(world):
    """The workflow's scheme with a manual 一票否决 that withholds half the money (扣减绩效 50%),
    entered for 外科 by 院感科 and approved by the reviewer, then locked with full scores."""
    from tests.assessment.conftest import Setup, build_scheme
    from tests.world import make_user
    from weijian.indicators.models import Indicator
    from weijian.orgs.models import Role

    Indicator.objects.create(
        code="DIS_SHARE", name="出院人次占门急诊比例", numerator="#{DIS}", denominator="#{OPD}",
        type="PERCENT", numerator_description="出院人次", denominator_description="门急诊人次",
    )  # fmt: skip
    hank = make_user("hank", Role.INSTITUTION_ADMIN, world.hospital)
    ivan = make_user("ivan", Role.INSPECTOR, world.hospital)
    office = schemes.save_office(hank, world.hospital, "院感科", [ivan])
    scheme = build_scheme(world, hank, office, publish=False)
    version = scheme.versions.get()
    schemes.save_veto(
        hank, version, VetoInput("V1", "违反医德医风", "MANUAL", "pay_cut", share="0.5")
    )
    schemes.publish(hank, version)
    setup = Setup(world, hank, ivan, office, scheme)
    run = lock(setup, veto=lambda run: runs.decide_veto(world.rita, runs.propose_veto(
        ivan, run, world.surgery, run.version.vetoes.get(code="V1"), "收受患者红包，经查属实"
    ), True, "调查报告已核"))  # fmt: skip
    return setup, run


@pytest.mark.parametrize(
    "policy, med, sur, returned",
    [
        # weights 内科 101 × 75 = 7575, 外科 75 × 101 = 7575 → 5 000 each; 外科 keeps half
        ("redistribute", "7500.00", "2500.00", "0.00"),  # the 2 500 withheld goes to 内科
        ("return", "5000.00", "2500.00", "2500.00"),  # the 2 500 withheld is 收回
    ],
)
def test_a_pay_cut_veto_withholds_money(pay_cut_run, policy, med, sur, returned):
    setup, run = pay_cut_run
    result = run.results.get(org_unit=setup.world.surgery)
    assert (result.total, result.vetoed, result.pay_cut) == (D(75), True, D("0.5"))
    p = pool(setup, run, bases={"MED": "75", "SUR": "101"}, veto_policy=policy)
    money.calculate_pool(setup.hank, p)
    p.refresh_from_db()
    assert amounts(p) == {"MED": D(med), "SUR": D(sur)}
    assert p.returned == D(returned)
    assert sum(amounts(p).values()) + p.returned == p.amount
    assert "一票否决扣减 2500.00元" in p.shares.get(org_unit__code="SUR").explanation


def test_approval_by_another_manager_then_staff_distribution(setup):
    from tests.world import make_user
    from weijian.orgs.models import Role

    world = setup.world
    run = lock(setup, sur_manual="none")
    p = pool(setup, run, bases={"MED": "10", "SUR": "30"})
    money.calculate_pool(setup.hank, p)
    with pytest.raises(AssessmentError, match="设立资金的人员不能审定自己测算的分配"):
        money.approve_pool(setup.hank, p)
    finance = make_user("fay", Role.INSTITUTION_ADMIN, world.hospital)
    money.approve_pool(finance, p)
    share = PoolShare.objects.get(pool=p, org_unit=world.surgery)
    assert share.amount == D("4712.04")
    lines = [
        LineInput("张医生", "主治医师", "中级", "1.2", "100"),
        LineInput("李护士", "护士", "初级", "1.0", "100"),
        LineInput("王技师", "技师", "初级", "0.8", "50"),
    ]
    lines[2] = LineInput("王技师", '=HYPERLINK("http://x","技师")', "初级", "0.8", "50")
    with pytest.raises(AssessmentError, match="只有外科可以提出本科室的二次分配方案"):
        money.propose_distribution(world.alice, share, lines)
    dist = money.propose_distribution(world.bob, share, lines)
    # weights 120 : 100 : 40 (Σ 260): 2174.787…, 1812.323…, 724.929…; the two missing fens go to
    # the larger remainders (.92 王, .77 张) → 2174.79, 1812.32, 724.93 = 4712.04
    assert [line.amount for line in dist.lines.all()] == [D("2174.79"), D("1812.32"), D("724.93")]
    # with 个人封顶 1.2 × average (4712.04 ÷ 3 × 1.2 = 1884.816 → 1884.81): 张 and 李 capped,
    # 王 takes the rest 4712.04 − 2 × 1884.81 = 942.42
    dist = money.propose_distribution(world.bob, share, lines, cap_ratio="1.2")
    assert [line.amount for line in dist.lines.all()] == [D("1884.81"), D("1884.81"), D("942.42")]
    assert sum(line.amount for line in dist.lines.all()) == share.amount
    with pytest.raises(AssessmentError, match="只有人民医院的管理员可以审核二次分配"):
        money.review_distribution(world.bob, dist, True)
    own = money.propose_distribution(finance, share, lines, cap_ratio="1.2")
    with pytest.raises(AssessmentError, match="提出二次分配的人员不能审核自己的方案"):
        money.review_distribution(finance, own, True)
    dist = money.propose_distribution(world.bob, share, lines, cap_ratio="1.2")
    with pytest.raises(AssessmentError, match="退回时请写明意见"):
        money.review_distribution(finance, dist, False)
    money.review_distribution(finance, dist, True, "同意")
    with pytest.raises(AssessmentError, match="二次分配当前为“财务已审核”，不能再修改"):
        money.propose_distribution(world.bob, share, lines)
    money.post_distribution(finance, dist)
    book = load_workbook(io.BytesIO(money_outputs.payment_xlsx(p)))
    rows = list(book["发放清单"].iter_rows(min_row=3, values_only=True))
    post = '=HYPERLINK("http://x","技师")'
    assert ("人民医院 / 外科", "王技师", post, "初级", 942.42, "二次分配") in rows
    # the post a department typed stays text in the payment list, never a live formula
    cell = next(c for row in book["发放清单"].iter_rows() for c in row if c.value == post)
    assert (cell.data_type, cell.quotePrefix) == ("s", True)


def test_a_bad_staff_line_saves_nothing(setup):
    from tests.world import make_user
    from weijian.orgs.models import Role

    world = setup.world
    run = lock(setup)
    p = pool(setup, run)
    money.calculate_pool(setup.hank, p)
    money.approve_pool(make_user("fay", Role.INSTITUTION_ADMIN, world.hospital), p)
    share = PoolShare.objects.get(pool=p, org_unit=world.surgery)
    with pytest.raises(AssessmentError, match="第2行（李护士）的工分“很多”不是数字"):
        money.propose_distribution(
            world.bob,
            share,
            [LineInput("张医生", "", "", "1", "10"), LineInput("李护士", "", "", "1", "很多")],
        )
    assert not hasattr(PoolShare.objects.get(pk=share.pk), "distribution")


def test_what_if_shows_winners_and_losers(setup):
    run = lock(setup)
    p = pool(setup, run)
    money.calculate_pool(setup.hank, p)
    draft = schemes.new_version(setup.hank, setup.scheme, "门急诊人次门槛下调")
    node = draft.nodes.get(code="2.1")
    schemes.save_node(
        setup.hank,
        draft,
        NodeInput(
            "2.1", "门急诊人次", "40", parent="2", source="INDICATOR",
            binding={"numerator": "#{OPD}", "name": "门急诊人次", "unit": "人次"}, method="bands",
            params={"bands": [[50, None, 40], [None, 50, 0]]},
        ),
        node,
    )  # fmt: skip
    result = whatif.what_if(setup.hank, draft, run)
    rows = {r.unit.code: r for r in result.rows}
    # 外科's 60 visits now reach ≥ 50 → 40 instead of 20: 75 → 95; 内科 unchanged at 101
    assert (rows["SUR"].before, rows["SUR"].after, rows["SUR"].change) == (D(75), D(95), D(20))
    assert rows["MED"].change == D(0)
    # money: weights 1010 and 95 × 20 = 1900 (Σ 2910): 内科 3470.79, 外科 6529.21
    assert (rows["SUR"].money_before, rows["SUR"].money_after) == (D("5976.10"), D("6529.21"))
    assert rows["MED"].money_change == D("3470.79") - D("4023.90")
    assert result.rows[0].unit.code == "SUR"  # winners first
    assert draft.status == "DRAFT"  # nothing was written
    assert run.results.get(org_unit__code="SUR").total == D(75)


def test_allocation_documents(setup):
    run = lock(setup)
    p = pool(setup, run)
    money.calculate_pool(setup.hank, p)
    book = load_workbook(io.BytesIO(money_outputs.allocation_xlsx(p)))
    rows = list(book["分配表"].iter_rows(min_row=4, values_only=True))
    assert rows[-1][0] == "合计" and rows[-1][7] == 10000.0
    assert money_outputs.allocation_docx(p, dt.date(2026, 5, 10))[:2] == b"PK"


# -- pages ----------------------------------------------------------------------------------------------


def test_money_pages(client, setup):
    from django.urls import reverse

    from tests.world import PASSWORD, make_user
    from weijian.orgs.models import Role

    world = setup.world
    run = lock(setup)
    client.login(username="hank", password=PASSWORD)
    form = {"name": "3月科室绩效", "kind": "PERFORMANCE", "amount": "10000.00", "basis": "score_x_base",
            "base_MED": "10", "base_SUR": "20", "veto_policy": "redistribute",
            "once": "a-form-token-of-one-page-load"}  # fmt: skip
    response = client.post(reverse("assessment:pool_new", args=[run.pk]), form)
    again = client.post(reverse("assessment:pool_new", args=[run.pk]), form, follow=True)
    assert "这张表单已经提交过" in again.content.decode()
    p = run.pools.get()  # the double click made one pool
    assert response.status_code == 302
    client.post(reverse("assessment:pool_action", args=[p.pk, "calculate"]))
    page = client.get(reverse("assessment:pool", args=[p.pk])).content.decode()
    assert "4023.90" in page and "5976.10" in page
    assert "资金总额 <b>10 000.00</b> 元" in page  # grouped as on the allocation table
    fay = make_user("fay", Role.INSTITUTION_ADMIN, world.hospital)
    money.approve_pool(fay, p)
    # the department sees its own share only, and splits it to its staff
    client.logout()
    client.login(username="bob", password=PASSWORD)
    page = client.get(reverse("assessment:pool", args=[p.pk])).content.decode()
    assert "5976.10" in page and "4023.90" not in page
    assert client.get(reverse("assessment:allocation_xlsx", args=[p.pk])).status_code == 404
    share = p.shares.get(org_unit=world.surgery)
    url = reverse("assessment:distribution", args=[p.pk, share.pk])
    client.post(url, {"lines": "张医生,主治医师,中级,1,60\n李护士,护士,初级,1,40"})
    # 5976.10 × 60 ÷ 100 = 3585.66, × 40 ÷ 100 = 2390.44
    assert [line.amount for line in share.distribution.lines.all()] == [D("3585.66"), D("2390.44")]
    response = client.post(url, {"lines": "张医生,主治医师,中级,1"}, follow=True)
    assert "第1行应为“姓名,岗位,职称,系数,工分”五项" in response.content.decode()
    assert share.distribution.lines.count() == 2
    client.logout()
    client.login(username="olivia", password=PASSWORD)
    assert client.get(reverse("assessment:pool", args=[p.pk])).status_code == 404
    assert client.get(url).status_code == 404


def test_whatif_page(client, setup):
    from django.urls import reverse

    from tests.world import PASSWORD

    run = lock(setup)
    schemes.new_version(setup.hank, setup.scheme)
    client.login(username="hank", password=PASSWORD)
    page = client.get(reverse("assessment:whatif", args=[setup.scheme.code]) + f"?run={run.pk}")
    assert "按第2版草稿计算" in page.content.decode()
    client.logout()
    client.login(username="alice", password=PASSWORD)
    assert client.get(reverse("assessment:whatif", args=[setup.scheme.code])).status_code == 404
