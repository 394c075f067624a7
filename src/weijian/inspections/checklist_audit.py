"""What an edit of a checklist item changed, in the words of the audit trail (the Event rows
`actions.save_item` writes): each field that changed, old → new, long texts shortened."""

from __future__ import annotations

from .models import EventAction, Item, TemplateVersion
from .scoring import fmt

ITEM_FIELDS = [
    ("项目", lambda i: i.section.name),
    ("序号", lambda i: i.code),
    ("工作内容", lambda i: i.content),
    ("工作要求", lambda i: i.requirement),
    ("考核方法", lambda i: i.method),
    ("评分标准", lambda i: i.rule),
    ("分值", lambda i: fmt(i.points)),
    ("计分方式", lambda i: i.get_kind_display()),
    ("每处扣分", lambda i: fmt(i.per_occurrence) if i.per_occurrence is not None else ""),
    ("扣分上限", lambda i: fmt(i.cap) if i.cap is not None else ""),
    ("分档", lambda i: "、".join(i.grades or [])),
    ("可不适用", lambda i: "是" if i.na_allowed else "否"),
]


def item_fields(item: Item) -> dict[str, str]:
    return {label: str(read(item)) for label, read in ITEM_FIELDS}


def item_change(
    version: TemplateVersion, item: Item, before: dict[str, str] | None
) -> tuple[str, str] | None:
    """(event action, reason) for an item added (`before` is None) or edited; None when an
    edit changed nothing."""
    after = item_fields(item)
    if before is None:
        return EventAction.ITEM_ADD, (
            f"{version.label}版 新增第{item.code}项“{_short(item.content)}”（{after['分值']}分）"
        )
    changed = [
        f"{label}：{_short(before[label]) or '（空）'} → {_short(after[label]) or '（空）'}"
        for label in after
        if before[label] != after[label]
    ]
    if not changed:
        return None
    return EventAction.ITEM_EDIT, f"{version.label}版 第{item.code}项：" + "；".join(changed)


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "…"
