"""Every write of leading groups and responsibility contracts: one function per action, in a
transaction, checked against the user's scope, logged in GovernanceLog. Bad input raises
GovernanceError with a Chinese message and every problem; nothing is saved."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone

from weijian.indicators.models import Indicator
from weijian.orgs.models import OrgUnit
from weijian.orgs.scope import Can, get_scope

from .models import (
    Contract,
    ContractStatus,
    ContractTarget,
    GovernanceLog,
    GroupChange,
    GroupMember,
    LeadingGroup,
    MemberRole,
)


class GovernanceError(Exception):
    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems or []


def _log(user, action: str, obj, detail: str = "") -> None:
    GovernanceLog.objects.create(
        user=user if user and user.is_authenticated else None,
        action=action,
        object_type=type(obj).__name__,
        object_id=obj.pk,
        detail=detail,
    )


def _too_long(model, name: str, value: str, what: str) -> str | None:
    """A Chinese reason when `value` is longer than the model's column (PostgreSQL would refuse
    it with a database error; SQLite would silently keep it), else None."""
    limit = model._meta.get_field(name).max_length
    if len(value) > limit:
        return f"{what}过长（{len(value)} 字，最多 {limit} 字）"
    return None


# ContractTarget.target_value holds 20 digits with 6 decimals: below 10^14.
MAX_TARGET = Decimal(10) ** 14


def _require(user, capability: Can, unit: OrgUnit, what: str) -> None:
    if not get_scope(user).can(capability, unit):
        raise GovernanceError(f"您没有“{unit.name}”的{what}权限")


# -- leading groups ----------------------------------------------------------------------

ROLE_WORDS = {
    "组长": MemberRole.LEADER,
    "主任": MemberRole.LEADER,
    "主任委员": MemberRole.LEADER,
    "副组长": MemberRole.DEPUTY,
    "副主任": MemberRole.DEPUTY,
    "副主任委员": MemberRole.DEPUTY,
    "成员": MemberRole.MEMBER,
    "组员": MemberRole.MEMBER,
    "委员": MemberRole.MEMBER,
}


@dataclass(frozen=True)
class MemberSpec:
    role: str  # MemberRole
    name: str
    post: str


def parse_members(text: str) -> list[MemberSpec]:
    """One member a line: '组长，张三，院长' (comma, 、, tab or spaces between the parts).
    Raises GovernanceError listing every bad line."""
    members, problems = [], []
    seen: set[str] = set()
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        for sep in ("，", "、", "\t", "；", ";"):
            line = line.replace(sep, ",")
        parts = [p.strip() for p in (line.split(",") if "," in line else line.split())]
        parts = [p for p in parts if p]
        if len(parts) != 3:
            problems.append(f"第 {number} 行“{raw.strip()}”应为“组内职务，姓名，职务”三项")
            continue
        role_word, name, post = parts
        role = ROLE_WORDS.get(role_word)
        if role is None:
            problems.append(f"第 {number} 行：组内职务“{role_word}”应为组长、副组长或成员")
            continue
        if len(name) > 50 or len(post) > 100:
            problems.append(f"第 {number} 行：姓名或职务过长")
            continue
        if name in seen:
            problems.append(f"第 {number} 行：“{name}”重复出现")
            continue
        seen.add(name)
        members.append(MemberSpec(role, name, post))
    if problems:
        raise GovernanceError(f"成员名单有 {len(problems)} 处错误，未保存", problems)
    if not members:
        raise GovernanceError("请填写小组成员（每行一人：组内职务，姓名，职务）")
    if not any(m.role == MemberRole.LEADER for m in members):
        raise GovernanceError("成员名单中须有一名组长")
    if sum(m.role == MemberRole.LEADER for m in members) > 1:
        raise GovernanceError("一个领导小组只能有一名组长")
    return members


def _ordered(members: list[MemberSpec]) -> list[MemberSpec]:
    order = {MemberRole.LEADER: 0, MemberRole.DEPUTY: 1, MemberRole.MEMBER: 2}
    return sorted(members, key=lambda m: order[m.role])  # stable: keeps the typed order


def _check_date(day: dt.date | None, what: str) -> dt.date:
    if day is None:
        raise GovernanceError(f"请填写{what}")
    if day > timezone.localdate():
        raise GovernanceError(f"{what}不能晚于今天")
    return day


def create_group(
    user,
    unit: OrgUnit,
    *,
    name: str,
    duties: str,
    document_number: str,
    founded_on: dt.date | None,
    members: list[MemberSpec],
    office_location: str = "",
    office_director: str = "",
) -> LeadingGroup:
    """成立 a leading group with its first members, all dated `founded_on`."""
    _require(user, Can.MANAGE, unit, "管理")
    name, duties, document_number = name.strip(), duties.strip(), document_number.strip()
    problems = []
    if not name:
        problems.append("请填写小组名称")
    elif not name.endswith(("小组", "委员会", "领导组", "工作组", "专班")):
        problems.append("小组名称应以“领导小组”“工作小组”“委员会”等结尾")
    if not duties:
        problems.append("请填写主要职责")
    if not document_number:
        problems.append("请填写成立文号")
    problems += [
        p
        for p in (
            _too_long(LeadingGroup, "name", name, "小组名称"),
            _too_long(LeadingGroup, "document_number", document_number, "成立文号"),
            _too_long(LeadingGroup, "office_location", office_location.strip(), "办公室设在"),
            _too_long(LeadingGroup, "office_director", office_director.strip(), "办公室主任"),
        )
        if p
    ]
    if problems:
        raise GovernanceError("；".join(problems), problems)
    founded_on = _check_date(founded_on, "成立日期")
    taken = GovernanceError(f"“{unit.name}”已有名为“{name}”的小组")
    if LeadingGroup.objects.filter(org_unit=unit, name=name, dissolved_on=None).exists():
        raise taken
    with transaction.atomic():
        try:
            with transaction.atomic():
                group = LeadingGroup.objects.create(
                    org_unit=unit,
                    name=name,
                    duties=duties,
                    document_number=document_number,
                    founded_on=founded_on,
                    office_location=office_location.strip(),
                    office_director=office_director.strip(),
                    created_by=user,
                )
        except IntegrityError:  # a simultaneous request founded it first (unique_active_group_name)
            raise taken from None
        GroupMember.objects.bulk_create(
            GroupMember(
                group=group,
                name=m.name,
                post=m.post,
                role=m.role,
                sort_order=i,
                joined_on=founded_on,
            )
            for i, m in enumerate(_ordered(members))
        )
        GroupChange.objects.create(
            group=group,
            kind=GroupChange.Kind.FOUND,
            effective_on=founded_on,
            document_number=document_number,
            summary=f"成立，成员 {len(members)} 人",
            recorded_by=user,
        )
        _log(user, "create", group, document_number)
    return group


def adjust_group(
    user,
    group: LeadingGroup,
    *,
    effective_on: dt.date | None,
    document_number: str,
    reason: str,
    members: list[MemberSpec],
    office_location: str | None = None,
    office_director: str | None = None,
) -> GroupChange:
    """调整 the membership from `effective_on`: people left out leave, new people join, a
    changed role or post closes the old seat and opens a new one. History is never rewritten."""
    _require(user, Can.MANAGE, group.org_unit, "管理")
    effective_on = _check_date(effective_on, "调整日期")
    reason = reason.strip()
    if not reason:
        raise GovernanceError("请填写调整原因（如：人事变动）")
    if len(reason) > 300:
        raise GovernanceError("调整原因过长（最多 300 字）")
    problems = [
        p
        for p in (
            _too_long(GroupChange, "document_number", document_number.strip(), "文号"),
            _too_long(
                LeadingGroup, "office_location", (office_location or "").strip(), "办公室设在"
            ),
            _too_long(
                LeadingGroup, "office_director", (office_director or "").strip(), "办公室主任"
            ),
        )
        if p
    ]
    if problems:
        raise GovernanceError("；".join(problems), problems)
    with transaction.atomic():
        group = LeadingGroup.objects.select_for_update().get(pk=group.pk)
        last = group.changes.order_by("-effective_on").first()
        if last and effective_on < last.effective_on:
            raise GovernanceError(
                f"调整日期不能早于上一次{last.get_kind_display()}日期 {last.effective_on:%Y-%m-%d}"
            )
        current = {m.name: m for m in group.members.filter(left_on=None)}
        wanted = {m.name: m for m in _ordered(members)}
        left = [m for name, m in current.items() if name not in wanted]
        joined = [m for name, m in wanted.items() if name not in current]
        moved = [
            (current[name], m)
            for name, m in wanted.items()
            if name in current and (current[name].role, current[name].post) != (m.role, m.post)
        ]
        office_changed = (
            office_location is not None and office_location.strip() != group.office_location
        ) or (office_director is not None and office_director.strip() != group.office_director)
        if not (left or joined or moved or office_changed):
            raise GovernanceError("成员和办公室都没有变化，无需调整")
        for seat in [*left, *(old for old, _ in moved)]:
            seat.left_on = effective_on
            seat.save(update_fields=["left_on"])
        opening = {*(m.name for m in joined), *(new.name for _, new in moved)}
        order = list(wanted)
        GroupMember.objects.bulk_create(
            GroupMember(
                group=group,
                name=m.name,
                post=m.post,
                role=m.role,
                sort_order=order.index(m.name),
                joined_on=effective_on,
            )
            for m in wanted.values()
            if m.name in opening
        )
        for name, seat in current.items():
            if name in wanted and name not in opening and seat.sort_order != order.index(name):
                seat.sort_order = order.index(name)
                seat.save(update_fields=["sort_order"])
        if office_location is not None:
            group.office_location = office_location.strip()
        if office_director is not None:
            group.office_director = office_director.strip()
        group.save(update_fields=["office_location", "office_director"])
        change = GroupChange.objects.create(
            group=group,
            kind=GroupChange.Kind.ADJUST,
            effective_on=effective_on,
            document_number=document_number.strip(),
            reason=reason,
            summary=_summary(left, joined, moved),
            recorded_by=user,
        )
        _log(user, "adjust", group, change.summary)
    return change


def _summary(left, joined, moved) -> str:
    parts = []
    if joined:
        parts.append("新增 " + "、".join(f"{m.name}（{m.post}）" for m in joined))
    if left:
        parts.append("调出 " + "、".join(f"{m.name}（{m.post}）" for m in left))
    for old, new in moved:
        role = dict(MemberRole.choices)
        parts.append(
            f"{new.name} 由{role[old.role]}（{old.post}）改任{role[new.role]}（{new.post}）"
        )
    return "；".join(parts) or "办公室设置调整"


# -- responsibility contracts ------------------------------------------------------------


@dataclass(frozen=True)
class TargetSpec:
    indicator_code: str = ""
    target_value: str = ""
    duty: str = ""


def _clean_targets(specs: list[TargetSpec]) -> list[ContractTarget]:
    specs = [
        s for s in specs if s.indicator_code.strip() or s.duty.strip() or s.target_value.strip()
    ]
    if not specs:
        raise GovernanceError("责任书至少要有一项目标（指标目标值或工作职责）")
    codes = {s.indicator_code.strip() for s in specs if s.indicator_code.strip()}
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
    targets, problems = [], []
    for number, spec in enumerate(specs, start=1):
        code, raw, duty = spec.indicator_code.strip(), spec.target_value.strip(), spec.duty.strip()
        if code:
            indicator = indicators.get(code)
            if indicator is None:
                problems.append(f"第 {number} 项：没有编码为“{code}”的指标")
                continue
            try:
                value = Decimal(raw)
            except InvalidOperation:
                problems.append(f"第 {number} 项：指标“{indicator.name}”的目标值“{raw}”不是数字")
                continue
            if not value.is_finite() or value < 0:
                problems.append(f"第 {number} 项：目标值不能为负数")
                continue
            if value >= MAX_TARGET:
                problems.append(f"第 {number} 项：目标值“{raw}”过大")
                continue
            targets.append(
                ContractTarget(
                    indicator=indicator, target_value=value, duty=duty, sort_order=number
                )
            )
        elif raw:
            problems.append(f"第 {number} 项：填写了目标值却没有选择指标")
        else:
            targets.append(ContractTarget(duty=duty, sort_order=number))
    if problems:
        raise GovernanceError(f"责任目标有 {len(problems)} 处错误，未保存", problems)
    return targets


def issue_contracts(
    user,
    issuer: OrgUnit,
    *,
    year: int,
    title: str,
    parties: list[OrgUnit],
    targets: list[TargetSpec],
) -> list[Contract]:
    """Draw up this year's 目标责任书 between `issuer` and each of `parties` (units below it),
    all with the same targets; they start 未签订."""
    _require(user, Can.MANAGE, issuer, "管理")
    title = title.strip()
    if not title:
        raise GovernanceError("请填写责任书名称")
    if problem := _too_long(Contract, "title", title, "责任书名称"):
        raise GovernanceError(problem)
    today = timezone.localdate()
    if not today.year - 1 <= year <= today.year + 1:
        raise GovernanceError(f"年度应在 {today.year - 1}–{today.year + 1} 之间")
    if not parties:
        raise GovernanceError("请选择至少一个责任单位")
    outside = [
        p.name for p in parties if not (p.path.startswith(issuer.path) and p.depth > issuer.depth)
    ]
    if outside:
        raise GovernanceError(f"责任单位须是“{issuer.name}”的下属单位：{'、'.join(outside)}")
    rows = _clean_targets(targets)
    taken = set(
        Contract.objects.filter(
            year=year, issuer=issuer, title=title, party__in=parties
        ).values_list("party__name", flat=True)
    )
    if taken:
        raise GovernanceError(f"{year}年“{title}”已与以下单位建立：{'、'.join(sorted(taken))}")
    try:
        return _create_contracts(user, issuer, year, title, parties, rows)
    except IntegrityError:  # a double click raced past the check above: nothing was saved
        raise GovernanceError(f"{year}年“{title}”刚刚已经建立，请刷新页面查看") from None


def _create_contracts(user, issuer, year, title, parties, rows) -> list[Contract]:
    with transaction.atomic():
        contracts = [
            Contract.objects.create(
                year=year, issuer=issuer, party=party, title=title, created_by=user
            )
            for party in parties
        ]
        ContractTarget.objects.bulk_create(
            ContractTarget(
                contract=c,
                indicator=t.indicator,
                target_value=t.target_value,
                duty=t.duty,
                sort_order=t.sort_order,
            )
            for c in contracts
            for t in rows
        )
        for contract in contracts:
            _log(user, "issue", contract, title)
    return contracts


def can_sign(user, contract: Contract) -> bool:
    """The issuer's office records the signing; so may the responsible unit's own office."""
    scope = get_scope(user)
    return scope.can(Can.MANAGE, contract.issuer) or scope.can(Can.MANAGE, contract.party)


def sign_contract(
    user, contract: Contract, *, signed_on: dt.date | None, responsible_person: str
) -> Contract:
    if not can_sign(user, contract):
        raise GovernanceError(f"您没有登记“{contract.party.name}”责任书签订的权限")
    signed_on = _check_date(signed_on, "签订日期")
    if signed_on.year < contract.year - 1 or signed_on.year > contract.year:
        raise GovernanceError(f"签订日期应在 {contract.year - 1}–{contract.year} 年内")
    person = responsible_person.strip()
    if not person:
        raise GovernanceError("请填写第一责任人（签字人）")
    if len(person) > 50:
        raise GovernanceError("第一责任人姓名过长")
    with transaction.atomic():
        contract = Contract.objects.select_for_update().get(pk=contract.pk)
        if contract.status == ContractStatus.SIGNED:
            raise GovernanceError(f"该责任书已于 {contract.signed_on:%Y-%m-%d} 签订")
        contract.status = ContractStatus.SIGNED
        contract.signed_on = signed_on
        contract.responsible_person = person
        contract.signed_by = user
        contract.save(update_fields=["status", "signed_on", "responsible_person", "signed_by"])
        _log(user, "sign", contract, f"{signed_on:%Y-%m-%d} {person}")
    return contract


def attach_scan(user, contract: Contract, name: str, data: bytes) -> Contract:
    """Keep the scan of the signed paper (PDF or photo, bounded and cleaned as ledger
    attachments are). A new scan replaces the old one; both uploads are logged."""
    import uuid

    from django.core.files.base import ContentFile

    from weijian.ledger.attachments import AttachmentProblem, clean_upload

    if not can_sign(user, contract):
        raise GovernanceError(f"您没有上传“{contract.party.name}”责任书扫描件的权限")
    name = (name or "扫描件").replace("/", "_").replace("\\", "_")[-100:]
    try:
        clean = clean_upload(name, data)
    except AttachmentProblem as problem:
        raise GovernanceError(str(problem)) from None
    with transaction.atomic():
        locked = Contract.objects.select_for_update().get(pk=contract.pk)
        old = locked.scan.name if locked.scan else ""
        locked.scan.save(
            f"{uuid.uuid4().hex}.{clean.extension}", ContentFile(clean.content), save=False
        )
        stored = locked.scan
        locked.scan_name, locked.scan_content_type = name, clean.content_type
        locked.scan_uploaded_by, locked.scan_uploaded_at = user, timezone.now()
        try:
            locked.save(
                update_fields=[
                    "scan",
                    "scan_name",
                    "scan_content_type",
                    "scan_uploaded_by",
                    "scan_uploaded_at",
                ]
            )
            _log(user, "SCAN", locked, f"{name}（{len(clean.content)} 字节）")
        except Exception:
            stored.delete(save=False)
            raise
    if old:
        locked.scan.storage.delete(old)  # the replaced scan; the log keeps that it existed
    return locked
