"""Reading a workbook: its sheets, its `Thông tin` sheet, each family sheet's grid, header and data rows.

The container is checked first (`xlsx.py`: sizes measured while inflating, the used range of every sheet), so
nothing is loaded that the limits do not allow. Then each family sheet becomes one report.
"""

from __future__ import annotations

import datetime as dt
import re
import struct
import zipfile
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator
from pathlib import Path
from xml.etree import ElementTree

import fastexcel
import polars as pl
import pyarrow as pa

from .families import FAMILIES
from .header import find_header, is_column_numbers, is_total_label
from .info import INFO_SHEET, apply_header, read_info
from .results import Cell, Context, Limits, ParsedReport, RawRow
from .rows import build_rows, looks_like_data
from .checks import check_timeliness
from .rules import Issue, issue
from .text import clean, count_vi, fold, is_thousands_dot, mb_vi
from .xlsx import (SheetLayout, XlsxError, XlsxTooLarge, column_letters, inspect_container, sheet_columns,
                   sheet_layout, workbook_sheets)

_SHEET_FAMILY = {fold(spec.sheet): family for family, spec in FAMILIES.items()}
_VERSION_SUFFIX = re.compile(r"^(.*?)\s*\((\d{1,3})\)$")  # 'Giảm nghèo (2)'


def sheet_family(name: str) -> tuple[str | None, int]:
    """The family a sheet name stands for and its version suffix: 'Giảm nghèo (2)' -> ('poverty', 2)."""
    key = fold(name)
    if key in _SHEET_FAMILY:
        return _SHEET_FAMILY[key], 0
    m = _VERSION_SUFFIX.match(key)
    if m and m.group(1) in _SHEET_FAMILY:
        return _SHEET_FAMILY[m.group(1)], int(m.group(2))
    return None, 0


@dataclass
class _SheetChoice:
    """Which sheet of each family is read, and what is said about the others."""

    read: list[tuple[str, str]]  # (sheet, family) in workbook order
    notes: dict[str, list[Issue]]  # family -> warnings for its report (hidden or older sheets not read)
    duplicates: dict[str, list[str]]  # family -> visible sheets that cannot be told apart (an error)
    hidden: list[str]  # hidden family sheets


def choose_sheets(members: list[str], hidden: set[str]) -> _SheetChoice:
    """Spec v2 'Which sheet': a hidden sheet is never read; of several visible sheets of one family, the last
    counts when their names differ only by a version suffix ('Giảm nghèo (2)'), else it is an error."""
    visible: dict[str, list[tuple[str, int]]] = {}
    hidden_of: dict[str, list[str]] = {}
    for name in members:
        family, version = sheet_family(name)
        if family is None:
            continue
        if name in hidden:
            hidden_of.setdefault(family, []).append(name)
        else:
            visible.setdefault(family, []).append((name, version))
    choice = _SheetChoice([], {}, {}, [s for names in hidden_of.values() for s in names])
    for family, sheets in visible.items():
        versions = [v for _, v in sheets]
        name = sheets[-1][0]
        if len(set(versions)) < len(versions):
            choice.duplicates[family] = [s for s, _ in sheets]
        elif len(sheets) > 1:
            ignored = [s for s, _ in sheets[:-1]]
            choice.notes.setdefault(family, []).append(issue(
                "report_sheet_version_used", family_vi=FAMILIES[family].vi, sheet=name,
                sheets=", ".join(f"'{s}'" for s, _ in sheets), ignored=", ".join(f"'{s}'" for s in ignored)))
        choice.read.append((name, family))
    order = {name: i for i, name in enumerate(members)}
    choice.read.sort(key=lambda sf: order[sf[0]])
    for family, names in hidden_of.items():
        read = next((s for s, f in choice.read if f == family), None)
        target = family if read is not None else (choice.read[0][1] if choice.read else family)
        for name in names:
            used = f"; đã đọc trang '{read}'" if read is not None else ""
            choice.notes.setdefault(target, []).append(issue("hidden_sheet_ignored", sheet=name, used=used))
    return choice


