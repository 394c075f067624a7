"""Every write of schemes: create, edit the draft's tree, grades and veto rules, publish (frozen,
with a readable diff), start a new version, peer groups and assessor offices. One function per
action, in a transaction, checked against the user's scope, logged in SchemeEvent. Bad input
raises AssessmentError with a precise Chinese message and changes nothing."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction

from weijian.inspections.templates_io import too_long  # the checklists' column-length check
from weijian.orgs.models import OrgUnit, OrgUnitGroup
from weijian.orgs.scope import Can, get_scope

from .. import diffing, methods, scoring
from ..binding_specs import check_binding, check_condition
from ..methods import ItemSpec, Method, MethodError, Missing
from ..models import (
    AssessorOffice,
    Cadence,
    FigureCodes,
    Node,
    PeerGroup,
    Scheme,
    SchemeVersion,
    Source,
    VersionStatus,
    VetoRule,
)
from ..numbers import NumberError, number, pts
from ..scoring import Effect, Grade, Mode, Section
from .common import AssessmentError, log_scheme, now, require_manage

CODE_RE = re.compile(r"^[A-Za-z0-9_\-]+$")
NODE_CODE_RE = re.compile(r"^[A-Za-z0-9.\-]+$")


# -- schemes -----------------------------------------------------------------------------------------


@dataclass
class SchemeInput:
    code: str
    name: str
    owner: OrgUnit
    year: int
    population: str
    cadence: str
    doc_number: str = ""
    units: list = field(default_factory=list)
    groups: list = field(default_factory=list)
    institution: OrgUnit | None = None
    figure_codes: str = FigureCodes.NONE
    publicity_days: int = 5


def create_scheme(user, data: SchemeInput) -> Scheme:
    """A new scheme with an empty draft (version 1) in force from 1 January of its year."""
    if not get_scope(user).can(Can.MANAGE, data.owner):
        raise AssessmentError(f"只有{data.owner.name}的管理员可以制定考核方案")
    _check_scheme(data)
    if Scheme.objects.filter(code=data.code.strip()).exists():
        raise AssessmentError(f"方案编码“{data.code.strip()}”已被使用")
    try:
        with transaction.atomic():
            scheme = Scheme.objects.create(
                code=data.code.strip(),
                name=data.name.strip(),
                owner=data.owner,
                year=data.year,
                population=data.population.strip(),
                cadence=data.cadence,
                doc_number=data.doc_number.strip(),
                institution=data.institution,
                figure_codes=data.figure_codes,
                publicity_days=data.publicity_days,
                created_by=user,
            )
            scheme.units.set(data.units)
            scheme.groups.set(data.groups)
            SchemeVersion.objects.create(
                scheme=scheme,
                number=1,
                effective_from=dt.date(data.year, 1, 1),
                grades=[[g.name, str(g.minimum)] for g in scoring.DEFAULT_GRADES],
                created_by=user,
            )
            log_scheme(scheme, user, "制定方案", f"{scheme.name}（{scheme.population}）")
    except IntegrityError:  # a double click that raced past the check above
        raise AssessmentError(f"方案编码“{data.code.strip()}”已被使用") from None
    return scheme


def _check_scheme(data: SchemeInput) -> None:
    code = data.code.strip()
    if not CODE_RE.match(code):
        raise AssessmentError("方案编码只能包含字母、数字、下划线和短横线")
    for name, value, what in (
        ("code", code, "方案编码"),
        ("name", data.name.strip(), "方案名称"),
        ("population", data.population.strip(), "考核对象"),
        ("doc_number", data.doc_number.strip(), "文号"),
    ):
        if problem := too_long(Scheme, name, value, what):
            raise AssessmentError(problem)
    if not data.name.strip():
        raise AssessmentError("请填写方案名称")
    if not data.population.strip():
        raise AssessmentError("请填写考核对象（如 二级医院、乡镇卫生院、临床科室）")
    if not 2000 <= int(data.year) <= 2100:
        raise AssessmentError(f"年度“{data.year}”无效")
    if data.cadence not in Cadence.values:
        raise AssessmentError("请选择考核周期（按月、按季度、按年度）")
    if data.figure_codes not in FigureCodes.values:
        raise AssessmentError("结果发布方式无效")
    if not 1 <= int(data.publicity_days) <= 30:
        raise AssessmentError("公示天数应在 1 到 30 天之间")
    if not (data.units or data.groups or data.institution):
        raise AssessmentError("请选择考核单位（单位、分组或某机构的全部科室）")
    members = [u for group in data.groups for u in group.members.all()]
    for unit in [*data.units, *members]:
        if not unit.path.startswith(data.owner.path) or unit.pk == data.owner.pk:
            raise AssessmentError(f"{unit.name}不在{data.owner.name}的管理范围内")
    if data.institution and not data.institution.path.startswith(data.owner.path):
        raise AssessmentError(f"{data.institution.name}不在{data.owner.name}的管理范围内")


# -- versions -------------------------------------------------------------------------------------------


def _require_draft(version: SchemeVersion) -> None:
    if version.frozen:
        raise AssessmentError("已发布的版本不能修改；如需修改，请新建版本")


def save_settings(
    user,
    version: SchemeVersion,
    *,
    total: str,
    mode: str,
    grades: list[tuple[str, str]],
    effective_from: dt.date,
    note: str = "",
) -> SchemeVersion:
    require_manage(user, version.scheme, "修改考核方案")
    _require_draft(version)
    try:
        total_points = number(total, "方案总分")
        parsed = [
            Grade(name.strip(), number(minimum, f"等次“{name}”的分数线"))
            for name, minimum in grades
        ]
        scoring.check_grades(parsed)
    except (NumberError, MethodError) as exc:
        raise AssessmentError(str(exc)) from None
    if not Decimal(0) < total_points <= 1000:
        raise AssessmentError("方案总分应大于 0 且不超过 1000")
    if mode not in (Mode.POINTS, Mode.WEIGHTS):
        raise AssessmentError("计分方式应为分值制或权重制")
    if mode == Mode.WEIGHTS:
        over = version.nodes.filter(points__gt=100).first()
        if over:
            raise AssessmentError(
                f"权重制下各项权重不能超过 100%（“{over.code} {over.name}”为 {pts(over.points)}%）"
            )
    with transaction.atomic():
        version.total_points = total_points
        version.mode = mode
        version.grades = [[g.name, str(g.minimum)] for g in parsed]
        version.effective_from = effective_from
        version.note = note.strip()
        version.save()
        log_scheme(version.scheme, user, "修改方案设置", version=version)
    return version


@dataclass
class NodeInput:
    code: str
    name: str
    points: str
    kind: str = "item"  # "dimension" or "item"
    parent: str = ""  # the parent's code; "" for a top-level dimension
    section: str = Section.NORMAL
    standard: str = ""
    method_text: str = ""
    rule_text: str = ""
    source: str = Source.MANUAL
    binding: dict = field(default_factory=dict)
    method: str = Method.MANUAL
    params: dict = field(default_factory=dict)
    on_missing: str = Missing.ZERO
    on_zero_denominator: str = Missing.EXCLUDE
    office: AssessorOffice | None = None


def save_node(user, version: SchemeVersion, data: NodeInput, node: Node | None = None) -> Node:
    """Add or change a dimension or an item of a draft version."""
    require_manage(user, version.scheme, "修改考核方案")
    _require_draft(version)
    clean = _clean_node(version, data, node)
    with transaction.atomic():
        node = node or Node(version=version, sort_order=version.nodes.count() + 1)
        for key, value in clean.items():
            setattr(node, key, value)
        node.save()
        log_scheme(version.scheme, user, "修改考核项目", f"{node.code} {node.name}", version)
    return node


def _clean_node(version: SchemeVersion, data: NodeInput, node: Node | None) -> dict:
    code = data.code.strip()
    name = data.name.strip()
    if not code or not NODE_CODE_RE.match(code):
        raise AssessmentError("序号只能包含数字、字母、点和短横线（如 1、1.2、B1）")
    if not name:
        raise AssessmentError(f"请填写第{code}项的考核内容")
    for field_name, value, what in (
        ("code", code, "序号"),
        ("name", name, f"第{code}项的考核内容"),
        ("method_text", data.method_text.strip(), f"第{code}项的考核方法"),
    ):
        if problem := too_long(Node, field_name, value, what):
            raise AssessmentError(problem)
    others = version.nodes.exclude(pk=node.pk if node else None)
    if others.filter(code=code).exists():
        raise AssessmentError(f"序号“{code}”已被其他项目使用")
    try:
        points = number(data.points, f"第{code}项的分值")
    except NumberError as exc:
        raise AssessmentError(str(exc)) from None
    if points <= 0:
        raise AssessmentError(f"第{code}项的分值应大于 0")
    if version.mode == Mode.WEIGHTS and points > 100:
        raise AssessmentError(f"第{code}项的权重 {pts(points)}% 超过 100%")
    if points > methods.MAX_ITEM_POINTS:
        raise AssessmentError(f"第{code}项的分值不能超过 {pts(methods.MAX_ITEM_POINTS)}")
    parent = _parent(version, data, node, code)
    section = parent.section if parent else data.section
    if section not in Section.__members__.values():
        raise AssessmentError(f"第{code}项的类别无效")
    if data.office is not None and data.office.owner_id != version.scheme.owner_id:
        raise AssessmentError(f"考核科室“{data.office.name}”不属于{version.scheme.owner.name}")
    clean = dict(
        code=code, name=name, points=points, parent=parent, section=section,
        standard=data.standard.strip(), method_text=data.method_text.strip(),
        rule_text=data.rule_text.strip(), office=data.office,
    )  # fmt: skip
    has_children = node is not None and node.children.exists()
    if data.kind == "dimension" or has_children:
        return {**clean, "source": "", "binding": {}, "method": "", "params": {}}
    label = f"第{code}项“{name}”"
    try:
        # Weighted schemes score every item out of 100 (its share then follows the weights).
        scale = Decimal(100) if version.mode == Mode.WEIGHTS else points
        spec = ItemSpec(
            code, name, scale, data.method, data.params, data.on_missing, data.on_zero_denominator
        )
        methods.check(spec)
        binding = check_binding(data.source, data.binding, data.method, label)
    except MethodError as exc:
        raise AssessmentError(str(exc)) from None
    if data.method == Method.MANUAL and data.office is None:
        raise AssessmentError(f"{label}为人工评分，请指定考核科室")
    return {
        **clean, "source": data.source, "binding": binding, "method": data.method,
        "params": data.params, "on_missing": data.on_missing,
        "on_zero_denominator": data.on_zero_denominator,
    }  # fmt: skip


def _parent(version: SchemeVersion, data: NodeInput, node: Node | None, code: str) -> Node | None:
    parent_code = data.parent.strip()
    if not parent_code:
        if data.kind != "dimension" and data.section == Section.NORMAL:
            raise AssessmentError(f"第{code}项为考核细则，请指定所属维度")
        return None
    parent = version.nodes.filter(code=parent_code).first()
    if parent is None:
        raise AssessmentError(f"第{code}项的所属维度“{parent_code}”不存在")
    walker = parent
    while walker is not None:
        if node is not None and walker.pk == node.pk:
            raise AssessmentError(f"第{code}项不能归属于它自己或它的下级")
        walker = walker.parent
    if parent.method:
        raise AssessmentError(
            f"“{parent.code} {parent.name}”是考核细则，不能再分解；请先将其改为维度"
        )
    return parent


def delete_node(user, node: Node) -> None:
    version = node.version
    require_manage(user, version.scheme, "修改考核方案")
    _require_draft(version)
    with transaction.atomic():
        log_scheme(version.scheme, user, "删除考核项目", f"{node.code} {node.name}", version)
        node.delete()


@dataclass
class VetoInput:
    code: str
    name: str
    trigger: str
    effect: str
    condition: dict = field(default_factory=dict)
    section: str = ""
    grade: str = ""
    share: str = "0"


def save_veto(
    user, version: SchemeVersion, data: VetoInput, rule: VetoRule | None = None
) -> VetoRule:
    require_manage(user, version.scheme, "修改考核方案")
    _require_draft(version)
    code, name = data.code.strip(), data.name.strip()
    if not code or not NODE_CODE_RE.match(code):
        raise AssessmentError("否决事项编号只能包含数字、字母、点和短横线")
    if not name:
        raise AssessmentError("请填写否决事项")
    if problem := too_long(VetoRule, "name", name, "否决事项"):
        raise AssessmentError(problem)
    if version.vetoes.exclude(pk=rule.pk if rule else None).filter(code=code).exists():
        raise AssessmentError(f"否决事项编号“{code}”已被使用")
    try:
        condition = check_condition(data.trigger, data.condition, f"否决事项“{name}”")
        share = number(data.share or "0", f"否决事项“{name}”的扣减比例")
    except (MethodError, NumberError) as exc:
        raise AssessmentError(str(exc)) from None
    veto = scoring.Veto(name, data.effect, data.section.strip(), data.grade.strip(), share)
    try:
        scoring.check_veto(veto, _tree(version, check=False), version.grade_list())
    except MethodError as exc:
        raise AssessmentError(str(exc)) from None
    with transaction.atomic():
        rule = rule or VetoRule(version=version, sort_order=version.vetoes.count() + 1)
        rule.code, rule.name, rule.trigger, rule.condition = code, name, data.trigger, condition
        rule.effect, rule.section, rule.grade = data.effect, veto.section, veto.grade
        rule.share = share if data.effect == Effect.PAY_CUT else Decimal(0)
        rule.save()
        log_scheme(version.scheme, user, "修改否决事项", name, version)
    return rule


def delete_veto(user, rule: VetoRule) -> None:
    require_manage(user, rule.version.scheme, "修改考核方案")
    _require_draft(rule.version)
    with transaction.atomic():
        log_scheme(rule.version.scheme, user, "删除否决事项", rule.name, rule.version)
        rule.delete()


# -- the tree as the scoring core sees it -------------------------------------------------------------


def _tree(version: SchemeVersion, *, check: bool = True, nodes=None) -> scoring.Node:
    """The version's tree as scoring.Node (weights converted to points)."""
    nodes = list(nodes if nodes is not None else version.nodes.all())
    children: dict[int | None, list[Node]] = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)

    def build(node: Node) -> scoring.Node:
        kids = sorted(children.get(node.pk, []), key=lambda n: (n.sort_order, n.pk))
        return scoring.Node(
            node.code, node.name, node.points, tuple(build(k) for k in kids), node.section
        )

    top = sorted(children.get(None, []), key=lambda n: (n.sort_order, n.pk))
    root = scoring.Node("ROOT", "总分", version.total_points, tuple(build(n) for n in top))
    if version.mode == Mode.WEIGHTS:
        root = scoring.weights_to_points(root) if check else root
    return root


