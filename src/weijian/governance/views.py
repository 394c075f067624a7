"""Pages of leading groups and responsibility contracts. Thin: parse, call an action or a
query, render. Every object is fetched through the user's scope; outsiders get 404."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from weijian import tables
from weijian.indicators.models import Indicator
from weijian.ledger import attachments
from weijian.once import guard as once
from weijian.orgs.models import OrgUnit, label_with_ancestors
from weijian.orgs.scope import Can, get_scope

from . import actions, notice, queries
from .models import Contract, LeadingGroup


def _managed_units(user, limit: int = 400) -> list[OrgUnit]:
    units = list(get_scope(user).units(Can.MANAGE).order_by("path")[:limit])
    label_with_ancestors(units)
    return units


def _date(text: str | None) -> dt.date | None:
    """None when left empty (the action asks for it); garbage is named as such."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise actions.GovernanceError(f"“{text}”不是有效日期（例：2026-03-31）") from None


def _visible_group(user, pk: int) -> LeadingGroup:
    group = get_object_or_404(LeadingGroup.objects.select_related("org_unit"), pk=pk)
    if not get_scope(user).can(Can.VIEW, group.org_unit):
        raise Http404("不在您的权限范围内")
    return group


def _refused(request, exc: actions.GovernanceError) -> None:
    messages.error(request, exc.message)
    if exc.message != "；".join(exc.problems):
        for problem in exc.problems:
            messages.warning(request, problem)


# -- leading groups ----------------------------------------------------------------------


@login_required
def group_list(request):
    groups = list(queries.groups_for(request.user).prefetch_related("members", "changes"))
    label_with_ancestors([g.org_unit for g in groups])
    rows = []
    for g in groups:
        current = [m for m in g.members.all() if m.left_on is None]
        changes = list(g.changes.all())
        rows.append(
            {
                "group": g,
                "leader": next((m for m in current if m.role == "LEADER"), None),
                "size": len(current),
                "last": changes[-1] if changes else None,
            }
        )
    can_create = get_scope(request.user).has_any(Can.MANAGE)
    return render(request, "governance/group_list.html", {"rows": rows, "can_create": can_create})


@login_required
def group_new(request):
    units = _managed_units(request.user)
    if not units:
        raise Http404("没有可管理的单位")
    form = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        unit = next((u for u in units if u.code == request.POST.get("unit")), None)
        try:
            if unit is None:
                raise actions.GovernanceError("请选择设立单位")
            with once.claim(request) as claimed:
                group = actions.create_group(
                    request.user,
                    unit,
                    name=request.POST.get("name", ""),
                    duties=request.POST.get("duties", ""),
                    document_number=request.POST.get("document_number", ""),
                    founded_on=_date(request.POST.get("founded_on")),
                    members=actions.parse_members(request.POST.get("members", "")),
                    office_location=request.POST.get("office_location", ""),
                    office_director=request.POST.get("office_director", ""),
                )
                claimed.url = reverse("group_detail", args=[group.pk])
        except once.Replayed as replay:
            return once.answer_replay(request, replay, "group_list")
        except actions.GovernanceError as exc:
            _refused(request, exc)
        else:
            messages.success(request, f"已成立“{group.name}”")
            return redirect("group_detail", pk=group.pk)
    context = {"units": units, "form": form, "today": timezone.localdate()}
    return render(request, "governance/group_new.html", context)


@login_required
def group_detail(request, pk: int):
    group = _visible_group(request.user, pk)
    members = queries.members_on(group)
    history = list(group.members.exclude(left_on=None).order_by("-left_on", "sort_order"))
    context = {
        "group": group,
        "members": members,
        "leader": [m for m in members if m.role == "LEADER"],
        "deputies": [m for m in members if m.role == "DEPUTY"],
        "others": [m for m in members if m.role == "MEMBER"],
        "former": history,
        "changes": list(group.changes.order_by("-effective_on", "-id")),
        "can_manage": get_scope(request.user).can(Can.MANAGE, group.org_unit),
    }
    return render(request, "governance/group_detail.html", context)


