"""Official Word documents in the layout of GB/T 9704-2012 《党政机关公文格式》, for any app.

Django-free (layer 1): summaries, rectification notices, leading-group notices and 公示 lists
all go through `OfficialDocument`, so every document the system writes looks the same.

    doc = OfficialDocument(title="关于成立医院感染管理委员会的通知",
                           letterhead="示范区人民医院文件", doc_number="示医发〔2026〕12号")
    doc.addressee("各科室：")
    doc.paragraph("为进一步加强……，经院长办公会研究，决定成立……。")
    doc.heading("组织机构")              # prints 一、组织机构 (numbered per level)
    doc.heading("主任委员", level=2)     # prints （一）主任委员
    doc.paragraph(["门诊人次", Highlight("请核对", note="数据未审核"), "。"])
    doc.table(["指标", "目标值", "完成值"], [["门急诊人次", "12万", "12.35万"]], caption="表1 …")
    doc.signature("示范区人民医院", dt.date(2026, 11, 23))
    doc.save(path_or_stream)

Format choices (GB/T 9704-2012 §5, §7):
- A4; text block 156 mm × 225 mm: top margin 37 mm, left (binding) 28 mm, right 26 mm,
  bottom 35 mm.
- Title 2号 (22 pt) 方正小标宋简体, centred; body 3号 (16 pt) 仿宋_GB2312; headings 一、黑体,
  （一）楷体_GB2312, 1. 仿宋 bold, （1） 仿宋. Each font is declared with an `altName`
  fallback (宋体/仿宋/楷体/黑体) in the font table, which is how Word and WPS pick a substitute
  when the office font is not installed; LibreOffice substitutes through fontconfig (Noto CJK).
- 22 lines of 28 characters a page: fixed line spacing of 28.95 pt (225 mm / 22 lines), the
  "固定值29磅" offices set by hand; first-line indent of two characters.
- Page numbers "— 1 —" in 4号 宋体, odd pages right and even pages left (§7.5).
- 成文日期 in Arabic numerals ("2026年11月23日", §7.3.5.1), right-aligned four characters in,
  the 发文机关署名 centred above it.
- Digits and Latin letters in Times New Roman in every run (w:rFonts ascii/hAnsi), Chinese in
  the role's face (eastAsia); tables numbered "表1 …" above, figures "图1 …" below.
- Line-end punctuation stays inside the text block in LibreOffice (`w:overflowPunct`, see
  `_simple_punctuation_wrap`); tables are sized by their content (`fitted_widths`).
- LibreOffice ignores altName: without the office fonts it asks fontconfig for each name, and
  Debian's stock fontconfig answers Noto Sans CJK for all of them; `fontconfig/fonts.conf`
  maps each role to its closest free face (see the README).

Spans: `paragraph()` takes a string or a sequence of spans. A span is a `str`, a
`Highlight` (yellow, for text the user must review), or any object with a `text` attribute
(e.g. the narrative module's figures), printed as its text.

Tests that render documents use `tests/rendering.py` (LibreOffice → PDF → text/fonts/PNG).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from lxml import etree

# Office font → the font Word/WPS substitute when it is missing (declared as altName).
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONTS = {1: "黑体", 2: "楷体_GB2312", 3: "仿宋_GB2312", 4: "仿宋_GB2312"}
NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"
FALLBACKS = {
    TITLE_FONT: "宋体",
    BODY_FONT: "仿宋",
    "楷体_GB2312": "楷体",
    "黑体": "SimHei",
    "宋体": "SimSun",
}

TITLE_SIZE = Pt(22)  # 2号
BODY_SIZE = Pt(16)  # 3号
TABLE_SIZE = Pt(12)  # 小四: tables of figures do not fit at 3号
PAGE_NUMBER_SIZE = Pt(14)  # 4号
LINE_PITCH = Pt(28.95)  # 225 mm text block / 22 lines
# 28 characters a line (§5.2.2 每行排28个字，并撑满版心): 28 × 16 pt = 448 pt is wider than the
# 156 mm (442.2 pt) block, so characters are set 0.25 pt closer, as offices do (字符间距紧缩):
# 28 × 15.75 = 441 pt. (Word's character grid, docGrid linesAndChars, does the same in Word,
# but LibreOffice 7.4 lays it out as a sparse grid of ~17 characters a line.)
CHARACTER_SQUEEZE = Pt(0.25)
CHARACTER_PITCH = BODY_SIZE.pt - CHARACTER_SQUEEZE.pt  # one 3号 character as set: 15.75 pt
RED = RGBColor(0xE0, 0x00, 0x00)

CHINESE_NUMERALS = "零一二三四五六七八九"
# A caption's own number ("表3 …", "图2：…") or a bare "图：…" to be numbered; "表彰…" is text.
CAPTION_NUMBER = re.compile(r"^([表图])(?:\s*(\d+)\s*[：:．.]?|\s*[：:])\s*")


@dataclass(frozen=True)
class Highlight:
    """Text the data cannot vouch for (guiding ideology, wording to confirm): printed with a
    yellow highlight so the user reviews it before the document goes out."""

    text: str
    note: str = ""


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 35 → 三十五 (heading numbers; 1–99)."""
    if not 0 < n < 100:
        raise ValueError(f"heading number out of range: {n}")
    tens, ones = divmod(n, 10)
    if tens == 0:
        return CHINESE_NUMERALS[ones]
    prefix = "" if tens == 1 else CHINESE_NUMERALS[tens]
    return prefix + "十" + (CHINESE_NUMERALS[ones] if ones else "")


