"""One data value (DHIS2 /api/dataValues): read it, or save/delete it through the importer.

Identifiers may be uids or codes. Saving goes through `value_import` with atomicMode ALL, so a
single value meets the very checks of a bulk import and of the entry page.
"""

from __future__ import annotations

from dataclasses import dataclass

from weijian import periods
from weijian.orgs.models import OrgUnit
from weijian.orgs.scope import Can, get_scope
from weijian.reporting.models import CategoryOption, DataElement, DataValue, Form

from .errors import conflict
from .schemes import IdScheme, Schemes, lookup_any, lookup_any_option
from .value_import import AtomicMode, ImportOptions, Strategy, import_values
from .value_rows import Row


@dataclass
class ValueKey:
    de: str
    pe: str
    ou: str
    co: str = ""
    ds: str = ""

    @classmethod
    def from_sources(cls, query, body: dict | None = None) -> ValueKey:
        body = body or {}

        def pick(short, long):
            value = body.get(long, body.get(short))
            if value in (None, ""):
                value = query.get(short) or query.get(long)
            return "" if value is None or isinstance(value, (dict, list)) else str(value).strip()

        key = cls(
            de=pick("de", "dataElement"),
            pe=pick("pe", "period"),
            ou=pick("ou", "orgUnit"),
            co=pick("co", "categoryOptionCombo"),
            ds=pick("ds", "dataSet"),
        )
        missing = [name for name in ("de", "pe", "ou") if not getattr(key, name)]
        if missing:
            raise conflict(f"缺少参数：{'、'.join(missing)}（数据元、期间、组织机构）")
        return key


def read_value(user, key: ValueKey) -> str:
    element = lookup_any(DataElement, [key.de]).get(key.de)
    if element is None:
        raise conflict(f"找不到数据元“{key.de}”", error_code="E1100")
    unit = lookup_any(OrgUnit, [key.ou]).get(key.ou)
    if unit is None or not get_scope(user).can(Can.VIEW, unit):
        # The same answer for a unit that does not exist and one the user may not see.
        raise conflict(f"找不到组织机构“{key.ou}”，或您没有它的查看权限", error_code="E1102")
    try:
        period = periods.parse(key.pe)
    except periods.PeriodError as exc:
        raise conflict(str(exc)) from None
    if key.co:
        option = lookup_any_option([key.co]).get(key.co)
        if option is None:
            raise conflict(f"找不到分类选项“{key.co}”")
    else:  # as DHIS2: no co means the default option, even for an element split by sex
        option = lookup_any_option(["default"])["default"]
    stored = DataValue.objects.filter(
        element=element, option=option, org_unit=unit, period_id=period.id
    ).first()
    if stored is None:
        raise conflict("数据值不存在")
    return stored.value


def write_value(user, key: ValueKey, value, *, delete: bool = False, reason: str = ""):
    """Save (or delete) one value; ApiError 409 with the reason when refused."""
    row = Row(0, data_element=key.de, period=key.pe, org_unit=key.ou, option=key.co, value=value)
    schemes = Schemes(
        data_element=_scheme(DataElement, key.de),
        org_unit=_scheme(OrgUnit, key.ou),
        option=_scheme(CategoryOption, key.co),
        data_set=_scheme(Form, key.ds),
    )
    options = ImportOptions(
        schemes=schemes,
        strategy=Strategy.DELETE if delete else Strategy.CREATE_AND_UPDATE,
        atomic=AtomicMode.ALL,
        reason=reason,
        data_set=key.ds,
    )
    summary = import_values(user, [row], options)
    if summary.conflicts:
        raise conflict("；".join(c.message for c in summary.conflicts))
    if delete and not summary.deleted:
        raise conflict("数据值不存在，无法删除")
    return summary


def _scheme(model, identifier: str) -> IdScheme:
    """Identifiers here may be uids or codes: a uid when one object has it, else a code."""
    if identifier and model.objects.filter(uid=identifier).exists():
        return IdScheme.UID
    return IdScheme.CODE
