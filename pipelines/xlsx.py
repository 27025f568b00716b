"""Looking inside an .xlsx container before and beside fastexcel.

fastexcel (calamine) gives each sheet as a grid that starts at its first non-empty cell and shows Excel error
values (`#DIV/0!`) as empty. To report Excel row numbers and error cells, and to refuse zip bombs before
anything is decompressed, we read the zip directory and the sheet XML ourselves, with the standard library.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree

_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL_DOC = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_REL_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CELL = re.compile(rb"<c\b([^>]*?)(/?)>")
_REF = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')
_TYPE_ERROR = re.compile(rb'\bt="e"')


class XlsxError(ValueError):
    """The file is not a workbook we can open safely."""


@dataclass
class SheetLayout:
    """Where a sheet's grid starts in Excel terms, and which cells hold Excel errors."""

    first_row: int = 1  # Excel row number of the grid's first row
    first_col: int = 1  # Excel column number (A = 1) of the grid's first column
    error_cells: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) -> '#DIV/0!'
    xml_bytes: int = 0


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


def check_container(zf: zipfile.ZipFile, max_unzipped_bytes: int, max_ratio: int = 200) -> int:
    """Total uncompressed size; raises XlsxError when the workbook would expand too far."""
    total = 0
    for info in zf.infolist():
        total += info.file_size
        if info.compress_size and info.file_size > 1_000_000 and info.file_size / info.compress_size > max_ratio:
            raise XlsxError(f"{info.filename} expands {info.file_size // info.compress_size}× when unzipped")
    if total > max_unzipped_bytes:
        raise XlsxError(f"unzipped size {total} bytes")
    return total


def sheet_members(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> zip member of its XML, from xl/workbook.xml and its relationships."""
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
    for sheet in workbook.iter(f"{_NS_MAIN}sheet"):
        member = targets.get(sheet.get(f"{_NS_REL_DOC}id"))
        if member:
            members[sheet.get("name", "")] = member
    return members


def sheet_layout(zf: zipfile.ZipFile, member: str) -> SheetLayout:
    """First non-empty row and column of a sheet, and its error cells."""
    xml = zf.read(member)
    layout = SheetLayout(xml_bytes=len(xml))
    has_errors = _TYPE_ERROR.search(xml) is not None
    first_row = None
    first_col = None
    for m in _CELL.finditer(xml):
        if m.group(2):  # <c .../> holds nothing
            continue
        end = xml.find(b"</c>", m.end())
        content = xml[m.end():end]
        if b"<v>" not in content and b"<is>" not in content and b"<v " not in content:
            continue
        ref = _REF.search(m.group(1))
        if ref is None:
            continue
        row, col = int(ref.group(2)), column_number(ref.group(1))
        first_row = row if first_row is None else min(first_row, row)
        first_col = col if first_col is None else min(first_col, col)
        if _TYPE_ERROR.search(m.group(1)):
            value = content.split(b"<v>", 1)[-1].split(b"</v>", 1)[0].decode(errors="replace")
            layout.error_cells[(row, col)] = value
        elif not has_errors and first_col == 1:
            # the grid starts at column A and no error cells exist: the first cell is all we need
            break
    layout.first_row = first_row or 1
    layout.first_col = first_col or 1
    return layout
