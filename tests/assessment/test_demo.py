"""The demo's assessments (loaded with a short history, as the demo tests do): the hospital's
monthly department scheme locked with one veto and its pool split and posted, a month in 初评,
the bureau's annual scheme through 公示 with one appeal upheld, the 公卫 money advanced and
settled with a clawback — every amount adding up."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.contrib.auth.models import User

from weijian.assessment.actions import runs
from weijian.assessment.models import (
    Appeal,
    AppealStatus,
    HitStatus,
    Pool,
    PoolStatus,
    Run,
    Scheme,
    StaffDistribution,
    Stage,
    VetoHit,
)
from weijian.demo.load import load_demo


@pytest.fixture
def demo(db):
    """Six months up to August 2026: March to May are locked, so two reviewed months."""
    return load_demo(today=dt.date(2026, 9, 15), months=6)


def test_the_demo_assessments(demo, django_assert_max_num_queries):
    check_schemes_veto_and_appeal()
    check_money_adds_up()
    check_a_month_waits_for_the_infection_office()
    # 21 departments × 29 items in about as many queries as the two-department world's (≤ 40;
    # here also the manager's scope, a fresh user, and the writes of what changed)
    run = Run.objects.get(scheme__code="RMYY_KSKH", stage=Stage.INITIAL)
    manager = User.objects.get(username="yiyuan")
    with django_assert_max_num_queries(45):
        runs.recompute(manager, run)
    # recomputing unchanged data changes nothing, not even a stored figure's digits
    again = runs.recompute(manager, run)
    assert again.changes == []


def check_schemes_veto_and_appeal():
    hospital = Scheme.objects.get(code="RMYY_KSKH")
    assert hospital.versions.filter(status="PUBLISHED").count() == 1
    assert hospital.draft() is not None  # version 2, to try with what-if
    assert hospital.versions.get(number=1).nodes.exclude(method="").count() == 29
    locked = hospital.runs.get(stage=Stage.FINAL)
    assert locked.results.count() == 21  # the open departments
    hit = VetoHit.objects.get(run=locked, status=HitStatus.APPROVED)
    assert hit.org_unit.code == "RMYY_KQK"
    assert locked.results.get(org_unit__code="RMYY_KQK").grade == "不合格"
    bureau = Scheme.objects.get(code__startswith="DEMO_JGKH_")
    run = bureau.runs.get()
    assert run.stage == Stage.FINAL
    assert {r.peer_group for r in run.results.all()} == {"二级医院", "基层医疗卫生机构"}
    appeal = Appeal.objects.get(run=run)
    assert appeal.status == AppealStatus.UPHELD and appeal.new_score == appeal.old_score + 1


def check_money_adds_up():
    for pool in Pool.objects.all():
        shares = list(pool.shares.all())
        assert sum((s.amount for s in shares), D(0)) + pool.returned == pool.amount
    hospital = Pool.objects.get(kind="INCENTIVE")
    assert hospital.status == PoolStatus.POSTED
    distribution = StaffDistribution.objects.get()
    assert sum(line.amount for line in distribution.lines.all()) == distribution.share.amount
    public_health = Pool.objects.get(kind="PUBLIC_HEALTH")
    shares = list(public_health.shares.exclude(balance=None))
    assert sum(s.balance for s in shares) == public_health.amount - public_health.advanced_total


def check_a_month_waits_for_the_infection_office():
    waiting = Run.objects.get(scheme__code="RMYY_KSKH", stage=Stage.INITIAL)
    pending = waiting.items.filter(status="pending")
    assert pending.exists()
    assert set(pending.values_list("node__office__name", flat=True)) == {"院感科"}
