"""The “关于成立/调整…领导小组的通知” as an official-format .docx (documents.docx).

It reads as such notices do: the purpose and the decision, then 一、组成人员 (组长 / 副组长 /
成员 with their posts), 二、主要职责, 三、领导小组办公室 (设在…, …兼任办公室主任), signed by the
unit on the date of the latest 成立 or 调整, with that document's number."""

from __future__ import annotations

from urllib.parse import quote

from weijian.documents.docx import OfficialDocument
from weijian.orgs.models import OrgUnitType

from .models import GroupChange, LeadingGroup, MemberRole
from .queries import members_on


def _topic(name: str) -> str:
    """创建健康促进医院工作领导小组 → 创建健康促进医院工作; 医院感染管理委员会 → 医院感染管理工作."""
    topic = name
    for suffix in ("领导小组", "委员会", "工作小组", "领导组", "小组"):
        if topic.endswith(suffix):
            topic = topic[: -len(suffix)]
            break
    return topic if topic.endswith("工作") else topic + "工作"


def latest_change(group: LeadingGroup) -> GroupChange:
    return group.changes.order_by("-effective_on", "-id").first()


def title(group: LeadingGroup) -> str:
    change = latest_change(group)
    verb = "调整" if change and change.kind == GroupChange.Kind.ADJUST else "成立"
    return f"关于{verb}{group.name}的通知"


def filename(group: LeadingGroup) -> str:
    return f"{title(group)}.docx"


def content_disposition(name: str) -> str:
    return f"attachment; filename=\"notice.docx\"; filename*=UTF-8''{quote(name)}"


def build(group: LeadingGroup) -> OfficialDocument:
    change = latest_change(group)
    adjusting = change is not None and change.kind == GroupChange.Kind.ADJUST
    unit = group.org_unit
    day = change.effective_on if change else group.founded_on
    doc = OfficialDocument(
        title(group),
        letterhead=f"{unit.name}文件",
        doc_number=(change.document_number if change else "") or group.document_number,
    )
    doc.addressee(
        "各医疗卫生单位，局机关各科室：" if unit.type == OrgUnitType.BUREAU else "各科室、各部门："
    )
    topic = _topic(group.name)
    if adjusting:
        reason = (change.reason or "因人事变动").rstrip("。，,")
        doc.paragraph(
            f"{reason}，为确保{topic}顺利开展，经研究，决定对{group.name}组成人员进行调整。"
            "调整后的组成人员及有关事项通知如下："
        )
    else:
        doc.paragraph(
            f"为切实加强{topic}，明确职责，落实责任，经研究，决定成立{group.name}。"
            "现将有关事项通知如下："
        )
    members = members_on(group, day)
    doc.heading("组成人员")
    if group.name.endswith("委员会"):  # a committee's seats are called 主任委员 / 副主任委员 / 委员
        labels = {
            MemberRole.LEADER: "主任委员",
            MemberRole.DEPUTY: "副主任委员",
            MemberRole.MEMBER: "委　　员",
        }
    else:
        labels = {
            MemberRole.LEADER: "组　长",
            MemberRole.DEPUTY: "副组长",
            MemberRole.MEMBER: "成　员",
        }
    for role in (MemberRole.LEADER, MemberRole.DEPUTY, MemberRole.MEMBER):
        people = [m for m in members if m.role == role]
        if people:
            names = "、".join(f"{m.name}（{m.post}）" for m in people)
            doc.paragraph(f"{labels[role]}：{names}")
    doc.heading("主要职责")
    for line in [s.strip() for s in group.duties.splitlines() if s.strip()]:
        doc.paragraph(line)
    if group.office_location:
        doc.heading("领导小组办公室")
        director = f"，{group.office_director}同志兼任办公室主任" if group.office_director else ""
        doc.paragraph(
            f"领导小组下设办公室，办公室设在{group.office_location}{director}，"
            "负责领导小组的日常工作。"
        )
    if adjusting:
        doc.paragraph(
            "今后领导小组成员如因工作变动需要调整的，由接任工作的同志自然替补，不再另行发文。"
        )
    doc.signature(unit.name, day)
    return doc


def notice_docx(group: LeadingGroup) -> bytes:
    return build(group).to_bytes()
