"""The national calendar of health days a whole coming year names (a plan, a year's 工作打算),
by the kinds of unit whose topics they are (health_days.yaml, with its sources)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from importlib import resources

import yaml

from weijian.orgs.models import OrgUnitType

from . import narrative as n
from .narrative import Quantity, Text

# The national calendar of health days by kind of unit (health_days.yaml, with its sources).
CALENDAR = yaml.safe_load(
    (resources.files("weijian.documents") / "health_days.yaml").read_text("utf-8")
)
HEALTH_DAYS = CALENDAR["days"]
# which days a kind of unit marks (the bureau organises them all; a department none of its own)
DAY_KINDS = {
    OrgUnitType.HOSPITAL: "hospital",
    OrgUnitType.TCM_HOSPITAL: "hospital",
    OrgUnitType.MCH: "mch",
    OrgUnitType.TOWNSHIP: "primary",
    OrgUnitType.COMMUNITY: "primary",
    OrgUnitType.CDC: "cdc",
}
# how many days a plan names before counting the rest ("结合A、B等17个健康主题日…")
NAMED_DAYS = 2
# a count of up to this many names them all (the checker's count-list: "等7个" naming two is a
# list cut short)
NAME_ALL_UP_TO = 8


def unit_health_days(unit_type: str) -> list[dict]:
    """The calendar's days a kind of unit marks: all for the bureau, none for a department."""
    if unit_type == OrgUnitType.BUREAU:
        return list(HEALTH_DAYS)
    kind = DAY_KINDS.get(unit_type)
    return [d for d in HEALTH_DAYS if kind in d["for"]] if kind else []


def year_health_days(unit_type: str, codes: Iterable[str] = ()) -> Text:
    """A whole coming year's health days as one plan sentence that counts them (read
    2026-12-08: a calendar of 22 days by quarter is no plan item): "结合全国高血压日、联合国糖尿病
    日等17个健康主题日，精心组织开展主题宣传和健康教育活动。" The days named are those whose topic
    the unit's own figures (`codes`: its targets and problems) carry, else those of
    `named_first`; () for a unit that marks none of its own (a department)."""
    days = unit_health_days(unit_type)
    if not days:
        return ()
    codes = [c for c in codes if c]
    own = [d for d in days if d.get("topic") and any(c.startswith(d["topic"]) for c in codes)]
    first = [d for name in CALENDAR["named_first"] for d in days if d["name"] == name]
    named = list({d["name"]: d for d in [*own, *first, *days]}.values())
    named = named if len(days) <= NAME_ALL_UP_TO else named[:NAMED_DAYS]
    names = "、".join(d["name"] for d in named)
    if len(days) <= len(named):
        return (f"结合{names}，精心组织开展主题宣传和健康教育活动。",)
    source = {"source": "健康主题日", "query": f"health_days.yaml 适用于{unit_type}的主题日个数"}
    count = n.fmt(Quantity(Decimal(len(days)), "个", source))
    return (f"结合{names}等", count, "健康主题日，精心组织开展主题宣传和健康教育活动。")
