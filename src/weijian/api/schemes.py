"""Identifier schemes (DHIS2 `idScheme`): objects named by UID (default), CODE or NAME.

Lookups are in bulk: one query per kind of object for a whole import, whatever its size.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Model, Q

from weijian.reporting.models import DEFAULT_OPTION_CODE, CategoryOption
from weijian.reporting.queries import default_option

from .errors import bad_request

# DHIS2's default category option combo has this uid in every DHIS2 database; clients send it
# (or "default") for an element that is not split, so it always names our default option.
DEFAULT_COC_UID = "HllvX50cXC0"
DEFAULT_CATEGORY_COMBO_UID = "bjDvmb4bfuf"
DEFAULT_OPTION_ALIASES = {DEFAULT_COC_UID, DEFAULT_OPTION_CODE}


class IdScheme(StrEnum):
    UID = "UID"
    CODE = "CODE"
    NAME = "NAME"

    @property
    def field(self) -> str:
        return {IdScheme.UID: "uid", IdScheme.CODE: "code", IdScheme.NAME: "name"}[self]

    def of(self, obj) -> str:
        return getattr(obj, self.field)


def parse_scheme(value, param: str = "idScheme") -> IdScheme | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise bad_request(f"参数“{param}”应为 UID、CODE 或 NAME")
    text = value.strip().upper()
    if text in ("UID", "ID"):
        return IdScheme.UID
    if text in ("CODE", "NAME"):
        return IdScheme(text)
    if text.startswith("ATTRIBUTE:"):
        raise bad_request(
            f"参数“{param}”：暂不支持按属性（attribute）识别对象，请使用 UID、CODE 或 NAME"
        )
    raise bad_request(f"参数“{param}”的值“{value}”无效，应为 UID、CODE 或 NAME")


@dataclass(frozen=True)
class Schemes:
    """The scheme of each kind of object, after DHIS2's precedence rules: the payload root over
    query parameters, a specific scheme (dataElementIdScheme…) over the general idScheme."""

    data_element: IdScheme = IdScheme.UID
    org_unit: IdScheme = IdScheme.UID
    option: IdScheme = IdScheme.UID
    data_set: IdScheme = IdScheme.UID

    SPECIFIC = {
        "data_element": "dataElementIdScheme",
        "org_unit": "orgUnitIdScheme",
        "option": "categoryOptionComboIdScheme",
        "data_set": "dataSetIdScheme",
    }

    @classmethod
    def from_sources(cls, *sources: Mapping | None) -> Schemes:
        """`sources` from weakest to strongest (query parameters, then the payload root)."""
        general: IdScheme | None = None
        specific: dict[str, IdScheme] = {}
        for source in sources:
            if not source:
                continue
            general = parse_scheme(source.get("idScheme"), "idScheme") or general
            for attr, param in cls.SPECIFIC.items():
                scheme = parse_scheme(source.get(param), param)
                if scheme:
                    specific[attr] = scheme
        base = general or IdScheme.UID
        return cls(**{attr: specific.get(attr, base) for attr in cls.SPECIFIC})


class Ambiguous:
    """Several objects answer to one name."""

    def __init__(self, count: int) -> None:
        self.count = count


def lookup(model: type[Model], scheme: IdScheme, identifiers: Iterable[str], queryset=None):
    """identifier → object (or Ambiguous) for those found, with one query."""
    wanted = {i for i in identifiers if isinstance(i, str) and i}
    if not wanted:
        return {}
    qs = queryset if queryset is not None else model.objects.all()
    found: dict[str, object] = {}
    for obj in qs.filter(**{f"{scheme.field}__in": wanted}):
        key = scheme.of(obj)
        if key in found:
            previous = found[key]
            found[key] = Ambiguous(previous.count + 1 if isinstance(previous, Ambiguous) else 2)
        else:
            found[key] = obj
    return found


def lookup_options(scheme: IdScheme, identifiers: Iterable[str]) -> dict[str, object]:
    """Like `lookup` for category options, where DHIS2's default combo names our default."""
    wanted = {i for i in identifiers if isinstance(i, str) and i}
    aliases = wanted & DEFAULT_OPTION_ALIASES
    found = lookup(CategoryOption, scheme, wanted - aliases)
    if aliases:
        default = default_option()
        for alias in aliases:
            found[alias] = default
    return found


def lookup_any(model: type[Model], identifiers: Iterable[str], queryset=None) -> dict[str, Model]:
    """identifier → object, each identifier taken as a uid or else as a code (one query)."""
    wanted = {i for i in identifiers if isinstance(i, str) and i}
    if not wanted:
        return {}
    qs = queryset if queryset is not None else model.objects.all()
    by_uid, by_code = {}, {}
    for obj in qs.filter(Q(uid__in=wanted) | Q(code__in=wanted)):
        by_uid[obj.uid] = obj
        by_code[obj.code] = obj
    return {i: by_uid.get(i) or by_code[i] for i in wanted if i in by_uid or i in by_code}


def lookup_any_option(identifiers: Iterable[str]) -> dict[str, CategoryOption]:
    identifiers = set(identifiers)
    found = lookup_any(CategoryOption, identifiers - DEFAULT_OPTION_ALIASES)
    if identifiers & DEFAULT_OPTION_ALIASES:
        default = default_option()
        for alias in identifiers & DEFAULT_OPTION_ALIASES:
            found[alias] = default
    return found


def describe_missing(kind: str, identifier: str, scheme: IdScheme) -> str:
    how = {IdScheme.UID: "UID", IdScheme.CODE: "编码", IdScheme.NAME: "名称"}[scheme]
    return f"找不到{how}为“{identifier}”的{kind}"


def describe_ambiguous(kind: str, identifier: str, count: int) -> str:
    return f"名称为“{identifier}”的{kind}有 {count} 个，无法确定是哪一个，请改用编码或 UID"
