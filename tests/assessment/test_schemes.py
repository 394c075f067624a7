"""Schemes: the tree and its checks, publishing (frozen, with a readable diff), new versions,
veto rules, peer groups, offices, who may do it — and bad input changing nothing."""

import datetime as dt
import io
from decimal import Decimal as D

import pytest
from openpyxl import load_workbook

from tests.assessment.conftest import build_scheme
from weijian.assessment import excel
from weijian.assessment.actions import schemes as actions
from weijian.assessment.actions.common import AssessmentError
from weijian.assessment.actions.schemes import NodeInput, SchemeInput, VetoInput
from weijian.assessment.models import (
    Cadence,
    Node,
    Scheme,
    SchemeEvent,
    SchemeVersion,
    Source,
    VersionStatus,
)


def test_a_published_scheme_is_frozen_and_in_force(setup):
    version = setup.version
    assert version.status == VersionStatus.PUBLISHED
    assert version.diff == []  # the first version has nothing to compare with
    assert setup.scheme.version_in_force(dt.date(2026, 3, 1)) == version
    with pytest.raises(AssessmentError, match="已发布的版本不能修改"):
        actions.save_node(setup.hank, version, NodeInput("3", "新维度", "10", kind="dimension"))
    assert version.nodes.count() == 7


def test_a_new_version_copies_the_tree_and_publishes_with_a_readable_diff(setup):
    draft = actions.new_version(setup.hank, setup.scheme, "2026年下半年调整")
    assert draft.number == 2 and draft.status == VersionStatus.DRAFT
    assert draft.nodes.count() == 7
    item = draft.nodes.get(code="1.1")
    actions.save_node(
        setup.hank,
        draft,
        NodeInput(
            "1.1", "出院人次占比", "15", parent="1", source=Source.INDICATOR,
            binding={"indicator": "DIS_SHARE"}, method="ratio", params={"target": "8"},
        ),
        item,
    )  # fmt: skip
    actions.save_node(
        setup.hank,
        draft,
        NodeInput("1.3", "病历质量", "5", parent="1", method="manual", office=setup.office),
    )
    published = actions.publish(setup.hank, draft)
    assert published.diff == [
        "1.1“出院人次占比” 分值 20 → 15",
        "1.1“出院人次占比” 计分方法 门槛线性法 → 比例法（与目标之比）",
        "1.1“出院人次占比” 计分参数：目标值 10 → 8，门槛值 0 → （空）",
        "新增 1.3“病历质量”（5 分）",
    ]
    # the old version is unchanged
    assert setup.scheme.versions.get(number=1).nodes.get(code="1.1").points == D(20)
    assert SchemeEvent.objects.filter(action="发布第2版").exists()


def test_only_one_draft_at_a_time(setup):
    actions.new_version(setup.hank, setup.scheme)
    with pytest.raises(AssessmentError, match="已有未发布的草稿（第2版）"):
        actions.new_version(setup.hank, setup.scheme)


def test_publishing_twice_changes_nothing(setup):
    with pytest.raises(AssessmentError, match="第1版已于此前发布"):
        actions.publish(setup.hank, setup.version)


def test_a_scheme_whose_points_do_not_add_up_is_not_published(setup):
    draft = actions.new_version(setup.hank, setup.scheme)
    actions.save_node(
        setup.hank,
        draft,
        NodeInput("2.2", "床位使用率", "10", parent="2", method="manual", office=setup.office),
    )
    with pytest.raises(AssessmentError) as exc:
        actions.publish(setup.hank, draft)
    assert "“2 工作量”下各项分值合计 50 分，与该维度分值 40 分不符" in exc.value.message
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT


