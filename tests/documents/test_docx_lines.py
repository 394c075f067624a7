"""What LibreOffice prints at the ends of lines and in tables (issue 11 item 10, readers of
2026-12-07 23:30): a line-end "，" missing from the PDF, indicator names wrapped to three lines
in a narrow first column, and the font each role gets from our fontconfig. Rendered with
LibreOffice headless and read back with pdftotext (tests/rendering.py)."""

import io
import os
import re
import shutil
import subprocess

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from tests.rendering import needs_office, page_texts, to_pdf
from weijian.documents import FONTCONFIG
from weijian.documents.docx import OfficialDocument, fitted_widths, text_columns

PUNCTUATION = "，、。"

# Paragraphs from the examples whose line-end punctuation LibreOffice 7.4 dropped:
# - a full line of 28 characters ("患者死亡、…和评审" is 28), so its "，" is the 29th and hangs
#   into the margin, where LibreOffice does not paint it in a justified line;
# - a "，" as the 28th character before a figure ("2月10日"), hung the same way.
# And one whose "，" is the 28th before a Chinese character: it ends its line, as it always did.
HANGING = (
    "2．由医务科牵头，护理部配合，于2026年8月底前对住院患者死亡、院内压力性损伤增加的情况逐例"
    "开展原因分析和评审，查找风险环节，落实风险评估和防范措施，坚决遏制上升势头。"
)
BEFORE_FIGURE = "卫生健康" * 6 + "卫，2月10日健康。"  # 2 (indent) + 25 + "，" = 28th
AT_LINE_END = "二是深化公立医院综合改革。深入推进紧密型医共体建设，二月十日，成立互认中心。"


def read(doc: OfficialDocument):
    return docx.Document(io.BytesIO(doc.to_bytes()))


def _lines(pdf) -> list[str]:
    return [line.strip() for page in page_texts(pdf) for line in page.splitlines() if line.strip()]


def test_the_body_keeps_line_end_punctuation_inside_the_text_block():
    """w:overflowPunct is set on, explicitly, in the Normal style: Word's own default (so
    Word prints as before), and what LibreOffice 7.4 reads, inverted, as no hanging."""
    doc = OfficialDocument("测试")
    normal = doc._doc.styles["Normal"].element.pPr
    assert normal.find(qn("w:overflowPunct")).get(qn("w:val")) == "1"
    # the schema's order: after widowControl, before spacing (Word refuses a file otherwise)
    tags = [child.tag for child in normal]
    assert tags.index(qn("w:widowControl")) < tags.index(qn("w:overflowPunct"))
    assert tags.index(qn("w:overflowPunct")) < tags.index(qn("w:spacing"))


@needs_office
def test_line_end_commas_are_printed(tmp_path):
    doc = OfficialDocument("测试")
    for text in (HANGING, BEFORE_FIGURE, AT_LINE_END):
        doc.paragraph(text)
    path = tmp_path / "commas.docx"
    doc.save(path)
    lines = _lines(to_pdf(path))
    printed = "".join(lines)
    source = HANGING + BEFORE_FIGURE + AT_LINE_END
    for mark in PUNCTUATION:  # every mark of the text is on the page (without the fix: 2 lost)
        assert printed.count(mark) == source.count(mark), (mark, lines)
    assert not [line for line in lines if line[0] in PUNCTUATION], lines  # 避头: none leads
    # a "，" that fits as a line's 28th character still ends that line
    assert "二是深化公立医院综合改革。深入推进紧密型医共体建设，" in lines, lines


# The indicator table of 区人民医院 2026年上半年 as tables.py sizes it (33 mm for the names).
HEADER = ["指标", "2026年1—6月", "目标", "2025年1—6月", "同比", "完成情况"]
ROWS = [
    ["病床使用率（%）", "89.81", "—", "87.45", "+2.36个百分点", "—"],
    ["抗菌药物使用强度（DDDs/百人天）", "32.95", "40", "35.19", "−2.24", "达标"],
    ["门诊抗菌药物处方比例（%）", "11.71", "—", "11.76", "持平", "—"],
    ["压力性损伤发生率（%）", "0.18", "—", "0.14", "+0.04个百分点", "—"],
]
WIDTHS = [33, 24, 17, 24, 36, 22]


