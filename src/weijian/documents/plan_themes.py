"""A plan's 主要任务 as an office writes them (read 2026-12-08: "every problem a numbered task
in the same order, each 由X牵头，于Y前…，确保…: read as machine-made"): the tasks grouped into a
few themed parts (plan_measures.yaml `themes`), each part a （一） heading with its items said
一是…二是…; a problem's remedy inside its theme, the development agenda and the health days in
theirs. Offices and deadlines stay in the items that carry them (Task.line)."""

from __future__ import annotations

from .context import cat
from .model import Paragraph, Section
from .plan_measures import TOPIC_MEASURES
from .tasks import URGENT_KINDS, Task

THEMES = TOPIC_MEASURES["themes"]
ORDINALS = "一二三四五六七八九十"
# the subjects of the agenda's tasks (plan_agenda.py)
AGENDA_SUBJECTS = ("新技术新项目", "重点专科", "改革举措", "外出进修")


def theme_of(task: Task) -> int:
    """The index of the theme a task belongs to: the longest code prefix any theme names,
    else its measure's kind, else the last theme."""
    best, length = None, -1
    for index, theme in enumerate(THEMES):
        for prefix in theme.get("prefixes") or []:
            if task.dx and task.dx.startswith(prefix) and len(prefix) > length:
                best, length = index, len(prefix)
    if best is not None:
        return best
    for index, theme in enumerate(THEMES):
        if task.kind and task.kind in (theme.get("kinds") or []):
            return index
    return len(THEMES) - 1


def agenda_theme() -> int:
    return next(i for i, t in enumerate(THEMES) if t.get("agenda"))


def days_theme(unit_kind: str) -> int:
    """The theme the health days join for a kind of unit (a hospital's: service; a township's:
    public health)."""
    return next((i for i, t in enumerate(THEMES) if unit_kind in (t.get("days") or [])), len(THEMES) - 1)  # fmt: skip


def themed_sections(placed: list[tuple[int, Task]]) -> list[Section]:
    """The tasks under their themes' headings: themes in the order of their first task (the
    tasks come most serious first), each item "一是…" (a theme of one item: the item alone)."""
    order: list[int] = []
    by_theme: dict[int, list[Task]] = {}
    for theme, task in placed:
        if theme not in by_theme:
            order.append(theme)
        by_theme.setdefault(theme, []).append(task)
    sections = []
    for theme in order:
        tasks = by_theme[theme]
        blocks = []
        for index, task in enumerate(tasks):
            head = [f"{ORDINALS[index]}是"] if len(tasks) > 1 and index < len(ORDINALS) else []
            # a live safety signal says its date first; other dated work at its end, so that
            # not every item opens "X于…前" (the checker's plan-template-repeat)
            line = task.line(date_last=task.kind not in URGENT_KINDS)
            blocks.append(Paragraph(cat([*head, *line]), review=task.review))
        title = THEMES[theme]["title"]
        if THEMES[theme].get("agenda") and not any(t.subject in AGENDA_SUBJECTS for t in tasks):
            title = THEMES[theme].get("plain_title") or title
        sections.append(Section(title, blocks))
    return sections
