from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from weijian.assessment import tasks as assessment_tasks
from weijian.inspections import queries as inspection_queries
from weijian.ledger.queries import reminders
from weijian.orgs.scope import get_scope
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
    }
    return render(request, "web/task_board.html", context)
