"""A stock said as a flow.

- stock-span: a count that is a stock at the period's end (签约居民人数, 建档人数: elements
  aggregated by their last value) printed in a sentence that opens with a span of time (全年，
  上半年，1—11月，) as if it had been done over it ("全年，家庭医生签约居民2.07万人"): a reader
  adds it up as the year's work. A stock is dated ("截至年底，…"). Which codes are stocks the
  caller says (Knowledge.stocks), from the elements' aggregation.
"""

from __future__ import annotations

import re

from ..model import Document, Paragraph, walk
from ..narrative import Figure, plain
from .base import Finding, Knowledge

# a sentence that opens with a span of time: 全年， 上半年， 一季度， 1—11月， 12月以来，
SPAN_OPENING = re.compile(
    r"^(全年|上半年|下半年|[一二三四]季度|\d{1,2}(—\d{1,2})?月(份|以来)?|今年以来)，"
)


def stock_spans(document: Document, knowledge: Knowledge) -> list[Finding]:
    if not knowledge.stocks:
        return []
    found = []
    for _, _, block in walk(document):
        if not isinstance(block, Paragraph) or block.review:
            continue
        sentence = ""
        for span in block.text:
            if isinstance(span, Figure):
                dx = dict(span.source).get("dx")
                opening = SPAN_OPENING.match(sentence.lstrip())
                if dx in knowledge.stocks and opening and "截至" not in sentence:
                    clause = sentence[max(sentence.rfind(c) for c in "，；") + 1 :]
                    found.append(Finding("stock-span", f"“{clause}{span.text}”是期末数，却写在“{opening.group(1)}”之下（应写“截至…”）"))  # fmt: skip
                sentence += span.text
                continue
            text = span if isinstance(span, str) else plain((span,))
            if "。" in text:
                sentence = text.rsplit("。", 1)[1]
            else:
                sentence += text
    return found