def tree_of(version: SchemeVersion, nodes=None) -> scoring.Node:
    return _tree(version, nodes=nodes)


def item_spec(node: Node, mode: str = Mode.POINTS) -> ItemSpec:
    """The scoring core's view of an item. A weighted scheme scores each item out of 100;
    `runs` converts that to the item's share of the total by its weights."""
    binding = node.binding or {}
    points = Decimal(100) if mode == Mode.WEIGHTS else node.points
    return ItemSpec(
        node.code, node.name, points, node.method,
        node.params or {}, node.on_missing, node.on_zero_denominator,
        unit=binding.get("unit", "") or _unit_of(node), decimals=int(binding.get("decimals", 2) or 2),
    )  # fmt: skip


def _unit_of(node: Node) -> str:
    return {
        Source.RECTIFICATION: "%",
        Source.SURVEY: "%",
        Source.CONTRACT: "%",
        Source.INSPECTION: "分",
    }.get(node.source, "")


def problems(version: SchemeVersion) -> list[str]:
    """Everything that stops a version from being published, in Chinese."""
    out: list[str] = []
    nodes = list(version.nodes.select_related("office"))
    if not nodes:
        return ["方案还没有任何考核项目"]
    try:
        root = _tree(version, nodes=nodes)
        scoring.check_tree(root)
    except MethodError as exc:
        out.append(str(exc))
        root = None
    try:
        scoring.check_grades(version.grade_list())
    except MethodError as exc:
        out.append(str(exc))
    parents = {n.parent_id for n in nodes}
    for node in nodes:
        if node.pk in parents:
            continue
        label = f"第{node.code}项“{node.name}”"
        if not node.method:
            out.append(f"{label}还没有设置计分方法")
            continue
        try:
            methods.check(item_spec(node, version.mode))
            check_binding(node.source, node.binding, node.method, label)
        except MethodError as exc:
            out.append(str(exc))
        if node.method == Method.MANUAL and node.office_id is None:
            out.append(f"{label}为人工评分，请指定考核科室")
    for rule in version.vetoes.all():
        try:
            check_condition(rule.trigger, rule.condition, f"否决事项“{rule.name}”")
            if root:
                scoring.check_veto(
                    scoring.Veto(rule.name, rule.effect, rule.section, rule.grade, rule.share),
                    root,
                    version.grade_list(),
                )
        except MethodError as exc:
            out.append(str(exc))
    return out


