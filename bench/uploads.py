"""What a crafted upload costs (not a test): `.venv/bin/python bench/uploads.py`.

Each upload path's reader is given the issue's hostile files (built by tests/crafted.py): a
6–13 KB workbook with one cell at XFD1048576, a member that unpacks about a thousand-fold to
100 MB, a Word layout that unpacks huge or carries Jinja, a PNG that decodes to 210 MB. For
each: the answer, wall and CPU seconds (median of 3), and the peak of Python memory while it
ran (tracemalloc, a separate run). No database is needed: the readers run before any write.
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests/crafted.py builds the hostile files


def setup_django(var_dir: str) -> None:
    os.environ["WEIJIAN_VAR_DIR"] = var_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weijian.settings")
    import django

    django.setup()


def measure(work) -> tuple[str, float, float, float]:
    """(answer, median wall s, median CPU s, peak MB) of `work()`."""
    walls, cpus, answer = [], [], ""
    for _ in range(3):
        wall, cpu = time.perf_counter(), time.process_time()
        answer = _answer(work)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    tracemalloc.start()
    _answer(work)
    peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
    tracemalloc.stop()
    return answer, statistics.median(walls), statistics.median(cpus), peak


def _answer(work) -> str:
    try:
        result = work()
    except Exception as exc:  # the Chinese refusal is the expected answer
        return "拒绝：" + getattr(exc, "message", str(exc))[:38]
    return f"读取：{type(result).__name__}"


def cases():
    import io
    from types import SimpleNamespace

    from docx import Document
    from openpyxl import Workbook
    from tests import crafted

    from weijian.documents import layouts
    from weijian.inspections import photos, templates_io
    from weijian.ledger import attachments
    from weijian.ledger import excel as ledger_excel
    from weijian.ledger.schema import FieldSpec, Kind
    from weijian.reporting import excel as form_excel
    from weijian.uploads import Limits
    from weijian.xlsx import to_bytes

    book = Workbook()
    book.active.append(["单位编码", "标题", "开始日期", "人数"])
    ledger = to_bytes(book)
    fields = [FieldSpec("PEOPLE", "人数", Kind.COUNTER)]
    form = _form_file()
    checklist = _checklist_file()
    docx = io.BytesIO()
    document = Document()
    document.add_paragraph("{{ body }}")
    document.save(docx)
    layout = docx.getvalue()
    shell = crafted.with_member(layout, "word/document.xml", _jinja_document())
    limits = Limits()
    files = {  # built before timing: only the readers are measured
        "far_form": crafted.with_far_cell(form, sheet="xl/worksheets/sheet2.xml"),
        "bomb_form": crafted.with_bomb(form, "xl/worksheets/sheet1.xml"),
        "far_ledger": crafted.with_far_cell(ledger),
        "bomb_ledger": crafted.with_bomb(ledger, "xl/worksheets/sheet1.xml"),
        "far_checklist": crafted.with_far_cell(checklist),
        "bomb_checklist": crafted.with_bomb(checklist, "xl/worksheets/sheet1.xml"),
        "bomb_layout": crafted.with_bomb(layout, "word/document.xml"),
        "png": crafted.pixel_bomb_png(),
    }
    return [
        ("报表上传：识别表远端单元格", lambda: form_excel._open_upload(files["far_form"])),
        ("报表上传：压缩炸弹", lambda: form_excel._open_upload(files["bomb_form"])),
        ("台账导入：远端单元格", lambda: ledger_excel.read_rows(files["far_ledger"], fields, limits)),
        ("台账导入：压缩炸弹", lambda: ledger_excel.read_rows(files["bomb_ledger"], fields, limits)),
        ("考评表导入：远端单元格", lambda: templates_io.import_xlsx(files["far_checklist"])),
        ("考评表导入：压缩炸弹", lambda: templates_io.import_xlsx(files["bomb_checklist"])),
        ("Word 版式：压缩炸弹", lambda: layouts.check(files["bomb_layout"])),
        ("Word 版式：Jinja 执行命令", lambda: layouts.check(shell)),
        ("检查照片：像素炸弹", lambda: photos.clean_photo(files["png"], "bomb.png")),
        ("台账附件：像素炸弹", lambda: attachments.clean_upload("bomb.png", files["png"])),
    ], SimpleNamespace(
        form=len(form), ledger=len(ledger), checklist=len(checklist), layout=len(layout),
        far=len(files["far_ledger"]), bomb=len(files["bomb_ledger"]), png=len(files["png"]),
    )  # fmt: skip


def _form_file() -> bytes:
    """A form workbook shaped like build_workbook's (data sheet, identification sheet)."""
    from openpyxl import Workbook

    from weijian.reporting import excel
    from weijian.xlsx import to_bytes

    book = Workbook()
    sheet = book.active
    sheet.title = "月报"
    sheet.append(["月报"])
    sheet.append(["填报单位"])
    sheet.append(
        [
            "序号",
            "项目",
            "分组",
            "计量单位",
            "数值",
            "备注",
            excel.HEADER_CODE,
            excel.HEADER_SIGNATURE,
        ]
    )
    meta = book.create_sheet(excel.META_SHEET)
    for key, value in [("format", excel.META_FORMAT), ("sheet", "月报")]:
        meta.append([key, value])
    return to_bytes(book)


def _checklist_file() -> bytes:
    from openpyxl import Workbook

    from weijian.inspections.templates_io import COLUMNS
    from weijian.xlsx import to_bytes

    book = Workbook()
    sheet = book.active
    sheet.title = "考评表"
    sheet.append(["院感考核表"])
    sheet.append(COLUMNS)
    sheet.append(["一、手卫生", "1.1", "手卫生", "", "", "扣2分", 5])
    info = book.create_sheet("说明")
    for row in (["编码", "BENCH"], ["版本", "2026"]):
        info.append(row)
    return to_bytes(book)


def _jinja_document() -> bytes:
    payload = "{{ lipsum.__globals__['os'].popen('id').read() }}"
    return (
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body><w:p><w:r><w:t>{{{{ body }}}}</w:t></w:r></w:p><w:p><w:r><w:t>{payload}</w:t></w:r></w:p></w:body></w:document>"
    ).encode()


def main() -> None:
    with tempfile.TemporaryDirectory() as var_dir:
        setup_django(var_dir)
        load = os.getloadavg()[0]
        print(
            f"# bench/uploads.py — {platform.python_version()}, {os.cpu_count()} cores, load {load:.1f}"
        )
        found, sizes = cases()
        print(
            f"files: form {sizes.form} B, ledger {sizes.ledger} B (with the far cell {sizes.far} B, "
            f"as a bomb {sizes.bomb} B), checklist {sizes.checklist} B, layout {sizes.layout} B, "
            f"PNG {sizes.png} B"
        )
        print("| path: crafted file | answer | wall s | CPU s | peak MB |")
        print("|---|---|---|---|---|")
        for name, work in found:
            answer, wall, cpu, peak = measure(work)
            print(f"| {name} | {answer} | {wall:.2f} | {cpu:.2f} | {peak:.1f} |")


if __name__ == "__main__":
    main()
