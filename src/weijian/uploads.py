"""Bounds on an uploaded file, checked before any parser touches it (Django-free).

Every upload path (form Excel, ledger and checklist imports, Word layouts) goes through
`check_zip` first, then works under a `Budget`:

    limits = Limits.from_settings(settings)
    names = check_zip(data, limits, what="Excel 文件")     # UploadRefused, in Chinese
    budget = Budget(limits.seconds)
    …  budget.check()  between steps and rows

An .xlsx or .docx is a zip archive, and a 1 MB archive can hold members that unpack to
gigabytes. The archive's central directory declares each member's unpacked size, and Python's
`zipfile` (which openpyxl and python-docx read through) never returns more than that declared
size: `ZipExtFile` stops at `file_size` and then checks the CRC. So refusing archives whose
declared sizes are too large, in total, per member and per compression ratio, bounds the
memory any parser can be made to use.
"""

from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, fields, replace

MB = 1024 * 1024


class UploadRefused(ValueError):
    """An upload refused before (or while) reading it; `message` is Chinese, for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Limits:
    """What one uploaded file may cost. The defaults are far above any real form, ledger,
    checklist or letterhead (a 2 000-row ledger sheet unpacks to about 3 MB)."""

    max_bytes: int = 5 * MB  # the file as uploaded
    max_unpacked: int = 50 * MB  # all members together, as declared
    max_member: int = 25 * MB  # any one member
    # Office XML compresses 5–30 fold; zip bombs 1 000 fold and more. Judged only for
    # members above `ratio_floor`, since tiny members have wild ratios and cost nothing.
    max_ratio: int = 200
    ratio_floor: int = 1 * MB
    max_members: int = 2000
    max_cells: int = 200_000  # non-empty cells of a workbook, all sheets together
    seconds: float = 20.0  # the time budget for reading and checking one file

    @classmethod
    def from_settings(cls, settings, **overrides) -> Limits:
        """Limits from Django settings (`WEIJIAN_MAX_UPLOAD_BYTES`, `WEIJIAN_UPLOAD_MAX_UNPACKED_BYTES`,
        `WEIJIAN_UPLOAD_SECONDS`), then `overrides`; the settings object is passed in, so this
        module needs no Django."""
        found = {
            "max_bytes": getattr(settings, "WEIJIAN_MAX_UPLOAD_BYTES", None),
            "max_unpacked": getattr(settings, "WEIJIAN_UPLOAD_MAX_UNPACKED_BYTES", None),
            "seconds": getattr(settings, "WEIJIAN_UPLOAD_SECONDS", None),
        }
        limits = replace(cls(), **{k: v for k, v in found.items() if v is not None})
        known = {f.name for f in fields(cls)}
        return replace(limits, **{k: v for k, v in overrides.items() if k in known})


class Budget:
    """A time budget for the work on one file: `check()` between steps refuses the file once
    the budget is spent, so a file that is slow to read costs seconds, not a worker."""

    def __init__(
        self, seconds: float, what: str = "文件", clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.seconds, self.what, self.clock = seconds, what, clock
        self.started = clock()

    def check(self) -> None:
        if self.clock() - self.started > self.seconds:
            raise UploadRefused(
                f"{self.what}处理时间超过 {self.seconds:g} 秒，已停止，未导入任何数据；"
                "请删去多余的工作表和行列，或拆分为几个较小的文件后再上传"
            )


def size_text(size: int) -> str:
    if size >= 1024 * MB:
        return f"{size / 1024 / MB:.1f} GB"
    if size >= MB:
        return f"{size / MB:.1f} MB"
    return f"{max(size, 1) / 1024:.0f} KB"


def check_size(size: int, limits: Limits, what: str = "文件") -> None:
    if size > limits.max_bytes:
        raise UploadRefused(
            f"{what}过大（{size_text(size)}），上传的文件不能超过 {size_text(limits.max_bytes)}"
        )


def check_zip(
    data: bytes, limits: Limits, what: str = "文件", kind: str = " Office 文件"
) -> set[str]:
    """The archive's member names, after checking its size and the sizes its members declare.
    Raises UploadRefused (Chinese) for an empty, oversized or non-zip file or a zip bomb;
    `what` names the file in messages (台账导入文件), `kind` what it should be (" Excel（.xlsx）文件", with the space before Latin letters)."""
    if not data:
        raise UploadRefused("上传的文件是空的")
    check_size(len(data), limits, what)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise UploadRefused(f"上传的{what}已损坏或不是有效的{kind}（无法作为压缩包读取）") from None
    if len(members) > limits.max_members:
        raise UploadRefused(f"{what}内部包含 {len(members)} 个部件，不是正常的{kind}")
    total = sum(member.file_size for member in members)
    if total > limits.max_unpacked:
        raise UploadRefused(
            f"{what}解压后达 {size_text(total)}，超过上限 {size_text(limits.max_unpacked)}，"
            f"不是正常的{kind}（可能是“压缩炸弹”），未导入"
        )
    for member in members:
        _check_member(member, limits, what)
    return {member.filename for member in members}


def _check_member(member: zipfile.ZipInfo, limits: Limits, what: str) -> None:
    if member.file_size > limits.max_member:
        raise UploadRefused(
            f"{what}中的部件“{member.filename[:60]}”解压后达 {size_text(member.file_size)}，"
            f"超过上限 {size_text(limits.max_member)}，未导入"
        )
    if member.file_size > limits.ratio_floor:
        ratio = member.file_size / max(member.compress_size, 1)
        if ratio > limits.max_ratio:
            raise UploadRefused(
                f"{what}中的部件“{member.filename[:60]}”压缩比异常（{ratio:.0f} 倍，"
                f"正常文件不超过 {limits.max_ratio} 倍），可能是“压缩炸弹”，未导入"
            )