def snapshot(version: SchemeVersion) -> dict:
    nodes = {}
    codes = {n.pk: n.code for n in version.nodes.all()}
    for n in version.nodes.select_related("office"):
        nodes[n.code] = {
            "name": n.name, "points": pts(n.points), "section": n.section, "method": n.method,
            "params": n.params, "source": n.source, "binding": n.binding,
            "on_missing": n.on_missing, "on_zero_denominator": n.on_zero_denominator,
            "office": n.office.name if n.office else "", "parent": codes.get(n.parent_id, ""),
            "standard": n.standard, "rule_text": n.rule_text,
        }  # fmt: skip
    vetoes = {
        v.code: {
            "name": v.name,
            "trigger": v.trigger,
            "condition": v.condition,
            "effect": v.effect,
            "section": v.section,
            "grade": v.grade,
            "share": str(v.share),
        }  # fmt: skip
        for v in version.vetoes.all()
    }
    return {
        "total": pts(version.total_points),
        "mode": version.mode,
        "grades": version.grades,
        "nodes": nodes,
        "vetoes": vetoes,
    }


def previous_published(version: SchemeVersion) -> SchemeVersion | None:
    return (
        version.scheme.versions.filter(status=VersionStatus.PUBLISHED, number__lt=version.number)
        .order_by("-number")
        .first()
    )