def heading_label(level: int, n: int) -> str:
    """The number a heading of `level` carries: 一、 / （一） / 1. / （1）."""
    return {
        1: f"{chinese_number(n)}、",
        2: f"（{chinese_number(n)}）",
        3: f"{n}.",
        4: f"（{n}）",
    }[level]


TITLE_CAPACITY = 19  # 2号 characters on a 156 mm line, with a little room


def _width(text: str) -> float:
    """Printed width in full-width characters (digits and Latin letters are half)."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1 for ch in text)


def title_lines(title: str, capacity: float = TITLE_CAPACITY) -> list[str]:
    """The title in lines that break where a reader pauses — before the year, else at the
    middle — never leaving one character alone on the last line (GB/T 9704: 回行时要做到词意
    完整，排列对称)."""
    if _width(title) <= capacity or "\n" in title:
        return title.split("\n")
    digit = next((i for i, ch in enumerate(title) if ch.isdigit()), None)
    if digit and _width(title[:digit]) <= capacity and _width(title[digit:]) <= capacity:
        return [title[:digit], title[digit:]]
    middle = len(title) // 2
    for offset in range(len(title)):
        for cut in (middle - offset, middle + offset):
            head, tail = title[:cut], title[cut:]
            if len(tail) >= 4 and _width(head) <= capacity and _width(tail) <= capacity:
                return [head, tail]
    return [title]


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


DATE_RIGHT_INDENT = 4  # 成文日期 右空四字 (GB/T 9704-2012 §7.3.5.1)


def signature_right_indent(issuer: str, date: str) -> float:
    """How many characters in from the right the issuer's line ends so that it is centred
    above the date (§7.3.5.1: 以成文日期为准居中编排发文机关署名). Widths are in full-width
    characters as printed (`printed_width`): "2026年11月23日" is 3 + 8 × 0.5 + 5 × 0.25 =
    8.25 wide; an issuer of 8 characters centred over it ends 4 + (8.25 − 8) / 2 = 4.125
    characters in. An issuer too long to centre ends flush with the text block."""
    return max(0.0, DATE_RIGHT_INDENT + (printed_width(date) - printed_width(issuer)) / 2)


CELL_PADDING_MM = 3.8  # Word's default cell margins, 1.9 mm a side
PT_MM = 25.4 / 72


def header_text(text: str, width_mm: float) -> str:
    """A column heading too wide for its column breaks after its year ("2026年" / "1—6月"),
    where a reader pauses, instead of wherever the line runs out ("2026年1" / "—6月")."""
    fits = printed_width(text) * TABLE_SIZE.pt * PT_MM <= width_mm - CELL_PADDING_MM
    year = text.find("年")
    if fits or "\n" in text or not 0 < year < len(text) - 1:
        return text
    return text[: year + 1] + "\n" + text[year + 1 :]


def _cell_plain(value: object) -> str:
    """A table cell's printed text: a string, a span with `text`, or a sequence of them."""
    spans = value if isinstance(value, list | tuple) else [value]
    texts = [span if isinstance(span, str) else getattr(span, "text", span) for span in spans]
    return "".join("" if text is None else str(text) for text in texts)


