"""Each role's main job, at desktop width and on a 390 px phone, with pickers and clicks only —
no code typed anywhere (numbers, names and a pasted robot address are what people type).

    clerk      fills an overdue report from the task board and submits it (confirming)
    reviewer   narrows the review list with the unit picker (pinyin “wk” → 外科), approves,
               goes on with 下一份待审
    inspector  starts an inspection from pickers, scores items, submits
    office     creates a user in a department chosen in the org tree, sets up the hospital's
               group robot and sends a test message (a stub robot on loopback)
    bureau     builds a pivot with the indicator search, the org tree and the period picker,
               then sends 催报 from the completeness page to the late units
"""

import re
import shutil
import subprocess
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.indicators.test_analytics import element, indicator, put
from tests.reminders.stub import RobotStub
from tests.world import PASSWORD, make_user
from weijian.indicators.models import IndicatorType
from weijian.inspections import templates_io
from weijian.inspections.models import Inspection
from weijian.orgs.models import Role, RoleAssignment
from weijian.periods import Period
from weijian.reminders.models import Delivery
from weijian.reporting import actions
from weijian.reporting.models import Submission, SubmissionStatus

from ..inspections.conftest import SMALL

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
EMPTY = re.compile(r"\bempty-required\b")  # a required cell still empty
FULL = {("OPD", "MALE"): "120", ("OPD", "FEMALE"): "130", ("DIS", "default"): "40"}


def session(browser, base, username, size):
    # reduced motion: charts drawn at once, so the screenshots show them
    context = browser.new_context(viewport=SIZES[size], locale="zh-CN", reduced_motion="reduce")
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # confirmations are answered 确定
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("h1:has-text('我的待办')")
    return context, page


def menu(page, group, item):
    page.click(f"header nav summary:has-text('{group}')")
    page.click(f"header nav a:has-text('{item}')")


def pick_unit(page, search=None, expand=(), choose=""):
    """Open the org picker, search (name or pinyin initials) or expand the tree, choose."""
    page.click(".unit-picker .picker-toggle >> nth=0")
    if search:
        page.fill(".unit-picker .picker-search >> nth=0", search)
    for name in expand:
        page.click(f".unit-picker .picker-row:has(.picker-choice:text-is('{name}')) .picker-expand")
    page.click(f".unit-picker .picker-choice:text-is('{choose}')")


@pytest.fixture
def robot(settings):
    stub = RobotStub()
    settings.WEIJIAN_WEBHOOK_HOSTS = [stub.host]
    yield stub
    stub.close()


@pytest.mark.parametrize("size", SIZES)
def test_clerk_submits_an_overdue_report(browser, live_server, world, screenshot, tmp_path, size):
    context, page = session(browser, live_server.url, "alice", size)
    screenshot(page, f"role-clerk-{size}-1-board")
    page.click("#overdue a:has-text('门急诊与住院工作量月报') >> nth=0")
    page.wait_for_selector("h1:has-text('门急诊与住院工作量月报')")
    period_id = page.url.rstrip("/").split("/")[-1]
    page.fill("input[name='v:OPD:MALE']", "120")
    page.fill("input[name='v:OPD:FEMALE']", "130")
    expect(page.locator("tr:has(input[name='v:DIS:default'])")).to_have_class(EMPTY)
    page.fill("input[name='v:DIS:default']", "40")
    expect(page.locator("tr:has(input[name='v:DIS:default'])")).not_to_have_class(EMPTY)
    screenshot(page, f"role-clerk-{size}-2-filled")
    page.click("button[value=submit]")
    page.wait_for_selector("text=已保存并上报")
    screenshot(page, f"role-clerk-{size}-3-submitted")
    submission = Submission.objects.get(org_unit=world.medicine, period_id=period_id)
    assert submission.status == SubmissionStatus.SUBMITTED

    # 打印 / 另存为 PDF: the printable page, saved as PDF the way the browser's dialog does
    page.click("a:has-text('打印 / 另存为 PDF')")
    page.wait_for_selector("h1.paper-title")
    screenshot(page, f"role-clerk-{size}-4-print")
    if size == "desktop" and shutil.which("pdftotext"):
        pdf = tmp_path / "form.pdf"
        page.pdf(path=str(pdf), format="A4")
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        assert "门急诊与住院工作量月报" in text and "填报人（签字）" in text and "120" in text
    context.close()