def publish(user, version: SchemeVersion) -> SchemeVersion:
    """Freeze a complete draft; its diff against the version before is kept with it."""
    scheme = version.scheme
    require_manage(user, scheme, "发布考核方案")
    with transaction.atomic():
        version = SchemeVersion.objects.select_for_update().get(pk=version.pk)
        if version.frozen:
            raise AssessmentError(f"第{version.number}版已于此前发布，未做改动")
        found = problems(version)
        if found:
            raise AssessmentError("方案尚不能发布：" + "；".join(found[:8]))
        before = previous_published(version)
        version.diff = diffing.diff(snapshot(before), snapshot(version)) if before else []
        version.status = VersionStatus.PUBLISHED
        version.published_by = user
        version.published_at = now()
        version.save()
        detail = "；".join(version.diff[:20]) if before else "首次发布"
        log_scheme(scheme, user, f"发布第{version.number}版", detail, version)
    return version


def new_version(user, scheme: Scheme, note: str = "") -> SchemeVersion:
    """A draft copied from the latest version, to change and publish later."""
    require_manage(user, scheme, "修订考核方案")
    with transaction.atomic():
        Scheme.objects.select_for_update().get(pk=scheme.pk)
        if scheme.draft() is not None:
            raise AssessmentError(
                f"已有未发布的草稿（第{scheme.draft().number}版），请在草稿上修改"
            )
        latest = scheme.versions.order_by("-number").first()
        version = SchemeVersion.objects.create(
            scheme=scheme,
            number=latest.number + 1,
            mode=latest.mode,
            total_points=latest.total_points,
            grades=latest.grades,
            effective_from=max(latest.effective_from, now().date()),
            note=note.strip(),
            created_by=user,
        )
        copy_tree(latest, version)
        log_scheme(scheme, user, f"新建第{version.number}版草稿", note.strip(), version)
    return version


