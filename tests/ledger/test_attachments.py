"""Attachments: photos are stored without EXIF, only images and PDFs, size-limited."""

import io

import pytest
from PIL import Image

from weijian.ledger.actions import LedgerError, add_attachment, delete_activity
from weijian.ledger.models import Attachment

from .conftest import record


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90° to show upright
    exif[0x8825] = {1: "N", 2: (31.0, 14.0, 0.0)}  # GPSInfo
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


@pytest.fixture
def drill(ledger, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return record(ledger.alice, ledger.types["DRILL"], ledger.medicine, "2026-03-05", "消防演练",
                  KIND="消防", PEOPLE=20)  # fmt: skip


def test_a_photo_is_stored_upright_without_exif(ledger, drill, tmp_path):
    attachment = add_attachment(ledger.alice, drill, "现场照片.jpg", jpeg_with_gps())
    assert attachment.content_type == "image/jpeg"
    assert attachment.file.name.startswith("ledger/")
    stored = Image.open(tmp_path / attachment.file.name)
    assert not stored.getexif()
    assert stored.size == (48, 64)  # turned upright by the orientation tag, then dropped


def test_pdfs_pass_other_files_and_big_ones_are_refused(ledger, drill, settings):
    pdf = add_attachment(ledger.alice, drill, "签到表.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n")
    assert pdf.content_type == "application/pdf"
    with pytest.raises(LedgerError, match="不是图片（JPG、PNG、WebP）或 PDF"):
        add_attachment(ledger.alice, drill, "病毒.exe", b"MZ\x90\x00")
    with pytest.raises(LedgerError, match="不是图片"):
        add_attachment(ledger.alice, drill, "假图片.jpg", b"\xff\xd8\xff\xe0 broken")
    settings.WEIJIAN_LEDGER_MAX_ATTACHMENT_BYTES = 1024
    with pytest.raises(LedgerError, match="超过上限"):
        add_attachment(ledger.alice, drill, "大.pdf", b"%PDF-" + b"0" * 2000)
    with pytest.raises(LedgerError, match="登记台账的权限"):
        add_attachment(ledger.olivia, drill, "x.pdf", b"%PDF-1.4")
    assert Attachment.objects.count() == 1


def test_deleting_a_record_removes_its_files(
    ledger, drill, tmp_path, django_capture_on_commit_callbacks
):
    attachment = add_attachment(ledger.alice, drill, "签到表.pdf", b"%PDF-1.4\n")
    path = tmp_path / attachment.file.name
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        delete_activity(ledger.alice, drill)
    assert not path.exists()
