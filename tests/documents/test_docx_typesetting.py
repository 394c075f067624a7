"""公文 typesetting by role (GB/T 9704-2012 《党政机关公文格式》), read back from the .docx with
python-docx and checked on a real LibreOffice render: the fonts each role carries, Times New
Roman for digits and Latin, numbered table and figure captions, and the 发文机关署名 centred
over the 成文日期 (§7.3.5.1)."""

import datetime as dt
import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from PIL import Image

from tests.rendering import fonts, needs_office, page_texts, to_pdf, to_pngs
from weijian.documents.docx import OfficialDocument, signature_right_indent

ISSUER = "示范区卫生健康局"  # 8 characters
# "2026年11月23日": 年月日 3 + 8 digits at half width 4 + 5 changes of script × ¼ = 8.25 wide
DATE = dt.date(2026, 11, 23)

FANDOL = Path("/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/FandolFang-Regular.otf")


def _png() -> bytes:
    stream = io.BytesIO()
    Image.new("RGB", (620, 240), "white").save(stream, format="PNG")
    return stream.getvalue()


def sample() -> OfficialDocument:
    doc = OfficialDocument("示范区人民医院2026年上半年工作总结")
    doc.paragraph("2026年上半年，门急诊人次12.35万，同比增长3.5%，DRG入组率98.2%。")
    doc.heading("主要工作")
    doc.heading("医疗质量", level=2)
    doc.heading("院感防控", level=3)
    doc.paragraph("全院开展手卫生专项督查12次。")
    doc.table(["指标", "2026年1—6月"], [["门急诊人次", "12.35万"]], caption="上半年主要指标")
    doc.image(_png(), width_mm=130, caption="图：门急诊人次逐月对比（单位：万人次）")
    doc.table(["科室", "得分"], [["内科", "96.5"]], caption="表彰科室得分")  # 表彰 is a word
    doc.image(_png(), width_mm=130, caption="图：手术台次逐月对比")
    doc.signature(ISSUER, DATE)
    return doc


def read(doc: OfficialDocument):
    return docx.Document(io.BytesIO(doc.to_bytes()))


def fonts_of(run) -> dict[str, str]:
    rfonts = run._element.rPr.rFonts
    return {slot: rfonts.get(qn(f"w:{slot}")) for slot in ("ascii", "hAnsi", "eastAsia")}


def paragraph(document, text: str):
    return next(p for p in document.paragraphs if p.text == text)


def test_each_role_carries_its_office_font_and_size():
    document = read(sample())
    # role → (text, eastAsia face, size in pt, bold): GB/T 9704-2012 §5.2.1 and §7.3.3
    roles = {
        "title 2号小标宋": ("示范区人民医院2026年上半年工作总结", "方正小标宋简体", 22, None),
        "一级标题 3号黑体": ("一、主要工作", "黑体", 16, None),
        "二级标题 3号楷体": ("（一）医疗质量", "楷体_GB2312", 16, None),
        "三级标题 3号仿宋加粗": ("1.院感防控", "仿宋_GB2312", 16, True),
        "body 3号仿宋": ("全院开展手卫生专项督查12次。", "仿宋_GB2312", 16, None),
        "date 3号仿宋": ("2026年11月23日", "仿宋_GB2312", 16, None),
    }
    for role, (text, face, size, bold) in roles.items():
        run = paragraph(document, text).runs[0]
        assert fonts_of(run)["eastAsia"] == face, role
        assert run.font.size == Pt(size), role
        assert run.font.bold is bold, role


def test_digits_and_latin_are_times_new_roman_in_every_run():
    """Every run, body, tables and footers alike, names Times New Roman for its ASCII and
    high-ANSI slots (digits, Latin such as DRG) and a Chinese face for its East Asian slot."""
    document = read(sample())
    section = document.sections[0]
    parts = [document.element.body, section.footer._element, section.even_page_footer._element]
    # every run that prints text (a picture's run holds a drawing, no text)
    runs = [
        run for part in parts for run in part.iter(qn("w:r")) if run.find(qn("w:t")) is not None
    ]
    assert len(runs) > 20
    for run in runs:
        rfonts = run.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        assert rfonts.get(qn("w:ascii")) == rfonts.get(qn("w:hAnsi")) == "Times New Roman"
        assert rfonts.get(qn("w:eastAsia")) in {
            "方正小标宋简体", "仿宋_GB2312", "楷体_GB2312", "黑体", "宋体"
        }  # fmt: skip
        # shared punctuation (“ ” — …) in the Chinese face, as Word would print a typist's
        assert rfonts.get(qn("w:hint")) == "eastAsia"


