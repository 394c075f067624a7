"""Crafted hostile files for the upload tests: a real workbook or document with one change an
attacker would make (a far-away cell, a member that unpacks to hundreds of megabytes, a
formula with a forged cached result, malformed XML)."""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from functools import cache

BOMB_BYTES = 100 * 1024 * 1024  # 100 MB of spaces deflate to about 100 KB (1 000-fold)


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def rezip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


def first_sheet_name(files: dict[str, bytes]) -> str:
    return sorted(n for n in files if n.startswith("xl/worksheets/sheet"))[0]


def with_far_cell(
    data: bytes, coordinate: str = "XFD1048576", text: str = "x", sheet: str | None = None
) -> bytes:
    """The workbook with one more text cell at `coordinate` in its first sheet (or the member
    `sheet`, e.g. "xl/worksheets/sheet2.xml"), and the sheet's dimension widened to reach it,
    as the attacker's 6–13 KB file had."""
    files = members(data)
    name = sheet or first_sheet_name(files)
    xml = files[name].decode("utf-8")
    row = re.match(r"[A-Z]+(\d+)", coordinate).group(1)
    cell = f'<row r="{row}"><c r="{coordinate}" t="inlineStr"><is><t>{text}</t></is></c></row>'
    xml = xml.replace("</sheetData>", cell + "</sheetData>").replace(
        "<sheetData/>", f"<sheetData>{cell}</sheetData>"
    )
    xml = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="A1:{coordinate}"/>', xml)
    files[name] = xml.encode("utf-8")
    return rezip(files)


def with_cached_formula(data: bytes, coordinate: str, formula: str, cached: str) -> bytes:
    """The workbook with the cell at `coordinate` (which must exist in the first sheet's XML)
    replaced by a formula carrying a cached result, as Excel saves it."""
    files = members(data)
    name = first_sheet_name(files)
    xml = files[name].decode("utf-8")
    pattern = rf'<c r="{coordinate}"([^>]*?)(/>|>.*?</c>)'
    match = re.search(pattern, xml)
    assert match, f"no cell {coordinate} in {name}"
    style = re.search(r'\ss="\d+"', match.group(1))
    replacement = (
        f'<c r="{coordinate}"{style.group(0) if style else ""}><f>{formula}</f><v>{cached}</v></c>'
    )
    files[name] = (xml[: match.start()] + replacement + xml[match.end() :]).encode("utf-8")
    return rezip(files)


@cache
def _bomb_member(prefix: bytes, suffix: bytes) -> tuple[bytes, int, int]:
    """`prefix`, BOMB_BYTES spaces and `suffix` raw-deflated: (compressed bytes, crc, size)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)  # raw deflate, as zip members hold it
    chunk = b" " * (1024 * 1024)
    parts = [compressor.compress(prefix)]
    crc = zlib.crc32(prefix)
    for _ in range(BOMB_BYTES // len(chunk)):
        parts.append(compressor.compress(chunk))
        crc = zlib.crc32(chunk, crc)
    parts += [compressor.compress(suffix), compressor.flush()]
    crc = zlib.crc32(suffix, crc)
    return b"".join(parts), crc, len(prefix) + BOMB_BYTES + len(suffix)


def with_bomb(data: bytes, member: str) -> bytes:
    """The archive with BOMB_BYTES of spaces inserted before the last closing tag of `member`
    (still well-formed XML that a parser would read to the end), so the member really
    unpacks about a thousand-fold: the shape of the 1 MB file that unpacked to gigabytes."""
    files = members(data)
    content = files.pop(member, b"<x></x>")
    cut = content.rindex(b"</")
    compressed, crc, size = _bomb_member(content[:cut], content[cut:])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
        info = zipfile.ZipInfo(member)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.file_size, info.compress_size, info.CRC = size, len(compressed), crc
        _write_raw(archive, info, compressed)
    return out.getvalue()


def _write_raw(archive: zipfile.ZipFile, info: zipfile.ZipInfo, compressed: bytes) -> None:
    """Append an already-deflated member (zipfile has no public call for this)."""
    archive.fp.seek(archive.start_dir)
    info.header_offset = archive.fp.tell()
    info.flag_bits = 0
    archive.fp.write(info.FileHeader(zip64=False))
    archive.fp.write(compressed)
    archive.start_dir = archive.fp.tell()
    archive.filelist.append(info)
    archive.NameToInfo[info.filename] = info
    archive._didModify = True


def with_member(data: bytes, member: str, content: bytes) -> bytes:
    files = members(data)
    files[member] = content
    return rezip(files)


def peak_memory(work):
    """(work(), the peak of Python memory allocated while it ran, in MB), by tracemalloc: a
    guard on what a crafted file costs that, unlike a time limit, does not depend on the
    machine's load."""
    import tracemalloc

    tracemalloc.start()
    try:
        result = work()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak / 1024 / 1024


def pixel_bomb_png(width: int = 10000, height: int = 7000) -> bytes:
    """A black 1-bit PNG of width × height: a few KB on disk, width × height × 3 bytes once
    decoded to RGB (10000 × 7000: 210 MB)."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("1", (width, height)).save(out, "PNG")
    return out.getvalue()
