"""The national calendar of health days a whole coming year names (a plan, a year's 工作打算),
by the kinds of unit whose topics they are (health_days.yaml, with its sources)."""

from __future__ import annotations

from importlib import resources

import yaml

from weijian.orgs.models import OrgUnitType

# The national calendar of health days by kind of unit (health_days.yaml, with its sources).
HEALTH_DAYS = yaml.safe_load(
    (resources.files("weijian.documents") / "health_days.yaml").read_text("utf-8")
)["days"]
# which days a kind of unit marks (the bureau organises them all; a department none of its own)
DAY_KINDS = {
    OrgUnitType.HOSPITAL: "hospital",
    OrgUnitType.TCM_HOSPITAL: "hospital",
    OrgUnitType.MCH: "mch",
    OrgUnitType.TOWNSHIP: "primary",
    OrgUnitType.COMMUNITY: "primary",
    OrgUnitType.CDC: "cdc",
}
QUARTERS = ("一季度", "二季度", "三季度", "四季度")


def year_health_days(unit_type: str) -> str:
    """A whole coming year's health days for a kind of unit, by quarter (read 2026-12-07 20:35:
    "the plan's list of health days stops at May"): "结合全年健康主题日精心组织开展主题宣传和
    健康教育活动，一季度围绕全国爱耳日、世界防治结核病日，二季度围绕…，四季度围绕…。" "" for a
    unit that marks none of its own (a department)."""
    kind = DAY_KINDS.get(unit_type)
    if unit_type == OrgUnitType.BUREAU:
        days = HEALTH_DAYS
    elif kind is None:
        return ""
    else:
        days = [d for d in HEALTH_DAYS if kind in d["for"]]
    by_quarter: dict[int, list[str]] = {}
    for day in days:
        by_quarter.setdefault((day["month"] - 1) // 3, []).append(day["name"])
    said = [f"{QUARTERS[q]}围绕{'、'.join(names)}" for q, names in sorted(by_quarter.items())]
    if not said:
        return ""
    return f"结合全年健康主题日精心组织开展主题宣传和健康教育活动，{'，'.join(said)}。"
