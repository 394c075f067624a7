"""Templates in and out: the YAML loader's checks, the .xlsx round trip, an office's own sheet,
versions and item editing."""

import datetime as dt
import io
from decimal import Decimal as D
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from weijian.inspections import actions, templates_io
from weijian.inspections.actions import InspectionError, ItemInput
from weijian.inspections.models import ChecklistTemplate
from weijian.inspections.templates_io import TemplateFileError

from .conftest import SMALL


def test_the_small_template_loads_with_its_kinds(insp):
    items = {i.code: i for i in insp.version.items.all()}
    assert insp.version.total_points == D(20) and insp.version.pass_score == D(16)
    assert (items["1.1"].kind, items["1.1"].per_occurrence, items["1.1"].cap) == (
        "deduct",
        D(2),
        D(4),
    )
    assert items["2.2"].grades == ["5", "3", "1", "0"]
    assert items["3.1"].kind == "veto"
    # loading again updates the unused version in place
    assert templates_io.load_builtin([SMALL])[0].status == "已更新"


def test_a_version_in_use_is_never_changed_by_loading(insp):
    actions.start_inspection(insp.ivan, insp.version, insp.medicine, dt.date.today())
    assert templates_io.load_builtin([SMALL])[0].status.startswith("已存在")


@pytest.mark.parametrize(
    "change, message",
    [
        (("total_points: 20", "total_points: 25"), "各项分值合计 20 分，与总分 25 分不符"),
        (("code: TESTYG", "code: test-yg"), "只能用大写字母"),
        (("kind: graded", "kind: bonus"), "计分方式“bonus”无效"),
        (('code: "1.2"', 'code: "1.1"'), "项目序号“1.1”重复"),
        (("cap: 4", "cap: 9"), "扣分上限"),
    ],
)
def test_the_loader_refuses_bad_files_precisely(db, tmp_path, change, message):
    bad = tmp_path / "bad.yaml"
    bad.write_text(SMALL.read_text(encoding="utf-8").replace(*change, 1), encoding="utf-8")
    with pytest.raises(TemplateFileError, match=message):
        templates_io.load_builtin([bad])
    assert not ChecklistTemplate.objects.exists()


def test_xlsx_round_trip_keeps_every_field(insp):
    data = templates_io.export_xlsx(insp.version)
    sheet = load_workbook(io.BytesIO(data))["考评表"]
    assert [c.value for c in sheet[2]][:7] == [
        "项目",
        "序号",
        "工作内容",
        "工作要求",
        "考核方法",
        "评分标准",
        "分值",
    ]
    spec = templates_io.import_xlsx(data)
    original = templates_io.spec_of(insp.version)
    assert spec == original


def test_an_offices_own_sheet_imports_with_deductions_read_from_the_rule(db):
    book = Workbook()
    sheet = book.active
    sheet.append(["护理质量考核表"])
    sheet.append(["项目", "工作内容", "工作要求", "考核方法", "评分标准", "分值"])
    sheet.append(["一、病房管理", "病房整洁", "床单位整洁", "现场查看", "一处不符合扣0.5分", 5])
    sheet.append([None, "物品放置", "定点放置", "现场查看", "不符合不得分", 5])  # merged 项目 cell
    sheet.append(["二、安全", "查对制度", "严格执行", "提问", "每人次扣2分", 10])
    sheet.append(["合计", None, None, None, None, 20])
    out = io.BytesIO()
    book.save(out)
    spec = templates_io.import_xlsx(
        out.getvalue(), {"code": "HLZL", "version": "2026", "category": "护理"}
    )
    assert spec.name == "护理质量考核表"
    assert [(name, len(items)) for name, items in spec.sections] == [
        ("一、病房管理", 2),
        ("二、安全", 1),
    ]
    # per occurrence from the rule text: 0.5; none found → the whole points; 2
    assert [i.per_occurrence for i in spec.items()] == [D("0.5"), D(5), D(2)]
    assert spec.total_points == D(20)
    loaded = templates_io.write_spec(spec)
    assert loaded.status == "新建"
    assert ChecklistTemplate.objects.get(code="HLZL").notice_word == "护理整改"


def test_a_sheet_without_the_header_or_with_bad_points_is_refused(db):
    book = Workbook()
    book.active.append(["随便", "什么"])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(TemplateFileError, match="找不到表头"):
        templates_io.import_xlsx(out.getvalue(), {"code": "X", "version": "1"})
    book = Workbook()
    book.active.append(["项目", "工作内容", "分值"])
    book.active.append(["一", "甲", "十分"])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(TemplateFileError, match="第2行.*不是数字"):
        templates_io.import_xlsx(out.getvalue(), {"code": "X", "version": "1"})
    with pytest.raises(TemplateFileError, match=r"不是有效的 Excel（\.xlsx）"):
        templates_io.import_xlsx(b"PK nonsense", {})


def test_a_new_version_copies_items_and_only_unused_versions_are_edited(insp):
    w = insp
    actions.start_inspection(w.ivan, w.version, w.medicine, dt.date.today())
    item = w.version.items.get(code="1.1")
    data = ItemInput(
        section="一、手卫生",
        code="1.1",
        content="手卫生",
        points="8",
        kind="deduct",
        per_occurrence="2",
    )
    with pytest.raises(InspectionError, match="该版本已被检查使用"):
        actions.save_item(w.ivan, w.version, data, item)
    new = actions.new_version(w.ivan, w.template, "2027")
    assert new.items.count() == 5 and w.template.current_version() == new
    actions.save_item(w.ivan, new, data, new.items.get(code="1.1"))
    new.refresh_from_db()
    # 20 − 6 + 8 = 22: the total follows the items
    assert new.total_points == D(22)
    assert w.version.items.get(code="1.1").points == D(6)
    with pytest.raises(InspectionError, match="分档最高应等于分值"):
        actions.save_item(
            w.ivan,
            new,
            ItemInput(
                section="二", code="9", content="新", points="5", kind="graded", grades="4,0"
            ),
        )
    with pytest.raises(InspectionError, match="没有修改权限"):
        actions.new_version(w.alice, w.template, "2028")


def test_the_builtin_directory_loads_when_present(db):
    files = templates_io.builtin_files()
    if not files:
        pytest.skip("no built-in templates yet")
    loaded = templates_io.load_builtin()
    assert len(loaded) == len(files)
    assert all(Path(f).suffix == ".yaml" for f in files)
