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
    bare = "2027年，我院主要工作目标是：一是手卫生依从率达到87%以上（2026年1—11月为86.79%）；二是医院感染发病率控制在1.1%以内（2026年1—11月为1.20%，按恢复到2025年水平确定）。"  # fmt: skip
    assert rules(targets(bare)) == ["plan-basis"]
    said = "2027年，我院主要工作目标是：一是手卫生依从率达到90%以上（2026年1—11月为86.79%，已超过原定目标85%，巩固提高）；二是高血压规范管理率保持在73.12%以上（2026年1—11月为73.12%，已超过原定目标65%，巩固现有水平）。"  # fmt: skip
    assert rules(targets(said)) == []


def test_a_targets_arithmetic_inside_a_sentence_is_found():
    # read 2026-12-07 20:35: "签约率达到77.3%以上（2025年为75.89%，…按近两年年均提高1.4个百分点
    # 确定）" is a calculation; the figure alone goes in the sentence, the arithmetic in the table
    stepped = "2027年，我院主要工作目标是：一是重点人群签约率达到77.3%以上（2026年为75.89%，已超过原定目标75%，按近两年年均提高1.4个百分点确定）。"  # fmt: skip
    assert rules(targets(stepped)) == ["plan-target-arithmetic"]
    volume = "2027年，我院主要工作目标是：一是门急诊人次力争达到53.9万人次，比2026年全年预计数增长2.6%，增幅按近两年年均增幅确定。"  # fmt: skip
    assert rules(targets(volume)) == ["plan-target-arithmetic"]
    # in a summary's 下一步 as well
    plan_part = Section("下一步工作打算", [Paragraph(("1．医院感染管理科全年对照手卫生依从率，力争达到90%以上，按近两年年均提高3.6个百分点确定。",))])  # fmt: skip
    assert rules(doc(plan_part)) == ["plan-target-arithmetic"]
    plain_goal = "2027年，我院主要工作目标是：一是重点人群签约率达到77%以上；二是门急诊人次力争达到53.9万人次。"  # fmt: skip
    assert rules(targets(plain_goal)) == []


def _table(header, rows):
    from weijian.documents.model import Table

    return Table(title="2027年主要指标目标及测算依据", header=header, rows=rows)


def test_a_target_table_without_a_basis_or_below_the_result_is_found():
    from decimal import Decimal

    from weijian.documents.narrative import Figure

    def row(now, goal, basis):
        return [
            ("手卫生依从率（%）",),
            (Figure(now, Decimal(now), {"dx": "HAI_HAND_HYGIENE", "pe": "2026", "ou": "RMYY"}),),
            (Figure(goal, Decimal(goal), {"source": "计算"}),),
            (basis,),
        ]

    header = ["指标", "2026年1—11月实际", "2027年目标", "测算依据"]
    up = Knowledge(directions={"HAI_HAND_HYGIENE": "up"})
    good = _table(header, [row("86.79", "90", "近两年年均提高3.6个百分点")])
    sentence = Paragraph(("2027年，我院主要工作目标是：一是手卫生依从率达到90%以上。",))
    assert rules(doc(Section("工作目标", [sentence, good]), kind="plan"), up) == []
    # 86 below the 86.79 reached (higher is better): a target below a result reached
    low = _table(header, [row("86.79", "86", "巩固现有水平")])
    assert rules(doc(Section("工作目标", [sentence, low]), kind="plan"), up) == ["plan-floor"]
    # an empty basis, and a table with no basis column at all
    empty = _table(header, [row("86.79", "90", "—")])
    assert rules(doc(Section("工作目标", [sentence, empty]), kind="plan"), up) == ["plan-basis"]
    bare = _table(header[:3], [row("86.79", "90", "")[:3]])
    assert rules(doc(Section("工作目标", [sentence, bare]), kind="plan"), up) == ["plan-basis"]


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
