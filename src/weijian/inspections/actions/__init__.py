"""Every write of inspections: one function per action, in a transaction, checking the user's
scope, leaving an Event, and republishing the figures of the affected unit × month
(`figures.publish`) so the indicator engine sees them at once. By what it does: `inspecting`
(start, marks, submit, reopen, photos), `notices` (rectification notices), `plans`,
`templates` (checklists and their versions); `common` holds the refusal and the checks."""

from .common import (
    InspectionError,
    escalate_after_days,
    issuer_for,
)
from .inspecting import (
    MarkInput,
    add_photo,
    marks_of,
    parse_mark,
    record_item,
    reopen_inspection,
    sheet_of,
    start_inspection,
    submit_inspection,
)
from .notices import (
    answer_notice,
    escalate_overdue,
    finding_lines,
    issue_notice,
    issue_notice_for_findings,
    recheck_notice,
)
from .plans import (
    PlanInput,
    plan_units,
    save_plan,
)
from .templates import (
    ItemInput,
    can_edit_template,
    import_template,
    item_rule_from,
    new_version,
    save_item,
)

__all__ = [
    "InspectionError",
    "ItemInput",
    "MarkInput",
    "PlanInput",
    "add_photo",
    "answer_notice",
    "can_edit_template",
    "escalate_after_days",
    "escalate_overdue",
    "finding_lines",
    "import_template",
    "issue_notice",
    "issue_notice_for_findings",
    "issuer_for",
    "item_rule_from",
    "marks_of",
    "new_version",
    "parse_mark",
    "plan_units",
    "recheck_notice",
    "record_item",
    "reopen_inspection",
    "save_item",
    "save_plan",
    "sheet_of",
    "start_inspection",
    "submit_inspection",
]