def test_the_names_column_takes_the_room_the_figures_do_not_need():
    # A cell needs (printed width × 12 pt × 0.3528 mm) + 3.8 mm margins + 1 mm:
    # - 2026年1—6月 breaks after 年: "2026年" is 2 + 1 + ¼ (autospace) = 3.25 wide → 18.56 mm,
    #   24 given → 5.44 spare; 2025年1—6月 the same;
    # - 目标: "目标" 2 wide → 13.27 mm, 17 given → 3.73 spare;
    # - 同比: "+2.36个百分点" 2.5 + 4 + ¼ = 6.75 → 33.38 mm, 36 given → 2.63 spare;
    # - 完成情况: 4 wide → 21.73 mm, 22 given → 0.27 spare; in all 17.51 mm spare.
    # The longest name, "抗菌药物使用强度（DDDs/百人天）", is 8 + 1 + 2.5 + 3 + 1 + ½ = 16 wide,
    # 72.5 mm on one line: the names take all 17.51 mm, 33 → 50.5 mm.
    widths = fitted_widths(HEADER, ROWS, WIDTHS)
    assert widths == pytest.approx([50.5, 18.6, 13.3, 18.6, 33.4, 21.7], abs=0.05)
    assert sum(widths) == pytest.approx(156, abs=0.2)  # the text block, as given


def test_columns_already_wide_enough_are_left_as_given():
    # a notice's 序号 column needs 1 character (9 mm) of its 14: nothing moves
    header, rows = ["序号", "问题", "整改要求", "时限"], [["1", "台账不全", "补齐台账", "7日"]]
    assert fitted_widths(header, rows, [14, 36, 86, 20]) == [14, 36, 86, 20]


def test_a_figure_column_too_narrow_takes_from_names_that_fit_in_two_lines():
    # "12.35" is 2.5 wide → 10.58 + 4.8 = 15.38 mm, 1.38 more than its 14; the name (10 wide)
    # fits two lines in (5 + 1) × 4.23 + 4.8 = 30.2 mm, so its 40 can give: 40 − 1.38 = 38.62
    widths = fitted_widths(["指标", "值"], [["门急诊人次（万人次）", "12.35"]], [40, 14])
    assert widths == pytest.approx([38.6, 15.4], abs=0.05)


@needs_office
def test_indicator_names_wrap_to_two_lines_at_most_and_figures_to_none(tmp_path):
    doc = OfficialDocument("测试")
    doc.table(HEADER, ROWS, caption="上半年主要指标完成情况", column_widths_mm=WIDTHS)
    path = tmp_path / "table.docx"
    doc.save(path)
    lines = _lines(to_pdf(path))
    # 50.5 mm less 3.8 mm of margins holds 11 characters at 小四: the longest name (16 wide)
    # takes two lines, "门诊抗菌药物处方比例（%）" (12.5) two, the others one
    assert "抗菌药物使用强度" in lines and "（DDDs/百人天）" in lines, lines
    assert "病床使用率（%） 89.81 — 87.45 +2.36 个百分点 —" in [" ".join(x.split()) for x in lines]
    for figure in ("32.95", "35.19", "−2.24", "+0.04 个百分点"):  # each on one line, whole
        assert any(figure in line for line in lines), figure


@needs_office
def test_a_long_table_repeats_its_header_on_the_next_page(tmp_path):
    doc = OfficialDocument("测试")
    doc.table(HEADER, ROWS * 12, caption="主要指标", column_widths_mm=WIDTHS)  # 48 rows
    path = tmp_path / "long.docx"
    doc.save(path)
    pages = page_texts(to_pdf(path))
    assert len(pages) >= 2
    for page in pages:  # each page's table starts with the header row (指标 … 完成情况)
        assert re.search(r"指标\s+目标\s+同比\s+完成情况", page), page[:300]


