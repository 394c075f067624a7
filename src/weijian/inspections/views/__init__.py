"""Thin views over queries (reads) and actions (writes). Every object named by a URL is fetched
through the user's scope: outsiders get 404 and nothing changes. Refused actions come back as a
Chinese message on the page they were made from. By page: `inspecting`, `notices`, `plans`,
`scores`, `templates`; `common` holds parsing and the scoped filters."""

from .inspecting import (
    detail,
    home,
    issue_notice,
    photo,
    reopen,
    score_item,
    start,
    submit,
    upload_photo,
)
from .notices import (
    answer,
    notice,
    notice_docx,
    notice_list,
    recheck,
)
from .plans import (
    plan_edit,
    plan_list,
)
from .scores import (
    scores,
    scores_docx,
    scores_xlsx,
    unit_history,
)
from .templates import (
    item_edit,
    template_detail,
    template_import,
    template_list,
    template_new_version,
    template_xlsx,
)

__all__ = [
    "answer",
    "detail",
    "home",
    "issue_notice",
    "item_edit",
    "notice",
    "notice_docx",
    "notice_list",
    "photo",
    "plan_edit",
    "plan_list",
    "recheck",
    "reopen",
    "score_item",
    "scores",
    "scores_docx",
    "scores_xlsx",
    "start",
    "submit",
    "template_detail",
    "template_import",
    "template_list",
    "template_new_version",
    "template_xlsx",
    "unit_history",
    "upload_photo",
]