def test_tables_are_numbered_above_and_figures_below():
    document = read(sample())
    body = list(document.element.body)
    captions = {}
    for index, element in enumerate(body):
        text = "".join(t.text for t in element.iter(qn("w:t")))
        if text.startswith(("表", "图")):
            captions[text] = index
    # numbered in order; a bare "图：" gives way to the number; "表彰…" is a word, not a number
    assert list(captions) == [
        "表1 上半年主要指标",
        "图1 门急诊人次逐月对比（单位：万人次）",
        "表2 表彰科室得分",
        "图2 手术台次逐月对比",
    ]
    for name, index in captions.items():
        if name.startswith("表"):  # above its table, kept with it
            assert body[index + 1].tag == qn("w:tbl"), name
            assert paragraph(document, name).paragraph_format.keep_with_next
        else:  # below its picture, which is kept with it
            assert list(body[index - 1].iter(qn("w:drawing"))), name


def test_a_caption_already_numbered_keeps_its_number_and_the_count_follows():
    doc = OfficialDocument("考核结果")
    doc.table(["单位", "得分"], [["甲", "90"]], caption="表3 医院考核结果")
    doc.table(["单位", "得分"], [["乙", "80"]], caption="卫生院考核结果")
    texts = [p.text for p in read(doc).paragraphs]
    assert "表3 医院考核结果" in texts and "表4 卫生院考核结果" in texts


def test_signature_is_centred_over_the_date_four_characters_in():
    document = read(sample())
    issuer, date = paragraph(document, ISSUER), paragraph(document, "2026年11月23日")
    assert issuer.alignment == date.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    # a character is set at 16 − 0.25 = 15.75 pt (28 a line); 成文日期 右空四字: 4 × 15.75 = 63 pt
    assert date.paragraph_format.right_indent.pt == pytest.approx(63, abs=0.05)
    # centre of the date from the right edge: 4 + 8.25 / 2 = 8.125 characters; the issuer (8
    # characters) centred there ends 8.125 − 4 = 4.125 characters = 64.97 pt in
    assert issuer.paragraph_format.right_indent.pt == pytest.approx(64.97, abs=0.05)
    assert issuer.paragraph_format.keep_with_next  # never split from its date


def test_an_issuer_longer_than_the_date_block_ends_flush_right():
    # 18 characters: 4 + (8.25 − 18) / 2 = −0.875 → flush with the text block, not past it
    assert signature_right_indent("示范区卫生健康局示范区中医药管理局办", "2026年11月23日") == 0
    # 4 characters: 4 + (8.25 − 4) / 2 = 6.125 characters in
    assert signature_right_indent("示范区局", "2026年11月23日") == 6.125


def _line_span(pdf, text: str) -> tuple[float, float]:
    """(left, right) in points of the printed line whose words join to `text` (pdftotext
    splits "2026年11月23日" into words at each change of script)."""
    out = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>'
    lines: dict[tuple[int, str], list] = {}
    for page, chunk in enumerate(out.split("<page ")[1:]):
        for x_min, y_min, x_max, word in re.findall(pattern, chunk):
            lines.setdefault((page, y_min), []).append((float(x_min), float(x_max), word))
    for words in lines.values():
        if "".join(w for _, _, w in words) == text:
            return min(x for x, _, _ in words), max(x for _, x, _ in words)
    raise AssertionError(f"{text} not printed")


def _centre(span: tuple[float, float]) -> float:
    return (span[0] + span[1]) / 2


