from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from weijian.accounts import queries as account_queries
from weijian.assessment import tasks as assessment_tasks
from weijian.inspections import queries as inspection_queries
from weijian.ledger.queries import reminders
from weijian.orgs.scope import Can, get_scope
from weijian.reporting import queries

# Long lists are cut on the board; the completeness page has the rest.
BOARD_LIMIT = 50


@login_required
def task_board(request):
    scope = get_scope(request.user)
    board = queries.task_board(scope)
    sections = [
        ("overdue", "已逾期", board.overdue, "danger"),
        ("returned", "被退回待修改", board.returned, "warning"),
        ("due", "待填报", board.due, "info"),
        ("to_review", "待我审核", board.to_review, "primary"),
    ]
    context = {
        "sections": [
            {"key": k, "title": t, "tasks": tasks[:BOARD_LIMIT], "count": len(tasks), "tone": tone}
            for k, t, tasks, tone in sections
        ],
        "limit": BOARD_LIMIT,
        "board": board,
        "home_units": scope.root_units(),
        "ledger_reminders": reminders(scope, timezone.localdate())[:BOARD_LIMIT],
        "inspections": inspection_queries.board(request.user),
        "assessment_tasks": assessment_tasks.for_user(request.user, limit=BOARD_LIMIT),
        "hints": [] if account_queries.hints_seen(request.user) else first_hints(scope),
    }
    return render(request, "web/task_board.html", context)


HINTS = [
    (
        Can.ENTER,
        "填报",
        "红色是已逾期的报表，点报表名称进入填报；填完点“保存并上报”。旁边的“上期”“去年同期”可用来核对。",
    ),
    (
        Can.REVIEW,
        "审核",
        "“待我审核”的报表点开即可审核通过或退回；“报表审核”页可筛选、批量审核，审核后点“下一份待审”继续。",
    ),
    (
        Can.INSPECT,
        "检查",
        "本期待检查的单位和逾期整改都在下方；在“督查检查 → 检查任务”选考评表和单位开始检查。",
    ),
    (
        Can.MANAGE,
        "管理",
        "在“人员与角色”为本单位新建账户、授予角色、重置密码；在“提醒设置”添加企业微信或钉钉群机器人，催报和每日提醒才能发出。",
    ),
]


def first_hints(scope) -> list[tuple[str, str]]:
    """What each of the user's roles does first, until they close the hints."""
    return [(title, text) for capability, title, text in HINTS if scope.has_any(capability)]