class FileRefused(Exception):
    """The file as a whole is refused: one issue on the file, no report read from it."""

    def __init__(self, code: str, **params: object):
        super().__init__(code)
        self.code = code
        self.params = params


_LOAD_ERRORS = (fastexcel.FastExcelError, pl.exceptions.PolarsError, pa.ArrowException, OSError, ValueError)


@dataclass
class Container:
    """A workbook whose container passed the limits (`open_container`): sheet name -> zip member, the hidden
    sheets, and, while the zip is open, the layout of the sheets that will be read (`lay_out`)."""

    members: dict[str, str]
    hidden: set[str]
    zf: zipfile.ZipFile
    sizes: dict[str, int]  # zip member -> its size, measured while inflating
    limits: Limits

    def lay_out(self, names: list[str]) -> dict[str, SheetLayout]:
        """The layout (used range, sizes) of each of these sheets; raises FileRefused as `open_container` does."""
        limits = self.limits
        with _refused_when_broken(limits):
            return {name: sheet_layout(self.zf, self.members[name], size=self.sizes.get(self.members[name]),
                                       max_bytes=limits.max_sheet_xml_bytes, max_rows=limits.max_rows,
                                       max_cells=limits.max_cells, max_range_cells=limits.max_range_cells)
                    for name in names}


@contextmanager
def open_container(path: Path, limits: Limits) -> Iterator[Container]:
    """Check a workbook's container against the limits and list its sheets, in a `with` block: the zip is opened
    once and stays open for `Container.lay_out` until the block ends.

    The one guard every workbook passes before anything is loaded (reports and plans alike); raises FileRefused
    (workbook_too_large, file_unreadable) with a message for the clerk.
    """
    with _refused_when_broken(limits):
        zf = zipfile.ZipFile(path)
    with zf:
        with _refused_when_broken(limits):
            sizes = inspect_container(path, zf, max_unzipped_bytes=limits.max_unzipped_bytes,
                                      max_part_bytes=limits.max_sheet_xml_bytes, max_members=limits.max_members)
            members, hidden = workbook_sheets(zf)
        yield Container(members, hidden, zf, sizes, limits)


@contextmanager
def _refused_when_broken(limits: Limits) -> Iterator[None]:
    """What goes wrong while the container is read, as FileRefused (workbook_too_large, file_unreadable)."""
    try:
        yield
    except XlsxTooLarge as big:
        if big.limit == limits.max_members:
            detail = f"{count_vi(big.size)} phần; tối đa {count_vi(big.limit)}"
        elif big.size > big.limit + 1:
            detail = f"{mb_vi(big.size)} MB; tối đa {mb_vi(big.limit)} MB"
        else:
            detail = f"hơn {mb_vi(big.limit)} MB; tối đa {mb_vi(big.limit)} MB"
        raise FileRefused("workbook_too_large", detail=detail) from None
    except zipfile.BadZipFile as err:
        raise FileRefused("file_unreadable", detail=f"tệp .xlsx bị hỏng hoặc không trọn vẹn ({err})") from None
    except XlsxError as err:
        raise FileRefused("file_unreadable", detail=f"tệp không phải sổ Excel hợp lệ ({err})") from None
    except (OSError, KeyError, EOFError, struct.error, zlib.error, RuntimeError, NotImplementedError,
            ValueError, ElementTree.ParseError) as err:
        raise FileRefused("file_unreadable", detail=f"tệp .xlsx bị hỏng ({type(err).__name__}: {err})") from None


