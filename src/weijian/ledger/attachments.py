"""Checking and cleaning an uploaded attachment: a photo (JPEG, PNG, WebP) or a PDF, at most
`max_bytes()`. Photos are decoded and saved again without their metadata (EXIF: GPS position,
camera, time), after turning them upright as the EXIF orientation said."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from PIL import Image, ImageOps, UnidentifiedImageError

IMAGE_FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
}
MAX_PIXELS = 40_000_000  # a 40-megapixel photo; bigger is refused (and Pillow's bomb guard)
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def max_bytes() -> int:
    return getattr(settings, "WEIJIAN_LEDGER_MAX_ATTACHMENT_BYTES", DEFAULT_MAX_BYTES)


class AttachmentProblem(ValueError):
    """Why a file was refused, in Chinese."""


@dataclass(frozen=True)
class CleanFile:
    content: bytes
    content_type: str
    extension: str


def clean_upload(name: str, data: bytes) -> CleanFile:
    limit = max_bytes()
    if not data:
        raise AttachmentProblem(f"文件“{name}”是空文件")
    if len(data) > limit:
        raise AttachmentProblem(
            f"文件“{name}”大小 {len(data) / 1048576:.1f} MB，超过上限 {limit / 1048576:.0f} MB"
        )
    if data.startswith(b"%PDF-"):
        return CleanFile(data, "application/pdf", "pdf")
    return _clean_image(name, data)


def _clean_image(name: str, data: bytes) -> CleanFile:
    refused = AttachmentProblem(f"文件“{name}”不是图片（JPG、PNG、WebP）或 PDF，不能上传")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in IMAGE_FORMATS:
                raise refused
            if image.width * image.height > MAX_PIXELS:
                raise AttachmentProblem(f"图片“{name}”像素过多（{image.width}×{image.height}）")
            image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, Warning):
        raise refused from None
    content_type, extension = IMAGE_FORMATS[image.format]
    upright = ImageOps.exif_transpose(image)
    out = io.BytesIO()
    if image.format == "JPEG":
        upright = upright.convert("RGB") if upright.mode not in ("RGB", "L") else upright
        upright.save(out, "JPEG", quality=88, optimize=True)
    else:
        upright.save(out, image.format)
    return CleanFile(out.getvalue(), content_type, extension)
