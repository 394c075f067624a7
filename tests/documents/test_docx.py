"""The official-format Word writer: layout facts read back from the .docx, and a real render."""

import datetime as dt
import os
import re
import shutil
from dataclasses import dataclass
from decimal import Decimal

import docx
import pytest
from docx.shared import Pt

from tests.rendering import fonts, needs_office, page_texts, squeezed, to_pdf, to_pngs
from weijian.documents.docx import Highlight, OfficialDocument, chinese_number, heading_label


@dataclass(frozen=True)
class FakeFigure:  # anything with .text prints as its text, e.g. the narrative's figures
    text: str
    value: Decimal


@pytest.mark.parametrize(
    ("n", "words"), [(1, "一"), (9, "九"), (10, "十"), (12, "十二"), (20, "二十"), (35, "三十五")]
)
def test_chinese_numbers(n, words):
    assert chinese_number(n) == words


def test_heading_labels_by_level():
    assert [heading_label(level, 2) for level in (1, 2, 3, 4)] == ["二、", "（二）", "2.", "（2）"]


def sample() -> OfficialDocument:
    doc = OfficialDocument(
        "关于调整医院感染管理委员会的通知",
        letterhead="示范区人民医院文件",
        doc_number="示医发〔2026〕12号",
    )
    doc.addressee("各科室：")
    doc.paragraph("为进一步加强医院感染管理工作，经院长办公会研究，决定调整医院感染管理委员会。")
    doc.heading("组织机构")
    doc.heading("主任委员", level=2)
    doc.paragraph(["门急诊人次达", FakeFigure("12.35万人次", Decimal("123456")), "。"])
    doc.heading("委员", level=2)
    doc.heading("工作职责")
    doc.heading("主要任务", level=2)  # restarts at （一） under a new 一、-level heading
    doc.paragraph([Highlight("坚持以人民健康为中心。", note="模板文字，请核对")])
    doc.table(["指标", "目标值", "完成值"], [["门急诊人次", "12万", "12.35万"]], caption="表1")
    doc.attachments(["委员会成员名单"])
    doc.signature("示范区人民医院", dt.date(2026, 11, 23))
    doc.colophon(cc=["区卫生健康局"], printed_by="示范区人民医院办公室", day=dt.date(2026, 11, 23))
    return doc


def test_layout_follows_gbt_9704(tmp_path):
    path = tmp_path / "notice.docx"
    sample().save(path)
    read = docx.Document(str(path))
    section = read.sections[0]

    # A4 with a 156 × 225 mm text block: 210 − 28 − 26 = 156, 297 − 37 − 35 = 225
    def mm(length):  # Word stores twips: compare to the millimetre
        return round(length.mm)

    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    assert (mm(section.left_margin), mm(section.right_margin)) == (28, 26)
    assert (mm(section.top_margin), mm(section.bottom_margin)) == (37, 35)
    texts = [p.text for p in read.paragraphs]
    assert "一、组织机构" in texts and "二、工作职责" in texts
    assert texts.count("（一）主任委员") == 1 and "（二）委员" in texts
    assert texts.count("（一）主要任务") == 1  # numbering restarted under 二、
    assert "门急诊人次达12.35万人次。" in texts
    assert "2026年11月23日" in texts
    title = next(p for p in read.paragraphs if p.text == "关于调整医院感染管理委员会的通知")
    run = title.runs[0]
    assert run.font.size == Pt(22)  # 2号
    east_asian = run._element.rPr.rFonts.get(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
    )
    assert east_asian == "方正小标宋简体"
    highlighted = [r for p in read.paragraphs for r in p.runs if r.font.highlight_color]
    assert [r.text for r in highlighted] == ["坚持以人民健康为中心。"]
    # The font table declares the fallbacks Word and WPS use when an office font is missing.
    font_table = next(
        r.target_part for r in read.part.rels.values() if r.reltype.endswith("/fontTable")
    )
    assert "方正小标宋简体".encode() in font_table.blob and "仿宋".encode() in font_table.blob


@needs_office
def test_renders_in_libreoffice_with_page_numbers_and_cjk_fonts(tmp_path):
    doc = sample()
    for number in range(40):  # enough body text for a second page
        doc.paragraph(f"第{number + 1}段：各科室要高度重视，认真落实各项措施，确保工作取得实效。")
    path = tmp_path / "long.docx"
    doc.save(path)
    pdf = to_pdf(path)
    pages = page_texts(pdf)
    assert len(pages) >= 2
    assert all(page.strip() for page in pages), "no empty pages"
    # "— 1 —" (pdftotext drops the thin spaces), odd pages at the right
    assert re.search(r"—\s*1\s*—\s*$", pages[0]) and re.search(r"—\s*2\s*—", pages[1])
    assert "示医发〔2026〕12号" in squeezed(pages[0])
    assert any("CJK" in name for name in fonts(pdf)), fonts(pdf)
    assert len(to_pngs(pdf)) == len(pages)
    if os.environ.get("WEIJIAN_KEEP_RENDERS"):  # look at the pages: WEIJIAN_KEEP_RENDERS=dir
        shutil.copytree(tmp_path, os.environ["WEIJIAN_KEEP_RENDERS"], dirs_exist_ok=True)


def test_a_long_title_breaks_before_its_year_and_never_leaves_one_character():
    from weijian.documents.docx import title_lines

    assert title_lines("示范区人民医院2026年上半年工作总结") == [
        "示范区人民医院2026年上半年工作总结"
    ]
    # 12 characters of unit name + the period: two lines, broken where the year begins
    assert title_lines("东城街道社区卫生服务中心2025年健康教育工作总结") == [
        "东城街道社区卫生服务中心",
        "2025年健康教育工作总结",
    ]
    # no year to break at: near the middle, the last line at least four characters
    lines = title_lines("示范区疾病预防控制中心关于加强传染病监测预警工作的情况报告")
    assert len(lines) == 2 and all(len(line) >= 4 for line in lines)
