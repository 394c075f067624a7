"""The data-entry page of one form × unit × period, and its workflow buttons."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from weijian.indicators import validation
from weijian.orgs.models import label_with_ancestors
from weijian.orgs.scope import Can, get_scope
from weijian.periods import neighbours
from weijian.reporting import actions, queries
from weijian.reporting.models import Submission, SubmissionEvent

from .. import entry_rows
from .common import form_unit_period
from .review_list import within_list


def _entry_context(request, form, unit, period, *, posted=None, problems=()):
    scope = get_scope(request.user)
    # Opened from a narrowed review list: 下一份待审 stays inside that list.
    within, within_query = within_list(request.user, request.GET.get("list", ""))
    submission = (
        Submission.objects.filter(form=form, org_unit=unit, period_id=period.id)
        .select_related("submitted_by")
        .first()
    )
    cells = queries.form_cells(form)
    element_ids = {c.element.pk for c in cells}
    stored, earlier = queries.values_with_earlier(unit, period, element_ids)
    bad = {p.field_name: p.reason for p in problems if p.field_name}
    events = list(submission.events.select_related("by")) if submission else []
    changed = queries.changes_since_return(submission, element_ids, events)
    rows = []
    for cell in cells:
        field_name = cell.field_name
        value = (posted or {}).get(field_name, stored[cell.key].value if cell.key in stored else "")
        rows.append(_row(cell, field_name, value, bad, earlier, changed))
    editable = submission is None or submission.is_editable
    violations = (
        validation.run(
            validation.rules_for_elements(c.element.code for c in cells), [unit], [period]
        )
        if stored
        else []
    )
    assigned = queries.is_assigned(form, unit)
    sections = _numbered(_group_by_section(rows))
    can_enter = (
        editable
        and assigned
        and scope.can(Can.ENTER, unit)
        and unit.is_open_during(period.start, period.end)
    )
    can_review = scope.can(Can.REVIEW, unit)
    return {
        "form": form,
        "unit": unit,
        "period": period,
        "submission": submission,
        "sections": sections,
        "rows": entry_rows.render(
            sections,
            can_enter=can_enter,
            history_url=reverse("history", args=(form.code, unit.code, period.id)),
        ),
        "filled": len(stored),
        "total": len(cells),
        "can_enter": can_enter,
        "can_review": can_review,
        # After an approval or a return, the reviewer goes on to the next report waiting.
        "next_review": queries.next_to_review(scope, submission, within)
        if submission and submission.status != "SUBMITTED" and can_review
        else None,
        # Four eyes: whoever entered or submitted any version of the report cannot approve it.
        # Shown with the review buttons only: a clerk's page (every save's) skips its queries.
        "took_part": bool(submission)
        and can_review
        and queries.took_part(request.user, submission),
        "assigned": assigned,
        "due_date": period.due_date(form.due_days),
        "events": events,
        "note": queries.last_review(submission, events) if submission else None,
        "problems": problems,
        "violations": violations,
        "reason": request.POST.get("reason", "") if request.method == "POST" else "",
        "previous": neighbours(period)[0],
        # no link into a period that has not begun: it cannot be entered
        "next": _begun(neighbours(period)[1]),
        "changed_count": len(changed),
        "within": within_query,
    }


# How each value type is typed on a phone's keyboard.
INPUT_MODES = {"TEXT": "text", "NUMBER": "decimal", "PERCENTAGE": "decimal"}


def _row(cell, field_name, value, bad, earlier, changed) -> dict:
    """What the template shows of one cell, flat: 150 rows of nested lookups and a `{% url %}`
    each were most of the page's rendering time."""
    element, required = cell.element, cell.form_element.required
    return {
        "cell": cell,
        "label": cell.label,
        "unit": element.unit,
        "required": required,
        "field_name": field_name,
        "inputmode": INPUT_MODES.get(element.value_type, "numeric"),
        "system_managed": element.system_managed,
        "history_query": urlencode({"element": element.code, "option": cell.option.code}),
        "value": value,
        "problem": bad.get(field_name, ""),
        "earlier": earlier.get(cell.key, ("", "")),
        "changed": changed.get(cell.key),
        "empty_required": required and not str(value).strip(),
    }


def _numbered(sections):
    """Each input's id, f-<section>-<row> (counted from 1), for its label."""
    for s, section in enumerate(sections, start=1):
        for r, row in enumerate(section["rows"], start=1):
            row["input_id"] = f"f-{s}-{r}"
    return sections


def _begun(period):
    return period if period is not None and period.start <= timezone.localdate() else None


