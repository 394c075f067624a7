"""The work behind a section's figures (issue 11 item 5) on the small world: a section with
`measures: quality` says what the ledger holds on its topic, dated and counted, and nothing at
all when no record matches (no invented measures)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.documents.test_compose import TODAY, put, section, text_of
from weijian.documents import timeframe
from weijian.documents.compose import compose
from weijian.documents.model import provenance
from weijian.ledger.models import Activity, ActivityType, NothingToReport

SPEC = {
    "code": "T_MEASURES",
    "name": "测试总结",
    "title": "{unit}{period}工作总结",
    "we": "我院",
    "opening": [{"text": "现将工作总结如下："}],
    "sections": [
        {
            "title": "业务工作",
            "kind": "figures",
            "measures": "quality",
            "lead": "{span}，全院完成",
            "items": [{"dx": "DIS", "label": "出院患者", "direction": "up"}],
        },
    ],
}


@pytest.fixture
def ward(world):
    """Discharges at MED, 2025 H1 and 2026 H1 (the section has figures to stand before)."""
    for month in range(1, 7):
        put(world.discharges, world.medicine, f"2025{month:02d}", 100)
        put(world.discharges, world.medicine, f"2026{month:02d}", 104)
    return world


def train(world, rows, empty_months):
    """Training records (month, day, unit, theme, attendance) and 本月无培训 for the rest."""
    kind = ActivityType.objects.get_or_create(code="TRAIN", defaults={"name": "培训"})[0]
    now = timezone.now()
    for month, day, unit, theme, attend in rows:
        Activity.objects.create(
            type=kind, org_unit=unit, title=f"{theme}培训", start_date=dt.date(2026, month, day),
            end_date=dt.date(2026, month, day), period_id=f"2026{month:02d}",
            values={"THEME": theme, "ATTEND": attend}, created_at=now, updated_at=now,
        )  # fmt: skip
    for month in empty_months:
        NothingToReport.objects.create(
            type=kind, org_unit=world.hospital, period_id=f"2026{month:02d}", set_at=now
        )


def written(world):
    document = compose(world.hospital, timeframe.parse("2026S1"), SPEC, TODAY)
    return document, text_of(section(document, "业务工作"))


def test_the_records_on_the_sections_topic_are_said_before_its_figures(ward):
    train(
        ward,
        [
            (1, 14, ward.hospital, "消防安全知识", 90),  # another topic: not counted here
            (3, 10, ward.hospital, "医疗质量安全核心制度", 40),
            (5, 12, ward.medicine, "抗菌药物合理使用", 30),
        ],
        empty_months=[2, 4, 6],
    )
    document, text = written(ward)
    # two of the three records hold a quality keyword (医疗质量, 抗菌药物); 40 + 30 = 70 人次;
    # themes by frequency (1 each), then by name
    assert text.startswith(
        "组织医疗质量安全核心制度、抗菌药物合理使用培训2次（3月10日、5月12日，参训70人次）。"
    )
    assert "出院患者624人次" in text  # 6 × 104, the section's own figures follow
    sources = {e["text"]: e for e in provenance(document) if e.get("source") == "工作台账"}
    assert "主题含医疗质量" in sources["2次"]["query"] and sources["70人次"]["value"] == 70


def test_without_a_record_on_the_topic_nothing_is_said(ward):
    _, bare = written(ward)  # no training ledger at all
    assert "培训" not in bare and bare.startswith("上半年，全院完成出院患者")
    train(ward, [(1, 14, ward.hospital, "消防安全知识", 90)], empty_months=[2, 3, 4, 5, 6])
    _, other = written(ward)  # a ledger kept all six months, none of it on quality
    assert other == bare


def test_a_ledger_with_a_gap_says_nothing_of_its_records(ward):
    # March's quality training is recorded, but April has neither a record nor 本月无培训
    train(ward, [(3, 10, ward.hospital, "医疗质量安全核心制度", 40)], empty_months=[1, 2, 5, 6])
    document, text = written(ward)
    assert "培训" not in text
    assert any("培训台账有月份未登记" in note for note in document.notes)
