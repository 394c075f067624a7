"""Money pages: a run's pools, one pool (预拨, 测算, 审定, 发放, the allocation table and the
payment list), a department's 二次分配, and what-if of a draft version. Thin, as the others."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from weijian.once import guard as once
from weijian.orgs.scope import Can, get_scope

from .. import money_outputs, queries, whatif
from ..actions import money as actions
from ..actions.common import AssessmentError, can_manage
from ..actions.money import LineInput, PoolInput
from ..allocation import BASIS_LABELS
from ..models import Pool, PoolKind, PoolShare, StaffDistribution, Stage
from .common import DOCX, XLSX, attachment, run_for, scheme_for

ACTIONS = {
    "advance": actions.advance_pool,
    "calculate": actions.calculate_pool,
    "approve": actions.approve_pool,
    "post": actions.post_pool,
}
DONE = {"advance": "已预拨", "calculate": "已测算", "approve": "已审定", "post": "已发放"}


def pool_for(user, pk: int) -> Pool:
    pool = get_object_or_404(Pool.objects.select_related("run__scheme__owner", "owner"), pk=pk)
    run_for(user, pool.run_id)  # 404 for outsiders
    return pool


@login_required
def pool_new(request, pk: int):
    run = run_for(request.user, pk)
    if not can_manage(request.user, run.scheme):
        raise Http404("不在您的权限范围内")
    units = queries.own_units(request.user, run)
    context = {
        "run": run, "units": units, "kinds": PoolKind.choices, "bases": list(BASIS_LABELS.items()),
        "grades": run.version.grade_list(), "post": request.POST,
    }  # fmt: skip
    if request.method == "POST":
        post = request.POST
        data = PoolInput(
            name=post.get("name", ""), kind=post.get("kind", ""), amount=post.get("amount", ""),
            basis=post.get("basis", ""), base_label=post.get("base_label", ""),
            bases={u.code: post.get(f"base_{u.code}", "") for u in units},
            base_element=post.get("base_element", ""),
            grade_coefficients={g.name: post.get(f"grade_{g.name}", "") for g in context["grades"]},
            quality_threshold=post.get("quality_threshold", "") or "0",
            floor_ratio=post.get("floor_ratio", ""), cap_ratio=post.get("cap_ratio", ""),
            veto_policy=post.get("veto_policy", "redistribute"), advance_ratio=post.get("advance_ratio", ""),
        )  # fmt: skip
        try:
            with once.claim(request) as claimed:  # a double-clicked 设立 makes one pool
                pool = actions.create_pool(request.user, run, data)
                claimed.url = reverse("assessment:pool", args=[pool.pk])
        except once.Replayed as replay:
            return once.answer_replay(request, replay, "assessment:run", run.pk)
        except AssessmentError as exc:
            messages.error(request, exc.message)
            return render(request, "assessment/pool_new.html", context)
        messages.success(request, "绩效资金已设立")
        return redirect("assessment:pool", pool.pk)
    return render(request, "assessment/pool_new.html", context)


@login_required
def pool_detail(request, pk: int):
    pool = pool_for(request.user, pk)
    user = request.user
    insider = queries.is_insider(user, pool.run.scheme)
    shares = money_outputs.shares(pool)
    if not insider:
        mine = {u.pk for u in queries.own_units(user, pool.run)}
        shares = [s for s in shares if s.org_unit_id in mine]
    context = {
        "pool": pool,
        "shares": shares,
        "can_manage": can_manage(user, pool.run.scheme),
        "insider": insider,
        "total": sum((s.amount for s in shares), 0),
        "distributions": {
            d.share_id: d for d in StaffDistribution.objects.filter(share__pool=pool)
        },
        "enter": {s.pk for s in shares if get_scope(user).can(Can.ENTER, s.org_unit)},
    }
    return render(request, "assessment/pool_detail.html", context)


@login_required
@require_POST
def pool_action(request, pk: int, action: str):
    pool = pool_for(request.user, pk)
    act = ACTIONS.get(action)
    if act is None:
        raise Http404("操作无效")
    try:
        act(request.user, pool)
        messages.success(request, f"{pool.name}{DONE[action]}")
    except AssessmentError as exc:
        messages.error(request, exc.message)
    return redirect("assessment:pool", pool.pk)


@login_required
def allocation_xlsx(request, pk: int):
    pool = _insider_pool(request, pk)
    return attachment(money_outputs.allocation_xlsx(pool), XLSX, f"{pool.name}分配表.xlsx")


@login_required
def allocation_docx(request, pk: int):
    pool = _insider_pool(request, pk)
    data = money_outputs.allocation_docx(pool, timezone.localdate())
    return attachment(data, DOCX, f"{pool.name}分配表.docx")


@login_required
def payment_xlsx(request, pk: int):
    pool = _insider_pool(request, pk)
    return attachment(money_outputs.payment_xlsx(pool), XLSX, f"{pool.name}发放清单.xlsx")


def _insider_pool(request, pk: int) -> Pool:
    pool = pool_for(request.user, pk)
    if not queries.is_insider(request.user, pool.run.scheme):
        raise Http404("不在您的权限范围内")
    return pool


@login_required
def distribution(request, pk: int, share_pk: int):
    pool = pool_for(request.user, pk)
    share = get_object_or_404(PoolShare.objects.select_related("org_unit"), pk=share_pk, pool=pool)
    user = request.user
    enter = get_scope(user).can(Can.ENTER, share.org_unit)
    if not (enter or queries.is_insider(user, pool.run.scheme)):
        raise Http404("不在您的权限范围内")
    dist = StaffDistribution.objects.filter(share=share).first()
    if request.method == "POST":
        post = request.POST
        try:
            if post.get("review"):
                actions.review_distribution(
                    user, dist, post.get("review") == "approve", post.get("note", "")
                )
                messages.success(request, "已审核")
            elif post.get("post"):
                actions.post_distribution(user, dist)
                messages.success(request, "已发放")
            else:
                lines = _lines(post.get("lines", ""))
                actions.propose_distribution(
                    user,
                    share,
                    lines,
                    floor_ratio=post.get("floor_ratio", ""),
                    cap_ratio=post.get("cap_ratio", ""),
                )
                messages.success(request, "二次分配方案已提交，等待财务审核")
        except AssessmentError as exc:
            messages.error(request, exc.message)
        return redirect("assessment:distribution", pool.pk, share.pk)
    context = {
        "pool": pool, "share": share, "dist": dist, "lines": dist.lines.all() if dist else [],
        "can_propose": enter and pool.status in ("APPROVED", "POSTED"),
        "can_review": can_manage(user, pool.run.scheme),
        "text": _lines_text(dist),
    }  # fmt: skip
    return render(request, "assessment/distribution.html", context)


def _lines_text(dist) -> str:
    if dist is None:
        return ""
    return "\n".join(
        f"{x.name},{x.post},{x.title},{x.coefficient.normalize():f},{x.points.normalize():f}"
        for x in dist.lines.all()
    )


def _lines(text: str) -> list[LineInput]:
    out = []
    for index, raw in enumerate(text.replace("，", ",").splitlines(), start=1):
        if not raw.strip():
            continue
        parts = [p.strip() for p in raw.split(",")]
        if len(parts) != 5:
            raise AssessmentError(f"第{index}行应为“姓名,岗位,职称,系数,工分”五项")
        out.append(LineInput(*parts))
    return out


@login_required
def what_if(request, code: str):
    scheme = scheme_for(request.user, code)
    if not can_manage(request.user, scheme):
        raise Http404("不在您的权限范围内")
    version = scheme.draft()
    locked = list(scheme.runs.filter(stage=Stage.FINAL).order_by("-period"))
    context = {"scheme": scheme, "version": version, "runs": locked, "result": None}
    chosen = request.GET.get("run")
    if version is None:
        messages.info(request, "没有草稿版本：请先“修订（新建版本）”再试算")
    elif chosen:
        run = next((r for r in locked if str(r.pk) == chosen), None)
        try:
            if run is None:
                raise AssessmentError("请选择已定稿的考核期间")
            context["result"] = whatif.what_if(request.user, version, run)
        except AssessmentError as exc:
            messages.error(request, exc.message)
    return render(request, "assessment/whatif.html", context)
