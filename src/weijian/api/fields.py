"""DHIS2's `fields=` selection: `id,name`, `*`, `:all`, `:identifiable`, `parent[id,code]`,
`!field` (leave out), transformers like `name~rename(n)` are ignored.

    parse_fields("id,code,parent[id,name]")  →  {"id": None, "code": None, "parent": {"id": None, "name": None}}
"""

from __future__ import annotations

from .errors import bad_request

ALL = "*"
PRESETS = {
    ":all": [ALL],
    ":owner": [ALL],
    "*": [ALL],
    ":identifiable": ["id", "code", "name", "displayName", "created", "lastUpdated"],
    ":nameable": [
        "id",
        "code",
        "name",
        "displayName",
        "shortName",
        "displayShortName",
        "description",
    ],
}

Selection = dict[str, "Selection | None"]


def parse_fields(text: str | None, default: str) -> Selection:
    text = (text or "").strip() or default
    if len(text) > 2000:
        raise bad_request("参数“fields”过长")
    selection, _ = _parse(text, 0, 0)
    return selection


def _parse(text: str, pos: int, depth: int) -> tuple[Selection, int]:
    """The selection from `pos` to the matching close bracket (or the end); the next position."""
    if depth > 5:
        raise bad_request("参数“fields”嵌套过深")
    selection: Selection = {}
    excluded: set[str] = set()
    token = ""
    while pos < len(text):
        char = text[pos]
        if char == "(" and ("~" in token or "::" in token):  # a transformer: name~rename(n)
            close = text.find(")", pos)
            pos = len(text) if close < 0 else close + 1
            continue
        if char in "[(":
            sub, pos = _parse(text, pos + 1, depth + 1)
            _add(selection, excluded, token, sub)
            token = ""
        elif char in "])":
            if depth == 0:
                raise bad_request(f"参数“fields”格式不正确：第 {pos + 1} 个字符处括号不匹配")
            _add(selection, excluded, token, None)
            return _finish(selection, excluded), pos + 1
        elif char == ",":
            _add(selection, excluded, token, None)
            token = ""
            pos += 1
        else:
            token += char
            pos += 1
    if depth:
        raise bad_request("参数“fields”格式不正确：缺少右括号“]”")
    _add(selection, excluded, token, None)
    return _finish(selection, excluded), pos


def _add(selection: Selection, excluded: set[str], token: str, sub) -> None:
    name = token.strip().split("~")[0].split("::")[0].strip()
    if not name:
        return
    if name.startswith("!"):
        excluded.add(name[1:])
        return
    for expanded in PRESETS.get(name, [name]):
        if sub is not None or expanded not in selection:
            selection[expanded] = sub


def _finish(selection: Selection, excluded: set[str]) -> Selection:
    for name in excluded:
        selection.pop(name, None)
    if excluded:
        selection["!"] = dict.fromkeys(excluded)
    return selection
