"""Pages stay full (issue 11 item 10: "no page left 40 % blank by a chart"): a long table splits
between rows with its header repeated instead of moving whole, and a chart is small enough that
pushing it to the next page leaves less than 40 % of a page empty.

The rule, measured on a LibreOffice render: every page but the last has ink below 60 % of the
text block's height (`blank_fractions`: the share of the 225 mm block empty below the last ink).
A body page holds 22 lines, so 40 % is about 9 lines."""

from dataclasses import dataclass

from tests.rendering import blank_fractions, needs_office, page_texts, squeezed, to_pdf, to_pngs
from weijian.documents import charts
from weijian.documents.docx import OfficialDocument
from weijian.documents.model import Chart
from weijian.documents.render_docx import CHART_WIDTH_MM

FULL_LINE = "卫生健康" * 7  # 28 characters: one full line when not indented


@dataclass(frozen=True)
class Value:
    value: float


def lines(doc: OfficialDocument, count: int) -> None:
    doc.paragraph(FULL_LINE * count, indent=False)


def render(doc: OfficialDocument, tmp_path):
    path = tmp_path / "pages.docx"
    doc.save(path)
    pdf = to_pdf(path)
    pngs = sorted(to_pngs(pdf), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    return blank_fractions(pngs), page_texts(pdf)


@needs_office
def test_a_long_table_splits_with_its_header_rather_than_leave_a_page_half_empty(tmp_path):
    # Title (2 lines with its blank) + 10 body lines leave ~10 lines (~100 mm) on page 1; the
    # caption and 13 rows of at least 8 mm (~115 mm) do not fit. Moved whole, the table would
    # leave those 10 lines (~45 %) blank; split, page 1 is filled down to its last row.
    doc = OfficialDocument("测试")
    lines(doc, 10)
    doc.table(["指标", "数值"], [[f"第{n}项", "达标"] for n in range(1, 13)], caption="指标")
    blanks, texts = render(doc, tmp_path)
    assert len(blanks) == 2
    assert blanks[0] < 0.40, blanks
    first, second = squeezed(texts[0]), squeezed(texts[1])
    assert "第1项" in first and "第11项" not in first and "第11项" in second
    assert second.startswith("指标数值")  # the header row is repeated on page 2


@needs_office
def test_a_chart_pushed_to_the_next_page_leaves_less_than_40_percent_blank(tmp_path):
    # 17 body lines after the title leave ~3 lines: the chart (130 mm wide at the charts'
    # 6.2 : 2.4 aspect, ~50 mm high, plus its caption) goes to page 2, and page 1 keeps its
    # ~3 empty lines (< 20 %) instead of the 40 % a 150 mm-wide, taller chart could leave.
    chart = Chart(
        title="门诊人次",
        categories=["1月", "2月", "3月"],
        series=[
            ("2026年", [Value(3), Value(4), Value(5)]),
            ("2025年", [Value(2), Value(3), Value(4)]),
        ],
    )
    doc = OfficialDocument("测试")
    lines(doc, 17)
    doc.image(charts.render_png(chart), width_mm=CHART_WIDTH_MM, caption="门诊人次逐月对比")
    lines(doc, 3)
    blanks, texts = render(doc, tmp_path)
    assert "图1" in squeezed(texts[-1]) and "图1" not in squeezed(texts[0])  # moved over
    assert all(blank < 0.40 for blank in blanks[:-1]), blanks


def test_a_chart_is_at_most_a_quarter_of_the_text_block_high():
    # 130 mm × 2.4 / 6.2 = 50.3 mm, 22 % of the 225 mm block; with its caption line (~10 mm)
    # a chart moved whole leaves at most ~27 % of a page blank.
    import io

    from PIL import Image

    chart = Chart(title="t", categories=["1月"], series=[("2026年", [Value(1)])])
    width, height = Image.open(io.BytesIO(charts.render_png(chart))).size
    assert CHART_WIDTH_MM * height / width <= 225 / 4