def test_a_formula_that_does_not_parse_is_refused_with_its_position(setup):
    draft = actions.new_version(setup.hank, setup.scheme)
    with pytest.raises(
        AssessmentError,
        match=r"第2.1项“门急诊人次”的分子表达式有误：第 9 个字符处：运算符“\+”后缺少数值",
    ):
        actions.save_node(
            setup.hank,
            draft,
            NodeInput(
                "2.1", "门急诊人次", "40", parent="2", source=Source.INDICATOR,
                binding={"numerator": "#{OPD} +"}, method="bands",
                params={"bands": [[100, None, 40]]},
            ),
            draft.nodes.get(code="2.1"),
        )  # fmt: skip
    assert draft.nodes.get(code="2.1").binding == {
        "numerator": "#{OPD}",
        "denominator": "1",
        "factor": "1",
        "unit": "人次",
        "name": "门急诊人次",
        "numerator_name": "",
        "denominator_name": "",
    }


def test_an_unknown_element_or_indicator_is_refused(setup):
    draft = actions.new_version(setup.hank, setup.scheme)
    bad = NodeInput(
        "1.3", "x", "5", parent="1", source=Source.INDICATOR, method="ratio", params={"target": "1"}
    )
    with pytest.raises(AssessmentError, match="引用了不存在的数据元：NOPE"):
        actions.save_node(
            setup.hank, draft, NodeInput(**{**bad.__dict__, "binding": {"numerator": "#{NOPE}"}})
        )
    with pytest.raises(AssessmentError, match="引用的指标“NOPE”不存在"):
        actions.save_node(
            setup.hank, draft, NodeInput(**{**bad.__dict__, "binding": {"indicator": "NOPE"}})
        )
    assert not draft.nodes.filter(code="1.3").exists()


def test_weights_over_a_hundred_are_refused(setup):
    draft = actions.new_version(setup.hank, setup.scheme)
    actions.save_settings(
        setup.hank, draft, total="100", mode="weights",
        grades=[("优秀", "90"), ("合格", "60"), ("不合格", "0")], effective_from=dt.date(2026, 7, 1),
    )  # fmt: skip
    with pytest.raises(AssessmentError, match="第9项的权重 120% 超过 100%"):
        actions.save_node(setup.hank, draft, NodeInput("9", "x", "120", kind="dimension"))


def test_switching_to_weights_is_refused_while_a_points_value_is_over_a_hundred(setup):
    draft = actions.new_version(setup.hank, setup.scheme)
    actions.save_settings(
        setup.hank, draft, total="200", mode="points",
        grades=[("合格", "60"), ("不合格", "0")], effective_from=dt.date(2026, 7, 1),
    )  # fmt: skip
    actions.save_node(setup.hank, draft, NodeInput("3", "x", "150", kind="dimension"))
    with pytest.raises(AssessmentError, match="权重制下各项权重不能超过 100%（“3 x”为 150%）"):
        actions.save_settings(
            setup.hank, draft, total="100", mode="weights",
            grades=[("合格", "60"), ("不合格", "0")], effective_from=dt.date(2026, 7, 1),
        )  # fmt: skip
    draft.refresh_from_db()
    assert draft.mode == "points" and draft.total_points == D(200)


def test_a_manual_item_needs_an_office_and_an_item_needs_a_dimension(setup):
    draft = actions.new_version(setup.hank, setup.scheme)
    with pytest.raises(AssessmentError, match="为人工评分，请指定考核科室"):
        actions.save_node(
            setup.hank, draft, NodeInput("1.3", "病历质量", "5", parent="1", method="manual")
        )
    with pytest.raises(AssessmentError, match="第1.3项为考核细则，请指定所属维度"):
        actions.save_node(
            setup.hank,
            draft,
            NodeInput("1.3", "病历质量", "5", method="manual", office=setup.office),
        )
    with pytest.raises(AssessmentError, match="“1.1 出院人次占比”是考核细则，不能再分解"):
        actions.save_node(
            setup.hank,
            draft,
            NodeInput("1.1.1", "x", "5", parent="1.1", method="manual", office=setup.office),
        )


