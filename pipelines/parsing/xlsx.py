"""Looking inside an .xlsx container before and beside fastexcel.

fastexcel (calamine) gives each sheet as a grid that starts at its first non-empty cell and shows Excel error
values (`#DIV/0!`) as empty. To report Excel row numbers and error cells, and to refuse zip bombs before
anything is decompressed by calamine, we read the zip directory and the sheet XML ourselves, with the standard
library.

The zip-bomb guard does not trust the sizes a zip declares: `inspect_container` inflates every member once,
streaming and discarding the output, and stops as soon as the real total passes the limit. So a member that
lies about its size, or many directory entries that share one compressed stream, are caught before calamine
(which would inflate them into memory) ever opens the file. Memory stays at a few megabytes whatever the file.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL_DOC = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_REL_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_REF = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')
_ROW_NUMBER = re.compile(rb'\br="(\d+)"')
_TYPE_ERROR = re.compile(rb'\bt="e"')
_SHEET_DATA = re.compile(rb"<(\w+:)?sheetData[\s>/]")
# a cell's reference, its column letters and its row (a row's r= has no letters)
# (no \b: four times slower; an attribute named like '…r' holding a cell reference only widens the bound)
_CELL_COLUMN = re.compile(rb'r="([A-Z]{1,3})[0-9]')
_CELL_ROW = re.compile(rb'r="[A-Z]{1,3}([0-9]{1,9})"')
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="\$?([A-Z]{1,3})\$?([0-9]{1,9})(?::\$?([A-Z]{1,3})\$?([0-9]{1,9}))?"')
_CHUNK = 1 << 20


class XlsxError(ValueError):
    """The file is not a workbook we can open safely."""


class XlsxTooLarge(XlsxError):
    """The workbook expands too far when unzipped (a zip bomb, or simply too big)."""

    def __init__(self, message: str, size: int, limit: int):
        super().__init__(message)
        self.size = size
        self.limit = limit


@dataclass
class SheetLayout:
    """Where a sheet's grid starts in Excel terms, and which cells hold Excel errors."""

    first_row: int = 1  # Excel row number of the grid's first row
    first_col: int = 1  # Excel column number (A = 1) of the grid's first column
    error_cells: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) -> '#DIV/0!'
    xml_bytes: int = 0
    rows: int = 0  # number of rows in the XML (the last row number when larger)
    cells: int = 0  # number of cell elements in the XML
    last_row: int = 0  # the used range, A1 to (last_col, last_row): the largest of every cell's reference and the
    last_col: int = 0  # sheet's <dimension>; fastexcel allocates a grid cell for each of its cells, empty or not
    too_large: str | None = None  # why the sheet must not be loaded: 'rows', 'cells', 'range' or 'bytes'

    @property
    def range_cells(self) -> int:
        return self.last_row * self.last_col


def column_number(letters: bytes | str) -> int:
    n = 0
    for ch in letters.decode() if isinstance(letters, bytes) else letters:
        n = n * 26 + ord(ch) - 64
    return n


