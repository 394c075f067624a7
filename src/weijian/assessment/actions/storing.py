"""Storing a computation: the evaluation's item and unit results written over the stored ones
(new rows created, changed rows updated with one executemany, stale rows deleted), returning
what changed for the computation's record; data-triggered veto hits replaced."""

from __future__ import annotations

from decimal import Decimal

from django.db import connection

from weijian.orgs.models import OrgUnit

from .. import compute
from ..models import HitStatus, ItemResult, Run, UnitResult, VetoHit
from ..numbers import pts


def store_hits(run: Run, data_hits: dict[tuple[int, int], str]) -> None:
    """Data-triggered hits follow the data: replaced at every computation."""
    VetoHit.objects.filter(run=run, status=HitStatus.TRIGGERED).delete()
    VetoHit.objects.bulk_create(
        VetoHit(run=run, org_unit_id=unit, rule_id=rule, status=HitStatus.TRIGGERED, evidence=facts)
        for (rule, unit), facts in data_hits.items()
    )


ITEM_FIELDS = ["value", "measure", "computed", "earned", "status", "explanation"]
UNIT_FIELDS = [
    "base", "bonus", "penalty", "total", "grade", "rank", "rank_size", "peer_group", "vetoed",
    "honours_revoked", "pay_cut", "notes", "pending",
]  # fmt: skip


def store(run: Run, evaluation: compute.Evaluation, units: list[OrgUnit]) -> list[dict]:
    """Write the evaluation; return what changed against the stored results."""
    names = {u.pk: u.name for u in units}
    changes: list[dict] = []
    # Plain rows, not model instances: a recompute compares a few hundred items.
    existing = {
        (row[1], row[2]): row
        for row in ItemResult.objects.filter(run=run).values_list(
            "pk", "node_id", "org_unit_id", *ITEM_FIELDS
        )
    }
    new_items, changed = [], []
    for key, item in evaluation.items.items():
        values = (
            item.value,
            item.measure,
            item.computed,
            item.earned,
            item.status,
            item.explanation,
        )
        row = existing.get(key)
        if row is None:
            new_items.append(
                ItemResult(
                    run=run,
                    org_unit=item.unit,
                    node=item.node,
                    **dict(zip(ITEM_FIELDS, values, strict=True)),
                )
            )
            continue
        before = row[3:]
        if any(_differs(a, b) for a, b in zip(before, values, strict=True)):
            if _differs(before[3], item.earned):
                changes.append(
                    {"unit": names[item.unit.pk], "what": f"{item.node.code} {item.node.name}",
                     "before": pts(before[3]) or "—", "after": pts(item.earned) or "—"}
                )  # fmt: skip
            changed.append((row[0], values))
    ItemResult.objects.bulk_create(new_items, batch_size=500)
    update_values(ItemResult, ITEM_FIELDS, changed)
    stale = [k for k in existing if k not in evaluation.items]
    if stale:
        ItemResult.objects.filter(run=run, org_unit_id__in={u for _, u in stale}).exclude(
            org_unit_id__in=[u.pk for u in units]
        ).delete()
    results = {r.org_unit_id: r for r in UnitResult.objects.filter(run=run)}
    new_units, changed_units = [], []
    for pk, unit_score in evaluation.units.items():
        total = unit_score.total
        values = dict(
            base=total.base, bonus=total.bonus, penalty=total.penalty, total=total.total,
            grade=total.grade, rank=unit_score.rank, rank_size=unit_score.rank_size,
            peer_group=unit_score.peer_group, vetoed=total.vetoed,
            honours_revoked=total.honours_revoked, pay_cut=total.pay_cut,
            notes=list(total.notes) + [f"一票否决：{v.name}（{v.reason}）" for v in total.vetoes],
            pending=unit_score.pending,
        )  # fmt: skip
        row = results.get(pk)
        if row is None:
            new_units.append(UnitResult(run=run, org_unit=unit_score.unit, **values))
            continue
        for f, label in (("total", "总分"), ("grade", "等次"), ("rank", "名次")):
            if _differs(getattr(row, f), values[f]):
                before, after = getattr(row, f), values[f]
                changes.append(
                    {"unit": names[pk], "what": label,
                     "before": _show(before), "after": _show(after)}
                )  # fmt: skip
        if any(_differs(getattr(row, f), v) for f, v in values.items()):
            for f, v in values.items():
                setattr(row, f, v)
            changed_units.append(row)
    UnitResult.objects.bulk_create(new_units)
    update_rows(UnitResult, UNIT_FIELDS, changed_units)
    UnitResult.objects.filter(run=run).exclude(org_unit_id__in=[u.pk for u in units]).delete()
    return changes


def update_rows(model, fields: list[str], rows) -> None:
    """Save `fields` of model instances (see update_values)."""
    columns = [model._meta.get_field(name) for name in fields]
    update_values(
        model, fields, [(row.pk, [getattr(row, c.attname) for c in columns]) for row in rows]
    )


def update_values(model, fields: list[str], rows: list[tuple[int, list]]) -> None:
    """UPDATE … WHERE id = … for each (pk, values), sent as one executemany: Django's
    bulk_update builds a CASE per field and row in Python, which cost seconds for a few
    hundred items."""
    if not rows:
        return
    columns = [model._meta.get_field(name) for name in fields]
    qn = connection.ops.quote_name
    sets = ", ".join(f"{qn(c.column)} = %s" for c in columns)
    params = [
        [c.get_db_prep_save(v, connection) for c, v in zip(columns, values, strict=True)] + [pk]
        for pk, values in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {qn(model._meta.db_table)} SET {sets} WHERE id = %s", params)


def _show(value) -> str:
    if value is None or value == "":
        return "—"
    return pts(value) if isinstance(value, Decimal) else str(value)


def _differs(a, b) -> bool:
    if isinstance(a, Decimal) or isinstance(b, Decimal):
        if a is None or b is None:
            return a is not b
        return Decimal(a) != Decimal(b)
    return a != b
