"""Loading the built-in ledger types, their system data elements, the two ledger indicators and
the health-day calendar (`weijian ledger load`, the demo, tests). Idempotent: upserts by code."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from django.db import transaction

from weijian.indicators.models import Direction, Indicator, IndicatorType
from weijian.reporting.actions import SystemElement, ensure_system_elements

from .models import ActivityType, Campaign
from .schema import FieldSpec, FigureSpec, check_fields

DATA = Path(__file__).parent / "data" / "types.yaml"


@dataclass(frozen=True)
class LoadSummary:
    types: int
    elements: int
    indicators: int
    campaigns: int


@cache
def read_data() -> dict:
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    for entry in data["types"]:
        problems = check_fields([FieldSpec.from_json(f) for f in entry["fields"]])
        if problems:
            raise ValueError(f"{DATA.name} {entry['code']}: {'；'.join(problems)}")
    return data


def system_elements(figures: list[FigureSpec]) -> list[SystemElement]:
    return [
        SystemElement(f.code, f.name, unit=f.unit, description="由工作台账记录自动统计")
        for f in figures
    ]


@transaction.atomic
def load_builtin() -> LoadSummary:
    data = read_data()
    types = {}
    figures: list[FigureSpec] = []
    for order, entry in enumerate(data["types"], 1):
        specs = [FigureSpec.from_json(f) for f in entry["figures"]]
        figures += specs
        fields = [FieldSpec.from_json(f).as_json() for f in entry["fields"]]
        types[entry["code"]], _ = ActivityType.objects.update_or_create(
            code=entry["code"],
            defaults={
                "name": entry["name"],
                "description": entry.get("description", ""),
                "fields": fields,
                "figures": [s.as_json() for s in specs],
                "checks": entry.get("checks", []),
                "builtin": True,
                "sort_order": order,
            },
        )
    elements = ensure_system_elements(system_elements(figures))
    for entry in data["indicators"]:
        Indicator.objects.update_or_create(
            code=entry["code"],
            defaults={
                "name": entry["name"],
                "short_name": entry["name"],
                "group": "工作台账",
                "numerator": entry["numerator"],
                "numerator_description": entry["numerator_description"],
                "denominator": entry["denominator"],
                "denominator_description": entry["denominator_description"],
                "type": IndicatorType.PERCENT,
                "decimals": 1,
                "unit": "%",
                "direction": Direction(entry["direction"]),
                "data_source": "工作台账",
                "definition": entry["definition"],
                "citation": "本系统工作台账记录统计",
                "verification": "adapted",
                "note": "分子、分母由工作台账记录按单位、按月自动统计。",
            },
        )
    for entry in data["campaigns"]:
        Campaign.objects.update_or_create(
            code=entry["code"],
            defaults={
                "name": entry["name"],
                "frequency": entry["frequency"],
                "month": entry.get("month"),
                "day": entry.get("day"),
                "activity_type": types[entry["type"]],
                "keyword": entry.get("keyword", ""),
                "org_unit": None,
            },
        )
    return LoadSummary(len(types), len(elements), len(data["indicators"]), len(data["campaigns"]))
