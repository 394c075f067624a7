"""The readable diff between two versions (Django-free): parameters, bindings and veto
conditions named key by key in Chinese, never as JSON an office would have to decode."""

from weijian.assessment.diffing import diff

NODE = {"name": "手卫生依从率", "points": "4", "section": "normal", "method": "ratio",
        "params": {"target": "90", "direction": "higher"}, "source": "INDICATOR",
        "binding": {"indicator": "HAI_HAND_HYGIENE"}, "on_missing": "zero",
        "on_zero_denominator": "exclude", "office": "", "parent": "2"}  # fmt: skip
VETO = {"name": "患者满意度过低", "trigger": "SURVEY", "condition": {"kind": "INPAT", "floor": 90},
        "effect": "grade_cap", "section": "", "grade": "合格", "share": "0"}  # fmt: skip


def snapshot(node=NODE, veto=VETO):
    return {"total": "100", "mode": "points", "grades": [], "nodes": {"2.3": node},
            "vetoes": {"V1": veto}}  # fmt: skip


def test_parameters_bindings_and_conditions_are_named_key_by_key():
    node = {**NODE, "params": {"target": "95", "direction": "lower", "floor": "50"},
            "binding": {"indicator": "HAI_HAND_HYGIENE", "target_from_library": True}}  # fmt: skip
    veto = {**VETO, "condition": {"kind": "INPAT", "floor": 85}}
    assert diff(snapshot(), snapshot(node, veto)) == [
        "2.3“手卫生依从率” 计分参数：方向 越高越好 → 越低越好，下限 （空） → 50，目标值 90 → 95",
        "2.3“手卫生依从率” 数据绑定：采用指标库目标 （空） → 是",
        "否决事项“患者满意度过低” 触发条件：下限 90 → 85",
    ]


def test_equal_numbers_spelt_differently_are_no_change():
    node = {**NODE, "points": "4.00", "params": {"target": 90, "direction": "higher"}}
    assert diff(snapshot(), snapshot(node)) == []
