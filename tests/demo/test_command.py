import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from weijian.demo.management.commands import demo as demo_command
from weijian.orgs.models import OrgUnit
from weijian.reporting.models import DataElement, DataValue, Submission


def run(*args) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def test_loads_and_prints_the_logins(db):
    output = run("--no-serve", "--months", "2")
    assert OrgUnit.objects.filter(code="DEMO").exists()
    assert "演示数据已载入" in output
    for expected in (
        "admin",
        "neike",
        "qingshan",
        "demo12345",
        "科室填报员",
        "内科",
        "青山镇中心卫生院",
    ):
        assert expected in output


def test_a_second_load_is_refused_in_chinese_and_changes_nothing(db):
    run("--no-serve", "--months", "2")
    before = (
        DataValue.objects.count(),
        Submission.objects.count(),
        User.objects.count(),
        OrgUnit.objects.count(),
    )
    with pytest.raises(CommandError) as refused:
        run("--no-serve", "--months", "2")
    assert "演示数据已经载入" in str(refused.value) and "--reset" in str(refused.value)
    after = (
        DataValue.objects.count(),
        Submission.objects.count(),
        User.objects.count(),
        OrgUnit.objects.count(),
    )
    assert after == before


def test_reset_starts_afresh(db, clean_caches):
    run("--no-serve", "--months", "3")
    three_months = DataValue.objects.count()
    User.objects.create_user("someone")
    output = run("--no-serve", "--reset", "--months", "1")
    assert "演示数据已载入" in output
    assert 0 < DataValue.objects.count() < three_months
    assert not User.objects.filter(username="someone").exists()
    assert OrgUnit.objects.filter(code="DEMO").count() == 1


def test_refuses_when_catalogue_codes_are_taken(db):
    DataElement.objects.create(code="OPD_VISITS", name="别人的门诊人次")
    with pytest.raises(CommandError) as refused:
        run("--no-serve", "--months", "1")
    assert "OPD_VISITS" in str(refused.value)
    assert not OrgUnit.objects.exists()


def test_serves_after_loading_on_the_given_port(db, monkeypatch):
    calls = []
    monkeypatch.setattr(demo_command, "call_command", lambda *a, **kw: calls.append((a, kw)))
    run("--months", "1", "--port", "8123")
    assert calls == [(("serve",), {"port": 8123, "ephemeral_key": True})]


def test_port_defaults_to_the_environment(db, monkeypatch):
    calls = []
    monkeypatch.setattr(demo_command, "call_command", lambda *a, **kw: calls.append((a, kw)))
    monkeypatch.setenv("PORT", "8765")
    run("--months", "1")
    assert calls == [(("serve",), {"port": 8765, "ephemeral_key": True})]


def test_refuses_when_a_unit_code_is_taken(db):
    OrgUnit.objects.add_root(dict(code="RMYY", name="别处的人民医院", type="HOSPITAL"))
    with pytest.raises(CommandError) as refused:
        run("--no-serve", "--months", "1")
    assert "RMYY" in str(refused.value)
    assert OrgUnit.objects.count() == 1


def test_an_unmigrated_database_gets_a_chinese_message_not_a_traceback(tmp_path):
    # A fresh WEIJIAN_VAR_DIR holds no database yet: `weijian demo --reset` used to end in
    # "no such table: reporting_datavalue" from the flush (found regenerating the examples).
    env = {k: v for k, v in os.environ.items() if k != "WEIJIAN_DATABASE_URL"}
    env["WEIJIAN_VAR_DIR"] = str(tmp_path)
    weijian = Path(sys.executable).with_name("weijian")
    done = subprocess.run(
        [str(weijian), "demo", "--reset", "--no-serve"], env=env, capture_output=True, text=True
    )
    assert done.returncode != 0
    assert "数据库尚未建表：请先运行 weijian migrate" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


@pytest.mark.django_db(transaction=True)
def test_the_partitions_are_committed_before_the_load_begins(monkeypatch):
    # PostgreSQL: creating a partition locks reporting_datavalue until its transaction
    # commits; created inside the load's transaction, every clerk's save waited for the whole
    # load (bench/rush.py phase 1). Another connection must see them when the load starts.
    from django.db import connection, connections

    from weijian.demo.load import DemoError
    from weijian.reporting import partitions

    if not partitions.is_partitioned():
        pytest.skip("PostgreSQL's year partitions only")
    before = set(partitions.partitions())
    seen = {}

    def load_demo(months, stdout):
        # 120 months back from today: the oldest year is today's year - 10 (or - 9 in December)
        other = connections.create_connection("default")
        try:
            with other.cursor() as cursor:
                cursor.execute(
                    "SELECT relname FROM pg_class WHERE relname LIKE 'reporting_datavalue_y%%'"
                )
                seen["partitions"] = {name for (name,) in cursor.fetchall()}
        finally:
            other.close()
        raise DemoError("停止（测试）")

    monkeypatch.setattr(demo_command, "load_demo", load_demo)
    try:
        with pytest.raises(CommandError, match="停止"):
            run("--no-serve", "--months", "120")
        from django.utils import timezone

        year = timezone.localdate().year
        oldest = {partitions.partition_name(y) for y in (year - 10, year - 9)}
        assert oldest & seen["partitions"], seen
    finally:
        with connection.cursor() as cursor:
            for name in set(partitions.partitions()) - before:
                cursor.execute(f"DROP TABLE {name}")
