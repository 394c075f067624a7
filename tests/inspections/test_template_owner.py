"""Who may edit a checklist: an office its own; the district's built-in ones only the bureau."""

import pytest

from tests.world import make_user
from weijian.inspections import actions, templates_io
from weijian.inspections.actions import InspectionError, ItemInput
from weijian.inspections.models import ChecklistTemplate
from weijian.orgs.models import Role


def item(code="9.9"):
    return ItemInput(section="基础管理", code=code, content="新项目", points="5", kind="deduct")


@pytest.fixture
def builtin(insp):
    insp.template.owner = None  # as `weijian inspections load` leaves the built-in ones
    insp.template.save()
    return insp


def test_a_hospital_inspector_cannot_change_a_builtin_checklist(builtin):
    w = builtin
    before = w.version.items.count()
    with pytest.raises(InspectionError, match="属于区卫生健康局，您没有修改权限"):
        actions.save_item(w.ivan, w.version, item())
    with pytest.raises(InspectionError, match="没有修改权限"):
        actions.new_version(w.ivan, w.template, "2027")
    assert w.version.items.count() == before and w.template.versions.count() == 1


def test_the_bureau_manager_can_change_a_builtin_checklist(builtin):
    w = builtin
    actions.new_version(w.admin, w.template, "2027")
    assert w.template.versions.count() == 2


def test_an_office_edits_its_own_checklist_and_no_one_elses(insp):
    w = insp  # TESTYG belongs to the hospital (conftest)
    actions.save_item(w.ivan, w.version, item())
    township_inspector = make_user("tina", Role.INSPECTOR, w.township)
    with pytest.raises(InspectionError, match="属于人民医院"):
        actions.save_item(township_inspector, w.version, item("9.8"))
    assert not w.version.items.filter(code="9.8").exists()


def test_an_imported_checklist_belongs_to_the_importers_unit(insp):
    w = insp
    spec = templates_io.import_xlsx(
        templates_io.export_xlsx(w.version), {"code": "MYLIST", "name": "科室自查表"}
    )
    actions.import_template(w.ivan, spec)
    assert ChecklistTemplate.objects.get(code="MYLIST").owner == w.hospital
    # re-importing over it from another unit is refused, and changes nothing
    township_inspector = make_user("tina", Role.INSPECTOR, w.township)
    renamed = templates_io.import_xlsx(
        templates_io.export_xlsx(w.version), {"code": "MYLIST", "name": "改名"}
    )
    with pytest.raises(InspectionError, match="没有修改权限"):
        actions.import_template(township_inspector, renamed)
    assert ChecklistTemplate.objects.get(code="MYLIST").name == "科室自查表"


def test_checklist_edits_are_audited_with_what_changed(client, insp):
    w = insp
    first = w.version.items.get(code="1.1")
    edit = ItemInput(
        section=first.section.name, code="1.1", content=first.content, points="7",
        kind="deduct", per_occurrence="2", cap="4", method="现场查看",
        requirement=first.requirement, rule="每发现一人次不规范扣2分",
    )  # fmt: skip
    actions.save_item(w.ivan, w.version, edit, first)
    actions.save_item(w.ivan, w.version, edit, first)  # the same again: nothing to record
    actions.save_item(w.ivan, w.version, item())
    actions.new_version(w.ivan, w.template, "2027")
    events = list(
        w.template.events.order_by("id").values_list("action", "user__username", "reason")
    )
    assert events[0][:2] == ("修改考核项目", "ivan")
    assert events[0][2] == (
        f"{w.version.label}版 第1.1项：评分标准：每发现一人次不规范扣2分，最多扣4分 → "
        "每发现一人次不规范扣2分；分值：6 → 7"
    )
    assert events[1] == ("新增考核项目", "ivan", f"{w.version.label}版 新增第9.9项“新项目”（5分）")
    assert events[2] == ("新建考评表版本", "ivan", f"新建“2027”版（复制自“{w.version.label}”版）")
    assert len(events) == 3
    assert client.login(username="ivan", password="test-pass-123")
    page = client.get(f"/inspections/templates/{w.template.code}/").content.decode()
    assert "修改记录" in page and "分值：6 → 7" in page


def test_an_import_is_audited_and_an_unchanged_version_in_use_is_not(insp):
    w = insp
    data = templates_io.export_xlsx(w.version)
    actions.import_template(w.ivan, templates_io.import_xlsx(data))
    (event,) = w.template.events.all()
    assert (event.action, event.user) == ("导入考评表", w.ivan)
    assert event.reason.startswith(f"{w.version.label}版已更新：")
