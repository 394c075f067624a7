"""An actual against its target: completion, 序时进度, control bounds."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from .numbers import (
    Quantity,
    _digits,
    _gap_figure,
    _is_cumulative,
    _percent_text,
    _points_text,
    _printed_zero,
    _shown,
    derived,
    fmt,
    has_value,
)
from .spans import Text, fill, merge

# ---------------------------------------------------------------------------------------------
# Targets


def target(
    actual: Quantity,
    goal: Quantity,
    *,
    direction: Literal["up", "down"] = "up",
    elapsed: Decimal = Decimal(1),
    key: str | None = None,
    goal_name: str = "全年目标",
) -> Text:
    """The actual against its target.

    Counts, higher is better: the completion share against the (annual) goal — "完成全年目标
    的52.3%", "超额完成全年目标任务", and when below the elapsed share of the year (序时进度)
    "低于序时进度（49.6%）4.8个百分点，进度滞后". Rates, higher is better: "达到95%的目标要求" /
    "低于95%的目标值1.2个百分点". Lower is better (rates and counts): "控制在8%的目标以内" /
    "超出8%的控制目标0.6个百分点". () when either value is missing. One phrasing per
    situation; `key` is accepted and ignored.
    """
    if not (has_value(actual) and has_value(goal)):
        return ()
    del key  # one phrasing per situation
    goal_fig = fmt(goal)
    # bounds are judged on the printed values: "95.00%" is not "低于目标值（95%）"
    now, aim = _shown(actual), _shown(goal)

    if direction == "down":
        if now <= aim:
            return fill("控制在{goal}的目标以内", goal=goal_fig)
        # a miss is said with its gap however small (1.21 % against a 1.20 % cap: "超出…0.01个
        # 百分点"): "略高于" softened a missed 责任书 target (director reads of 2026-12-07)
        over = _gap_figure(now - aim, actual, goal, "over_target")
        return fill("超出{goal}的控制目标{gap}", goal=goal_fig, gap=over)
    if direction != "up":
        raise ValueError(f"direction must be up or down, not {direction!r}")

    if not _is_cumulative(actual):
        if now >= aim:
            return fill("达到{goal}的目标要求", goal=goal_fig)
        short = _gap_figure(aim - now, actual, goal, "below_target")
        return fill("低于{goal}的目标值{gap}", goal=goal_fig, gap=short)

    if aim <= 0 or now < 0:
        return ()
    completion = now / aim * 100
    done_text = _percent_text(completion)
    if completion < 100 and Decimal(done_text[:-1]) >= 100:  # never print 100% for 99.96%
        done_text = f"{_digits(completion - Decimal('0.05'), 1)}%"
    done = derived(done_text, completion, "completion", actual, goal)
    if _printed_zero(done):  # "完成全年目标的0%" informs nobody
        return ()
    done_shown = Decimal(done_text[:-1])
    whole = goal_name + "任务"
    slots = {"name": goal_name, "whole": whole, "goal": goal_fig, "done": done}
    if completion >= 100:
        if elapsed < 1:
            return fill("已提前完成{whole}（{goal}），完成率{done}", **slots)
        if completion == 100:
            return fill("全面完成{whole}（{goal}）", **slots)
        return fill("完成{name}的{done}，超额完成{whole}", **slots)
    if elapsed >= 1 or elapsed <= 0:
        if elapsed <= 0:  # no schedule to judge against: the share alone
            return fill("完成{name}的{done}", **slots)
        return fill("完成{name}（{goal}）的{done}，未完成{whole}", **slots)
    schedule = elapsed * 100
    sched_fig = derived(_percent_text(schedule), schedule, "elapsed_share", elapsed=str(elapsed))
    schedule_shown = Decimal(sched_fig.text[:-1])
    if done_shown >= schedule_shown:
        if elapsed == Decimal("0.5"):
            return fill("完成{name}的{done}，实现“时间过半、任务过半”", **slots)
        return fill("完成{name}的{done}，快于序时进度", **slots)
    lag = schedule_shown - done_shown
    lag_fig = derived(_points_text(lag), lag, "behind_schedule", actual, goal)
    # the schedule is said: by days elapsed (49.6 % on 30 June), not the 50 % a reader assumes
    # (a director read of 2026-12-07 took "低于序时进度3个百分点" for a slip of 50 − 46.6)
    slots |= {"lag": lag_fig, "schedule": sched_fig}
    if lag >= 10:  # well behind: the model texts' 仅
        return fill("仅完成{name}（{goal}）的{done}，低于序时进度（{schedule}）{lag}，进度明显滞后", **slots)  # fmt: skip
    return fill("完成{name}（{goal}）的{done}，低于序时进度（{schedule}）{lag}，进度滞后", **slots)


def missed_contract(actual: Quantity, goal: Quantity, title: str, *, direction: Literal["up", "down"]) -> Text:  # fmt: skip
    """A 责任书 target missed, stated as missed with its bound and gap, never softened:
    "未完成《2025年度医疗质量安全目标责任书》确定的控制目标（≤1.20%），差0.10个百分点";
    "未完成《…》确定的目标（≥85%），差1.77个百分点". The gap is on the printed values (1.205 %
    printed 1.21 % is 0.01 point over 1.20 %); () when either value is missing or it was met."""
    if not (has_value(actual) and has_value(goal)):
        return ()
    now, aim = _shown(actual), _shown(goal)
    gap = now - aim if direction == "down" else aim - now
    if gap <= 0:
        return ()
    op = "over_target" if direction == "down" else "below_target"
    bound, what = ("≤", "控制目标") if direction == "down" else ("≥", "目标")
    # the title is the office's text: a span of its own, never part of a template
    gap_fig = _gap_figure(gap, actual, goal, op)
    return merge(["未完成《", title, f"》确定的{what}（{bound}", fmt(goal), "），差", gap_fig])
