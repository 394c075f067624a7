"""Photos from phones: images only, size-limited, EXIF (GPS, device) stripped by re-encoding.

The stored file is a fresh JPEG written by Pillow from the decoded pixels (turned upright
first), so no metadata of the original survives; large photos are scaled to 2000 px.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_SIDE = 2000
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "BMP", "MPO"}
# Refused from the header, before decoding: a few-kB PNG can declare 10000 × 7000 pixels
# (210 MB once RGB). 50 M pixels is above the photos phones save by default (12–50 MP).
MAX_PIXELS = 50_000_000


class PhotoError(ValueError):
    """The upload is refused; the message is the Chinese reason."""


@dataclass(frozen=True)
class CleanPhoto:
    data: bytes
    width: int
    height: int


def max_bytes() -> int:
    return getattr(settings, "WEIJIAN_INSPECTION_PHOTO_MAX_BYTES", 8 * 1024 * 1024)


def clean_photo(raw: bytes, name: str = "") -> CleanPhoto:
    limit = max_bytes()
    label = f"“{name}”" if name else ""
    if len(raw) > limit:
        raise PhotoError(
            f"照片{label}太大（{len(raw) / 1048576:.1f} MB），单张不能超过 {limit / 1048576:.0f} MB"
        )
    if not raw:
        raise PhotoError(f"照片{label}是空文件")
    try:
        with Image.open(io.BytesIO(raw)) as probe:
            fmt = probe.format
            pixels = probe.width * probe.height
            probe.verify()
        if fmt not in ALLOWED_FORMATS:
            raise PhotoError(f"文件{label}不是支持的图片格式（JPG、PNG、WEBP）")
        if pixels > MAX_PIXELS:
            raise PhotoError(
                f"照片{label}像素过大（{pixels / 1e6:.0f} 百万像素），请缩小后上传"
                f"（不超过 {MAX_PIXELS / 1e6:.0f} 百万像素）"
            )
        with Image.open(io.BytesIO(raw)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
            rgb = upright.convert("RGB")
    except PhotoError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise PhotoError(f"文件{label}不是图片，只能上传照片（JPG、PNG、WEBP）") from None
    rgb.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    rgb.save(out, "JPEG", quality=85, optimize=True)
    return CleanPhoto(out.getvalue(), rgb.width, rgb.height)


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def store(photo: CleanPhoto, year: int) -> str:
    """Write the cleaned photo; returns its path relative to MEDIA_ROOT."""
    relative = f"inspections/{year}/{uuid.uuid4().hex}.jpg"
    target = media_root() / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(photo.data)
    return relative
