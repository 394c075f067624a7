"""The 公示 and the 考核结果通知 as LibreOffice renders them: A4 pages with the title, the
ranking and the deductions; the PNGs land in var/screenshots/ for a person to look at."""

import datetime as dt
import shutil

from tests.browser.conftest import SCREENSHOTS
from tests.rendering import needs_office, page_texts, squeezed, to_pdf, to_pngs
from weijian.assessment import outputs
from weijian.assessment.actions import runs
from weijian.assessment.models import UnitResult
from weijian.reporting.models import SubmissionStatus

from .helpers import report


@needs_office
def test_publicity_and_result_notice_render(setup, tmp_path):
    world = setup.world
    report(world, world.medicine, "202603", SubmissionStatus.LOCKED, OPD=1000, DIS=80)
    report(world, world.surgery, "202603", SubmissionStatus.LOCKED, OPD=60, DIS=3)
    run = runs.start_run(setup.hank, setup.scheme, "202603", today=dt.date(2026, 4, 15))
    day = dt.date(2026, 4, 20)
    publicity = tmp_path / "publicity.docx"
    publicity.write_bytes(outputs.publicity_docx(run, day))
    result = UnitResult.objects.get(run=run, org_unit=world.surgery)
    notice = tmp_path / "notice.docx"
    notice.write_bytes(outputs.result_notice_docx(run, result, day))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for path, expected in (
        (
            publicity,
            ["关于2026年3月人民医院科室月度考核结果的公示", "人民医院/内科", "56", "2026年4月20日"],
        ),
        (notice, ["外科：", "考核得分30分", "扣分情况", "门急诊人次=60人次"]),
    ):
        pdf = to_pdf(path)
        text = squeezed("".join(page_texts(pdf)))
        for phrase in expected:
            assert squeezed(phrase) in text, phrase
        pngs = to_pngs(pdf, dpi=70)
        assert pngs
        for index, png in enumerate(pngs, start=1):
            shutil.copy(png, SCREENSHOTS / f"assessment-{path.stem}-{index}.png")