def copy_tree(source: SchemeVersion, target: SchemeVersion) -> None:
    mapping: dict[int, Node] = {}
    for node in sorted(source.nodes.all(), key=lambda n: (_depth(n, source), n.sort_order, n.pk)):
        parent = mapping.get(node.parent_id)
        old_pk = node.pk
        node.pk = None
        node.version, node.parent = target, parent
        node.save()
        mapping[old_pk] = node
    for rule in source.vetoes.all():
        rule.pk = None
        rule.version = target
        rule.save()


def _depth(node: Node, version: SchemeVersion) -> int:
    depth, walker = 0, node
    while walker.parent_id:
        depth += 1
        walker = walker.parent
    return depth


# -- peer groups and offices -----------------------------------------------------------------------------


def save_peer_group(
    user, scheme: Scheme, name: str, *, units=(), group: OrgUnitGroup | None = None, peer=None
) -> PeerGroup:
    require_manage(user, scheme, "设置排名分组")
    name = name.strip()
    if not name:
        raise AssessmentError("请填写排名分组名称")
    if problem := too_long(PeerGroup, "name", name, "排名分组名称"):
        raise AssessmentError(problem)
    population = {u.pk for u in scheme.unit_list()}
    chosen = {u.pk for u in units} | (
        set(group.members.values_list("pk", flat=True)) if group else set()
    )
    outside = chosen - population
    if outside:
        stray = OrgUnit.objects.filter(pk__in=outside).first()
        raise AssessmentError(f"{stray.name}不在本方案的考核单位之中")
    others = scheme.peer_groups.exclude(pk=peer.pk if peer else None)
    for other in others:
        shared = chosen & other.unit_ids()
        if shared:
            unit = OrgUnit.objects.get(pk=next(iter(shared)))
            raise AssessmentError(
                f"{unit.name}已在排名分组“{other.name}”中，一个单位只能属于一个分组"
            )
    with transaction.atomic():
        peer = peer or PeerGroup(scheme=scheme, sort_order=scheme.peer_groups.count() + 1)
        peer.name, peer.group = name, group
        peer.save()
        peer.units.set(units)
        log_scheme(scheme, user, "设置排名分组", name)
    return peer


def save_office(user, owner: OrgUnit, name: str, members=(), office=None) -> AssessorOffice:
    if not get_scope(user).can(Can.MANAGE, owner):
        raise AssessmentError(f"只有{owner.name}的管理员可以设置考核科室")
    name = name.strip()
    if not name:
        raise AssessmentError("请填写考核科室名称")
    if problem := too_long(AssessorOffice, "name", name, "考核科室名称"):
        raise AssessmentError(problem)
    if (
        AssessorOffice.objects.filter(owner=owner, name=name)
        .exclude(pk=office.pk if office else None)
        .exists()
    ):
        raise AssessmentError(f"考核科室“{name}”已存在")
    with transaction.atomic():
        office = office or AssessorOffice(owner=owner)
        office.name = name
        office.save()
        office.members.set(members)
    return office