def test_a_method_the_source_cannot_feed_is_refused(setup):
    draft = actions.new_version(setup.hank, setup.scheme)
    with pytest.raises(AssessmentError, match="数据来源为“资料报送”，计分方法应为"):
        actions.save_node(
            setup.hank,
            draft,
            NodeInput(
                "1.3",
                "x",
                "5",
                parent="1",
                source=Source.EVIDENCE,
                method="ratio",
                params={"target": "1"},
            ),
        )


def test_grades_and_vetoes(setup):
    draft = actions.new_version(setup.hank, setup.scheme)
    with pytest.raises(AssessmentError, match="等次须按分数线从高到低排列"):
        actions.save_settings(
            setup.hank, draft, total="100", mode="points",
            grades=[("合格", "60"), ("优秀", "90"), ("不合格", "0")], effective_from=dt.date(2026, 7, 1),
        )  # fmt: skip
    with pytest.raises(AssessmentError, match="引用的考评表“NOPE”不存在"):
        actions.save_veto(
            setup.hank,
            draft,
            VetoInput(
                "V1",
                "消防检查不合格",
                "INSPECTION",
                "section_zero",
                {"template": "NOPE"},
                section="1",
            ),
        )
    with pytest.raises(AssessmentError, match="须指定被计0分的考核维度"):
        actions.save_veto(
            setup.hank, draft, VetoInput("V1", "x", "MANUAL", "section_zero", section="9")
        )
    rule = actions.save_veto(
        setup.hank, draft, VetoInput("V1", "发生重大医疗事故", "MANUAL", "pay_cut", share="0.5")
    )
    assert rule.share == D("0.5")
    assert rule.effect_label == "扣减绩效 50%"


def test_outsiders_cannot_write_schemes(setup):
    world = setup.world
    for user in (world.olivia, world.alice, world.rita, setup.ivan):
        with pytest.raises(AssessmentError, match="只有人民医院的管理员可以"):
            actions.new_version(user, setup.scheme)
        with pytest.raises(AssessmentError):
            actions.create_scheme(
                user,
                SchemeInput(
                    "X",
                    "x",
                    world.hospital,
                    2026,
                    "科室",
                    Cadence.MONTHLY,
                    institution=world.hospital,
                ),
            )
    assert Scheme.objects.count() == 1 and SchemeVersion.objects.count() == 1


def test_a_scheme_may_only_cover_units_below_its_owner(setup):
    with pytest.raises(AssessmentError, match="城关卫生院不在人民医院的管理范围内"):
        actions.create_scheme(
            setup.hank,
            SchemeInput(
                "X",
                "x",
                setup.world.hospital,
                2026,
                "科室",
                Cadence.MONTHLY,
                units=[setup.world.township],
            ),
        )


def test_a_double_submitted_scheme_is_created_once(setup):
    data = SchemeInput(
        "DUP",
        "x",
        setup.world.hospital,
        2026,
        "科室",
        Cadence.MONTHLY,
        institution=setup.world.hospital,
    )
    actions.create_scheme(setup.hank, data)
    with pytest.raises(AssessmentError, match="方案编码“DUP”已被使用"):
        actions.create_scheme(setup.hank, data)
    assert Scheme.objects.filter(code="DUP").count() == 1


def test_peer_groups_hold_each_unit_once(setup):
    world = setup.world
    actions.save_peer_group(setup.hank, setup.scheme, "内科系统", units=[world.medicine])
    with pytest.raises(AssessmentError, match="内科已在排名分组“内科系统”中"):
        actions.save_peer_group(
            setup.hank, setup.scheme, "其他", units=[world.medicine, world.surgery]
        )
    with pytest.raises(AssessmentError, match="城关卫生院不在本方案的考核单位之中"):
        actions.save_peer_group(setup.hank, setup.scheme, "外", units=[world.township])


def test_offices_belong_to_their_owner(setup):
    bureau_office = actions.save_office(setup.world.admin, setup.world.bureau, "医政科")
    draft = actions.new_version(setup.hank, setup.scheme)
    with pytest.raises(AssessmentError, match="考核科室“医政科”不属于人民医院"):
        actions.save_node(
            setup.hank,
            draft,
            NodeInput("1.3", "x", "5", parent="1", method="manual", office=bureau_office),
        )
    with pytest.raises(AssessmentError, match="考核科室“院感科”已存在"):
        actions.save_office(setup.hank, setup.world.hospital, "院感科")


