"""weijian.xlsx: text we write stays text; an uploaded workbook costs what its real cells cost
and never brings a formula in."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook, load_workbook

from tests import crafted
from tests.rendering import needs_office, page_texts, to_pdf, to_pngs
from weijian.uploads import Budget, Limits, UploadRefused
from weijian.xlsx import read_book, to_bytes

RISKY = ["=1+1", "+86 0571", "-3", "@SUM(A1)", "\t=2*3", "\r=4"]


def workbook(rows, title="数据") -> Workbook:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    return book


def saved(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# -- writing ---------------------------------------------------------------------------------


def test_risky_text_is_written_as_text_with_the_quote_prefix():
    data = to_bytes(workbook([[text, 5] for text in RISKY] + [["正常文字", -4]]))
    sheet = load_workbook(io.BytesIO(data)).active
    for row, text in enumerate(RISKY, start=1):
        cell = sheet.cell(row, 1)
        assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True)
    plain = sheet.cell(len(RISKY) + 1, 1)
    assert (plain.value, plain.data_type, plain.quotePrefix) == ("正常文字", "s", False)
    # numbers stay numbers, negative ones too
    assert [sheet.cell(r, 2).value for r in range(1, len(RISKY) + 2)] == [5] * len(RISKY) + [-4]


def test_without_the_helper_openpyxl_writes_a_live_formula():
    # The reason for the helper: a plain save turns a user's “=…” text into a formula.
    sheet = load_workbook(io.BytesIO(saved(workbook([["=1+1"]])))).active
    assert sheet["A1"].data_type == "f"


def test_text_we_wrote_reads_back_as_the_same_text():
    data = to_bytes(workbook([[text] for text in RISKY]))
    cells = read_book(data, Limits()).first().cells
    assert [cells[(row, 1)] for row in range(1, len(RISKY) + 1)] == RISKY


@needs_office
def test_libreoffice_shows_the_text_not_a_result_or_an_error(tmp_path):
    rows = [["电话", "+86 0571 8888"], ["备注", "=1+1"], ["差额", "-3-2"], ["提及", "@SUM(A1:A3)"]]
    path = tmp_path / "risky.xlsx"
    path.write_bytes(to_bytes(workbook(rows)))
    pdf = to_pdf(path)
    text = " ".join(page_texts(pdf)[0].split())
    for _, shown in rows:
        assert shown in text
    assert "Err" not in text and "#NAME" not in text
    to_pngs(pdf)  # kept beside the PDF for a look


# -- reading ---------------------------------------------------------------------------------


class CountingClock:
    """A clock that counts how often the reader checked its budget (once per sheet and row)."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> float:
        self.calls += 1
        return 0.0


def test_the_cells_present_are_read_with_their_types():
    when = dt.datetime(2026, 3, 5)
    data = saved(workbook([["标题", "日期", "人数"], ["培训", when, 40], [None, None, 2.5]]))
    sheet = read_book(data, Limits()).sheets["数据"]
    assert sheet.cells == {
        (1, 1): "标题", (1, 2): "日期", (1, 3): "人数",
        (2, 1): "培训", (2, 2): when, (2, 3): 40,
        (3, 3): 2.5,
    }  # fmt: skip
    assert list(sheet.rows(first=2)) == [(2, {1: "培训", 2: when, 3: 40}), (3, {3: 2.5})]
    assert sheet.row_values(3, 4) == (None, None, 2.5, None)


def test_a_far_away_cell_costs_one_cell_not_millions():
    base = saved(workbook([["标题", "人数"], ["培训", 40]]))
    data = crafted.with_far_cell(base, "XFD1048576")
    assert len(data) < 13 * 1024
    clock = CountingClock()
    sheet = read_book(data, Limits(), budget=Budget(20, clock=clock)).first()
    assert sheet.cells[(1048576, 16384)] == "x" and len(sheet.cells) == 5
    # Budget checks: once at the start, once for the sheet, once per row written (3 rows):
    # the 1 048 573 empty rows and 16 383 empty columns are never visited.
    assert clock.calls == 1 + 1 + 3


def test_a_formula_is_refused_naming_its_cell_with_or_without_a_cached_result():
    base = saved(workbook([["人数", 40], ["合计", 41]]))
    uncached = saved(workbook([["人数", 40], ["合计", "=B1+1"]]))
    cached = crafted.with_cached_formula(base, "B2", "B1+1", "41")
    for data in (uncached, cached):
        with pytest.raises(
            UploadRefused, match="工作表“数据”的单元格 B2；系统只接受直接填写的数值"
        ):
            read_book(data, Limits())


def test_many_formulas_are_counted_after_the_first_five():
    data = saved(workbook([[f"=ROW()+{i}"] for i in range(7)]))
    with pytest.raises(UploadRefused, match=r"单元格 A5等 7 个单元格"):
        read_book(data, Limits())


def test_too_many_cells_are_refused():
    data = saved(workbook([[1, 2, 3]] * 4))
    with pytest.raises(UploadRefused, match="有数据的单元格超过 10 个"):
        read_book(data, Limits(max_cells=10))


def test_a_spent_budget_stops_the_reading():
    ticks = iter(range(100))
    budget = Budget(2, "表格", clock=lambda: next(ticks))
    with pytest.raises(UploadRefused, match="表格处理时间超过 2 秒"):
        read_book(saved(workbook([[i] for i in range(10)])), Limits(), budget=budget)


def test_a_bomb_inside_a_workbook_is_refused_before_openpyxl_opens_it():
    data = crafted.with_bomb(saved(workbook([["a"]])), "xl/worksheets/sheet1.xml")
    with pytest.raises(UploadRefused, match="压缩炸弹"):
        read_book(data, Limits())


# The dimension reads (openpyxl looks at it when it opens the book); the XML breaks after
# 200 KB of good rows, so only reading the rows meets it.
BROKEN_SHEET = (
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b'<dimension ref="A1:A5000"/><sheetData>'
    + b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (i, i) for i in range(1, 5001))
    + b"<row><c"
)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"xl/workbook.xml": b"<workbook"}, "已损坏或不是有效的 Excel"),
        ({"xl/worksheets/sheet1.xml": BROKEN_SHEET}, "工作表无法读取"),
    ],
)
def test_malformed_xml_is_answered_in_chinese(change, message):
    base = saved(workbook([["a"]]))
    ((member, content),) = change.items()
    with pytest.raises(UploadRefused, match=message):
        read_book(crafted.with_member(base, member, content), Limits())


def test_a_word_document_is_not_taken_for_a_workbook():
    data = crafted.rezip({"word/document.xml": b"<w:document/>", "[Content_Types].xml": b"<T/>"})
    with pytest.raises(UploadRefused, match="可能是 Word"):
        read_book(data, Limits())