@pytest.mark.parametrize("size", SIZES)
def test_reviewer_filters_by_picker_approves_and_goes_on(
    browser, live_server, world, screenshot, size
):
    for clerk, unit in ((world.alice, world.medicine), (world.bob, world.surgery)):
        for period in ("202601", "202602"):
            actions.save_values(clerk, world.form, unit, period, FULL)
            actions.submit(clerk, world.form, unit, period)
    context, page = session(browser, live_server.url, "rita", size)
    menu(page, "数据上报", "报表审核")
    pick_unit(page, search="wk", choose="人民医院 / 外科")  # 外(wài)科(kē)
    page.click("#review-filters button:has-text('筛选')")
    expect(page.locator("#review-table tbody tr")).to_have_count(2)
    screenshot(page, f"role-reviewer-{size}-1-filtered")
    page.click("#review-table tbody a >> nth=0")
    page.click("#review button[value=APPROVE]")
    page.wait_for_selector("text=已审核通过")
    screenshot(page, f"role-reviewer-{size}-2-next")
    page.click("#next-report")
    page.click("#review button[value=APPROVE]")
    page.wait_for_selector("text=已审核通过")
    # 下一份待审 stayed inside the list narrowed to 外科: its January, then its February
    # (内科's reports waited as long but lie outside the filter)
    approved = Submission.objects.filter(status=SubmissionStatus.APPROVED)
    assert sorted(approved.values_list("org_unit__code", "period_id")) == [
        ("SUR", "202601"),
        ("SUR", "202602"),
    ]
    assert approved.filter(reviewed_by=world.rita).count() == 2
    context.close()


@pytest.mark.parametrize("size", SIZES)
def test_inspector_scores_and_submits(
    browser, live_server, world, screenshot, settings, tmp_path, size
):
    settings.MEDIA_ROOT = tmp_path / "media"
    templates_io.load_builtin([SMALL])
    make_user("ivan", Role.INSPECTOR, world.hospital)
    context, page = session(browser, live_server.url, "ivan", size)
    menu(page, "督查检查", "检查任务")
    page.select_option("select[name=template]", label="科室院感质量考核表（测试）")
    page.select_option("select[name=unit]", label="人民医院 / 内科")
    page.click("form[action$='/start/'] button:has-text('开始检查')")
    page.wait_for_selector("h1:has-text('科室院感质量考核表')")
    # every item marked by a click: 1.1 and 1.2 符合 (6 + 4), 2.1 达标 (5), 2.2 graded 3 of 5,
    # 3.1 无否决情形 → 6 + 4 + 5 + 3 = 18 of 20
    page.check("input[aria-label='1.1 符合']")
    page.check("input[aria-label='1.2 符合']")
    page.check("input[aria-label='2.1 达标']")
    page.select_option("select[aria-label='2.2 得分']", "3")
    page.check("input[aria-label='3.1 无否决情形']")
    expect(page.locator("[data-testid=score]")).to_have_text("18")
    screenshot(page, f"role-inspector-{size}-1-scoring")
    page.fill("#present", "王主任、李护士长")  # who was there: names, not codes
    page.click("button:has-text('提交检查')")
    page.wait_for_selector("text=检查已提交")
    screenshot(page, f"role-inspector-{size}-2-submitted")
    inspection = Inspection.objects.get()
    assert (inspection.status, inspection.score) == ("SUBMITTED", Decimal(18))
    context.close()


@pytest.mark.parametrize("size", SIZES)
def test_office_adds_a_user_and_its_group_robot(
    browser, live_server, world, screenshot, robot, size
):
    make_user("ingrid", Role.INSTITUTION_ADMIN, world.hospital)
    context, page = session(browser, live_server.url, "ingrid", size)
    page.click("header nav a:has-text('人员与角色')")
    page.fill("#new-person input[name=name]", "张三")
    page.fill("#new-person input[name=username]", "zhangsan")
    page.click("#new-person .unit-picker .picker-toggle")
    page.click("#new-person .picker-row:has(.picker-choice:text-is('人民医院')) .picker-expand")
    page.click("#new-person .picker-choice:text-is('内科')")
    page.select_option("#new-person select[name=role]", label="科室填报员")
    screenshot(page, f"role-office-{size}-1-new-user")
    page.click("#new-person button:has-text('新建')")
    page.wait_for_selector("#temporary-password")
    screenshot(page, f"role-office-{size}-2-temporary-password")
    assignment = RoleAssignment.objects.get(user__username="zhangsan")
    assert (assignment.role, assignment.org_unit.code) == (Role.CLERK, "MED")

    menu(page, "数据上报", "提醒设置")
    page.select_option("#add-channel select[name=kind]", label="企业微信群机器人")
    page.fill("#add-channel input[name=name]", "院办工作群")
    page.fill("#add-channel input[name=target]", robot.url())
    page.click("#add-channel button:has-text('添加')")
    page.click("button:has-text('发送测试')")
    page.wait_for_selector("text=测试消息：已发送")
    screenshot(page, f"role-office-{size}-3-robot")
    assert robot.texts() == [
        "【卫健工作台·提醒测试】人民医院的“院办工作群”已能收到催报和每日提醒。"
    ]
    context.close()