def _one_line_mm(text: str) -> float:
    """Width a table cell needs to print `text` on one line at 小四, with the cell's margins
    and 1 mm to spare (Times digits, rounding)."""
    return printed_width(text) * TABLE_SIZE.pt * PT_MM + CELL_PADDING_MM + 1


def _two_lines_mm(names: Sequence[object]) -> float:
    """Width that prints the longest name in two lines (half of it, plus a character for the
    break falling between words)."""
    widest = max(printed_width(_cell_plain(name)) for name in names)
    return (widest / 2 + 1) * TABLE_SIZE.pt * PT_MM + CELL_PADDING_MM + 1


def _header_need_mm(text: str) -> float:
    """A dated column heading may break after its year (header_text): its widest part."""
    year = text.find("年")
    parts = [text[: year + 1], text[year + 1 :]] if 0 < year < len(text) - 1 else [text]
    return max(_one_line_mm(part) for line in parts for part in line.split("\n"))


TEXT_COLUMN = 2  # a column whose longest cell needs over twice its width holds prose, and wraps
TEXT_GIVES = 0.4  # of its width, a prose column gives to figures that would break


def _needs_mm(header: Sequence[str], rows: Sequence[Sequence[object]]) -> list[float]:
    """Per column, the width its longest cell (or heading) needs on one line."""
    return [
        max(
            [_header_need_mm(header[col])]
            + [_one_line_mm(_cell_plain(row[col])) for row in rows if col < len(row)]
        )
        for col in range(len(header))
    ]


def text_columns(
    header: Sequence[str], rows: Sequence[Sequence[object]], widths: Sequence[float]
) -> set[int]:
    """Columns after the first that hold prose (a 测算依据, a 整改要求): set flush left and
    wrapped, where figure columns are centred and never wrap."""
    needs = _needs_mm(header, rows)
    return {col for col in range(1, len(widths)) if needs[col] > TEXT_COLUMN * widths[col]}


