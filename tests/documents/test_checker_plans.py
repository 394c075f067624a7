"""The checker's plan rules (checker/plans.py): a target with no basis, a live safety signal
given a far deadline, a routine duty as a plan item — each what the director reads of
2026-12-07 (17:00) marked in our plans."""

from __future__ import annotations

import datetime as dt

from tests.documents.test_checker import doc, rules
from weijian.documents.checker import Knowledge
from weijian.documents.model import Paragraph, Section


def targets(text):
    return doc(Section("工作目标", [Paragraph((text,))]), period="2026", kind="plan")


def test_a_target_that_gives_only_the_result_it_starts_from_is_found():
    # read: "手卫生依从率达到87%以上（2026年1—11月为86.79%…）" is the result rounded up, no reason
    bare = "2027年，我院主要工作目标是：一是手卫生依从率达到87%以上（2026年1—11月为86.79%）；二是院感发病率控制在1.11%以内（2026年1—11月为1.20%，按近两年年均下降0.09个百分点确定）。"  # fmt: skip
    assert rules(targets(bare)) == ["plan-basis"]
    said = "2027年，我院主要工作目标是：一是手卫生依从率达到90.4%以上（2026年1—11月为86.79%，已超过原定目标85%，按近两年年均提高3.6个百分点确定）；二是高血压规范管理率保持在73.12%以上（2026年1—11月为73.12%，已超过原定目标65%，巩固现有水平）。"  # fmt: skip
    assert rules(targets(said)) == []


def test_a_live_safety_signals_investigation_due_late_is_found():
    # the Ⅰ类切口 cluster found in July: 9月底 for its investigation is too late (read: 1月底前
    # for a plan written in December); 8月底 (the end of the next month) is right
    date = Knowledge(date=dt.date(2026, 7, 10))
    late = Section("下半年工作打算", [Paragraph(("1．医院感染管理科于2026年12月底前对Ⅰ类切口感染率成倍上升开展专项调查，落实防控措施。",))])  # fmt: skip
    assert rules(doc(late), date) == ["plan-urgent"]
    soon = Section("下半年工作打算", [Paragraph(("1．医院感染管理科于2026年8月底前对Ⅰ类切口感染率成倍上升开展专项调查，落实防控措施。",))])  # fmt: skip
    assert rules(doc(soon), date) == []


def test_a_routine_duty_as_a_plan_item_is_found():
    # read: "院办公室坚持每季度消防演练、每月院务会等常规工作" is filler, not a plan task
    routine = Section("主要任务", [Paragraph(("1．院办公室坚持每季度消防演练、每月院务会等常规工作，确保按计划落实到位。",))])  # fmt: skip
    assert rules(doc(routine, kind="plan")) == ["plan-routine"]
    task = Section("主要任务", [Paragraph(("1．护理部对住院患者跌倒逐例登记、按月分析原因，落实防范措施。",))])  # fmt: skip
    assert rules(doc(task, kind="plan")) == []