def test_fangsong_is_mapped_to_a_free_fangsong_face_before_noto():
    """仿宋 (the body) goes to an installed FangSong first: the office's own, else FandolFang
    (Debian's texlive-lang-chinese, GPL; its directory is not one fontconfig scans, so our
    file adds it), else Noto Serif CJK SC."""
    text = FONTCONFIG.read_text()
    assert "<dir>/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol</dir>" in text
    for family in ("仿宋_GB2312", "仿宋"):
        alias = re.search(rf"<family>{family}</family><prefer>(.*?)</prefer>", text).group(1)
        faces = re.findall(r"<family>([^<]+)</family>", alias)
        assert faces.index("FandolFang") < faces.index("Noto Serif CJK SC"), faces


@pytest.mark.skipif(not shutil.which("fc-match"), reason="fontconfig's fc-match missing")
def test_the_body_face_is_fandol_fang_where_installed_else_noto_serif():
    env = {**os.environ, "FONTCONFIG_FILE": str(FONTCONFIG)}
    installed = subprocess.run(
        ["fc-list", "FandolFang", "family"], capture_output=True, text=True, env=env
    ).stdout.strip()
    matched = subprocess.run(
        ["fc-match", "-f", "%{family}", "仿宋_GB2312"], capture_output=True, text=True, env=env
    ).stdout
    assert ("FandolFang" if installed else "Noto Serif CJK SC") in matched


# The 2027 plan's target table (plan_targets.py: 34, 28, 20, 74 mm): a figure with its months
# beside a column of prose.
PLAN_HEADER = ["指标", "2026年1—11月实际", "2027年目标", "测算依据"]
PLAN_ROWS = [
    [
        "高血压规范管理率（%）",
        "73.12（1—10月）",
        "75",
        "已超过原定目标65%；近两年年均提高1.4个百分点，73.12+1.4=74.52，确定为75%",
    ],
    ["门急诊人次（万人次）", "5.00", "5.67", "1—11月门诊、急诊合计5.00万人次×12÷11=5.45万人次"],
]


def test_a_figure_too_wide_for_its_column_takes_room_from_the_prose_column():
    # "73.12（1—10月）": 2.5 + 1 + 2 + 2 + ¾ (three changes of script) = 8.25 wide → 39.73 mm
    # on one line, 11.73 more than its 28 mm. The names give first, down to their longest,
    # "高血压规范管理率（%）" (8 + 1 + ½ + 1 + ½ = 11 wide), in two lines: (5.5 + 1) × 4.23 +
    # 4.8 = 32.32 mm, so 1.68 of their 34. 测算依据 needs far more than twice its 74 mm: it is
    # prose and gives the other 10.05 (of up to 40 %): 63.95. Then the names take the 2027年目标
    # column's spare: it needs "2027年" (3.25 wide) 18.56 mm of its 20, so 1.44: 33.76.
    widths = fitted_widths(PLAN_HEADER, PLAN_ROWS, [34, 28, 20, 74])
    assert widths == pytest.approx([33.8, 39.7, 18.6, 64.0], abs=0.05)
    assert text_columns(PLAN_HEADER, PLAN_ROWS, widths) == {3}


@needs_office
def test_the_plan_table_keeps_figures_whole_and_sets_its_prose_flush_left(tmp_path):
    doc = OfficialDocument("测试")
    doc.table(PLAN_HEADER, PLAN_ROWS, caption="主要指标目标", column_widths_mm=[34, 28, 20, 74])
    table = read(doc).tables[0]
    assert table.rows[1].cells[3].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert table.rows[1].cells[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
    path = tmp_path / "plan.docx"
    doc.save(path)
    lines = _lines(to_pdf(path))
    # without the fit the figure broke: "73.12（1—10" / "月）"
    assert any("73.12（1—10 月）" in line for line in lines), lines