@login_required
def group_adjust(request, pk: int):
    group = _visible_group(request.user, pk)
    if not get_scope(request.user).can(Can.MANAGE, group.org_unit):
        raise Http404("不在您的权限范围内")
    if request.method == "POST":
        try:
            with once.claim(request) as claimed:
                actions.adjust_group(
                    request.user,
                    group,
                    effective_on=_date(request.POST.get("effective_on")),
                    document_number=request.POST.get("document_number", ""),
                    reason=request.POST.get("reason", ""),
                    members=actions.parse_members(request.POST.get("members", "")),
                    office_location=request.POST.get("office_location", ""),
                    office_director=request.POST.get("office_director", ""),
                )
                claimed.url = reverse("group_detail", args=[group.pk])
        except once.Replayed as replay:
            return once.answer_replay(request, replay, "group_detail", group.pk)
        except actions.GovernanceError as exc:
            _refused(request, exc)
            form = request.POST
        else:
            messages.success(request, f"已调整“{group.name}”成员")
            return redirect("group_detail", pk=group.pk)
    else:
        current = queries.members_on(group)
        form = {
            "members": "\n".join(f"{m.get_role_display()}，{m.name}，{m.post}" for m in current),
            "office_location": group.office_location,
            "office_director": group.office_director,
            "effective_on": timezone.localdate().isoformat(),
        }
    return render(request, "governance/group_adjust.html", {"group": group, "form": form})


