"""Checklist templates in and out: the built-in YAML files (`builtin/<code>.yaml`, format in
the README) and .xlsx sheets in the usual 考评表 layout:

    项目 | 序号 | 工作内容 | 工作要求 | 考核方法 | 评分标准 | 分值 | 计分方式 | 每处扣分 | 扣分上限 | 分档 | 可不适用

The last five columns are optional on import: a sheet with only the first seven (as offices
keep them) imports every item as a deduction item, taking 每处扣分 from the first “扣N分” of
the 评分标准 (else the whole points). A second sheet “说明” holds the template's code, name,
version and the rest; `export_xlsx` writes it and `import_xlsx` reads it back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from weijian import xlsx
from weijian.uploads import Limits, UploadRefused

from .models import AppliesTo, ChecklistTemplate, Item, Section, TemplateVersion
from .scoring import ItemRule, Kind, ScoringError, fmt, number

# libyaml's loader when present: 7 templates parse in 0.05 s instead of 0.9 s.
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
BUILTIN_DIR = Path(__file__).parent / "builtin"
CODE_RE = re.compile(r"^[A-Z0-9_]+$")
COLUMNS = [
    "项目", "序号", "工作内容", "工作要求", "考核方法", "评分标准", "分值",
    "计分方式", "每处扣分", "扣分上限", "分档", "可不适用",
]  # fmt: skip
KIND_BY_LABEL = {**{v: k for k, v in Kind.LABELS.items()}, **{k: k for k in Kind.ALL}}
META = [
    ("code", "编码"), ("name", "名称"), ("version", "版本"), ("category", "类别"),
    ("issuer", "检查科室"), ("applies_to", "检查对象"), ("total_points", "总分"),
    ("pass_score", "合格线"), ("citation", "依据"),
]  # fmt: skip


MAX_TOTAL = Decimal("99999")  # the total_points column holds 99999.99


def too_long(model, name: str, value: str, what: str) -> str | None:
    """A Chinese reason when `value` is longer than the model's column (PostgreSQL would refuse
    it with a database error; SQLite would silently keep it), else None."""
    limit = model._meta.get_field(name).max_length
    if value and len(value) > limit:
        return f"{what}过长（{len(value)} 字，最多 {limit} 字）"
    return None


class TemplateFileError(ValueError):
    """A template file or sheet that cannot be loaded; the message is Chinese and precise."""


@dataclass
class ItemSpec:
    code: str
    content: str
    points: Decimal
    kind: str
    requirement: str = ""
    method: str = ""
    rule: str = ""
    per_occurrence: Decimal | None = None
    cap: Decimal | None = None
    grades: tuple[Decimal, ...] = ()
    na_allowed: bool = False

    def as_rule(self) -> ItemRule:
        return ItemRule(
            self.code, self.content, self.points, self.kind, self.per_occurrence, self.cap,
            self.grades, self.na_allowed,
        )  # fmt: skip


@dataclass
class TemplateSpec:
    code: str
    name: str
    version: str
    category: str = ""
    issuer: str = ""
    applies_to: str = AppliesTo.DEPARTMENT
    total_points: Decimal = Decimal(100)
    pass_score: Decimal | None = None
    citation: str = ""
    sections: list[tuple[str, list[ItemSpec]]] = field(default_factory=list)

    def items(self) -> list[ItemSpec]:
        return [item for _, items in self.sections for item in items]

    def check(self, where: str) -> None:
        if not CODE_RE.match(self.code or ""):
            raise TemplateFileError(f"{where}：考评表编码“{self.code}”只能用大写字母、数字和下划线")
        if not self.name:
            raise TemplateFileError(f"{where}：缺少考评表名称")
        if not self.version:
            raise TemplateFileError(f"{where}：缺少版本")
        if self.applies_to not in AppliesTo.values:
            raise TemplateFileError(f"{where}：检查对象应为 department 或 institution")
        checks = [
            too_long(ChecklistTemplate, "code", self.code, "考评表编码"),
            too_long(ChecklistTemplate, "name", self.name, "考评表名称"),
            too_long(ChecklistTemplate, "category", self.category, "类别"),
            too_long(ChecklistTemplate, "issuer", self.issuer, "检查科室"),
            too_long(TemplateVersion, "label", self.version, "版本名称"),
            *(too_long(Section, "name", name, "项目名称") for name, _ in self.sections),
        ]
        for item in self.items():
            checks += [
                too_long(Item, "code", item.code, f"项目序号“{item.code[:20]}”"),
                too_long(Item, "content", item.content, f"第{item.code}项的工作内容"),
                too_long(Item, "method", item.method, f"第{item.code}项的考核方法"),
            ]
        problem = next((c for c in checks if c), None)
        if problem:
            raise TemplateFileError(f"{where}：{problem}")
        items = self.items()
        if not items:
            raise TemplateFileError(f"{where}：没有任何考核项目")
        seen = set()
        for item in items:
            if item.code in seen:
                raise TemplateFileError(f"{where}：项目序号“{item.code}”重复")
            seen.add(item.code)
            if not item.content:
                raise TemplateFileError(f"{where}：第{item.code}项缺少工作内容")
            try:
                item.as_rule().check_definition()
            except ScoringError as exc:
                raise TemplateFileError(f"{where}：{exc}") from None
        total = sum((i.points for i in items), Decimal(0))
        if total > MAX_TOTAL:
            raise TemplateFileError(f"{where}：各项分值合计 {fmt(total)} 分，超过 {fmt(MAX_TOTAL)}")
        if total != self.total_points:
            raise TemplateFileError(
                f"{where}：各项分值合计 {fmt(total)} 分，与总分 {fmt(self.total_points)} 分不符"
            )
        if self.pass_score is not None and not 0 <= self.pass_score <= self.total_points:
            raise TemplateFileError(f"{where}：合格线应在 0 到总分之间")


# -- YAML ---------------------------------------------------------------------------------------


def builtin_files() -> list[Path]:
    return sorted(BUILTIN_DIR.glob("*.yaml"))


def read_yaml(path: Path | str) -> TemplateSpec:
    path = Path(path)
    where = path.name
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=SafeLoader)
    except yaml.YAMLError as exc:
        raise TemplateFileError(f"{where}：YAML 格式错误（{exc}）") from None
    if not isinstance(data, dict):
        raise TemplateFileError(f"{where}：文件内容应为一个考评表")

    def dec(value, what, required=True):
        if value is None or value == "":
            if required:
                raise TemplateFileError(f"{where}：缺少{what}")
            return None
        try:
            return number(value, what)
        except ScoringError as exc:
            raise TemplateFileError(f"{where}：{exc}") from None

    sections = []
    for s_index, section in enumerate(data.get("sections") or [], start=1):
        if not isinstance(section, dict) or not section.get("name"):
            raise TemplateFileError(f"{where}：第{s_index}个项目（section）缺少名称")
        items = []
        for entry in section.get("items") or []:
            code = str(entry.get("code", "")).strip()
            label = f"第{code or '?'}项"
            kind = str(entry.get("kind", "deduct")).strip()
            items.append(
                ItemSpec(
                    code=code,
                    content=str(entry.get("content", "")).strip(),
                    points=dec(entry.get("points"), f"{label}的分值"),
                    kind=kind,
                    requirement=str(entry.get("requirement", "") or "").strip(),
                    method=str(entry.get("method", "") or "").strip(),
                    rule=str(entry.get("rule", "") or "").strip(),
                    per_occurrence=dec(entry.get("per_occurrence"), f"{label}的每处扣分", False),
                    cap=dec(entry.get("cap"), f"{label}的扣分上限", False),
                    grades=tuple(dec(g, f"{label}的分档") for g in entry.get("grades") or ()),
                    na_allowed=bool(entry.get("na_allowed", False)),
                )
            )
        sections.append((str(section["name"]).strip(), items))
    spec = TemplateSpec(
        code=str(data.get("code", "")).strip(),
        name=str(data.get("name", "")).strip(),
        version=str(data.get("version", "")).strip(),
        category=str(data.get("category", "") or "").strip(),
        issuer=str(data.get("issuer", "") or "").strip(),
        applies_to=str(data.get("applies_to", AppliesTo.DEPARTMENT)).strip(),
        total_points=dec(data.get("total_points"), "总分"),
        pass_score=dec(data.get("pass_score"), "合格线", False),
        citation=str(data.get("citation", "") or "").strip(),
        sections=sections,
    )
    spec.check(where)
    return spec


@dataclass(frozen=True)
class Loaded:
    code: str
    version: str
    status: str  # 新建 / 已更新 / 已存在（已被检查使用，未改动）


def write_spec(spec: TemplateSpec, owner=None) -> Loaded:
    """Upsert a template and its version. A version already used by inspections is never
    changed (make a new version label instead). `owner` applies to a new template only."""
    with transaction.atomic():
        used = TemplateVersion.objects.filter(template__code=spec.code, label=spec.version).first()
        if used and used.in_use():  # checked first: not even the template's name changes
            return Loaded(spec.code, spec.version, "已存在（已被检查使用，未改动）")
        template, _ = ChecklistTemplate.objects.update_or_create(
            code=spec.code,
            defaults=dict(
                name=spec.name,
                category=spec.category,
                issuer=spec.issuer,
                applies_to=spec.applies_to,
            ),
            create_defaults=dict(
                name=spec.name,
                category=spec.category,
                issuer=spec.issuer,
                applies_to=spec.applies_to,
                owner=owner,
            ),
        )
        version = template.versions.filter(label=spec.version).first()
        if version and version.in_use():
            return Loaded(spec.code, spec.version, "已存在（已被检查使用，未改动）")
        status = "已更新" if version else "新建"
        if version:
            version.items.all().delete()
            version.sections.all().delete()
        else:
            version = TemplateVersion(template=template, label=spec.version)
        version.total_points = spec.total_points
        version.pass_score = spec.pass_score
        version.citation = spec.citation
        version.save()
        order = 0
        for s_order, (name, items) in enumerate(spec.sections, start=1):
            section = Section.objects.create(version=version, name=name, sort_order=s_order)
            rows = []
            for item in items:
                order += 1
                rows.append(
                    Item(
                        version=version,
                        section=section,
                        code=item.code,
                        content=item.content,
                        requirement=item.requirement,
                        method=item.method,
                        rule=item.rule,
                        points=item.points,
                        kind=item.kind,
                        per_occurrence=item.per_occurrence,
                        cap=item.cap,
                        grades=[fmt(g) for g in item.grades],
                        na_allowed=item.na_allowed,
                        sort_order=order,
                    )
                )
            Item.objects.bulk_create(rows)
    return Loaded(spec.code, spec.version, status)


def load_builtin(paths=None) -> list[Loaded]:
    """Load the built-in templates (all files read and checked before anything is written)
    and the inspection indicators (整改按期完成率, 平均检查得分)."""
    from . import figures

    specs = [read_yaml(p) for p in (builtin_files() if paths is None else paths)]
    with transaction.atomic():
        figures.ensure_elements()
        load_indicators()
        return [write_spec(spec) for spec in specs]


def load_indicators():
    from weijian.indicators.library.files import read_library
    from weijian.indicators.library_sync import load_library

    return load_library(read_library([Path(__file__).parent / "indicators.yaml"]))


def spec_of(version: TemplateVersion) -> TemplateSpec:
    template = version.template
    sections = []
    for section in version.sections.prefetch_related("items"):
        sections.append(
            (
                section.name,
                [
                    ItemSpec(
                        code=i.code,
                        content=i.content,
                        points=i.points,
                        kind=i.kind,
                        requirement=i.requirement,
                        method=i.method,
                        rule=i.rule,
                        per_occurrence=i.per_occurrence,
                        cap=i.cap,
                        grades=tuple(Decimal(str(g)) for g in i.grades or ()),
                        na_allowed=i.na_allowed,
                    )  # fmt: skip
                    for i in section.items.all()
                ],
            )
        )
    return TemplateSpec(
        code=template.code, name=template.name, version=version.label,
        category=template.category, issuer=template.issuer, applies_to=template.applies_to,
        total_points=version.total_points, pass_score=version.pass_score,
        citation=version.citation, sections=sections,
    )  # fmt: skip


# -- .xlsx ----------------------------------------------------------------------------------------

THIN = Side(style="thin", color="888888")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="center")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
WIDTHS = [16, 6, 18, 36, 12, 32, 6, 10, 8, 8, 10, 8]


def export_xlsx(version: TemplateVersion) -> bytes:
    spec = spec_of(version)
    book = Workbook()
    sheet = book.active
    sheet.title = "考评表"
    sheet.append([f"{spec.name}（{spec.version}版）"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=7)
    sheet["A1"].font = Font(size=14, bold=True)
    sheet["A1"].alignment = CENTER
    sheet.row_dimensions[1].height = 28
    sheet.append(COLUMNS)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = CENTER
        cell.border = BOX
        cell.fill = PatternFill("solid", fgColor="E8F0FB")
    for name, items in spec.sections:
        first_row = sheet.max_row + 1
        for item in items:
            sheet.append(
                [
                    name, item.code, item.content, item.requirement, item.method, item.rule,
                    _num(item.points), Kind.LABELS[item.kind], _num(item.per_occurrence),
                    _num(item.cap), "、".join(fmt(g) for g in item.grades),
                    "是" if item.na_allowed else "",
                ]
            )  # fmt: skip
        if sheet.max_row > first_row:
            sheet.merge_cells(
                start_row=first_row, start_column=1, end_row=sheet.max_row, end_column=1
            )
    sheet.append(["合计", "", "", "", "", "", _num(spec.total_points)])
    for row in sheet.iter_rows(min_row=3, max_row=sheet.max_row):
        for cell in row:
            cell.border = BOX
            cell.alignment = WRAP
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "2:2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    info = book.create_sheet("说明")
    for key, label in META:
        value = getattr(spec, key)
        info.append([label, _num(value) if isinstance(value, Decimal) else (value or "")])
    info.column_dimensions["A"].width = 12
    info.column_dimensions["B"].width = 80
    return xlsx.to_bytes(book)


def _num(value):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def import_xlsx(data: bytes, overrides: dict | None = None) -> TemplateSpec:
    """Read a 考评表 sheet into a spec (checked). `overrides` (code, name, version…) fill or
    replace what the 说明 sheet says."""
    try:
        book = xlsx.read_book(data, Limits.from_settings(settings), what="考评表文件")
    except UploadRefused as exc:
        raise TemplateFileError(exc.message) from None
    sheet = book.sheets.get("考评表") or book.first()
    meta = {}
    if "说明" in book.sheets:
        labels = {label: key for key, label in META}
        for _, found in book.sheets["说明"].rows():
            label, value = found.get(1), found.get(2)
            if label in labels and value not in (None, ""):
                meta[labels[label]] = str(value).strip()
    meta.update({k: v for k, v in (overrides or {}).items() if v})
    header_row, columns = None, {}
    for r_index, found in sheet.rows(1, 10):
        names = {column: str(value).strip() for column, value in found.items()}
        if "工作内容" in names.values() and "分值" in names.values():
            header_row = r_index
            columns = {name: column for column, name in names.items() if name}
            break
    if header_row is None:
        raise TemplateFileError("前 10 行中找不到表头（须有“工作内容”和“分值”两列）")
    missing = [c for c in ("项目", "工作内容", "分值") if c not in columns]
    if missing:
        raise TemplateFileError(f"表头缺少“{'、'.join(missing)}”列")

    def cell(row: dict, name: str) -> str:
        value = row.get(columns.get(name))
        return "" if value is None else str(value).strip()

    sections: list[tuple[str, list[ItemSpec]]] = []
    section_name = ""
    auto = 0
    for r_index, row in sheet.rows(first=header_row + 1):
        where = f"第{r_index}行"
        if not any(cell(row, name) for name in columns):
            continue  # only other columns hold something
        if cell(row, "项目") in ("合计", "总分", "合 计"):
            continue
        section_name = cell(row, "项目") or section_name
        if not section_name:
            raise TemplateFileError(f"{where}：缺少“项目”")
        auto += 1
        code = cell(row, "序号") or str(auto)
        try:
            points = number(cell(row, "分值"), f"{where}的分值")
            kind_text = cell(row, "计分方式") or Kind.DEDUCT
            kind = KIND_BY_LABEL.get(kind_text)
            if kind is None:
                raise TemplateFileError(
                    f"{where}：计分方式“{kind_text}”无效，应为 扣分/达标/不达标/分档/一票否决"
                )
            per = cell(row, "每处扣分")
            rule_text = cell(row, "评分标准")
            per_value = number(per, f"{where}的每处扣分") if per else None
            if kind == Kind.DEDUCT and per_value is None:
                found = re.search(r"扣\s*(\d+(?:\.\d+)?)\s*分", rule_text)
                per_value = min(Decimal(found.group(1)), points) if found else points
            cap = cell(row, "扣分上限")
            grades = cell(row, "分档").replace("，", "、").replace(",", "、")
            item = ItemSpec(
                code=code,
                content=cell(row, "工作内容"),
                points=points,
                kind=kind,
                requirement=cell(row, "工作要求"),
                method=cell(row, "考核方法"),
                rule=rule_text,
                per_occurrence=per_value if kind == Kind.DEDUCT else None,
                cap=number(cap, f"{where}的扣分上限") if cap else None,
                grades=tuple(number(g, f"{where}的分档") for g in grades.split("、") if g.strip()),
                na_allowed=cell(row, "可不适用") in ("是", "Y", "y", "1", "TRUE", "True", "√"),
            )
        except ScoringError as exc:
            raise TemplateFileError(f"{where}：{exc}") from None
        if not sections or sections[-1][0] != section_name:
            sections.append((section_name, []))
        sections[-1][1].append(item)
    items = [i for _, group in sections for i in group]
    total = sum((i.points for i in items), Decimal(0))
    try:
        total_points = number(meta["total_points"], "总分") if meta.get("total_points") else total
        pass_score = number(meta["pass_score"], "合格线") if meta.get("pass_score") else None
    except ScoringError as exc:
        raise TemplateFileError(str(exc)) from None
    title = sheet.value(1, 1) if header_row > 1 else None
    name = meta.get("name") or re.sub(r"（.*?版）$", "", str(title or "")).strip()
    spec = TemplateSpec(
        code=(meta.get("code") or "").upper(),
        name=name,
        version=meta.get("version", ""),
        category=meta.get("category", ""),
        issuer=meta.get("issuer", ""),
        applies_to=meta.get("applies_to", AppliesTo.DEPARTMENT),
        total_points=total_points,
        pass_score=pass_score,
        citation=meta.get("citation", ""),
        sections=sections,
    )
    spec.check("导入的表格")
    return spec