def column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rem = divmod(number - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


# ---------------------------------------------------------------------------------------------- container

def inspect_container(path: Path, zf: zipfile.ZipFile, *, max_unzipped_bytes: int, max_part_bytes: int,
                      max_members: int = 10_000, max_ratio: int = 200) -> dict[str, int]:
    """Every member's real inflated size; raises XlsxTooLarge or XlsxError before anything is kept in memory.

    `max_part_bytes` bounds each XML part calamine reads whole when it opens a workbook (shared strings,
    styles, the workbook itself); worksheets are bounded separately, sheet by sheet (see `sheet_layout`).
    """
    infos = zf.infolist()
    if len(infos) > max_members:
        raise XlsxTooLarge(f"{len(infos)} members", len(infos), max_members)
    declared = sum(i.file_size for i in infos)
    if declared > max_unzipped_bytes:
        raise XlsxTooLarge(f"declared unzipped size {declared} bytes", declared, max_unzipped_bytes)
    for info in infos:
        if info.compress_size and info.file_size > 1_000_000 and info.file_size / info.compress_size > max_ratio:
            raise XlsxTooLarge(f"{info.filename} expands {info.file_size // info.compress_size}× when unzipped",
                               declared, max_unzipped_bytes)
    sizes: dict[str, int] = {}
    total = 0
    with open(path, "rb") as raw:
        for info in infos:
            if info.is_dir():
                continue
            budget = max_unzipped_bytes - total
            if not info.filename.startswith("xl/worksheets/") and info.filename.endswith((".xml", ".rels")):
                budget = min(budget, max_part_bytes)
            size = _inflated_size(raw, info, budget)
            if size > budget:
                part_limit = budget < max_unzipped_bytes - total
                raise XlsxTooLarge(f"{info.filename} expands beyond {budget} bytes",
                                   size if part_limit else total + size,
                                   max_part_bytes if part_limit else max_unzipped_bytes)
            if size != info.file_size:
                raise XlsxError(f"{info.filename}: {size} bytes when unzipped, the zip says {info.file_size}")
            sizes[info.filename] = size
            total += size
    return sizes


def _inflated_size(raw, info: zipfile.ZipInfo, budget: int) -> int:
    """How many bytes the member really inflates to, or budget + 1 as soon as it passes the budget."""
    if info.flag_bits & 0x1:
        raise XlsxError(f"{info.filename} is encrypted")
    raw.seek(info.header_offset)
    header = raw.read(30)
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise XlsxError(f"{info.filename}: bad local header")
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    raw.seek(info.header_offset + 30 + name_length + extra_length)
    remaining = info.compress_size
    if info.compress_type == zipfile.ZIP_STORED:
        return remaining if remaining <= budget else budget + 1
    if info.compress_type != zipfile.ZIP_DEFLATED:
        raise XlsxError(f"{info.filename}: compression method {info.compress_type} is not used by Excel")
    inflater = zlib.decompressobj(-15)
    size = 0
    try:
        while remaining > 0:
            chunk = raw.read(min(remaining, _CHUNK))
            if not chunk:
                raise XlsxError(f"{info.filename}: truncated")
            remaining -= len(chunk)
            while chunk:
                size += len(inflater.decompress(chunk, _CHUNK))
                if size > budget:
                    return budget + 1
                chunk = inflater.unconsumed_tail
            if inflater.eof:
                break
        size += len(inflater.flush())
    except zlib.error as err:
        raise XlsxError(f"{info.filename}: {err}") from None
    if not inflater.eof:
        raise XlsxError(f"{info.filename}: truncated deflate stream")
    return size


def check_container(zf: zipfile.ZipFile, max_unzipped_bytes: int, max_ratio: int = 200) -> int:
    """Total declared uncompressed size; raises XlsxError when the workbook would expand too far.

    Trusts the sizes the zip declares: use `inspect_container` to measure them.
    """
    total = 0
    for info in zf.infolist():
        total += info.file_size
        if info.compress_size and info.file_size > 1_000_000 and info.file_size / info.compress_size > max_ratio:
            raise XlsxTooLarge(f"{info.filename} expands {info.file_size // info.compress_size}× when unzipped",
                               total, max_unzipped_bytes)
    if total > max_unzipped_bytes:
        raise XlsxTooLarge(f"unzipped size {total} bytes", total, max_unzipped_bytes)
    return total


# ---------------------------------------------------------------------------------------------- sheets

def used_range(xml: bytes, sheet_data_at: int) -> tuple[int, int]:
    """(last row, last column) of a sheet: the largest of its cells' references and of its <dimension>.

    Every cell reference counts, even an empty styled one (`<c r="XFD1" s="1"/>`): an upper bound on what a
    reader allocates, read without building anything per cell.
    """
    last_row = last_col = 0
    dimension = _DIMENSION.search(xml, 0, sheet_data_at)
    if dimension:
        letters, digits = (dimension.group(3), dimension.group(4)) if dimension.group(3) else dimension.group(1, 2)
        last_row, last_col = int(digits), column_number(letters)
    end = len(xml)
    pos = sheet_data_at
    while pos < end:  # in slices that end before a '<' (a reference never spans one), so no list grows large
        stop = xml.find(b"<", min(pos + _CHUNK, end))
        stop = end if stop < 0 else stop
        columns = set(_CELL_COLUMN.findall(xml, pos, stop))
        if columns:
            widest = max(columns, key=lambda letters: (len(letters), letters))  # 'AA' > 'Z'
            last_col = max(last_col, column_number(widest))
            last_row = max(last_row, max(map(int, set(_CELL_ROW.findall(xml, pos, stop)))))
        pos = stop
    return last_row, last_col


def workbook_sheets(zf: zipfile.ZipFile) -> tuple[dict[str, str], set[str]]:
    """Sheet name -> zip member of its XML, and the names of the hidden and very-hidden sheets
    (`<sheet state="hidden|veryHidden">`), from xl/workbook.xml and its relationships.

    The XML is parsed by expat, which refuses entity expansion bombs ('billion laughs').
    """
    try:
        workbook = ElementTree.fromstring(zf.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError) as err:
        raise XlsxError(f"not a workbook: {err}") from err
    targets = {}
    for rel in rels.iter(f"{_NS_REL_PKG}Relationship"):
        target = rel.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else "xl/" + target
        targets[rel.get("Id")] = target
    members = {}
    hidden = set()
    for sheet in workbook.iter(f"{_NS_MAIN}sheet"):
        member = targets.get(sheet.get(f"{_NS_REL_DOC}id"))
        if member:
            members[sheet.get("name", "")] = member
        if sheet.get("state") in ("hidden", "veryHidden"):
            hidden.add(sheet.get("name", ""))
    return members, hidden


def sheet_layout(zf: zipfile.ZipFile, member: str, *, size: int | None = None, max_bytes: int | None = None,
                 max_rows: int | None = None, max_cells: int | None = None,
                 max_range_cells: int | None = None) -> SheetLayout:
    """First non-empty row and column of a sheet, its used range and its error cells.

    With limits, a sheet that is too large is only measured (`too_large` says why), never loaded; a sheet whose
    XML is larger than `max_bytes` is not even read. `max_range_cells` bounds the used range (last row × last
    column): what fastexcel allocates is that rectangle, so one stray cell at XFD3000 in an 8 KB file would
    cost 49 million grid cells.
    """
    if size is not None and max_bytes is not None and size > max_bytes:
        return SheetLayout(xml_bytes=size, too_large="bytes")
    xml = zf.read(member)
    layout = SheetLayout(xml_bytes=len(xml))
    if max_bytes is not None and len(xml) > max_bytes:
        layout.too_large = "bytes"
        return layout
    m = _SHEET_DATA.search(xml)
    prefix = (m.group(1) or b"") if m else b""
    row_tag, cell_tag, cell_end = b"<" + prefix + b"row", b"<" + prefix + b"c", b"</" + prefix + b"c>"
    layout.rows = xml.count(row_tag + b" ") + xml.count(row_tag + b">")
    last = xml.rfind(row_tag + b" ")
    if last >= 0:
        number = _ROW_NUMBER.search(xml, last, xml.find(b">", last) + 1)
        if number:
            layout.rows = max(layout.rows, int(number.group(1)))
    layout.cells = xml.count(cell_tag + b" ") + xml.count(cell_tag + b">")
    if max_rows is not None and layout.rows > max_rows:
        layout.too_large = "rows"
        return layout
    if max_cells is not None and layout.cells > max_cells:
        layout.too_large = "cells"
        return layout
    layout.last_row, layout.last_col = used_range(xml, m.start() if m else len(xml))
    if max_range_cells is not None and layout.range_cells > max_range_cells:
        layout.too_large = "range"
        return layout
    # the plain `in` first: the regex alone (its \b defeats the fast substring search) scans 10 times slower
    has_errors = b't="e"' in xml and _TYPE_ERROR.search(xml) is not None
    cell = re.compile(re.escape(cell_tag) + rb"\b([^>]*?)(/?)>")
    first_row = None
    first_col = None
    for m in cell.finditer(xml):
        if m.group(2):  # <c .../> holds nothing
            continue
        end = xml.find(cell_end, m.end())
        content = xml[m.end():end]
        if b"<" + prefix + b"v>" not in content and b"<" + prefix + b"is>" not in content \
                and b"<" + prefix + b"v " not in content:
            continue
        ref = _REF.search(m.group(1))
        if ref is None:
            continue
        row, col = int(ref.group(2)), column_number(ref.group(1))
        first_row = row if first_row is None else min(first_row, row)
        first_col = col if first_col is None else min(first_col, col)
        if _TYPE_ERROR.search(m.group(1)):
            value = re.split(rb"<" + re.escape(prefix) + rb"v>", content, maxsplit=1)[-1]
            value = value.split(b"</", 1)[0].decode(errors="replace")
            layout.error_cells[(row, col)] = value
        elif not has_errors and first_col == 1:
            # the grid starts at column A and no error cells exist: the first cell is all we need
            break
    layout.first_row = first_row or 1
    layout.first_col = first_col or 1
    return layout


# ---------------------------------------------------------------------------------------------- reading

def sheet_columns(reader, sheet: str, **options) -> tuple[list[list], int]:
    """A sheet as fastexcel reads it (`fastexcel.ExcelReader`, no header row): its columns as lists, and its
    number of rows. `options` go to fastexcel (`dtypes`, `use_columns`).

    Loaded eagerly into an Arrow record batch: a DataFrame in between costs more than the reading itself.
    """
    batch = reader.load_sheet_eager(sheet, header_row=None, **options)
    return [column.to_pylist() for column in batch.columns], batch.num_rows
