"""What a unit may hand in as evidence (资料报送), checked before it is stored: a PDF or a photo
goes through the ledger's attachment check (a real PDF, or an image decoded, turned upright and
saved again without its metadata); a .docx/.xlsx must be a Word/Excel archive within the upload
bounds every upload keeps (`weijian.uploads.check_zip`: sizes, members, zip bombs); a legacy
.doc/.xls must carry the OLE signature those formats start with."""

from __future__ import annotations

from pathlib import PurePath

from django.conf import settings

from weijian.ledger.attachments import AttachmentProblem, clean_upload
from weijian.uploads import Limits, UploadRefused, check_zip

from .actions.common import AssessmentError

ALLOWED = (".pdf", ".jpg", ".jpeg", ".png", ".doc", ".docx", ".xls", ".xlsx")
PHOTO_OR_PDF = (".pdf", ".jpg", ".jpeg", ".png")
OFFICE_PART = {".docx": "word/document.xml", ".xlsx": "xl/workbook.xml"}
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc/.xls (Compound File Binary)


def max_bytes() -> int:
    return int(getattr(settings, "WEIJIAN_LEDGER_MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024))


def checked(name: str, data: bytes) -> bytes:
    """The bytes to store for the file `name`, or AssessmentError (Chinese) saying why not."""
    suffix = PurePath(name).suffix.lower()
    if suffix not in ALLOWED:
        raise AssessmentError("只能报送 PDF、图片、Word 或 Excel 文件")
    if not data:
        raise AssessmentError("文件是空的")
    if len(data) > max_bytes():
        raise AssessmentError(
            f"文件过大（{len(data) // 1024} KB），最大 {max_bytes() // 1024 // 1024} MB"
        )
    if suffix in PHOTO_OR_PDF:
        try:
            clean = clean_upload(name, data)
        except AttachmentProblem as exc:
            raise AssessmentError(str(exc)) from None
        if (clean.extension == "pdf") != (suffix == ".pdf"):
            raise AssessmentError(f"文件“{name}”的内容与扩展名不符，请按原格式报送")
        return clean.content
    if suffix in OFFICE_PART:
        kind = " Word（.docx）文件" if suffix == ".docx" else " Excel（.xlsx）文件"
        try:
            parts = check_zip(data, Limits.from_settings(settings), f"文件“{name}”", kind=kind)
        except UploadRefused as exc:
            raise AssessmentError(exc.message) from None
        if OFFICE_PART[suffix] not in parts:
            raise AssessmentError(f"文件“{name}”不是有效的{kind}")
        return data
    if not data.startswith(OLE_SIGNATURE):
        raise AssessmentError(f"文件“{name}”不是有效的 Word 或 Excel 文件")
    return data
