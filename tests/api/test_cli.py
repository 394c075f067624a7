"""The command-line twins of the API give the API's answers and refusals."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from weijian.reporting.models import DataValue


def run(*args, **kwargs) -> str:
    out = StringIO()
    call_command(*args, stdout=out, **kwargs)
    return out.getvalue()


@pytest.fixture
def visits(world):
    from weijian.reporting import actions

    full = {("OPD", "MALE"): "120", ("OPD", "FEMALE"): "130", ("DIS", "default"): "40"}
    actions.save_values(world.alice, world.form, world.medicine, "202601", full)
    actions.save_values(world.bob, world.form, world.surgery, "202601", {("DIS", "default"): "60"})
    return world


def test_analytics_json_is_the_apis_answer(client, visits):
    from tests.api.conftest import basic_auth

    text = run("analytics", dx="DIS;OPD", pe="202601", ou="HOS", json=True, user="admin")
    api = client.get(
        "/api/analytics?dimension=dx:DIS;OPD&dimension=pe:202601&dimension=ou:HOS&outputIdScheme=CODE",
        **basic_auth("admin"),
    ).json()
    assert json.loads(text)["rows"] == api["rows"]
    # 出院人次 内科 40 + 外科 60 = 100; 门急诊人次 120 + 130 = 250
    assert sorted(api["rows"]) == [["DIS", "202601", "HOS", "100"], ["OPD", "202601", "HOS", "250"]]


def test_analytics_table_and_scope(visits):
    text = run("analytics", dx="DIS", pe="202601", ou="HOS", user="admin")
    assert "出院人次\t2026年1月\t人民医院\t100" in text
    with pytest.raises(CommandError, match="权限|范围"):
        run("analytics", dx="DIS", pe="202601", ou="HOS", user="olivia")
    with pytest.raises(CommandError, match="找不到用户“nobody”"):
        run("analytics", dx="DIS", pe="202601", ou="HOS", user="nobody")


def test_import_values_from_a_json_file_with_codes(tmp_path, world):
    payload = {
        "dataValues": [
            {"dataElement": "DIS", "period": "202601", "orgUnit": "MED", "value": "41"},
            {"dataElement": "DIS", "period": "202601", "orgUnit": "TWN", "value": "-1"},
        ]
    }
    path = tmp_path / "values.json"
    path.write_text(json.dumps(payload), encoding="utf-8")
    report = json.loads(run("import", "values", str(path), id_scheme="CODE", user="admin"))
    assert report["importCount"]["imported"] == 1
    assert len(report["conflicts"]) == 1
    assert "不能为负数" in json.dumps(report["conflicts"], ensure_ascii=False)
    assert list(DataValue.objects.values_list("value", flat=True)) == ["41"]


def test_import_refuses_a_missing_or_broken_file(tmp_path, world):
    with pytest.raises(CommandError, match="找不到文件"):
        run("import", "values", str(tmp_path / "none.json"))
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="不是有效的 JSON"):
        run("import", "metadata", str(bad), user="admin")


def test_analytics_verify_names_a_wrong_rollup_and_rebuild_repairs_it(visits):
    from weijian.reporting.models import ValueRollup

    assert "汇总表与数据值一致，无差异" in run("analytics", "verify")
    # A rollup cell gone wrong: 人民医院's 出院人次 in January says 99 instead of 40 + 60.
    ValueRollup.objects.filter(
        element_id=visits.discharges.pk, unit_id=visits.hospital.pk, period_id="202601"
    ).update(micros=99_000_000)
    out = StringIO()
    with pytest.raises(CommandError, match="有 1 处不一致.*weijian analytics rebuild"):
        call_command("analytics", "verify", stdout=out)
    assert (
        "DIS.default · HOS · 202601：汇总表为 合计 99，计数 2，按数据值应为 合计 100，计数 2"
        in (out.getvalue())
    )
    assert "已按数据值重建汇总表" in run("analytics", "rebuild")
    assert "无差异" in run("analytics", "verify")


def test_analytics_without_a_request_or_an_action_says_what_is_missing(visits):
    with pytest.raises(
        CommandError, match="请给出 --pe、--ou（或 verify、rebuild、compact、partitions 之一）"
    ):
        run("analytics", dx="DIS", user="admin")


def test_analytics_compact_loop_compacts_every_interval_until_stopped(visits, monkeypatch):
    from weijian.api.management.commands import analytics as command
    from weijian.reporting.models import ValueRollup

    # 外科's 出院人次 deleted: 外科's own rollup row keeps n 0 until a compaction drops it
    # (人民医院's and the bureau's rows keep 内科's 40).
    DataValue.objects.filter(org_unit=visits.surgery).delete()
    emptied = ValueRollup.objects.filter(unit_id=visits.surgery.pk, n=0)
    assert emptied.count() == 1
    slept: list[float] = []

    def sleep(seconds):
        slept.append(seconds)
        if len(slept) == 2:
            raise KeyboardInterrupt  # Ctrl-C during the second wait

    monkeypatch.setattr(command.time, "sleep", sleep)
    out = run("analytics", "compact", loop=300)
    assert slept == [300, 300]
    assert out.count("已合并汇总表") == 2 and out.endswith("已停止定时合并\n")
    assert not emptied.exists()
    assert "无差异" in run("analytics", "verify")


def test_analytics_loop_needs_compact_and_a_positive_interval(visits):
    with pytest.raises(CommandError, match="--loop 只能与 compact 同用"):
        run("analytics", "verify", loop=300)
    with pytest.raises(CommandError, match="--loop 的间隔须为正数"):
        run("analytics", "compact", loop=0)