@login_required
def group_notice(request, pk: int):
    """The 关于成立/调整…的通知 as an official-format .docx."""
    group = _visible_group(request.user, pk)
    data = notice.notice_docx(group)
    filename = notice.filename(group)
    response = HttpResponse(
        data,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = notice.content_disposition(filename)
    return response


# -- responsibility contracts ------------------------------------------------------------


def _visible_contract(user, pk: int) -> Contract:
    contract = get_object_or_404(Contract.objects.select_related("issuer", "party"), pk=pk)
    scope = get_scope(user)
    if not (scope.can(Can.VIEW, contract.issuer) or scope.can(Can.VIEW, contract.party)):
        raise Http404("不在您的权限范围内")
    return contract


def _year(request) -> int:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        raise Http404("年度无效") from None
    if not 2000 <= year <= today.year + 1:
        raise Http404("年度无效")
    return year


@login_required
def contract_list(request):
    year = _year(request)
    contracts = queries.contracts_for(request.user).filter(year=year)
    scope = get_scope(request.user)
    # 签订率 belongs to the issuer: shown to those who see the issuing unit, not to a party
    # that sees only its own contract.
    rates = [r for r in queries.signing_rates(contracts) if scope.can(Can.VIEW, r.issuer)]
    contracts = list(contracts)
    label_with_ancestors([c.party for c in contracts] + [r.issuer for r in rates])
    results = queries.contract_results(contracts, timezone.localdate())
    rows = [(c, *queries.met_counts(results.get(c.pk, []))) for c in contracts]
    context = {
        "year": year,
        "years": list(range(timezone.localdate().year + 1, timezone.localdate().year - 4, -1)),
        "rates": rates,
        "rows": rows,
        "can_create": get_scope(request.user).has_any(Can.MANAGE),
    }
    return render(request, "governance/contract_list.html", context)


@login_required
def contract_new(request):
    units = _managed_units(request.user)
    if not units:
        raise Http404("没有可管理的单位")
    data = request.POST if request.method == "POST" else request.GET
    issuer = next((u for u in units if u.code == data.get("issuer")), None)
    parties = (
        list(
            OrgUnit.objects.filter(path__startswith=issuer.path, depth=issuer.depth + 1).order_by(
                "path"
            )
        )
        if issuer
        else []
    )
    today = timezone.localdate()
    if request.method == "POST" and issuer is not None:
        chosen = set(request.POST.getlist("parties"))
        specs = [
            actions.TargetSpec(
                request.POST.get(f"indicator_{i}", ""),
                request.POST.get(f"value_{i}", ""),
                request.POST.get(f"duty_{i}", ""),
            )
            for i in range(1, 9)
        ]
        try:
            year = int(request.POST.get("year") or 0)
            with once.claim(request) as claimed:
                created = actions.issue_contracts(
                    request.user,
                    issuer,
                    year=year,
                    title=request.POST.get("title", ""),
                    parties=[p for p in parties if p.code in chosen],
                    targets=specs,
                )
                claimed.url = reverse("contract_list") + f"?year={year}"
        except once.Replayed as replay:
            return once.answer_replay(request, replay, "contract_list")
        except ValueError:
            messages.error(request, "年度无效")
        except actions.GovernanceError as exc:
            _refused(request, exc)
        else:
            messages.success(request, f"已建立 {len(created)} 份目标责任书，待签订")
            return redirect(f"/contracts/?year={year}")
    context = {
        "units": units,
        "issuer": issuer,
        "parties": parties,
        "indicators": Indicator.objects.order_by("group", "code").only(
            "code", "name", "group", "unit"
        ),
        "form": data,
        "chosen": set(data.getlist("parties"))
        if request.method == "POST"
        else {p.code for p in parties},
        "rows": [
            {
                "i": i,
                "indicator": data.get(f"indicator_{i}", ""),
                "value": data.get(f"value_{i}", ""),
                "duty": data.get(f"duty_{i}", ""),
            }
            for i in range(1, 9)
        ],
        "year": today.year,
    }
    return render(request, "governance/contract_new.html", context)


@login_required
def contract_detail(request, pk: int):
    contract = _visible_contract(request.user, pk)
    results = queries.contract_results([contract], timezone.localdate()).get(contract.pk, [])
    span, _ = queries.assessment_period(contract.year, timezone.localdate())
    met, judged = queries.met_counts(results)
    context = {
        "contract": contract,
        "results": results,
        "span": span,
        "met": met,
        "judged": judged,
        "can_sign": actions.can_sign(request.user, contract),
        "today": timezone.localdate(),
        "max_mb": attachments.max_bytes() // (1024 * 1024),
    }
    return render(request, "governance/contract_detail.html", context)


@login_required
@require_POST
def contract_sign(request, pk: int):
    contract = _visible_contract(request.user, pk)
    try:
        actions.sign_contract(
            request.user,
            contract,
            signed_on=_date(request.POST.get("signed_on")),
            responsible_person=request.POST.get("responsible_person", ""),
        )
    except actions.GovernanceError as exc:
        _refused(request, exc)
    else:
        messages.success(request, "已登记签订")
    return redirect("contract_detail", pk=contract.pk)


@login_required
def contract_print(request, pk: int):
    """The contract laid out for paper (A4), with signature blocks: print it, or save it as PDF
    from the browser's print dialog."""
    contract = _visible_contract(request.user, pk)
    results = queries.contract_results([contract], timezone.localdate()).get(contract.pk, [])
    context = {"contract": contract, "results": results, "today": timezone.localdate()}
    return render(request, "governance/contract_print.html", context)


@login_required
@require_POST
def contract_scan_upload(request, pk: int):
    contract = _visible_contract(request.user, pk)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise actions.GovernanceError("请选择签字后的扫描件（PDF 或照片）")
        if upload.size > attachments.max_bytes():  # refuse before reading it into memory
            raise actions.GovernanceError(
                f"文件大小 {upload.size / 1048576:.1f} MB，超过上限 {attachments.max_bytes() / 1048576:.0f} MB"
            )
        actions.attach_scan(request.user, contract, upload.name, upload.read())
    except actions.GovernanceError as exc:
        _refused(request, exc)
    else:
        messages.success(request, "已上传签字扫描件")
    return redirect("contract_detail", pk=contract.pk)


@login_required
def contract_scan(request, pk: int):
    contract = _visible_contract(request.user, pk)
    if not contract.scan:
        raise Http404("还没有上传扫描件")
    response = FileResponse(contract.scan.open("rb"), content_type=contract.scan_content_type)
    response["Content-Disposition"] = tables.disposition(contract.scan_name).replace(
        "attachment", "inline"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
