"""Run pages: the run (stage, ranking or the user's own units, history), one unit's result item
by item with the forms its stage allows, the office's scoring sheet, appeals; the 公示 and
考核结果通知 documents. Thin: every write is an action; a refusal comes back as a message."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from weijian.orgs.scope import Can, get_scope

from .. import evidence_files, outputs, queries
from ..actions import notices
from ..actions import runs as actions
from ..actions.common import AssessmentError, can_manage, can_review
from ..models import (
    STAGE_ORDER,
    Appeal,
    Computation,
    Evidence,
    HitStatus,
    ItemResult,
    RunEvent,
    Stage,
    UnitResult,
    VetoHit,
)
from .common import DOCX, XLSX, attachment, date_of, node_of_run, pk_of, run_for, unit_of_run


def _back(run, unit=None, anchor: str = ""):
    if unit is None:
        return redirect("assessment:run", run.pk)
    response = redirect("assessment:unit", run.pk, unit.code)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


@login_required
def run_detail(request, pk: int):
    run = run_for(request.user, pk)
    user = request.user
    insider = queries.is_insider(user, run.scheme)
    context = {
        "run": run,
        "stages": [(s, Stage(s).label, i) for i, s in enumerate(STAGE_ORDER)],
        "now": queries.stage_index(run),
        "can_manage": can_manage(user, run.scheme),
        "can_review": can_review(user, run.scheme),
        "insider": insider,
        "ranking": list(queries.ranking(run)) if queries.can_see_ranking(user, run) else [],
        "mine": queries.own_units(user, run) if not insider else [],
        "history": Computation.objects.filter(run=run)[:10] if insider else [],
        "events": RunEvent.objects.filter(run=run).select_related("user", "org_unit", "node")[:30]
        if insider
        else [],
        "appeals": _appeals(user, run),
        "hits": VetoHit.objects.filter(run=run).select_related("org_unit", "rule", "proposed_by")
        if insider
        else [],
        "has_sheet": user.assessor_offices.filter(owner=run.scheme.owner).exists(),
        "pools": list(run.pools.all()),
    }
    return render(request, "assessment/run_detail.html", context)


def _appeals(user, run):
    qs = Appeal.objects.filter(run=run).select_related("org_unit", "node", "filed_by", "ruled_by")
    if queries.is_insider(user, run.scheme):
        return list(qs)
    units = {u.pk for u in queries.own_units(user, run)}
    return [a for a in qs if a.org_unit_id in units]


@login_required
@require_POST
def advance(request, pk: int):
    run = run_for(request.user, pk)
    try:
        run = actions.advance(request.user, run, request.POST.get("stage", ""))
    except AssessmentError as exc:
        messages.error(request, exc.message)
        return _back(run)
    messages.success(request, f"已进入“{run.get_stage_display()}”环节")
    return _back(run)


@login_required
@require_POST
def recompute(request, pk: int):
    run = run_for(request.user, pk)
    try:
        computation = actions.recompute(request.user, run)
    except AssessmentError as exc:
        messages.error(request, exc.message)
        return _back(run)
    if computation.changes:
        messages.success(
            request, f"已重新计算，{len(computation.changes)} 处结果有变化（见计算记录）"
        )
    else:
        messages.success(request, "已重新计算，结果与上次相同")
    return _back(run)


@login_required
def unit_result(request, pk: int, code: str):
    run = run_for(request.user, pk)
    unit = unit_of_run(request.user, run, code)
    user = request.user
    result = get_object_or_404(UnitResult, run=run, org_unit=unit)
    items = queries.unit_items(run, unit)
    offices = set(user.assessor_offices.values_list("pk", flat=True))
    enter = get_scope(user).can(Can.ENTER, unit)
    files: dict[int, list] = {}
    for evidence in run.evidence.filter(org_unit=unit):
        files.setdefault(evidence.node_id, []).append(evidence)
    rows = [
        {
            "item": r,
            "text": queries.explanation(r, run.version.mode),
            "can_score": run.stage == Stage.INITIAL
            and r.node.method == "manual"
            and r.node.office_id in offices,
            "can_self": run.stage == Stage.SELF and enter,
            "can_upload": run.stage in (Stage.COLLECT, Stage.SELF)
            and enter
            and r.node.method == "evidence",
            "lost": (r.node.points - r.earned)
            if r.earned is not None and r.node.section == "normal"
            else None,
            "files": files.get(r.node_id, []),
        }
        for r in items
    ]
    context = {
        "run": run,
        "unit": unit,
        "result": result,
        "rows": rows,
        "can_override": run.stage == Stage.REVIEW and can_review(user, run.scheme, unit),
        "can_appeal": run.stage == Stage.PUBLICITY
        and enter
        and timezone.localdate() <= run.publicity_end,
        "can_notice": can_review(user, run.scheme, unit)
        and run.stage in (Stage.REVIEW, Stage.PUBLICITY, Stage.FINAL),
        "deductions": notices.deductions(run, unit),
        "appeals": Appeal.objects.filter(run=run, org_unit=unit).select_related("node", "ruled_by"),
        "hits": VetoHit.objects.filter(run=run, org_unit=unit).select_related("rule"),
        "manual_rules": run.version.vetoes.filter(trigger="MANUAL")
        if run.stage in actions.EDITABLE and queries.is_insider(user, run.scheme)
        else [],
        "today": timezone.localdate(),
    }
    return render(request, "assessment/unit_result.html", context)


def _run_unit_node(request, pk: int, code: str):
    run = run_for(request.user, pk)
    unit = unit_of_run(request.user, run, code)
    node = node_of_run(run, request.POST.get("node", ""))
    return run, unit, node


@login_required
@require_POST
def score(request, pk: int, code: str):
    run, unit, node = _run_unit_node(request, pk, code)
    post = request.POST
    try:
        actions.record_score(
            request.user, run, unit, node, post.get("score", ""), post.get("reason", "")
        )
        messages.success(request, f"{unit.name}第{node.code}项已评分")
    except AssessmentError as exc:
        messages.error(request, exc.message)
    if post.get("next") == "sheet":
        response = redirect("assessment:sheet", run.pk)
        response["Location"] += f"#u-{unit.code}"
        return response
    return _back(run, unit, f"n-{node.pk}")


@login_required
@require_POST
def self_score(request, pk: int, code: str):
    run, unit, node = _run_unit_node(request, pk, code)
    try:
        actions.record_self_score(
            request.user,
            run,
            unit,
            node,
            request.POST.get("score", ""),
            request.POST.get("note", ""),
        )
        messages.success(request, f"第{node.code}项自评已保存")
    except AssessmentError as exc:
        messages.error(request, exc.message)
    return _back(run, unit, f"n-{node.pk}")


@login_required
@require_POST
def override(request, pk: int, code: str):
    run, unit, node = _run_unit_node(request, pk, code)
    try:
        actions.override_score(
            request.user,
            run,
            unit,
            node,
            request.POST.get("score", ""),
            request.POST.get("reason", ""),
        )
        messages.success(request, f"第{node.code}项已复核调整")
    except AssessmentError as exc:
        messages.error(request, exc.message)
    return _back(run, unit, f"n-{node.pk}")


@login_required
@require_POST
def upload(request, pk: int, code: str):
    run, unit, node = _run_unit_node(request, pk, code)
    file = request.FILES.get("file")
    try:
        if file is None:
            raise AssessmentError("请选择要报送的文件")
        if file.size > evidence_files.max_bytes():  # refused before it is read
            raise AssessmentError(
                f"文件过大（{file.size // 1024} KB），最大 {evidence_files.max_bytes() // 1048576} MB"
            )
        actions.upload_evidence(request.user, run, unit, node, file.name, file.read())
        messages.success(request, f"第{node.code}项资料已报送")
    except AssessmentError as exc:
        messages.error(request, exc.message)
    return _back(run, unit, f"n-{node.pk}")


@login_required
@require_POST
def appeal(request, pk: int, code: str):
    run = run_for(request.user, pk)
    unit = unit_of_run(request.user, run, code)
    node = node_of_run(run, request.POST["node"]) if request.POST.get("node") else None
    try:
        actions.file_appeal(request.user, run, unit, node, request.POST.get("text", ""))
        messages.success(request, "申诉已提交，等待裁定")
    except AssessmentError as exc:
        messages.error(request, exc.message)
    return _back(run, unit, "appeal")


@login_required
@require_POST
def rule(request, pk: int, appeal_pk: int):
    run = run_for(request.user, pk)
    found = get_object_or_404(Appeal, pk=appeal_pk, run=run)
    post = request.POST
    try:
        actions.rule_appeal(
            request.user,
            found,
            post.get("upheld") == "1",
            post.get("ruling", ""),
            post.get("score", ""),
        )
        messages.success(request, "申诉已裁定")
    except AssessmentError as exc:
        messages.error(request, exc.message)
    return _back(run)


@login_required
@require_POST
def veto_propose(request, pk: int, code: str):
    run = run_for(request.user, pk)
    unit = unit_of_run(request.user, run, code)
    rule_ = get_object_or_404(run.version.vetoes, pk=pk_of(request.POST.get("rule", "")))
    try:
        actions.propose_veto(request.user, run, unit, rule_, request.POST.get("evidence", ""))
        messages.success(request, "一票否决已录入，等待他人确认")
    except AssessmentError as exc:
        messages.error(request, exc.message)
    return _back(run, unit)


@login_required
@require_POST
def veto_decide(request, pk: int, hit_pk: int):
    run = run_for(request.user, pk)
    hit = get_object_or_404(VetoHit, pk=hit_pk, run=run, status=HitStatus.PROPOSED)
    try:
        actions.decide_veto(
            request.user, hit, request.POST.get("approve") == "1", request.POST.get("note", "")
        )
        messages.success(request, "已确认" if request.POST.get("approve") == "1" else "已不予认定")
    except AssessmentError as exc:
        messages.error(request, exc.message)
    return _back(run)


@login_required
@require_POST
def raise_notice(request, pk: int, code: str):
    run = run_for(request.user, pk)
    unit = unit_of_run(request.user, run, code)
    post = request.POST
    try:
        notice = notices.raise_notice(
            request.user, run, unit, post.getlist("codes"), measures=post.get("measures", ""),
            responsible=post.get("responsible", ""), deadline=date_of(post.get("deadline", ""), "整改期限"),
        )  # fmt: skip
    except AssessmentError as exc:
        messages.error(request, exc.message)
        return _back(run, unit, "notice")
    messages.success(request, f"已下发整改通知书 {notice.number}")
    return redirect("inspections:notice", notice.pk)


@login_required
def sheet(request, pk: int):
    """评分表: every unit × the user's office's manual items, one small form each."""
    run = run_for(request.user, pk)
    offices = set(request.user.assessor_offices.values_list("pk", flat=True))
    rows = (
        ItemResult.objects.filter(run=run, node__method="manual", node__office__in=offices)
        .select_related("node", "org_unit", "node__office")
        .order_by("org_unit__path", "node__sort_order")
    )
    units: dict = {}
    for row in rows:
        units.setdefault(row.org_unit, []).append(row)
    context = {"run": run, "units": list(units.items()), "open": run.stage == Stage.INITIAL}
    return render(request, "assessment/sheet.html", context)


@login_required
def evidence_file(request, pk: int, evidence_pk: int):
    """A unit's handed-in file: for the owner's people and the unit itself."""
    run = run_for(request.user, pk)
    evidence = get_object_or_404(Evidence, pk=evidence_pk, run=run)
    unit_of_run(request.user, run, evidence.org_unit.code)  # 404 for other units
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404("文件不存在") from None
    return FileResponse(handle, as_attachment=True, filename=evidence.name)


@login_required
def publicity_docx(request, pk: int):
    run = run_for(request.user, pk)
    if not queries.can_see_ranking(request.user, run):
        return redirect("assessment:run", run.pk)
    data = outputs.publicity_docx(run, timezone.localdate())
    return attachment(data, DOCX, f"{outputs.title_of(run)}公示.docx")


@login_required
def publicity_xlsx(request, pk: int):
    run = run_for(request.user, pk)
    if not queries.can_see_ranking(request.user, run):
        return redirect("assessment:run", run.pk)
    return attachment(outputs.publicity_xlsx(run), XLSX, f"{outputs.title_of(run)}公示.xlsx")


@login_required
def notice_docx(request, pk: int, code: str):
    run = run_for(request.user, pk)
    unit = unit_of_run(request.user, run, code)
    result = get_object_or_404(UnitResult, run=run, org_unit=unit)
    data = outputs.result_notice_docx(run, result, timezone.localdate())
    return attachment(data, DOCX, f"{unit.name}{run.period}考核结果通知.docx")
