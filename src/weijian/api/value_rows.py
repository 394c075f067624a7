"""Reading DHIS2 data value sets (JSON or CSV) into rows for `value_import`.

A row that cannot even be read (a wrong type where an identifier belongs, a CSV line too
short) carries its `problem`, so the import reports it as that row's conflict."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from .errors import bad_request


@dataclass
class Row:
    index: int  # 0-based position in the payload, as DHIS2's `indexes`
    data_element: str = ""
    period: str = ""
    org_unit: str = ""
    option: str = ""
    attribute_option: str = ""
    value: object = None
    comment: str = ""
    problem: str = ""  # a row that could not even be read


ROOT_DEFAULTS = {
    "period": "period",
    "orgUnit": "org_unit",
    "attributeOptionCombo": "attribute_option",
}


def rows_from_json(payload: dict) -> list[Row]:
    """The rows of a DHIS2 JSON data value set; root period/orgUnit apply to every row."""
    values = payload.get("dataValues", [])
    if not isinstance(values, list):
        raise bad_request("“dataValues”应为数组")
    defaults = {attr: text_of(payload.get(key)) for key, attr in ROOT_DEFAULTS.items()}
    rows = []
    for index, item in enumerate(values):
        row = Row(index, **defaults)
        if not isinstance(item, dict):
            row.problem = "数据值应为对象（{…}）"
            rows.append(row)
            continue
        try:
            row.data_element = _identifier(item.get("dataElement"))
            row.period = _identifier(item.get("period")) or row.period
            row.org_unit = _identifier(item.get("orgUnit")) or row.org_unit
            row.option = _identifier(item.get("categoryOptionCombo"))
            row.attribute_option = (
                _identifier(item.get("attributeOptionCombo")) or row.attribute_option
            )
        except ValueError as exc:
            row.problem = str(exc)
        row.value = item.get("value")
        row.comment = text_of(item.get("comment"))
        rows.append(row)
    return rows


CSV_COLUMNS = [
    "dataelement",
    "period",
    "orgunit",
    "catoptcombo",
    "attroptcombo",
    "value",
    "storedby",
    "lastupdated",
    "comment",
    "followup",
]


def decode_csv(raw: bytes) -> str:
    """UTF-8 (with or without BOM); files saved by Chinese Excel are often GB18030."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        raise bad_request("CSV 文件编码无法识别，请保存为 UTF-8 编码") from None


def rows_from_csv(text: str, first_row_is_header: bool = True) -> list[Row]:
    """DHIS2's CSV columns, by position: dataelement, period, orgunit, catoptcombo,
    attroptcombo, value, storedby, lastupdated, comment, followup."""
    try:
        records = list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise bad_request(f"CSV 格式不正确：{exc}") from None
    if first_row_is_header and records:
        records = records[1:]
    rows = []
    for index, record in enumerate(r for r in records if any(cell.strip() for cell in r)):
        cells = [cell.strip() for cell in record] + [""] * (len(CSV_COLUMNS) - len(record))
        row = Row(
            index,
            data_element=cells[0],
            period=cells[1],
            org_unit=cells[2],
            option=cells[3],
            attribute_option=cells[4],
            value=cells[5],
            comment=cells[8],
        )
        if len(record) < 3:
            row.problem = "CSV 行至少要有数据元、期间、组织机构三列"
        rows.append(row)
    return rows


def text_of(value) -> str:
    if value is None or isinstance(value, (dict, list)):
        return ""
    return str(value).strip()


def _identifier(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list, bool)):
        raise ValueError("标识应为文本")
    return str(value).strip()
