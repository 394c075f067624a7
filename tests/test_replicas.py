"""Analytics reads from real PostgreSQL streaming replicas (weijian/replicas.py).

Run under scripts/with-replica-postgres (a primary, a synchronous replica, an asynchronous
one, and the address of one that is not running), e.g. `make test-replicas`; skipped
elsewhere. Units (tests/world.py): 人民医院 HOS > 内科 MED, 外科 SUR.
"""

import logging
import os

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connections
from django.http import HttpResponse
from django.test import RequestFactory

from weijian import replicas
from weijian.indicators.analytics import analyse
from weijian.periods import Period
from weijian.reporting import actions

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("WEIJIAN_REPLICA_TESTS"),
        reason="needs scripts/with-replica-postgres (a real primary and streaming replicas)",
    ),
    pytest.mark.django_db(transaction=True, databases="__all__"),
]

JAN = Period.parse("202601")


def save_discharges(world, medicine: str, surgery: str) -> None:
    actions.save_values(
        world.alice, world.form, world.medicine, "202601", {("DIS", "default"): medicine}
    )
    actions.save_values(
        world.bob, world.form, world.surgery, "202601", {("DIS", "default"): surgery}
    )


def queries_on(alias: str, function):
    seen = []

    def count(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connections[alias].execute_wrapper(count):
        result = function()
    return result, seen


def test_analytics_reads_come_from_the_synchronous_replica(world, settings):
    settings.READ_REPLICAS = ["replica1"]
    replicas.forget_health()
    save_discharges(world, "40", "60")
    result, seen = queries_on("replica1", lambda: analyse(["DIS"], [JAN], [world.hospital]))
    assert result.value("DIS", "202601", "HOS") == 100  # 40 + 60, read on the replica
    assert any("reporting_valuerollup" in sql for sql in seen)
    with connections["replica1"].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone() == (True,)


def test_a_lagging_replica_is_skipped_and_the_log_says_so(world, settings, caplog):
    settings.READ_REPLICAS = ["replica2"]
    save_discharges(world, "40", "60")
    with connections["replica2"].cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
    try:
        save_discharges(world, "45", "60")  # on the primary only: replica2 replays nothing
        replicas.forget_health()
        with caplog.at_level(logging.WARNING, logger="weijian.replicas"):
            result, seen = queries_on("replica2", lambda: analyse(["DIS"], [JAN], [world.hospital]))
    finally:
        with connections["replica2"].cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_resume()")
    assert result.value("DIS", "202601", "HOS") == 105  # the new 45 + 60: the primary's
    assert not any("reporting_valuerollup" in sql for sql in seen)
    assert "replica replica2 not used, reading from the primary: replay paused" in caplog.text


def test_a_replica_that_is_down_is_skipped_and_the_log_says_so(world, settings, caplog):
    settings.READ_REPLICAS = ["replica3"]  # its server is not running
    replicas.forget_health()
    save_discharges(world, "40", "60")
    with caplog.at_level(logging.WARNING, logger="weijian.replicas"):
        result = analyse(["DIS"], [JAN], [world.hospital])
    assert result.value("DIS", "202601", "HOS") == 100
    assert "replica replica3 not used, reading from the primary: unreachable" in caplog.text


def test_a_writer_reads_from_the_primary_for_a_while_after_writing(world, settings):
    settings.READ_REPLICAS = ["replica1"]
    replicas.forget_health()

    def view(request):
        with replicas.analytics_reads() as alias:
            return HttpResponse(alias)

    middleware = replicas.ReadYourWritesMiddleware(view)
    factory = RequestFactory()

    def call(method, user, cookies=None):
        request = getattr(factory, method)("/pivot/")
        request.user = user
        request.COOKIES.update(cookies or {})
        return middleware(request)

    assert call("get", world.alice).content == b"replica1"
    wrote = call("post", world.alice)  # a save
    assert replicas.COOKIE in wrote.cookies
    cookies = {replicas.COOKIE: wrote.cookies[replicas.COOKIE].value}
    assert call("get", world.alice, cookies).content == b"default"  # her own writes
    assert call("get", world.bob).content == b"replica1"  # others read the replica
    assert replicas.COOKIE not in call("post", AnonymousUser()).cookies


def test_a_block_that_writes_reads_from_the_primary_afterwards(world, settings):
    settings.READ_REPLICAS = ["replica1"]
    replicas.forget_health()
    with replicas.analytics_reads() as alias:
        assert alias == "replica1" and replicas.read_alias() == "replica1"
        save_discharges(world, "1", "2")
        assert replicas.read_alias() == "default"