# -- .xlsx ---------------------------------------------------------------------------------------------


def test_xlsx_round_trip_makes_an_identical_draft(setup):
    data = excel.export_xlsx(setup.version)
    draft = excel.import_xlsx(setup.hank, setup.scheme, data)
    assert draft.number == 2
    assert actions.snapshot(draft) == actions.snapshot(setup.version)
    assert actions.problems(draft) == []
    published = actions.publish(setup.hank, draft)
    assert published.diff == []


def test_xlsx_with_a_bad_row_imports_nothing(setup):
    book = load_workbook(io.BytesIO(excel.export_xlsx(setup.version)))
    sheet = book["考评表"]
    for row in sheet.iter_rows(min_row=3):
        if row[1].value == "2.1":
            row[8].value = '{"numerator": "#{OPD} * (2"}'
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(AssessmentError, match="第7行：第2.1项“门急诊人次”的分子表达式有误"):
        excel.import_xlsx(setup.hank, setup.scheme, out.getvalue())
    assert setup.scheme.versions.count() == 1  # no draft was left behind


def test_xlsx_text_never_becomes_a_formula(setup):
    draft = actions.new_version(setup.hank, setup.scheme)
    node = draft.nodes.get(code="1.2")
    node.standard = '=HYPERLINK("http://x","点我")'
    node.save()
    book = load_workbook(io.BytesIO(excel.export_xlsx(draft)))
    cells = [
        c
        for row in book["考评表"].iter_rows()
        for c in row
        if c.value and "HYPERLINK" in str(c.value)
    ]
    assert cells and all(c.data_type == "s" for c in cells)


def test_not_an_xlsx(setup):
    with pytest.raises(AssessmentError, match="不是有效的 Excel（.xlsx）文件"):
        excel.import_xlsx(setup.hank, setup.scheme, b"not a workbook")
    assert setup.scheme.versions.count() == 1


def test_crafted_workbooks_are_refused_or_cost_their_real_cells(setup):
    from tests import crafted

    data = excel.export_xlsx(setup.version)
    # a zip bomb: refused before anything is unpacked, nothing imported
    with pytest.raises(AssessmentError, match="压缩炸弹"):
        excel.import_xlsx(
            setup.hank, setup.scheme, crafted.with_bomb(data, "xl/worksheets/sheet1.xml")
        )
    # a formula (with a cached result) in the 分值 column of the first item: refused by cell
    book = load_workbook(io.BytesIO(data))
    column = next(c.column_letter for c in book["考评表"][2] if c.value == "分值")
    with pytest.raises(AssessmentError, match=f"工作表“考评表”的单元格 {column}4"):
        excel.import_xlsx(
            setup.hank, setup.scheme, crafted.with_cached_formula(data, f"{column}4", "1+1", "2")
        )
    assert setup.scheme.versions.count() == 1
    # one far-away cell (XFD1048576) costs one cell: the sheet still imports as it was
    far = crafted.with_far_cell(data, sheet="xl/worksheets/sheet1.xml")
    page, peak_mb = crafted.peak_memory(lambda: excel.import_xlsx(setup.hank, setup.scheme, far))
    assert actions.snapshot(page) == actions.snapshot(setup.version)
    assert peak_mb < 30


def test_dimension_and_item_counts(setup):
    nodes = Node.objects.filter(version=setup.version)
    assert sorted(n.code for n in nodes if n.method) == ["1.1", "1.2", "2.1", "B.1"]


def test_another_scheme_for_the_same_units(setup):
    scheme = build_scheme(setup.world, setup.hank, setup.office, code="HOSP_DEPT2", publish=False)
    assert actions.problems(scheme.versions.get()) == []
