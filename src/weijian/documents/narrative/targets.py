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
from .spans import Text, choose, fill, key_of

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
    "低于序时进度4.8个百分点，进度滞后". Rates, higher is better: "达到目标要求（≥95%）" /
    "低于目标值（95%）1.2个百分点". Lower is better (rates and counts): "控制在目标（≤8%）以内" /
    "未达到控制目标（≤8%），超出0.6个百分点". () when either value is missing.
    """
    if not (has_value(actual) and has_value(goal)):
        return ()
    key = key if key is not None else key_of(actual, goal, extra="target")
    goal_fig = fmt(goal)
    # bounds are judged on the printed values: "95.00%" is not "低于目标值（95%）"
    now, aim = _shown(actual), _shown(goal)

    if direction == "down":
        if now <= aim:
            variants = [
                "控制在目标（≤{goal}）以内",
                "控制在{goal}的目标以内",
                "低于{goal}的控制目标",
            ]
            if now == aim:
                variants = ["控制在目标（≤{goal}）以内", "控制在{goal}的目标以内"]
            return fill(choose(variants, key + "|down-ok"), goal=goal_fig)
        over = _gap_figure(now - aim, actual, goal, "over_target")
        variants = ["未达到控制目标（≤{goal}），超出{gap}", "超出{goal}的控制目标{gap}"]
        return fill(choose(variants, key + "|down-miss"), goal=goal_fig, gap=over)
    if direction != "up":
        raise ValueError(f"direction must be up or down, not {direction!r}")

    if not _is_cumulative(actual):
        if now >= aim:
            variants = ["达到目标要求（≥{goal}）", "达到{goal}的目标要求", "高于{goal}的目标值"]
            if now == aim:
                variants = variants[:2]
            return fill(choose(variants, key + "|rate-ok"), goal=goal_fig)
        short = _gap_figure(aim - now, actual, goal, "below_target")
        variants = ["低于目标值（{goal}）{gap}", "未达到{goal}的目标要求，相差{gap}"]
        return fill(choose(variants, key + "|rate-miss"), goal=goal_fig, gap=short)

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
    if completion >= 100:
        if elapsed < 1:
            variants = [
                "已提前完成{whole}（{goal}），完成率{done}",
                "完成{name}的{done}，提前完成{whole}",
            ]
        elif completion == 100:
            variants = ["全面完成{whole}（{goal}）", "完成{whole}（{goal}）"]
        else:
            variants = [
                "完成{name}的{done}，超额完成{whole}",
                "超额完成{whole}（{goal}），完成率{done}",
            ]
        return fill(
            choose(variants, key + "|done"), name=goal_name, whole=whole, goal=goal_fig, done=done
        )
    if elapsed >= 1 or elapsed <= 0:
        if elapsed <= 0:  # no schedule to judge against: the share alone
            return fill("完成{name}的{done}", name=goal_name, done=done)
        left = _gap_figure(aim - now, actual, goal, "remaining")
        variants = [
            "完成{name}（{goal}）的{done}，未完成{whole}",
            "完成{name}的{done}，距{name}尚差{left}",
        ]
        return fill(
            choose(variants, key + "|short"),
            name=goal_name,
            whole=whole,
            goal=goal_fig,
            done=done,
            left=left,
        )
    schedule = elapsed * 100
    sched_fig = derived(_percent_text(schedule), schedule, "elapsed_share", elapsed=str(elapsed))
    schedule_shown = Decimal(sched_fig.text[:-1])
    if done_shown >= schedule_shown:
        variants = [
            "完成{name}的{done}，快于序时进度",
            "完成{name}（{goal}）的{done}，进度符合序时要求",
        ]
        if elapsed == Decimal("0.5"):
            variants = [*variants, "完成{name}的{done}，实现“时间过半、任务过半”"]
        return fill(choose(variants, key + "|ahead"), name=goal_name, goal=goal_fig, done=done)
    lag = schedule_shown - done_shown
    lag_fig = derived(_points_text(lag), lag, "behind_schedule", actual, goal)
    variants = [
        "完成{name}的{done}，低于序时进度（{sched}）{lag}，进度滞后",
        "完成{name}（{goal}）的{done}，落后序时进度{lag}，进度滞后",
    ]
    if lag >= 10:  # well behind: the model texts' 仅
        variants.append("仅完成{name}（{goal}）的{done}，进度滞后，落后序时进度{lag}")
    return fill(
        choose(variants, key + "|behind"),
        name=goal_name,
        goal=goal_fig,
        done=done,
        sched=sched_fig,
        lag=lag_fig,
    )