def fitted_widths(
    header: Sequence[str], rows: Sequence[Sequence[object]], widths: Sequence[float]
) -> list[float]:
    """Column widths sized by their content, the total unchanged. The first column holds the
    names (indicator, unit) and wraps; a prose column wraps; every other column holds
    figures, which never break (w:noWrap is ignored in a fixed-width table, so a figure that
    does not fit its column breaks: "77.19（1—10" / "月）"). First, a figure column too narrow
    for its longest figure takes what it lacks from the names column (down to its longest
    name in two lines), then from the prose columns (each gives at most 40 % of its width).
    Then, where the names need more room than given (readers saw
    "抗菌药物使用强度（DDDs/百人天）" in three lines of a 33 mm column beside a 36 mm column of
    "−2.24"), each figure column gives up what it has beyond its longest figure and the first
    column takes it, up to its longest name on one line."""
    widths = [float(w) for w in widths]
    if len(widths) != len(header) or len(widths) < 2:
        return widths
    needs = _needs_mm(header, rows)
    prose = text_columns(header, rows, widths)
    figures = [col for col in range(1, len(widths)) if col not in prose]
    lacking = {col: needs[col] - widths[col] for col in figures if needs[col] > widths[col]}
    # the names give first, down to their longest name in two lines; then the prose
    names_free = max(0.0, widths[0] - _two_lines_mm([row[0] for row in rows] + [header[0]]))
    givers = {0: names_free} if names_free else {}
    prose_free = {col: widths[col] * TEXT_GIVES for col in prose}
    for free in (givers, prose_free):
        short = sum(lacking.values())
        moved = min(short, sum(free.values()))
        if moved <= 0:
            continue
        for col, amount in free.items():
            widths[col] -= moved * amount / sum(free.values())
        for col in lacking:
            widths[col] += moved * lacking[col] / short
            lacking[col] -= moved * lacking[col] / short
    spare = {col: max(0.0, widths[col] - needs[col]) for col in figures}
    take = min(sum(spare.values()), max(0.0, needs[0] - widths[0]))
    if take > 0:
        widths[0] += take
        for col, free in spare.items():
            widths[col] -= take * free / sum(spare.values())
    return [round(w, 1) for w in widths]


AUTO_SPACE = 0.25  # Word and LibreOffice set about a quarter character between 汉字 and digits


def printed_width(text: str) -> float:
    """Width in full-width characters of a line as Word prints it: digits and Latin letters
    half, plus the automatic space at each change between Chinese and Latin script."""
    latin = [ord(ch) < 0x2E80 for ch in text]
    changes = sum(1 for a, b in zip(latin, latin[1:], strict=False) if a != b)
    return _width(text) + AUTO_SPACE * changes


# What marks a copy for review: our yellow highlighting, and the comment anchors an uploaded
# Word layout may bring with it.
REVIEW_MARKS = ("w:highlight", "w:commentRangeStart", "w:commentRangeEnd", "w:commentReference")


def final_copy(data: bytes) -> bytes:
    """The same .docx without review marks (定稿): no highlighting, no comment anchors. The text
    stays as it is — a passage still waiting for the writer (（请填写：…）) stays, plain, so
    the writer still finds it; only the yellow that says "check me" goes."""
    document = Document(io.BytesIO(data))
    parts = [document.element.body]
    for section in document.sections:
        parts += [section.header._element, section.footer._element]
    for part in parts:
        for tag in REVIEW_MARKS:
            for element in list(part.iter(qn(tag))):
                element.getparent().remove(element)
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


