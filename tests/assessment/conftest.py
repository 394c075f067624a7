"""The assessment tests' small world: the hospital (HOS) assesses its two departments (MED,
SUR) monthly on a four-item scheme; hank manages the hospital, ivan scores for 院感科.

    scheme HOSP_DEPT (人民医院科室月度考核, 100 分)
      1 医疗质量 60
        1.1 出院人次占比 20   INDICATOR DIS ÷ OPD × 100, linear 门槛 0 → 目标 10%
        1.2 院感管理 40       MANUAL by 院感科
      2 工作量 40
        2.1 门急诊人次 40     INDICATOR #{OPD}, bands ≥100 → 40, [50, 100) → 20, < 50 → 0
      B 加分项 5
        B.1 获得表彰 5        MANUAL by 院感科
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from tests.world import make_user
from weijian.assessment.actions import schemes as scheme_actions
from weijian.assessment.actions.schemes import NodeInput, SchemeInput
from weijian.assessment.models import Cadence, FigureCodes, Scheme, Source
from weijian.indicators.models import Indicator
from weijian.orgs.models import Role


@dataclass
class Setup:
    world: object
    hank: object
    ivan: object
    office: object
    scheme: Scheme

    @property
    def version(self):
        return self.scheme.versions.order_by("-number").first()


def build_scheme(world, hank, office, *, code="HOSP_DEPT", publish=True) -> Scheme:
    scheme = scheme_actions.create_scheme(
        hank,
        SchemeInput(
            code=code,
            name="人民医院科室月度考核方案",
            owner=world.hospital,
            year=2026,
            population="临床科室",
            cadence=Cadence.MONTHLY,
            doc_number="人医发〔2026〕3号",
            institution=world.hospital,
            figure_codes=FigureCodes.DEPARTMENT,
        ),
    )
    version = scheme.versions.get()
    add = scheme_actions.save_node
    add(hank, version, NodeInput("1", "医疗质量", "60", kind="dimension"))
    add(
        hank,
        version,
        NodeInput(
            "1.1", "出院人次占比", "20", parent="1", source=Source.INDICATOR,
            binding={"indicator": "DIS_SHARE"}, method="linear",
            params={"threshold": "0", "target": "10"},
        ),
    )  # fmt: skip
    add(
        hank,
        version,
        NodeInput(
            "1.2",
            "院感管理",
            "40",
            parent="1",
            source=Source.MANUAL,
            method="manual",
            office=office,
        ),
    )
    add(hank, version, NodeInput("2", "工作量", "40", kind="dimension"))
    add(
        hank,
        version,
        NodeInput(
            "2.1", "门急诊人次", "40", parent="2", source=Source.INDICATOR,
            binding={"numerator": "#{OPD}", "name": "门急诊人次", "unit": "人次"}, method="bands",
            params={"bands": [[100, None, 40], [50, 100, 20], [None, 50, 0]]},
        ),
    )  # fmt: skip
    add(hank, version, NodeInput("B", "加分项", "5", kind="dimension", section="bonus"))
    add(
        hank,
        version,
        NodeInput(
            "B.1", "获得表彰", "5", parent="B", source=Source.MANUAL, method="manual", office=office
        ),
    )
    if publish:
        scheme_actions.publish(hank, version)
    return scheme


@pytest.fixture
def setup(world):
    Indicator.objects.create(
        code="DIS_SHARE", name="出院人次占门急诊比例", numerator="#{DIS}", denominator="#{OPD}",
        type="PERCENT", unit="%", direction="HIGHER_BETTER",
        numerator_description="出院人次", denominator_description="门急诊人次",
    )  # fmt: skip
    hank = make_user("hank", Role.INSTITUTION_ADMIN, world.hospital)
    ivan = make_user("ivan", Role.INSPECTOR, world.hospital)
    office = scheme_actions.save_office(hank, world.hospital, "院感科", [ivan])
    scheme = build_scheme(world, hank, office)
    return Setup(world, hank, ivan, office, scheme)


def month(text: str) -> dt.date:
    return dt.date.fromisoformat(text)