def parse_workbook(path: Path, file_name: str, sha: str, received: dt.datetime, ctx: Context,
                   container: Container) -> list[ParsedReport]:
    """The reports of a workbook whose container `open_container` checked (and still holds open)."""
    limits = ctx.limits
    members, hidden = container.members, container.hidden
    choice = choose_sheets(list(members), hidden)
    family_sheets = choice.read
    info_sheet = next((name for name in members if fold(name) == INFO_SHEET), None)
    layouts = container.lay_out([s for s, _ in family_sheets] + ([info_sheet] if info_sheet is not None else []))

    if not family_sheets:
        raise FileRefused("no_report_sheet", expected=", ".join(f"'{f.sheet}'" for f in FAMILIES.values()),
                          sheets=", ".join(f"'{s}'" + (" (đang ẩn)" if s in hidden else "")
                                           for s in members) or "không có")
    try:
        reader = fastexcel.read_excel(path)
    except _LOAD_ERRORS as err:
        raise FileRefused("file_unreadable", detail=f"tệp .xlsx bị hỏng ({str(err)[:200]})") from None

    header: dict[str, str] | None = None
    header_issue = issue("info_sheet_missing")
    if info_sheet is not None:
        too_large = _too_large_issue(info_sheet, layouts[info_sheet], limits)
        if too_large is not None:
            header_issue = too_large
        else:
            try:
                header = read_info(reader, info_sheet)
            except _LOAD_ERRORS as err:
                header_issue = issue("file_unreadable", detail=f"không đọc được trang '{info_sheet}' ({err})")

    reports = []
    for sheet, family in family_sheets:
        report = ParsedReport(file_name, sheet, sha, received, family=family)
        if header is None:
            report.issues.append(header_issue)
        else:
            apply_header(report, header, ctx)
        report.issues.extend(choice.notes.get(family, []))
        if family in choice.duplicates:
            names = choice.duplicates[family]
            report.issues.append(issue("report_sheet_duplicate", family_vi=FAMILIES[family].vi,
                                       sheets=", ".join(f"'{s}'" for s in names),
                                       example=f"{FAMILIES[family].sheet} (2)"))
            reports.append(report)
            continue
        layout = layouts[sheet]
        too_large = _too_large_issue(sheet, layout, limits)
        if too_large is not None:
            report.issues.append(too_large)
        elif header is not None:
            try:
                grid = load_grid(reader, sheet, layout, ctx)
            except SheetTooLarge as big:
                report.issues.append(issue("sheet_too_large", sheet=sheet,
                                           detail=f"{count_vi(big.rows)} dòng; tối đa {count_vi(limits.max_rows)} dòng"))
            except _LOAD_ERRORS as err:
                report.issues.append(issue("file_unreadable", detail=f"không đọc được trang '{sheet}' ({err})"))
            else:
                read_rows(report, grid, layout, ctx)
        check_timeliness(report, ctx)
        reports.append(report)
    return reports


def _too_large_issue(sheet: str, layout: SheetLayout, limits: Limits) -> Issue | None:
    if layout.too_large == "bytes":
        detail = f"{mb_vi(layout.xml_bytes)} MB khi giải nén; tối đa {mb_vi(limits.max_sheet_xml_bytes)} MB"
    elif layout.too_large == "rows":
        detail = f"{count_vi(layout.rows)} dòng; tối đa {count_vi(limits.max_rows)} dòng"
    elif layout.too_large == "cells":
        detail = f"{count_vi(layout.cells)} ô; tối đa {count_vi(limits.max_cells)} ô"
    elif layout.too_large == "range":
        detail = (f"vùng dữ liệu A1:{column_letters(layout.last_col)}{layout.last_row}, {count_vi(layout.range_cells)} "
                  f"ô kể cả ô trống; tối đa {count_vi(limits.max_range_cells)} ô")
    else:
        return None
    return issue("sheet_too_large", sheet=sheet, detail=detail)



class SheetTooLarge(Exception):
    def __init__(self, rows: int):
        super().__init__(rows)
        self.rows = rows


@dataclass
class Grid:
    """A sheet's cells as text, plus which cells Excel stored as numbers where that matters."""

    columns: list[list[str | None]]
    numeric: dict[int, list[bool]]  # column index -> per row: stored as a number (only ambiguous columns)
    height: int