def _group_by_section(rows):
    sections: list[dict] = []
    for row in rows:
        section = row["cell"].form_element.section
        name = section.name if section else "其他"
        if not sections or sections[-1]["name"] != name:
            sections.append({"name": name, "rows": []})
        sections[-1]["rows"].append(row)
    return sections


@login_required
def entry(request, form_code, unit_code, period_id):
    form, unit, period = form_unit_period(request.user, form_code, unit_code, period_id)
    if request.method == "POST":
        return _save(request, form, unit, period)
    return render(request, "web/entry.html", _entry_context(request, form, unit, period))


def _save(request, form, unit, period):
    # Cell fields are named v:<element code>:<option code>; anything else is not a cell.
    posted = {k: v for k, v in request.POST.items() if k.startswith("v:") and k.count(":") == 2}
    raw = {tuple(k.split(":")[1:]): v for k, v in posted.items()}
    reason = request.POST.get("reason", "").strip()[:500]
    try:
        result = actions.save_values(request.user, form, unit, period.id, raw, reason=reason)
    except actions.ReportingError as exc:
        messages.error(request, exc.message)
        context = _entry_context(request, form, unit, period, posted=posted, problems=exc.problems)
        return render(request, "web/entry.html", context, status=400)
    if request.POST.get("action") != "submit":
        messages.success(request, _saved_message(result))
        return redirect("entry", form.code, unit.code, period.id)
    try:
        actions.submit(request.user, form, unit, period.id)
        messages.success(request, f"已保存并上报（{period.label}），等待审核")
    except actions.ReportingError as exc:
        # The values were valid and are kept; only the submission was refused.
        messages.error(request, f"{exc.message}（已填写的数据已保存）")
        for problem in exc.problems[:50]:
            messages.warning(request, f"{problem.where}：{problem.reason}")
    return redirect("entry", form.code, unit.code, period.id)


def _saved_message(result: actions.SaveResult) -> str:
    if result.changed == 0:
        return "数据没有变化"
    return f"已保存：新增 {result.created} 项，修改 {result.updated} 项，清除 {result.deleted} 项"


REVIEW_ACTIONS = {
    SubmissionEvent.Action.APPROVE: (
        lambda user, s, reason: actions.approve(user, s),
        "已审核通过，数据已锁定",
    ),
    SubmissionEvent.Action.RETURN: (
        actions.return_for_correction,
        "已退回，填报单位将看到退回原因",
    ),
    SubmissionEvent.Action.LOCK: (lambda user, s, reason: actions.lock(user, s), "已锁定"),
    SubmissionEvent.Action.UNLOCK: (actions.unlock, "已解锁，填报单位可以修改后重新上报"),
}


@login_required
@require_POST
def review(request, form_code, unit_code, period_id):
    form, unit, period = form_unit_period(request.user, form_code, unit_code, period_id)
    handler = REVIEW_ACTIONS.get(request.POST.get("action", ""))
    submission = Submission.objects.filter(form=form, org_unit=unit, period_id=period.id).first()
    if handler is None or submission is None:
        messages.error(request, "该报表尚未上报，没有可审核的内容" if handler else "未知的操作")
    else:
        function, done = handler
        try:
            function(request.user, submission, request.POST.get("reason", ""))
            messages.success(request, done)
        except actions.ReportingError as exc:
            messages.error(request, exc.message)
    _, within_query = within_list(request.user, request.GET.get("list", ""))
    back = reverse("entry", args=(form.code, unit.code, period.id))
    return redirect(f"{back}?{urlencode({'list': within_query})}" if within_query else back)


@login_required
def print_view(request, form_code, unit_code, period_id):
    """The filled form on A4 with its workflow and signature lines (print, or PDF from the
    browser's print dialog)."""
    form, unit, period = form_unit_period(request.user, form_code, unit_code, period_id)
    submission = (
        Submission.objects.filter(form=form, org_unit=unit, period_id=period.id)
        .select_related("submitted_by", "reviewed_by")
        .first()
    )
    cells = queries.form_cells(form)
    stored = queries.stored_values(unit, period.id, {c.element.pk for c in cells})
    rows = [{"cell": c, "value": stored[c.key].value if c.key in stored else ""} for c in cells]
    label_with_ancestors([unit])
    context = {
        "form": form, "unit": unit, "period": period, "submission": submission,
        "sections": _group_by_section(rows), "due_date": period.due_date(form.due_days),
        "printed_at": timezone.localtime(),
    }  # fmt: skip
    return render(request, "web/entry_print.html", context)
