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