@pytest.fixture
def cure(world):
    january = Period.parse("202601")
    cured, patients = element("CURED"), element("PATIENTS")
    for unit, done, of in ((world.medicine, 46, 50), (world.surgery, 30, 40)):
        put(cured, unit, january, done)
        put(patients, unit, january, of)
    rate = indicator("CURE", "#{CURED}", "#{PATIENTS}", IndicatorType.PERCENT, decimals=1)
    rate.name, rate.unit, rate.group = "治愈率", "%", "医疗质量"
    rate.save()
    return rate


@pytest.mark.parametrize("size", SIZES)
def test_bureau_pivots_with_pickers_and_urges_the_late(
    browser, live_server, world, screenshot, robot, cure, size
):
    from weijian.reminders.actions import add_channel

    add_channel(world.admin, world.bureau, "WECOM", "局办公室群", robot.url())
    context, page = session(browser, live_server.url, "admin", size)
    menu(page, "指标分析", "数据透视")
    page.fill(".indicator-search", "zyl")  # 治(zhì)愈(yù)率(lǜ) by its initials
    page.check(".indicator-option:visible input[value=CURE]")
    expect(page.locator(".indicator-chosen")).to_have_text("1")
    pick_unit(page, expand=["示范局"], choose="人民医院")
    page.select_option("select[name=ous]", label="下级各单位")
    page.select_option(".period-kind", label="按月")
    page.select_option("select[name=pe]", label="2026年1月")
    screenshot(page, f"role-bureau-{size}-1-pivot-form")
    page.click("button:has-text('查询')")
    # 内科 46 / 50 = 92 %, 外科 30 / 40 = 75 % (written as the API writes numbers)
    expect(page.locator("table.pivot tr:has-text('内科') td")).to_have_text("92")
    expect(page.locator("table.pivot tr:has-text('外科') td")).to_have_text("75")
    screenshot(page, f"role-bureau-{size}-2-pivot")

    menu(page, "数据上报", "上报情况")
    page.select_option(".period-kind", label="按月")
    page.select_option("select[name=period]", label="2026年1月")  # submits itself
    page.wait_for_selector("h1:has-text('上报情况 · 2026年1月')")
    page.click("a:has-text('门急诊与住院工作量月报')")
    page.click("#urge-all")
    page.wait_for_selector("text=已向 3 个单位发出催报")
    screenshot(page, f"role-bureau-{size}-3-urged")
    assert len(robot.received) == 3  # 内科, 外科 and 城关卫生院 have not reported January
    assert Delivery.objects.filter(kind="URGE", status="SENT").count() == 3
    context.close()


@pytest.mark.parametrize("size", SIZES)
def test_a_returned_report_comes_back_with_its_changes_marked(
    browser, live_server, world, screenshot, size
):
    """The clerk corrects a returned report by clicks from the task board; the reviewer sees
    last month and last year beside each cell and the corrected cell marked old → new."""
    actions.save_values(
        world.alice, world.form, world.medicine, "202512", {("DIS", "default"): "38"}
    )
    actions.save_values(
        world.alice, world.form, world.medicine, "202501", {("DIS", "default"): "31"}
    )
    actions.save_values(world.alice, world.form, world.medicine, "202601", FULL)
    submission = actions.submit(world.alice, world.form, world.medicine, "202601")
    actions.return_for_correction(world.rita, submission, "出院人次偏低，请核对")

    context, page = session(browser, live_server.url, "alice", size)
    page.click("#returned a:has-text('门急诊与住院工作量月报')")
    page.wait_for_selector("text=退回原因：出院人次偏低，请核对")
    page.fill("input[name='v:DIS:default']", "44")
    page.fill("input[name=reason]", "补录出院病人")
    screenshot(page, f"role-return-{size}-1-clerk-corrects")
    page.click("button[value=submit]")
    page.wait_for_selector("text=已保存并上报")
    context.close()

    context, page = session(browser, live_server.url, "rita", size)
    page.goto(f"{live_server.url}/forms/WORK/MED/202601/")
    changed = page.locator("tr.changed")
    expect(changed).to_have_count(1)
    expect(changed).to_contain_text("退回后修改：40 → 44")
    expect(changed).to_contain_text("上期 38 · 去年同期 31")
    expect(page.locator("#changes-since-return")).to_contain_text("退回后修改了 1 项")
    screenshot(page, f"role-return-{size}-2-reviewer-sees-changes")
    context.close()
