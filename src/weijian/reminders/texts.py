"""The Chinese wording of 催报 and of the daily digest (plain text: robots and e-mail alike)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from .queries import Digest, link

LISTED = 8  # lines per kind; more are counted, not listed (robots cap a message's length)


def day(date: dt.date) -> str:
    return f"{date.year}年{date.month}月{date.day}日"


def urge_text(form, unit, period, due: dt.date, today: dt.date, by_name: str, by_unit: str) -> str:
    late = (today - due).days
    when = (
        f"已逾期 {late} 天" if late > 0 else ("今天截止" if late == 0 else f"还有 {-late} 天截止")
    )
    url = link(reverse("entry", args=[form.code, unit.code, period.id]))
    lines = [
        f"【催报】{unit.ancestor_names()}：《{form.name}》{period.label}尚未上报"
        f"（截止日期 {day(due)}，{when}），请尽快登录卫健工作台填报并上报。",
        f"催报人：{by_unit} {by_name}",
    ]
    if url:
        lines.append(f"填报地址：{url}")
    return "\n".join(lines)


def digest_text(result: Digest) -> str:
    lines = [f"【卫健工作台·每日提醒】{result.unit.name} {day(result.day)}"]
    _section(
        lines,
        "报表",
        [
            (
                "逾期未报",
                result.overdue,
                lambda t: f"{_report(t)}，逾期 {(result.day - t.due_date).days} 天",
            ),
            ("即将到期", result.due_soon, lambda t: f"{_report(t)}，{day(t.due_date)}截止"),
            ("退回待修改", result.returned, _report),
        ],
    )
    _section(
        lines,
        "整改通知",
        [
            ("逾期未整改", result.notices_overdue, _notice),
            ("即将到期", result.notices_due, _notice),
        ],
    )
    _section(
        lines,
        "检查任务",
        [
            (
                "本期待检查",
                result.inspections,
                lambda d: f"{d.plan.template.name} · {d.unit.name}（{day(d.due_date)}前）",
            )
        ],
    )
    url = link(reverse("task_board"))
    lines.append(f"请登录卫健工作台处理：{url}" if url else "请登录卫健工作台“我的待办”处理。")
    return "\n".join(lines)


def _report(task) -> str:
    return f"{task.org_unit.ancestor_names()}《{task.form.name}》{task.period.label}"


def _notice(notice) -> str:
    return f"{notice.org_unit.ancestor_names()} {notice.word}〔{notice.year}〕{notice.seq}号，期限 {day(notice.deadline)}"


def _section(lines: list[str], title: str, parts) -> None:
    counted = [(name, items, fmt) for name, items, fmt in parts if items]
    if not counted:
        return
    lines.append(f"{title}：" + "，".join(f"{name} {len(items)} 项" for name, items, _ in counted))
    for _name, items, fmt in counted:
        lines += [f"· {fmt(item)}" for item in items[:LISTED]]
        if len(items) > LISTED:
            lines.append(f"· ……另有 {len(items) - LISTED} 项")
