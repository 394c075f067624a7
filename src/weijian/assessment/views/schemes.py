"""Scheme pages: the list (with the user's to-dos), a new scheme, a scheme with its versions,
tree, vetoes, peer groups and offices, the item editor, .xlsx out and in, starting a run."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from weijian import periods
from weijian.indicators.models import Indicator
from weijian.inspections.models import ChecklistTemplate
from weijian.ledger.models import ActivityType
from weijian.orgs.models import OrgUnit, OrgUnitGroup
from weijian.orgs.scope import Can, get_scope
from weijian.surveys.models import Kind as SurveyKind

from .. import diffing, excel, queries, tasks
from ..actions import runs as run_actions
from ..actions import schemes as actions
from ..actions.common import AssessmentError, can_manage
from ..actions.schemes import SchemeInput, VetoInput
from ..methods import LABELS as METHOD_LABELS
from ..models import AssessorOffice, Cadence, FigureCodes, Node, SchemeVersion, Source, Trigger
from ..scoring import EFFECT_LABELS
from .common import XLSX, attachment, date_of, pk_of, scheme_for
from .forms import binding_from, initial_of, node_input_from

MAX_UPLOAD = 5 * 1024 * 1024


@login_required
def home(request):
    user = request.user
    return render(
        request,
        "assessment/home.html",
        {
            "schemes": queries.schemes_for(user),
            "runs": queries.runs_for(user)[:40],
            "todo": tasks.for_user(user),
            "can_create": bool(_owners(user)),
        },
    )


def _owners(user) -> list[OrgUnit]:
    """Units whose schemes the user may write: the bureau and institutions they manage."""
    scope = get_scope(user)
    return list(scope.units(Can.MANAGE).filter(depth__lte=2).order_by("path")[:50])


@login_required
def scheme_new(request):
    owners = _owners(request.user)
    if not owners:
        raise Http404("不在您的权限范围内")
    context = {
        "owners": owners,
        "groups": OrgUnitGroup.objects.order_by("name"),
        "cadences": Cadence.choices,
        "figure_codes": FigureCodes.choices,
        "year": timezone.localdate().year,
        "post": request.POST,
    }
    if request.method == "POST":
        post = request.POST
        try:
            owner = next((o for o in owners if o.code == post.get("owner")), None)
            if owner is None:
                raise AssessmentError("请选择制定单位")
            institution = next((o for o in owners if o.code == post.get("institution")), None)
            groups = list(OrgUnitGroup.objects.filter(code__in=post.getlist("groups")))
            data = SchemeInput(
                code=post.get("code", ""), name=post.get("name", ""), owner=owner,
                year=_year(post.get("year")), population=post.get("population", ""),
                cadence=post.get("cadence", ""), doc_number=post.get("doc_number", ""),
                groups=groups, institution=institution,
                figure_codes=post.get("figure_codes", FigureCodes.NONE),
                publicity_days=_year(post.get("publicity_days") or "5", "公示天数"),
            )  # fmt: skip
            scheme = actions.create_scheme(request.user, data)
        except AssessmentError as exc:
            messages.error(request, exc.message)
            return render(request, "assessment/scheme_new.html", context)
        messages.success(request, "方案已建立，请添加考核维度和项目")
        return redirect("assessment:scheme", scheme.code)
    return render(request, "assessment/scheme_new.html", context)


def _year(text, what: str = "年度") -> int:
    try:
        return int(str(text).strip())
    except (TypeError, ValueError):
        raise AssessmentError(f"{what}“{text}”不是整数") from None


def _version(scheme, number: str | None) -> SchemeVersion:
    versions = scheme.versions.all()
    if number:
        return get_object_or_404(versions, number=pk_of(number))
    return scheme.draft() or versions.order_by("-number").first()


def tree_rows(version: SchemeVersion) -> list[tuple[Node, int, bool]]:
    """(node, depth, is item) in tree order."""
    nodes = list(version.nodes.select_related("office"))
    children: dict[int | None, list[Node]] = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)
    out = []

    def walk(parent_id, depth):
        for node in sorted(children.get(parent_id, []), key=lambda n: (n.sort_order, n.pk)):
            out.append((node, depth, node.pk not in children))
            walk(node.pk, depth + 1)

    walk(None, 0)
    return out


@login_required
def scheme_detail(request, code: str):
    scheme = scheme_for(request.user, code)
    version = _version(scheme, request.GET.get("v"))
    manage = can_manage(request.user, scheme)
    today = timezone.localdate()
    context = {
        "scheme": scheme,
        "version": version,
        "versions": scheme.versions.order_by("-number"),
        "rows": tree_rows(version),
        "problems": actions.problems(version) if not version.frozen else [],
        "pending_diff": _pending_diff(version),
        "vetoes": version.vetoes.all(),
        "peers": scheme.peer_groups.prefetch_related("units"),
        "offices": AssessorOffice.objects.filter(owner=scheme.owner).prefetch_related("members"),
        "runs": scheme.runs.order_by("-period"),
        "can_manage": manage,
        "periods": _open_periods(scheme, today) if manage else [],
        "triggers": Trigger.choices,
        "effects": list(EFFECT_LABELS.items()),
        "grades_text": "、".join(f"{n}≥{m}" for n, m in version.grades),
        "people": _people(scheme) if manage else [],
        "units": scheme.unit_list() if manage else [],
    }
    return render(request, "assessment/scheme_detail.html", context)


def _pending_diff(version: SchemeVersion) -> list[str]:
    """What a draft would change against the version in force, before it is published."""
    if version.frozen:
        return []
    before = actions.previous_published(version)
    return diffing.diff(actions.snapshot(before), actions.snapshot(version)) if before else []


def _open_periods(scheme, today) -> list[periods.Period]:
    ptype = run_actions.CADENCE_TYPES[scheme.cadence]
    year = periods.parse(str(scheme.year))
    done = set(scheme.runs.values_list("period", flat=True))
    return [p for p in year.periods_within(ptype) if p.end < today and p.id not in done]


def _people(scheme) -> list[User]:
    units = OrgUnit.objects.filter(path__startswith=scheme.owner.path)
    return list(
        User.objects.filter(role_assignments__org_unit__in=units, is_active=True)
        .distinct()
        .order_by("username")[:200]
    )


def _refusal(request, exc: AssessmentError, code: str, number=None):
    messages.error(request, exc.message)
    url = redirect("assessment:scheme", code)
    if number:
        url["Location"] += f"?v={number}"
    return url


@login_required
@require_POST
def new_version(request, code: str):
    scheme = scheme_for(request.user, code)
    try:
        version = actions.new_version(request.user, scheme, request.POST.get("note", ""))
    except AssessmentError as exc:
        return _refusal(request, exc, code)
    messages.success(request, f"已新建第{version.number}版草稿")
    return _to_version(code, version.number)


def _to_version(code: str, number: int):
    response = redirect("assessment:scheme", code)
    response["Location"] += f"?v={number}"
    return response


@login_required
@require_POST
def publish(request, code: str, number: int):
    scheme = scheme_for(request.user, code)
    version = get_object_or_404(scheme.versions, number=number)
    try:
        actions.publish(request.user, version)
    except AssessmentError as exc:
        return _refusal(request, exc, code, number)
    messages.success(request, f"第{number}版已发布，自{version.effective_from:%Y-%m-%d}起施行")
    return _to_version(code, number)


@login_required
@require_POST
def settings(request, code: str, number: int):
    scheme = scheme_for(request.user, code)
    version = get_object_or_404(scheme.versions, number=number)
    post = request.POST
    try:
        grades = []
        for part in post.get("grades", "").replace("，", "、").replace(",", "、").split("、"):
            if part.strip():
                name, _, minimum = part.partition("≥")
                grades.append((name.strip(), minimum.strip() or "0"))
        actions.save_settings(
            request.user, version, total=post.get("total", ""), mode=post.get("mode", ""),
            grades=grades, effective_from=date_of(post.get("effective_from", ""), "生效日期"),
            note=post.get("note", ""),
        )  # fmt: skip
    except AssessmentError as exc:
        return _refusal(request, exc, code, number)
    messages.success(request, "方案设置已保存")
    return _to_version(code, number)


@login_required
def node_edit(request, code: str, number: int, pk: int | None = None):
    scheme = scheme_for(request.user, code)
    version = get_object_or_404(scheme.versions, number=number)
    node = get_object_or_404(version.nodes, pk=pk) if pk else None
    if not can_manage(request.user, scheme):
        raise Http404("不在您的权限范围内")
    if request.method == "POST":
        try:
            data = node_input_from(request.POST, version)
            actions.save_node(request.user, version, data, node)
        except AssessmentError as exc:
            messages.error(request, exc.message)
            return render(
                request,
                "assessment/node_edit.html",
                _node_context(scheme, version, node, request.POST),
            )
        messages.success(request, f"第{data.code}项已保存")
        return _to_version(code, number)
    return render(request, "assessment/node_edit.html", _node_context(scheme, version, node, None))


def _node_context(scheme, version, node, post) -> dict:
    values = dict(post.items()) if post is not None else {**initial_of(node), **_node_values(node)}
    return {
        "scheme": scheme,
        "version": version,
        "node": node,
        "v": values,
        "dimensions": version.nodes.filter(method="").exclude(pk=node.pk if node else None),
        "sources": Source.choices,
        "methods": list(METHOD_LABELS.items()),
        "indicators": Indicator.objects.order_by("group", "code").only("code", "name", "group"),
        "templates": ChecklistTemplate.objects.order_by("code"),
        "ledger_types": ActivityType.objects.order_by("sort_order", "code"),
        "survey_kinds": SurveyKind.choices,
        "offices": AssessorOffice.objects.filter(owner=scheme.owner),
    }


def _node_values(node: Node | None) -> dict:
    if node is None:
        return {
            "kind": "item",
            "on_missing": "zero",
            "on_zero_denominator": "exclude",
            "method": "manual",
            "source": "MANUAL",
        }
    return {
        "code": node.code, "name": node.name, "points": str(node.points.normalize()),
        "kind": "item" if node.method else "dimension", "parent": node.parent.code if node.parent else "",
        "section": node.section, "standard": node.standard, "method_text": node.method_text,
        "rule_text": node.rule_text, "source": node.source, "method": node.method,
        "on_missing": node.on_missing, "on_zero_denominator": node.on_zero_denominator,
        "office": str(node.office_id or ""),
    }  # fmt: skip


@login_required
@require_POST
def node_delete(request, code: str, number: int, pk: int):
    scheme = scheme_for(request.user, code)
    version = get_object_or_404(scheme.versions, number=number)
    node = get_object_or_404(version.nodes, pk=pk)
    try:
        actions.delete_node(request.user, node)
    except AssessmentError as exc:
        return _refusal(request, exc, code, number)
    messages.success(request, f"第{node.code}项已删除")
    return _to_version(code, number)


@login_required
@require_POST
def veto_save(request, code: str, number: int):
    scheme = scheme_for(request.user, code)
    version = get_object_or_404(scheme.versions, number=number)
    post = request.POST
    try:
        trigger = post.get("trigger", "")
        source = {
            "LEDGER": Source.LEDGER,
            "INSPECTION": Source.INSPECTION,
            "SURVEY": Source.SURVEY,
        }.get(trigger)
        condition = binding_from(post, source) if source else {}
        if trigger == "LEDGER" and post.get("min"):
            condition["min"] = post["min"]
        if trigger == "SURVEY" and post.get("floor"):
            condition["floor"] = post["floor"]
        if trigger == "INDICATOR":
            condition = {
                "indicator": post.get("indicator", ""),
                "op": post.get("op", ""),
                "value": post.get("limit", ""),
            }
        actions.save_veto(
            request.user, version,
            VetoInput(
                code=post.get("code", ""), name=post.get("name", ""), trigger=trigger,
                effect=post.get("effect", ""), condition=condition, section=post.get("section", ""),
                grade=post.get("grade", ""), share=post.get("share", "") or "0",
            ),
        )  # fmt: skip
    except AssessmentError as exc:
        return _refusal(request, exc, code, number)
    messages.success(request, "否决事项已保存")
    return _to_version(code, number)


@login_required
def version_xlsx(request, code: str, number: int):
    scheme = scheme_for(request.user, code)
    version = get_object_or_404(scheme.versions, number=number)
    return attachment(excel.export_xlsx(version), XLSX, f"{scheme.name}（第{number}版）.xlsx")


@login_required
@require_POST
def import_xlsx(request, code: str):
    scheme = scheme_for(request.user, code)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise AssessmentError("请选择要导入的 .xlsx 文件")
        if upload.size > MAX_UPLOAD:
            raise AssessmentError("文件过大（最大 5 MB）")
        version = excel.import_xlsx(request.user, scheme, upload.read())
    except AssessmentError as exc:
        return _refusal(request, exc, code)
    messages.success(request, f"已导入为第{version.number}版草稿，请检查后发布")
    return _to_version(code, version.number)


@login_required
@require_POST
def office_save(request, code: str):
    scheme = scheme_for(request.user, code)
    members = User.objects.filter(pk__in=[pk_of(p) for p in request.POST.getlist("members")])
    office = None
    if request.POST.get("office"):
        office = get_object_or_404(
            AssessorOffice, pk=pk_of(request.POST["office"]), owner=scheme.owner
        )
    try:
        actions.save_office(
            request.user, scheme.owner, request.POST.get("name", ""), members, office
        )
    except AssessmentError as exc:
        return _refusal(request, exc, code)
    messages.success(request, "考核科室已保存")
    return redirect("assessment:scheme", code)


@login_required
@require_POST
def peer_save(request, code: str):
    scheme = scheme_for(request.user, code)
    units = OrgUnit.objects.filter(code__in=request.POST.getlist("units"))
    group = OrgUnitGroup.objects.filter(code=request.POST.get("group", "")).first()
    try:
        actions.save_peer_group(
            request.user, scheme, request.POST.get("name", ""), units=list(units), group=group
        )
    except AssessmentError as exc:
        return _refusal(request, exc, code)
    messages.success(request, "排名分组已保存")
    return redirect("assessment:scheme", code)


@login_required
@require_POST
def start_run(request, code: str):
    scheme = scheme_for(request.user, code)
    try:
        run = run_actions.start_run(request.user, scheme, request.POST.get("period", ""))
    except AssessmentError as exc:
        return _refusal(request, exc, code)
    messages.success(request, f"已发起{run.period_label}考核并完成数据采集")
    return redirect("assessment:run", run.pk)