def load_grid(reader: fastexcel.ExcelReader, sheet: str, layout: SheetLayout, ctx: Context) -> Grid:
    columns, height = sheet_columns(reader, sheet, dtypes="string")
    if height > ctx.limits.max_rows:
        raise SheetTooLarge(height)
    # '4.803' in a text cell means 4803, but a number cell holding 4.803 also shows as '4.803': for the
    # columns where that text occurs, ask fastexcel which cells are stored as numbers.
    ambiguous = [i for i, col in enumerate(columns) if any(v is not None and is_thousands_dot(v) for v in col)]
    numeric: dict[int, list[bool]] = {}
    if ambiguous:
        probe, probe_height = sheet_columns(reader, sheet, use_columns=ambiguous,
                                            dtypes={i: "datetime" for i in ambiguous})
        if probe_height == height:
            for i, values in zip(ambiguous, probe):
                numeric[i] = [v is not None for v in values]
    return Grid(columns, numeric, height)


def read_rows(report: ParsedReport, grid: Grid, layout: SheetLayout, ctx: Context) -> None:
    family = report.family
    spec = FAMILIES[family]
    header, missing = find_header(grid, family)
    if header is None:
        labels = {c.name: c.labels[0] for c in spec.columns}
        report.issues.append(issue("required_column_missing", columns=", ".join(f"'{labels[m]}'" for m in missing),
                                   example=f"'{labels[missing[0]]}'"))
        return
    header_row = layout.first_row + header.row_index
    if header.not_understood:
        cells = [f"ô {column_letters(layout.first_col + c)}{header_row + 1}" for c, _ in header.not_understood]
        first = header.not_understood[0]
        report.issues.append(issue("header_not_understood", row=header_row + 1, column=first[1],
                                   address=f"{column_letters(layout.first_col + first[0])}{header_row + 1}",
                                   cells=", ".join(cells), label="', '".join(t for _, t in header.not_understood),
                                   example=f"'{spec.columns[-1].labels[0]}'"))
        return
    letters = {name: column_letters(layout.first_col + c) for name, c in header.columns.items()}
    for name in header.unitless:
        report.issues.append(issue("money_unit_missing", row=header_row, column=header.labels[name],
                                   address=f"{letters[name]}{header_row}", cell=f"ô {letters[name]}{header_row}"))
    for name, unit in header.bad_units.items():
        report.issues.append(issue("money_unit_unknown", row=header_row, column=header.labels[name], unit=unit,
                                   address=f"{letters[name]}{header_row}", cell=f"ô {letters[name]}{header_row}"))
        del header.columns[name]
        del letters[name]
    key_column = "category" if spec.grain == "category" else "commune_name"
    records: list[RawRow] = []
    totals: list[tuple[int, RawRow]] = []  # total-like rows, with how many records were above each
    first = header.row_index + header.height
    if first < grid.height and is_column_numbers(grid, first):
        first += 1
    columns = [(name, c, grid.columns[c], grid.numeric.get(c)) for name, c in header.columns.items()]
    errors = layout.error_cells
    for r in range(first, grid.height):
        excel_row = layout.first_row + r
        cells: dict[str, Cell] = {}
        blank = True
        for name, c, texts, numeric in columns:
            text = texts[r]
            if text is not None:
                text = clean(text)
            error = errors.get((excel_row, layout.first_col + c)) if errors else None
            cells[name] = Cell(text, bool(numeric and numeric[r]), error)
            blank = blank and not text and error is None
        if blank:
            continue
        key_text = cells[key_column].text or ""
        if not key_text and not (cells.get("commune_code") and cells["commune_code"].text):
            # a label merged over the first columns ('Tổng cộng' in A:B) sits in the row's first cell
            key_text = next((clean(col[r]) for col in grid.columns if col[r] is not None and clean(col[r])), "")
        if is_total_label(key_text):
            totals.append((len(records), RawRow(excel_row, cells)))
            continue
        records.append(RawRow(excel_row, cells))
    # A total-like row ('Cộng', 'Tổng') with data rows after it is a subtotal: the rows after it are data. The
    # last total-like row, when no data row follows it, is the total, checked against the sum of all the data
    # rows above it; what follows it is the footer (signatures, notes), not data.
    total: RawRow | None = None
    if totals:
        above, last = totals[-1]
        spec_columns = {c.name: c for c in spec.columns}
        if not any(looks_like_data(row, spec_columns) for row in records[above:]):
            total = last
            records = records[:above]
    build_rows(report, records, header.labels, header.multipliers, ctx, total=total, letters=letters)

