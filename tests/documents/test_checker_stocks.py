"""The checker's stock-span rule (checker/stocks.py), on hand-made documents: a stock at the
period's end (签约居民人数) under 全年 reads as the year's work; dated (截至年底) it is right."""

from __future__ import annotations

from decimal import Decimal as D

from weijian.documents.checker import Knowledge, check
from weijian.documents.model import Document, Paragraph, Section
from weijian.documents.narrative import Figure

STOCKS = Knowledge(stocks={"FDS_SIGNED_PERSONS"})


def fig(text, value, dx):
    return Figure(text, D(str(value)), {"dx": dx, "pe": "2025", "ou": "QSZ"})


def doc(*paragraphs, review=False):
    document = Document("青山镇中心卫生院2025年工作总结", "QSZ", "青山镇中心卫生院", "2025", "2025年",
                        "T", "测试")  # fmt: skip
    document.sections = [Section("家庭医生签约服务", [Paragraph(p, review=review) for p in paragraphs])]  # fmt: skip
    return document


def findings(document, knowledge=STOCKS):
    return [f.text for f in check(document, knowledge) if f.rule == "stock-span"]


SIGNED = fig("2.07万人", 20700, "FDS_SIGNED_PERSONS")
SERVICES = fig("5.66万人次", 56600, "FDS_SERVICES_COUNT")


def test_a_stock_under_a_span_of_time_is_found():
    # the township's first draft: "全年，家庭医生签约居民2.07万人" — a reader adds it up as the
    # year's signing; the services (a flow) in the same sentence are right as they are
    text = ("全年，家庭医生签约居民", SIGNED, "；提供履约服务", SERVICES, "。")
    assert findings(doc(text)) == [
        "“家庭医生签约居民2.07万人”是期末数，却写在“全年”之下（应写“截至…”）"
    ]
    months = ("1—10月，家庭医生签约居民", SIGNED, "。")
    assert len(findings(doc(months))) == 1


def test_a_dated_stock_a_flow_a_marked_line_or_an_unknown_code_is_not_found():
    dated = ("截至年底，我院家庭医生签约居民", SIGNED, "；全年提供履约服务", SERVICES, "。")
    later = ("全年提供履约服务", SERVICES, "。截至年底，签约居民", SIGNED, "。")
    assert findings(doc(dated)) == [] and findings(doc(later)) == []
    assert findings(doc(("全年，家庭医生签约居民", SIGNED, "。"), review=True)) == []
    # without knowing which codes are stocks the rule says nothing (a flow is never flagged)
    assert findings(doc(("全年，家庭医生签约居民", SIGNED, "。")), Knowledge()) == []