class OfficialDocument:
    def __init__(
        self,
        title: str,
        *,
        letterhead: str = "",
        doc_number: str = "",
        subtitle: str = "",
        landscape: bool = False,
    ) -> None:
        self._doc = Document()
        self._counters = [0, 0, 0, 0]
        self._numbers = {"表": 0, "图": 0}  # tables and figures are numbered in order
        self._setup_page(landscape)
        self._setup_styles()
        self._declare_fallback_fonts()
        self._page_numbers()
        if letterhead:
            self._letterhead(letterhead, doc_number)
        self._title(title, subtitle)

    # -- content ------------------------------------------------------------------------

    def addressee(self, text: str) -> None:
        """主送机关, flush left: "各科室：" """
        para = self._body_paragraph(indent=False)
        self._add_run(para, text)

    def heading(self, text: str, level: int = 1, *, numbered: bool = True) -> None:
        """A heading numbered per level (一、 （一） 1. （1）); numbering restarts below a
        higher level, as in every 公文."""
        if level not in HEADING_FONTS:
            raise ValueError(f"heading level must be 1–4, not {level}")
        label = ""
        if numbered:
            self._counters[level - 1] += 1
            self._counters[level:] = [0] * (4 - level)
            label = heading_label(level, self._counters[level - 1])
        para = self._body_paragraph()
        para.paragraph_format.keep_with_next = True
        self._add_run(para, label + text, font=HEADING_FONTS[level], bold=level == 3)

    def paragraph(self, spans: str | Sequence[object], *, indent: bool = True) -> None:
        para = self._body_paragraph(indent=indent)
        for span in [spans] if isinstance(spans, str) else spans:
            self._add_span(para, span)

    def table(
        self,
        header: Sequence[str],
        rows: Iterable[Sequence[object]],
        *,
        caption: str = "",
        column_widths_mm: Sequence[float] | None = None,
    ) -> None:
        """A bordered table of figures in 小四 仿宋, header row in 黑体, numbers right-aligned.
        Cells are strings or spans (objects with `text`). A caption is numbered "表1 …" and
        set above the table, kept with it."""
        if caption:
            caption = self._numbered("表", caption)
            para = self._body_paragraph(indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
            para.paragraph_format.keep_with_next = True
            self._add_run(para, caption, font="黑体", size=TABLE_SIZE)
        rows = [list(row) for row in rows]
        if column_widths_mm:
            column_widths_mm = fitted_widths(header, rows, column_widths_mm)
        table = self._doc.add_table(rows=1 + len(rows), cols=len(header))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        widths = list(column_widths_mm or [])
        for index, (cell, text) in enumerate(zip(table.rows[0].cells, header, strict=True)):
            if index < len(widths):  # "2026年1—6月" breaks after 年, not inside 1—6
                text = header_text(text, widths[index])
            self._table_cell(cell, text, font="黑体", align=WD_ALIGN_PARAGRAPH.CENTER)
        _repeat_as_header(table.rows[0])
        for row in table.rows:
            row.height = Mm(8)  # a minimum: room to write in, as printed tables have
        prose = text_columns(header, rows, widths) if widths else set()
        for row, values in zip(table.rows[1:], rows, strict=True):
            for index, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
                flush_left = index == 0 or index in prose
                align = WD_ALIGN_PARAGRAPH.LEFT if flush_left else WD_ALIGN_PARAGRAPH.CENTER
                self._table_cell(cell, value, align=align)
                if not flush_left:  # a figure's cell never breaks between a number and its unit
                    _no_wrap(cell)
        _keep_together(table, small=len(rows) <= KEEP_TOGETHER_ROWS)
        if column_widths_mm:
            table.autofit = False
            # LibreOffice lays a table out from its grid columns, Word from the cells' widths.
            for col, width in zip(table._tbl.tblGrid.gridCol_lst, column_widths_mm, strict=False):
                col.w = Mm(width)
            for row in table.rows:
                for cell, width in zip(row.cells, column_widths_mm, strict=False):
                    cell.width = Mm(width)
        self._body_paragraph(indent=False)  # breathing space after the table

    def image(self, image: str | Path | bytes, *, width_mm: float = 150, caption: str = "") -> None:
        stream = io.BytesIO(image) if isinstance(image, bytes) else str(image)
        para = self._doc.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        # The body's exact 28.95 pt line pitch would clip the picture to one line.
        para.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        para.add_run().add_picture(stream, width=Mm(min(width_mm, 156)))
        if caption:  # "图1 …" under the picture, kept on its page
            para.paragraph_format.keep_with_next = True
            cap = self._body_paragraph(indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
            self._add_run(cap, self._numbered("图", caption), size=TABLE_SIZE)

    def attachments(self, names: Sequence[str]) -> None:
        """附件说明 (§7.3.4): "附件：1. …" under the body, aligned under the first name."""
        if not names:
            return
        self._body_paragraph(indent=False)
        for index, name in enumerate(names, start=1):
            para = self._body_paragraph()
            label = ("附件：" if index == 1 else "　　　") + (
                f"{index}. {name}" if len(names) > 1 else name
            )
            self._add_run(para, label)

    def signature(self, issuer: str, day: dt.date) -> None:
        """发文机关署名 and 成文日期 (GB/T 9704-2012 §7.3.5.1): the date right-aligned four
        characters in from the right edge, the issuer centred above the date, both kept on
        the page of the text's last paragraph (a date never stands alone on a page)."""
        if self._doc.paragraphs:
            self._doc.paragraphs[-1].paragraph_format.keep_with_next = True
        for _ in range(2):
            self._body_paragraph(indent=False).paragraph_format.keep_with_next = True
        date = chinese_date(day)
        for text, right_chars in (
            (issuer, signature_right_indent(issuer, date)),
            (date, DATE_RIGHT_INDENT),
        ):
            para = self._body_paragraph(indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
            para.paragraph_format.right_indent = Pt(CHARACTER_PITCH * right_chars)
            para.paragraph_format.keep_with_next = text == issuer
            self._add_run(para, text)

    def colophon(self, *, cc: Sequence[str] = (), printed_by: str = "", day: dt.date) -> None:
        """版记 (§7.4): 抄送 and 印发机关/印发日期 between rules, in 4号 仿宋."""
        self._body_paragraph(indent=False)
        if cc:
            para = self._rule_paragraph()
            self._add_run(para, f"抄送：{'，'.join(cc)}。", size=PAGE_NUMBER_SIZE)
        para = self._rule_paragraph()
        self._add_run(para, f"{printed_by}", size=PAGE_NUMBER_SIZE)
        self._add_run(para, f"\t{chinese_date(day)}印发", size=PAGE_NUMBER_SIZE)
        para.paragraph_format.tab_stops.add_tab_stop(Mm(156), alignment=2)  # right tab
        _border(para, "bottom")

    def page_break(self) -> None:
        self._doc.add_page_break()

    def save(self, target: str | Path | io.BufferedIOBase) -> None:
        self._doc.save(target if not isinstance(target, Path) else str(target))

    def to_bytes(self) -> bytes:
        stream = io.BytesIO()
        self._doc.save(stream)
        return stream.getvalue()

    # -- page and styles ------------------------------------------------------------------

    def _setup_page(self, landscape: bool) -> None:
        section = self._doc.sections[0]
        width, height = Mm(210), Mm(297)
        top, bottom, left, right = Mm(37), Mm(35), Mm(28), Mm(26)
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            width, height = height, width
            top, bottom, left, right = left, right, top, bottom
        section.page_width, section.page_height = width, height
        section.top_margin, section.bottom_margin = top, bottom
        section.left_margin, section.right_margin = left, right
        section.footer_distance = Mm(28)  # page number 7 mm below the text block

    def _setup_styles(self) -> None:
        normal = self._doc.styles["Normal"]
        normal.font.size = BODY_SIZE
        _set_fonts(normal.element.get_or_add_rPr(), BODY_FONT)
        _condense(normal.element.get_or_add_rPr(), CHARACTER_SQUEEZE)
        fmt = normal.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = LINE_PITCH
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.widow_control = True
        _simple_punctuation_wrap(normal.element.get_or_add_pPr())
        # Chinese text: a machine without the office fonts falls back to Simplified Chinese
        # glyph forms (python-docx's template says en-US, which LibreOffice reads as Japanese).
        defaults = self._doc.styles.element.find(qn("w:docDefaults"))
        lang = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
        if lang is not None:
            lang.set(qn("w:eastAsia"), "zh-CN")

    def _declare_fallback_fonts(self) -> None:
        """Add each office font to the font table with its altName, so a machine without it
        substitutes the right family instead of a default Latin font. python-docx keeps the
        font table as a plain part, so its XML is edited as bytes."""
        rel = next(r for r in self._doc.part.rels.values() if r.reltype.endswith("/fontTable"))
        part = rel.target_part
        root = etree.fromstring(part.blob)
        for name, alt in FALLBACKS.items():
            root.append(_font_entry(name, alt))
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    def _page_numbers(self) -> None:
        """ "— 1 —" at the foot, odd pages right and even pages left, one 全角 space in."""
        self._doc.settings.odd_and_even_pages_header_footer = True
        section = self._doc.sections[0]
        for footer, align in (
            (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
            (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
        ):
            para = footer.paragraphs[0]
            para.alignment = align
            para.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
            text = "— ", " —"
            pad = "　" if align == WD_ALIGN_PARAGRAPH.LEFT else ""
            self._add_run(para, pad + text[0], font=NUMBER_FONT, size=PAGE_NUMBER_SIZE)
            _page_field(self._add_run(para, "", font=NUMBER_FONT, size=PAGE_NUMBER_SIZE))
            tail = text[1] + ("　" if align == WD_ALIGN_PARAGRAPH.RIGHT else "")
            self._add_run(para, tail, font=NUMBER_FONT, size=PAGE_NUMBER_SIZE)

    def _letterhead(self, letterhead: str, doc_number: str) -> None:
        """发文机关标志 in red 小标宋 and, under it, the 发文字号 above a red rule (§7.2)."""
        para = self._body_paragraph(indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
        para.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        para.paragraph_format.space_before = Pt(24)
        run = self._add_run(para, letterhead, font=TITLE_FONT, size=Pt(36))
        run.font.color.rgb = RED
        para = self._body_paragraph(indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
        para.paragraph_format.space_before = Pt(28)
        self._add_run(para, doc_number)
        _border(para, "bottom", color="E00000", size=12)
        self._body_paragraph(indent=False)

    def _title(self, title: str, subtitle: str) -> None:
        for line in title.split("\n"):
            para = self._body_paragraph(indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
            para.paragraph_format.line_spacing = Pt(35)
            self._add_run(para, line, font=TITLE_FONT, size=TITLE_SIZE)
        if subtitle:
            para = self._body_paragraph(indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
            self._add_run(para, subtitle, font="楷体_GB2312")
        self._body_paragraph(indent=False)

    # -- small builders ---------------------------------------------------------------------

    def _numbered(self, kind: str, caption: str) -> str:
        """ "表1 …" / "图1 …": the next number of its kind. A caption that already carries
        one ("表3 考核结果") keeps it and the count follows it; a bare "图：" is dropped."""
        match = CAPTION_NUMBER.match(caption)
        if match and match.group(1) == kind and match.group(2):
            self._numbers[kind] = int(match.group(2))
            return caption
        self._numbers[kind] += 1
        text = caption[match.end() :] if match and match.group(1) == kind else caption
        return f"{kind}{self._numbers[kind]} {text}".rstrip()

    def _body_paragraph(self, *, indent: bool = True, align=WD_ALIGN_PARAGRAPH.JUSTIFY):
        para = self._doc.add_paragraph()
        para.alignment = align
        if indent:
            para.paragraph_format.first_line_indent = Pt(2 * CHARACTER_PITCH)  # two characters
        return para

    def _rule_paragraph(self):
        para = self._body_paragraph(indent=False)
        para.paragraph_format.left_indent = Pt(14)
        _border(para, "top")
        return para

    def _add_span(self, para, span: object) -> None:
        if isinstance(span, Highlight):
            run = self._add_run(para, span.text)
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW
        elif isinstance(span, str):
            self._add_run(para, span)
        else:
            self._add_run(para, str(span.text))

    def _add_run(self, para, text: str, *, font: str = BODY_FONT, size=None, bold=False):
        run = para.add_run(text)
        run.font.size = size or BODY_SIZE
        run.font.bold = bold or None
        _set_fonts(run._element.get_or_add_rPr(), font)
        return run

    def _table_cell(self, cell, value: object, *, font: str = BODY_FONT, align) -> None:
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        para = cell.paragraphs[0]
        para.alignment = align
        fmt = para.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        fmt.first_line_indent = Pt(0)
        spans = value if isinstance(value, list | tuple) else [value]
        for span in spans:
            if isinstance(span, Highlight):
                run = self._add_run(para, span.text, font=font, size=TABLE_SIZE)
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW
            else:
                text = span if isinstance(span, str) else getattr(span, "text", span)
                self._add_run(para, "" if text is None else str(text), font=font, size=TABLE_SIZE)


# -- raw XML the python-docx API does not cover -------------------------------------------


def _set_fonts(rpr, east_asian: str) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asian)
    # Characters both scripts share (“ ” — …) print in the Chinese face, as a typist's would;
    # digits and Latin letters stay in Times New Roman.
    fonts.set(qn("w:hint"), "eastAsia")


RPR_AFTER_SPACING = (
    "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect",
    "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang",
    "w:eastAsianLayout", "w:specVanish", "w:oMath",
)  # fmt: skip


def _condense(rpr, squeeze: Pt) -> None:
    """Character spacing tightened by `squeeze` (w:spacing, in twentieths of a point), placed
    where the schema wants it so Word accepts the file."""
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(-round(squeeze.pt * 20)))
    rpr.insert_element_before(spacing, *RPR_AFTER_SPACING)


PPR_AFTER_OVERFLOW_PUNCT = (
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip


def _simple_punctuation_wrap(ppr) -> None:
    """w:overflowPunct on, explicitly. Word's default is on (a line-end "，" may hang into the
    margin), so Word prints the same; LibreOffice 7.4 reads the element inverted (on → its
    "simple" punctuation wrap, off or absent → "hanging") and in a justified line does not paint
    a hanging "，"/"、"/"。" at all: readers of 2026-12-07 found line-end commas missing from
    the PDF. With it, LibreOffice keeps the punctuation inside the text block (the character
    before it moves down with it, 避头尾) and prints it."""
    element = OxmlElement("w:overflowPunct")
    element.set(qn("w:val"), "1")
    ppr.insert_element_before(element, *PPR_AFTER_OVERFLOW_PUNCT)


def _page_field(run) -> None:
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._element.append(element)


def _border(para, side: str, *, color: str = "000000", size: int = 6) -> None:
    ppr = para._element.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        ppr.append(borders)
    line = OxmlElement(f"w:{side}")
    for key, value in (("val", "single"), ("sz", str(size)), ("space", "1"), ("color", color)):
        line.set(qn(f"w:{key}"), value)
    borders.append(line)


KEEP_TOGETHER_ROWS = 6  # a table this small moves to the next page whole, never leaving a row


def _no_wrap(cell) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    if tcpr.find(qn("w:noWrap")) is None:
        tcpr.append(OxmlElement("w:noWrap"))


def _keep_together(table, *, small: bool) -> None:
    """No row split across pages; a small table kept whole (each row kept with the next), a
    larger one (an indicator table of eight rows moved whole left a page 60 % blank) breaks
    between rows with its header repeated, never leaving its header and first row, or its
    last row, alone."""
    rows = table.rows
    for index, row in enumerate(rows):
        trpr = row._tr.get_or_add_trPr()
        trpr.append(OxmlElement("w:cantSplit"))
        keep = small or index <= 1 or index >= len(rows) - 2
        if keep and index < len(rows) - 1:
            for cell in row.cells:
                for para in cell.paragraphs:
                    para.paragraph_format.keep_with_next = True


def _repeat_as_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)


def _font_entry(name: str, alt: str):
    font = OxmlElement("w:font")
    font.set(qn("w:name"), name)
    alt_name = OxmlElement("w:altName")
    alt_name.set(qn("w:val"), alt)
    font.append(alt_name)
    charset = OxmlElement("w:charset")
    charset.set(qn("w:val"), "86")  # GB2312
    font.append(charset)
    family = OxmlElement("w:family")
    family.set(qn("w:val"), "modern" if "仿宋" in name or "楷" in name else "roman")
    font.append(family)
    return font