@needs_office
def test_rendered_fonts_by_role_and_signature_centred(tmp_path):
    path = tmp_path / "typeset.docx"
    sample().save(path)
    pdf = to_pdf(path)
    names = fonts(pdf)
    # Our fontconfig: 小标宋 → Noto Serif CJK bold; 仿宋 → FandolFang and 楷体 → FandolKai
    # where Debian's texlive-lang-chinese is installed (CI installs it), else Noto Serif CJK;
    # 黑体 → Noto Sans CJK; Times New Roman → Liberation Serif where fonts-liberation2 is
    # installed, else Noto Serif CJK's Latin.
    assert any(n.startswith("NotoSerifCJK") and "Bold" in n for n in names), names
    if FANDOL.exists():
        assert any("FandolFang" in n for n in names), names  # the body
        assert any("FandolKai" in n for n in names), names  # the 二级标题
    else:
        assert any(n.startswith("NotoSerifCJK") and "Regular" in n for n in names), names
    assert any(n.startswith("NotoSansCJK") for n in names), names
    assert not any(n.startswith("DejaVu") for n in names), names  # digits not in DejaVu
    issuer, date = _line_span(pdf, ISSUER), _line_span(pdf, "2026年11月23日")
    assert abs(_centre(issuer) - _centre(date)) < 4, (issuer, date)  # within ¼ character
    # the date ends four characters (63 pt) inside the right edge of the text block:
    # A4 is 595.3 pt wide, the right margin 26 mm = 73.7 pt → block ends at 521.6 pt
    assert abs((521.6 - 63) - date[1]) < 2, date
    pngs = to_pngs(pdf)
    assert pngs
    if os.environ.get("WEIJIAN_KEEP_RENDERS"):  # look at the pages: WEIJIAN_KEEP_RENDERS=dir
        shutil.copytree(tmp_path, os.environ["WEIJIAN_KEEP_RENDERS"], dirs_exist_ok=True)


@needs_office
def test_plain_libreoffice_keeps_the_layout_without_our_fontconfig(tmp_path):
    """A reader's own LibreOffice has no office fonts and none of our aliases: it ignores the
    font table's altName and gives every unknown Chinese face Noto Sans CJK (measured with
    LibreOffice 7.4 on Debian 12). The document must still lay out the same: same pages,
    same text, the signature still centred (the faces share the CJK em width)."""
    ours, plain = tmp_path / "ours.docx", tmp_path / "plain" / "plain.docx"
    plain.parent.mkdir()
    data = sample().to_bytes()
    ours.write_bytes(data)
    plain.write_bytes(data)
    ours_pdf, plain_pdf = to_pdf(ours), to_pdf(plain, fontconfig=False)
    assert [p.split() for p in page_texts(plain_pdf)] == [p.split() for p in page_texts(ours_pdf)]
    assert any("CJK" in name for name in fonts(plain_pdf))  # Chinese never falls to tofu
    # DejaVu Serif's digits are wider than Times's (0.64 em, not 0.5): 8 digits put the
    # date's centre 8 × 0.14 × 16 / 2 ≈ 9 pt left of the estimate, still within ⅔ character
    issuer, date = _line_span(plain_pdf, ISSUER), _line_span(plain_pdf, "2026年11月23日")
    assert abs(_centre(issuer) - _centre(date)) < 10, (issuer, date)


@pytest.mark.parametrize("level", [1, 2, 3])
def test_a_heading_is_kept_with_the_text_below_it(level):
    doc = OfficialDocument("标题")
    doc.heading("主要工作", level=level)
    doc.paragraph("正文。")
    heading = next(p for p in read(doc).paragraphs if p.text.endswith("主要工作"))
    assert heading.paragraph_format.keep_with_next


def test_a_dated_column_heading_breaks_after_its_year_not_inside_the_months():
    doc = OfficialDocument("表")
    # "2026年1—6月" at 小四 (12 pt): ≈ 6.25 characters × 12 pt × 0.353 mm = 26.5 mm, more than
    # a 24 mm column less 3.8 mm of cell margins (20.2 mm): it breaks after 年. In 40 mm it fits.
    doc.table(
        ["指标", "2026年1—6月", "2025年1—6月"],
        [["门急诊人次", "12.35万", "12.1万"]],
        column_widths_mm=[40, 24, 40],
    )
    header = read(doc).tables[0].rows[0].cells
    assert [cell.text for cell in header] == ["指标", "2026年\n1—6月", "2025年1—6月"]


