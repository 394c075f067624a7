"""On a phone: the infection office scores its items on its sheet, the hospital starts the 公示,
the surgery department sees its result in the 公示 and appeals, the reviewer rules, and after
the window the run is locked; the 公示 .docx (and, after the lock, the 通报) renders in
LibreOffice (PNGs in var/screenshots/)."""

import datetime as dt
import shutil
from decimal import Decimal as D

import pytest
import time_machine

from tests.assessment.conftest import build_scheme
from tests.assessment.helpers import report
from tests.rendering import needs_office, page_texts, squeezed, to_pdf, to_pngs
from tests.world import PASSWORD, make_user
from weijian.assessment.actions import runs, schemes
from weijian.assessment.models import Appeal, Run, Stage, UnitResult
from weijian.indicators.models import Indicator
from weijian.orgs.models import Role
from weijian.reporting.models import SubmissionStatus

from .conftest import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def log_in(browser, base, username, viewport=PHONE):
    context = browser.new_context(viewport=viewport, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("h1:has-text('我的待办')")
    return context, page


@pytest.fixture
def run(world):
    Indicator.objects.create(
        code="DIS_SHARE", name="出院人次占门急诊比例", numerator="#{DIS}", denominator="#{OPD}",
        type="PERCENT", numerator_description="出院人次", denominator_description="门急诊人次",
    )  # fmt: skip
    hank = make_user("hank", Role.INSTITUTION_ADMIN, world.hospital)
    ivan = make_user("ivan", Role.INSPECTOR, world.hospital)
    office = schemes.save_office(hank, world.hospital, "院感科", [ivan])
    scheme = build_scheme(world, hank, office)
    report(world, world.medicine, "202603", SubmissionStatus.LOCKED, OPD=1000, DIS=80)
    report(world, world.surgery, "202603", SubmissionStatus.LOCKED, OPD=60, DIS=3)
    found = runs.start_run(hank, scheme, "202603")
    for stage in (Stage.COLLECT, Stage.SELF):
        found = runs.advance(hank, found, stage)
    return found


def score(page, unit: str, code: str, value: str, reason: str = ""):
    page.fill(f"input[aria-label='{unit} {code} 得分']", value)
    if reason:
        page.fill(f"input[aria-label='{unit} {code} 理由']", reason)
    page.click(f"form:has(input[aria-label='{unit} {code} 得分']) button:has-text('评分')")
    page.wait_for_selector(".messages li")


def test_score_publicity_appeal_ruling_and_lock_on_a_phone(
    browser, live_server, world, run, screenshot, tmp_path
):
    base = live_server.url

    # 1. 院感科 (ivan) scores its items on the sheet, on a phone
    context, page = log_in(browser, base, "ivan")
    page.click("header nav summary:has-text('考核绩效')")
    page.click("header nav a:has-text('考核方案与结果')")
    page.click("a:has-text('本科室待评分 4 项')")
    page.wait_for_selector("h1:has-text('本科室评分表')")
    screenshot(page, "assess-01-sheet-phone")
    score(page, "内科", "1.2", "45", "x")
    assert "得分 45 超过本项分值 40 分" in page.inner_text(".messages")
    score(page, "内科", "1.2", "36", "手卫生依从性 85%")
    score(page, "内科", "B.1", "3")
    score(page, "外科", "1.2", "30", "无菌操作不规范2处")
    score(page, "外科", "B.1", "0")
    # 内科 16 + 36 + 40 + 3 = 95; 外科 10 + 30 + 20 + 0 = 60
    assert UnitResult.objects.get(run=run, org_unit=world.medicine).total == D(95)
    context.close()

    # 2. the hospital's manager moves on to 公示 from the run page
    context, page = log_in(browser, base, "hank", DESKTOP)
    page.goto(f"{base}/assessment/runs/{run.pk}/")
    page.click("button:has-text('进入下一环节')")  # 初评 → 复核
    page.wait_for_selector(".stages li.now:has-text('复核')")
    page.click("button:has-text('开始公示')")
    page.wait_for_selector(".stages li.now:has-text('公示')")
    screenshot(page, "assess-02-run-desktop")
    with page.expect_download() as download:
        page.click("a:has-text('公示 Word')")
    publicity = tmp_path / "公示.docx"
    download.value.save_as(publicity)
    context.close()
    check_publicity(publicity)

    # 3. 外科 (bob) sees the 公示 and appeals its 院感 score
    context, page = log_in(browser, base, "bob")
    page.goto(f"{base}/assessment/runs/{run.pk}/")
    ranking = page.inner_text("[data-testid=ranking]")
    assert "内科" in ranking and "外科" in ranking and "95" in ranking
    page.click("a:has-text('外科的考核结果与扣分说明')")
    assert page.inner_text("[data-testid=total]") == "60"
    assert "无菌操作不规范2处" in page.inner_text("table.items")
    screenshot(page, "assess-03-unit-phone")
    page.select_option("#appeal-node", label="1.2 院感管理")
    page.fill("#appeal-text", "无菌操作问题已当场整改，请复核扣分")
    page.click("button:has-text('提交申诉')")
    page.wait_for_selector(".messages li:has-text('申诉已提交')")
    # the same appeal sent again (a resent form) is refused, nothing doubled
    page.select_option("#appeal-node", label="1.2 院感管理")
    page.fill("#appeal-text", "无菌操作问题已当场整改，请复核扣分")
    page.click("button:has-text('提交申诉')")
    page.wait_for_selector(".messages li:has-text('正在等待裁定')")
    assert Appeal.objects.count() == 1
    context.close()

    # 4. the reviewer (rita) upholds it in part
    context, page = log_in(browser, base, "rita")
    page.goto(f"{base}/assessment/runs/{run.pk}/")
    page.fill("input[aria-label='裁定后得分']", "35")
    page.fill("input[aria-label='裁定意见']", "整改属实，扣分减半")
    page.click("#appeals button:has-text('裁定')")
    page.wait_for_selector(".messages li:has-text('申诉已裁定')")
    # 外科 60 − 30 + 35 = 65
    assert UnitResult.objects.get(run=run, org_unit=world.surgery).total == D(65)
    context.close()

    # 5. after the window the manager locks the run and downloads the 公示 (now the 通报)
    found = Run.objects.get(pk=run.pk)
    with time_machine.travel(
        dt.datetime.combine(found.publicity_end + dt.timedelta(days=1), dt.time(9)), tick=True
    ):
        context, page = log_in(browser, base, "hank", DESKTOP)
        page.goto(f"{base}/assessment/runs/{run.pk}/")
        page.click("button:has-text('定稿并锁定')")
        page.wait_for_selector(".stages li.now:has-text('定稿')")
        with page.expect_download() as download:
            page.click("a:has-text('结果通报 Word')")
        document = tmp_path / "通报.docx"
        download.value.save_as(document)
        context.close()
    assert Run.objects.get(pk=run.pk).stage == Stage.FINAL
    check_rendering(document)


@needs_office
def check_publicity(document):
    """The 公示 as the department sees it during the window: its title, the window, the ranking."""
    pdf = to_pdf(document)
    text = squeezed("".join(page_texts(pdf)))
    assert squeezed("关于2026年3月人民医院科室月度考核结果的公示") in text
    assert "公示期为" in text and "如有异议" in text
    assert squeezed("人民医院/内科") in text and "95" in text and "60" in text
    for index, png in enumerate(to_pngs(pdf, dpi=70), start=1):
        shutil.copy(png, SCREENSHOTS / f"assess-02-publicity-{index}.png")


@needs_office
def check_rendering(document):
    pdf = to_pdf(document)
    text = squeezed("".join(page_texts(pdf)))
    assert squeezed("关于2026年3月人民医院科室月度考核结果的通报") in text
    assert squeezed("人民医院/外科") in text and "65" in text
    for index, png in enumerate(to_pngs(pdf, dpi=70), start=1):
        shutil.copy(png, SCREENSHOTS / f"assess-04-publicity-{index}.png")