def test_no_table_row_splits_and_a_small_table_stays_whole():
    doc = OfficialDocument("表")
    doc.table(["指标", "值"], [[f"指标{n}", str(n)] for n in range(3)], caption="小表")
    doc.table(["指标", "值"], [[f"指标{n}", str(n)] for n in range(12)], caption="大表")
    small, large = read(doc).tables
    for table in (small, large):
        for row in table.rows:  # a row never breaks across pages (cantSplit)
            assert row._tr.trPr.find(qn("w:cantSplit")) is not None
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # header repeats

    def kept(row):
        return row.cells[0].paragraphs[0].paragraph_format.keep_with_next

    # a table of ≤ 6 rows moves whole: every row but the last kept with the next
    assert [kept(row) for row in small.rows] == [True, True, True, None]
    # a longer one never leaves its header and first row, or its last row, alone
    flags = [kept(row) for row in large.rows]
    # (header + 12 rows: the header and row 1 kept with what follows, row 11 kept with row 12)
    assert flags[:2] == [True, True] and flags[-2:] == [True, None] and not flags[5]


def test_body_characters_are_set_28_to_a_line():
    """§5.2.2 每行排28个字: 28 × 16 pt overflows the 156 mm block (442.2 pt), so the Normal style
    sets characters 0.25 pt closer (w:spacing −5 twentieths): 28 × 15.75 = 441 pt fits."""
    spacing = read(sample()).styles["Normal"].element.rPr.find(qn("w:spacing"))
    assert spacing.get(qn("w:val")) == "-5"


@needs_office
def test_a_full_body_line_holds_28_characters(tmp_path):
    doc = OfficialDocument("测试")
    doc.paragraph("卫生健康" * 20)  # 80 characters, no punctuation to squeeze or hang
    path = tmp_path / "lines.docx"
    doc.save(path)
    lines = [line.strip() for line in page_texts(to_pdf(path))[0].splitlines() if line.strip()]
    body = [line for line in lines if line.startswith(("卫", "生", "健", "康"))]
    # first line indented two characters: 26; then full lines of 28; 80 − 26 − 28 = 26 left
    assert [len(line) for line in body] == [26, 28, 26]


def test_page_numbers_are_4hao_dashes_at_the_outside_edge():
    """§7.5: "— 1 —" in 4号 (14 pt) under the text block, odd pages right, even pages left."""
    section = read(sample()).sections[0]
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    assert odd.alignment == WD_ALIGN_PARAGRAPH.RIGHT and even.alignment == WD_ALIGN_PARAGRAPH.LEFT
    for para in (odd, even):
        assert para.text.strip("\u3000") == "—  —"  # the PAGE field sits between the dashes
        assert " PAGE " in "".join(t.text for t in para._p.iter(qn("w:instrText")))
        assert {run.font.size for run in para.runs} == {Pt(14)}


@needs_office
def test_body_is_justified_on_no_character_grid_and_its_last_line_is_not_stretched(tmp_path):
    """Issue 11 item 10 (letter-spaced lines): the body is justified ("both", not "distribute",
    which would spread a paragraph's last line across the block) and the section has no
    character grid (docGrid type lines/linesAndChars/snapToChars snaps characters to a grid
    of its own pitch). The letter-spaced lines the readers saw come from a figure too wide for
    the end of its line ("（88.27%），" cannot break), which every word processor spreads; see
    the README. A 32-character paragraph: 26 on the indented first line, 6 left-aligned."""
    doc = OfficialDocument("测试")
    doc.paragraph("卫生健康" * 8)
    document = read(doc)
    body = document.paragraphs[-1]
    assert body.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    grid = document.sections[0]._sectPr.find(qn("w:docGrid"))
    assert grid is None or grid.get(qn("w:type")) in (None, "default")
    path = tmp_path / "last.docx"
    doc.save(path)
    text = subprocess.run(
        ["pdftotext", str(to_pdf(path)), "-"], check=True, capture_output=True, text=True
    ).stdout
    lines = [line for line in text.splitlines() if line.startswith(("卫", "生", "健", "康"))]
    # pdftotext prints a space where characters stand apart: neither line is spread
    assert lines == ["卫生健康" * 6 + "卫生", "健康卫生健康"]
