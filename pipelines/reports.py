"""Where a district report is parsed: a workbook or CSV file in, reports with rows and issues out.

`parse_file` never raises for bad input: whatever is wrong with a file becomes an `Issue` (see `rules.py`) on
the report it concerns, so one bad file or sheet never stops the others. Values come out in canonical units:
households, km, whole VND, booleans.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import fastexcel
import polars as pl

from .reference import MatchError, Reference, Unit
from .rules import ERROR, WARNING, Issue, issue
from .text import (NumberError, Period, clean, fold, is_thousands_dot, parse_date, parse_number, parse_period,
                   parse_yes_no)
from .xlsx import SheetLayout, XlsxError, check_container, sheet_layout, sheet_members

VIETNAM = dt.timezone(dt.timedelta(hours=7), "Asia/Ho_Chi_Minh")


# ---------------------------------------------------------------------------------------------- formats

@dataclass(frozen=True)
class Column:
    name: str
    labels: tuple[str, ...]
    kind: str  # 'name' | 'code' | 'count' | 'km' | 'money' | 'yesno' | 'category'
    required: bool = False


_NAME = Column("commune_name", ("Xã, phường, thị trấn", "Tên xã", "Đơn vị", "Tên đơn vị"), "name", True)
_CODE = Column("commune_code", ("Mã xã", "Mã đơn vị"), "code")

FAMILIES: dict[str, dict] = {
    "poverty": {
        "sheet": "Giảm nghèo", "period_type": "year", "vi": "giảm nghèo", "grain": "commune",
        "columns": (
            _NAME, _CODE,
            Column("total_households", ("Tổng số hộ", "Tổng số hộ dân cư"), "count", True),
            Column("poor_households", ("Số hộ nghèo", "Hộ nghèo"), "count", True),
            Column("near_poor_households", ("Số hộ cận nghèo", "Hộ cận nghèo"), "count", True),
            Column("em_households", ("Số hộ DTTS", "Tổng số hộ dân tộc thiểu số"), "count"),
            Column("em_poor_households", ("Số hộ nghèo DTTS", "Hộ nghèo dân tộc thiểu số"), "count"),
            Column("em_near_poor_households", ("Số hộ cận nghèo DTTS", "Hộ cận nghèo dân tộc thiểu số"), "count"),
        ),
    },
    "infrastructure": {
        "sheet": "Hạ tầng", "period_type": "quarter", "vi": "hạ tầng", "grain": "commune",
        "columns": (
            _NAME, _CODE,
            Column("rural_road_km", ("Đường GTNT xây mới, nâng cấp (km)", "Đường giao thông nông thôn (km)"),
                   "km", True),
            Column("green_road_km", ("Tuyến đường xanh - sạch - đẹp (km)", "Đường xanh sạch đẹp (km)"), "km"),
            Column("lit_road_km", ("Thắp sáng đường quê (km)", "Đường được thắp sáng (km)"), "km"),
            Column("investment_vnd", ("Vốn đầu tư (triệu đồng)", "Tổng vốn đầu tư (triệu đồng)"), "money"),
            Column("people_contribution_vnd",
                   ("Nhân dân đóng góp (triệu đồng)", "Trong đó: nhân dân đóng góp (triệu đồng)"), "money"),
            Column("ntm_standard", ("Đạt chuẩn NTM",), "yesno"),
            Column("ntm_advanced", ("Đạt chuẩn NTM nâng cao",), "yesno"),
            Column("ntm_model", ("Đạt chuẩn NTM kiểu mẫu",), "yesno"),
            Column("ocop_products", ("Sản phẩm OCOP (lũy kế)", "Số sản phẩm OCOP"), "count"),
        ),
    },
    "savings": {
        "sheet": "Tiết kiệm", "period_type": "year", "vi": "tiết kiệm, chống lãng phí", "grain": "category",
        "columns": (
            Column("category", ("Nội dung", "Lĩnh vực"), "category", True),
            Column("budget_vnd", ("Dự toán (triệu đồng)", "Dự toán chi (triệu đồng)"), "money"),
            Column("planned_savings_vnd", ("Kế hoạch tiết kiệm (triệu đồng)", "Chỉ tiêu tiết kiệm (triệu đồng)"),
                   "money", True),
            Column("achieved_savings_vnd", ("Thực hiện tiết kiệm (triệu đồng)", "Kết quả tiết kiệm (triệu đồng)"),
                   "money", True),
        ),
    },
}
NUMBER_KINDS = ("count", "km", "money")
_PERIOD_TYPE_VI = {"year": "năm", "half": "6 tháng", "quarter": "quý", "month": "tháng"}
_SHEET_FAMILY = {fold(spec["sheet"]): family for family, spec in FAMILIES.items()}
_INFO_SHEET = "thong tin"
_INFO_KEYS = {
    "district_name": ("Đơn vị", "Tên đơn vị", "Đơn vị báo cáo"),
    "district_code": ("Mã đơn vị", "Mã huyện"),
    "period": ("Kỳ báo cáo", "Kỳ"),
    "report_date": ("Ngày lập", "Ngày báo cáo"),
    "prepared_by": ("Người lập",),
}
_INFO_KEY_OF = {fold(label): key for key, labels in _INFO_KEYS.items() for label in labels}
_TOTAL_LABELS = {fold(t) for t in ("Tổng cộng", "Tổng", "Cộng", "Toàn huyện", "Toàn thị xã", "Toàn thành phố")}
_MONEY_UNITS = {"dong": 1, "nghin dong": 1_000, "ngan dong": 1_000, "trieu dong": 1_000_000, "ty dong": 1_000_000_000}
_UNIT_SUFFIX = re.compile(r"\s*\(([^()]*)\)\s*$")
_EXCEL_ERRORS = {"#div/0!", "#ref!", "#n/a", "#value!", "#name?", "#num!", "#null!", "#getting_data", "#spill!"}
HEADER_SEARCH_ROWS = 30


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 20 * 1024 * 1024
    max_unzipped_bytes: int = 200 * 1024 * 1024
    max_sheet_xml_bytes: int = 60 * 1024 * 1024
    max_rows: int = 50_000


# ---------------------------------------------------------------------------------------------- results

@dataclass
class ParsedReport:
    """One report (family × district × period) as found in a file, with its rows and issues."""

    file_name: str
    sheet: str | None
    sha256: str
    received_at: dt.datetime
    family: str | None = None
    period: Period | None = None
    district: Unit | None = None
    report_date: dt.date | None = None
    prepared_by: str | None = None
    rows: list[dict] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    @property
    def report_id(self) -> str:
        return f"{self.sha256}/{self.sheet or ''}"

    @property
    def rejected(self) -> bool:
        return any(i.severity == ERROR for i in self.issues)

    @property
    def status(self) -> str:
        return "rejected" if self.rejected else "accepted"

    def count(self, severity: str) -> int:
        return sum(1 for i in self.issues if i.severity == severity)


@dataclass
class _Context:
    """What parsing a file needs to know: reference data, today's date, limits."""

    reference: Reference
    today: dt.date
    limits: Limits


@dataclass
class _Cell:
    """A cell as read: its text, whether Excel stored it as a number, and any Excel error it holds."""

    text: str | None
    numeric: bool = False
    error: str | None = None


# ---------------------------------------------------------------------------------------------- entry point

def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def received_time(path: Path) -> dt.datetime:
    """When the file arrived in the inbox: its modification time, in Viet Nam time."""
    return dt.datetime.fromtimestamp(path.stat().st_mtime, VIETNAM).replace(tzinfo=None, microsecond=0)


def parse_file(path: Path, file_name: str, reference: Reference, *, today: dt.date | None = None,
               limits: Limits | None = None, sha256: str | None = None) -> list[ParsedReport]:
    """Every report in one inbox file. Never raises for bad content: problems become issues."""
    ctx = _Context(reference, today or dt.datetime.now(VIETNAM).date(), limits or Limits())
    sha = sha256 or file_sha256(path)
    received = received_time(path)

    def file_level(code: str, **params: object) -> list[ParsedReport]:
        report = ParsedReport(file_name, None, sha, received)
        report.issues.append(issue(code, **params))
        return [report]

    size = path.stat().st_size
    if size > ctx.limits.max_file_bytes:
        return file_level("file_too_large", size_mb=round(size / 2**20, 1),
                          limit_mb=round(ctx.limits.max_file_bytes / 2**20))
    with open(path, "rb") as f:
        head = f.read(8)
    if head.startswith(b"PK\x03\x04"):
        try:
            return _parse_workbook(path, file_name, sha, received, ctx)
        except _FileRefused as refused:
            return file_level(refused.code, **refused.params)
    if path.suffix.lower() in (".csv", ".txt"):
        return _parse_csv(path, file_name, sha, received, ctx)
    kind = "xls (Excel 97-2003)" if head.startswith(b"\xd0\xcf\x11\xe0") else f"'{path.suffix or 'no extension'}'"
    return file_level("file_unreadable", detail=f"định dạng {kind}")


class _FileRefused(Exception):
    def __init__(self, code: str, **params: object):
        super().__init__(code)
        self.code = code
        self.params = params


# ---------------------------------------------------------------------------------------------- workbooks

def _parse_workbook(path: Path, file_name: str, sha: str, received: dt.datetime, ctx: _Context) -> list[ParsedReport]:
    try:
        with zipfile.ZipFile(path) as zf:
            try:
                check_container(zf, ctx.limits.max_unzipped_bytes)
            except XlsxError:
                total = sum(i.file_size for i in zf.infolist())
                raise _FileRefused("workbook_too_large", size_mb=round(total / 2**20),
                                   limit_mb=round(ctx.limits.max_unzipped_bytes / 2**20)) from None
            members = sheet_members(zf)
            family_sheets = [(name, _SHEET_FAMILY[fold(name)]) for name in members if fold(name) in _SHEET_FAMILY]
            layouts: dict[str, SheetLayout] = {}
            for name, _family in family_sheets:
                layouts[name] = sheet_layout(zf, members[name])
        reader = fastexcel.read_excel(path)
    except (zipfile.BadZipFile, XlsxError, fastexcel.FastExcelError, OSError, KeyError) as err:
        raise _FileRefused("file_unreadable", detail=type(err).__name__ + ": " + str(err)[:200]) from None

    if not family_sheets:
        raise _FileRefused("no_report_sheet", sheets=", ".join(f"'{s}'" for s in members) or "không có")

    info_sheet = next((s for s in reader.sheet_names if fold(s) == _INFO_SHEET), None)
    header = _read_info(reader, info_sheet) if info_sheet else None

    reports = []
    for sheet, family in family_sheets:
        report = ParsedReport(file_name, sheet, sha, received, family=family)
        if header is None:
            report.issues.append(issue("info_sheet_missing"))
        else:
            _apply_header(report, header, ctx)
        layout = layouts[sheet]
        if layout.xml_bytes > ctx.limits.max_sheet_xml_bytes:
            report.issues.append(issue("sheet_too_large", sheet=sheet, rows="?", limit=ctx.limits.max_rows))
        elif report.district is not None:
            try:
                grid = _load_grid(reader, sheet, layout, ctx)
            except _SheetTooLarge as big:
                report.issues.append(issue("sheet_too_large", sheet=sheet, rows=big.rows, limit=ctx.limits.max_rows))
            else:
                _read_rows(report, grid, layout, ctx)
        _check_timeliness(report, ctx)
        reports.append(report)
    return reports


def _read_info(reader: fastexcel.ExcelReader, sheet: str) -> dict[str, str]:
    frame = pl.DataFrame(reader.load_sheet(sheet, header_row=None, dtypes="string"))
    info: dict[str, str] = {}
    if frame.width < 2:
        return info
    for key_text, value in zip(frame.to_series(0).to_list(), frame.to_series(1).to_list()):
        key = _INFO_KEY_OF.get(fold(key_text).rstrip(":").strip())
        if key and key not in info and value is not None and clean(value):
            info[key] = clean(value)
    return info


def _apply_header(report: ParsedReport, info: dict[str, str], ctx: _Context) -> None:
    """District, period and report date from the 'Thông tin' sheet (or the CSV columns)."""
    spec = FAMILIES[report.family] if report.family else None
    code, name = info.get("district_code"), info.get("district_name")
    if not code and not name:
        report.issues.append(issue("district_missing"))
    else:
        try:
            report.district = ctx.reference.units.match_district(name, code, ctx.reference.provinces)
        except MatchError as err:
            value = code or name
            if err.kind == "ambiguous":
                report.issues.append(issue("district_ambiguous", value=value, candidates=_describe(err.candidates)))
            else:
                report.issues.append(issue("district_unknown", value=value))
    period_text = info.get("period")
    if not period_text:
        report.issues.append(issue("period_missing"))
    else:
        try:
            period = parse_period(period_text)
        except ValueError:
            report.issues.append(issue("period_invalid", value=period_text))
        else:
            if spec and period.type != spec["period_type"]:
                report.issues.append(issue("period_wrong_type", value=period_text, family_vi=spec["vi"],
                                           expected_vi=_PERIOD_TYPE_VI[spec["period_type"]]))
            elif period.last_day >= ctx.today:
                report.issues.append(issue("period_in_future", period=period.code,
                                           end=period.last_day.strftime("%d/%m/%Y")))
            report.period = period
    if info.get("report_date"):
        try:
            report.report_date = parse_date(info["report_date"])
        except ValueError:
            report.issues.append(issue("report_date_invalid", value=info["report_date"]))
    report.prepared_by = info.get("prepared_by")


def _describe(units: list[Unit]) -> str:
    return "; ".join(f"{u.full_name} (mã {u.code})" for u in units)


class _SheetTooLarge(Exception):
    def __init__(self, rows: int):
        super().__init__(rows)
        self.rows = rows


@dataclass
class _Grid:
    """A sheet's cells as text, plus which cells Excel stored as numbers where that matters."""

    columns: list[list[str | None]]
    numeric: dict[int, list[bool]]  # column index -> per row: stored as a number (only ambiguous columns)
    height: int


def _load_grid(reader: fastexcel.ExcelReader, sheet: str, layout: SheetLayout, ctx: _Context) -> _Grid:
    frame = pl.DataFrame(reader.load_sheet(sheet, header_row=None, dtypes="string"))
    if frame.height > ctx.limits.max_rows:
        raise _SheetTooLarge(frame.height)
    columns = [s.to_list() for s in frame.get_columns()]
    # '4.803' in a text cell means 4803, but a number cell holding 4.803 also shows as '4.803': for the
    # columns where that text occurs, ask fastexcel which cells are stored as numbers.
    ambiguous = [i for i, col in enumerate(columns) if any(v is not None and is_thousands_dot(v) for v in col)]
    numeric: dict[int, list[bool]] = {}
    if ambiguous:
        probe = pl.DataFrame(reader.load_sheet(sheet, header_row=None, use_columns=ambiguous,
                                               dtypes={i: "datetime" for i in ambiguous}))
        if probe.height == frame.height:
            for i, series in zip(ambiguous, probe.get_columns()):
                numeric[i] = series.is_not_null().to_list()
    return _Grid(columns, numeric, frame.height)


def _match_label(text: str | None, column: Column) -> tuple[bool, int | None, bool]:
    """(matches, money multiplier, unit given) for a header cell against a canonical column."""
    if text is None:
        return False, None, False
    folded = fold(text)
    if column.kind == "money":
        m = _UNIT_SUFFIX.search(folded)
        unit = m.group(1).strip() if m else None
        base = folded[: m.start()].strip() if m else folded
        for label in column.labels:
            label_base = _UNIT_SUFFIX.sub("", fold(label)).strip()
            if base == label_base:
                if unit is None:
                    return True, 1_000_000, False
                if unit in _MONEY_UNITS:
                    return True, _MONEY_UNITS[unit], True
        return False, None, False
    for label in column.labels:
        folded_label = fold(label)
        if folded == folded_label:
            return True, None, True
        if column.kind == "km" and folded == _UNIT_SUFFIX.sub("", folded_label).strip():
            return True, None, True
    return False, None, False


@dataclass
class _Header:
    row_index: int
    columns: dict[str, int]  # canonical name -> grid column index
    labels: dict[str, str]  # canonical name -> header text as written
    multipliers: dict[str, int]
    unitless: list[str]


def _find_header(grid: _Grid, family: str) -> tuple[_Header | None, list[str]]:
    """The first row naming every required column; else None and the required columns never found."""
    spec_columns = FAMILIES[family]["columns"]
    required = [c.name for c in spec_columns if c.required]
    best_missing = required
    for r in range(min(grid.height, HEADER_SEARCH_ROWS)):
        header = _Header(r, {}, {}, {}, [])
        for c, col in enumerate(grid.columns):
            text = col[r]
            for column in spec_columns:
                if column.name in header.columns:
                    continue
                ok, multiplier, unit_given = _match_label(text, column)
                if ok:
                    header.columns[column.name] = c
                    header.labels[column.name] = clean(text)
                    if multiplier:
                        header.multipliers[column.name] = multiplier
                    if column.kind == "money" and not unit_given:
                        header.unitless.append(column.name)
                    break
        missing = [name for name in required if name not in header.columns]
        if not missing:
            return header, []
        if len(missing) < len(best_missing):
            best_missing = missing
    return None, best_missing


def _read_rows(report: ParsedReport, grid: _Grid, layout: SheetLayout, ctx: _Context) -> None:
    family = report.family
    spec = FAMILIES[family]
    header, missing = _find_header(grid, family)
    if header is None:
        labels = {c.name: c.labels[0] for c in spec["columns"]}
        report.issues.append(issue("required_column_missing", columns=", ".join(f"'{labels[m]}'" for m in missing),
                                   example=f"'{labels[missing[0]]}'"))
        return
    for name in header.unitless:
        report.issues.append(issue("money_unit_missing", row=layout.first_row + header.row_index,
                                   column=header.labels[name]))
    key_column = "category" if spec["grain"] == "category" else "commune_name"
    records: list[_RawRow] = []
    total: _RawRow | None = None
    for r in range(header.row_index + 1, grid.height):
        excel_row = layout.first_row + r
        cells: dict[str, _Cell] = {}
        for name, c in header.columns.items():
            text = grid.columns[c][r]
            error = layout.error_cells.get((excel_row, layout.first_col + c))
            numeric = grid.numeric.get(c, [False] * grid.height)[r]
            cells[name] = _Cell(clean(text) if text is not None else None, numeric, error)
        if all(cell.text in (None, "") and cell.error is None for cell in cells.values()):
            continue
        key_text = cells[key_column].text or ""
        if fold(key_text) in _TOTAL_LABELS:
            total = _RawRow(excel_row, cells)
            break  # what follows a total row is the footer: signatures, notes
        records.append(_RawRow(excel_row, cells))
    _build_rows(report, records, header.labels, header.multipliers, ctx, total=total)


# ---------------------------------------------------------------------------------------------- rows

@dataclass
class _RawRow:
    row_number: int
    cells: dict[str, _Cell]


def _has_numbers(row: _RawRow) -> bool:
    return any(cell.text not in (None, "") or cell.error for name, cell in row.cells.items()
               if name not in ("commune_name", "commune_code", "category"))


def _build_rows(report: ParsedReport, records: list[_RawRow], labels: dict[str, str], multipliers: dict[str, int],
                ctx: _Context, *, total: _RawRow | None = None, csv_values: bool = False) -> None:
    """Resolve each row's commune or category, convert its values and check every row rule."""
    family = report.family
    spec = FAMILIES[family]
    columns = {c.name: c for c in spec["columns"]}
    district = report.district
    seen: dict[str, int] = {}
    rows: list[dict] = []
    units = ctx.reference.units
    categories = {fold(label): cat.category for cat in ctx.reference.savings_categories for label in cat.labels}
    categories.update({cat.category: cat.category for cat in ctx.reference.savings_categories})

    for record in records:
        row_issues: list[Issue] = []
        out: dict = {"row_number": record.row_number}

        def flag(code: str, column: str | None = None, **params: object) -> None:
            row_issues.append(issue(code, row=record.row_number, column=labels.get(column, column), **params))

        if spec["grain"] == "commune":
            name = record.cells["commune_name"].text if "commune_name" in record.cells else None
            code = record.cells["commune_code"].text if "commune_code" in record.cells else None
            try:
                unit = units.match_commune(district.code, name, code)
            except MatchError as err:
                if not _has_numbers(record) and not code:
                    continue  # a note or signature line below the data, not a commune row
                value = code or name or ""
                if err.kind == "ambiguous":
                    flag("commune_ambiguous", "commune_name", value=value, district=district.full_name,
                         candidates=_describe(err.candidates))
                elif err.kind == "other_district":
                    flag("commune_other_district", "commune_name", value=value, district=district.full_name,
                         candidates=_describe_with_district(err.candidates, units))
                else:
                    flag("commune_unknown", "commune_name", value=value, district=district.full_name)
                report.issues.extend(row_issues)
                continue
            if unit.code in seen:
                flag("commune_duplicate", "commune_name", value=unit.full_name, first_row=seen[unit.code])
            seen.setdefault(unit.code, record.row_number)
            out.update(commune_code=unit.code, commune_name=name or unit.full_name, _unit=unit)
        else:
            text = record.cells["category"].text or ""
            category = categories.get(fold(text)) or categories.get(text)
            if category is None:
                if not _has_numbers(record):
                    continue
                flag("category_unknown", "category", value=text,
                     categories=", ".join(c.name_vi for c in ctx.reference.savings_categories))
                report.issues.extend(row_issues)
                continue
            if category in seen:
                flag("category_duplicate", "category", value=text, first_row=seen[category])
            seen.setdefault(category, record.row_number)
            out.update(category=category, category_label=text)

        for name, column in columns.items():
            if column.kind not in NUMBER_KINDS + ("yesno",):
                continue
            cell = record.cells.get(name)
            out[name] = _convert(cell, column, multipliers.get(name, 1 if csv_values else 1_000_000),
                                 csv_values, flag) if cell is not None else None
        _check_row(family, out, flag)
        report.issues.extend(row_issues)
        rows.append(out)

    if not rows and not any(i.severity == ERROR for i in report.issues):
        report.issues.append(issue("no_data_rows", sheet=report.sheet or report.file_name))
    if total is not None:
        _check_total(report, rows, total, columns, labels, multipliers, csv_values)
    if spec["grain"] == "commune" and district is not None:
        present = {r["commune_code"] for r in rows}
        absent = [u for u in units.communes_by_district.get(district.code, []) if u.code not in present]
        if absent and rows:
            report.issues.append(issue("commune_missing", count=len(absent), district=district.full_name,
                                       communes=", ".join(u.full_name for u in absent)))
    for row in rows:
        row.pop("_unit", None)
    report.rows = rows


def _describe_with_district(candidates: list[Unit], units) -> str:
    return "; ".join(f"{u.full_name} (mã {u.code}) của {units.districts[u.parent_code].full_name}"
                     for u in candidates)


def _convert(cell: _Cell, column: Column, multiplier: int, csv_values: bool, flag) -> object:
    """A cell's value in canonical units, or None (flagging the rule it breaks)."""
    if cell.error:
        flag("cell_error", column.name, value=cell.error)
        return None
    text = cell.text
    if text is None or text == "":
        if column.kind == "yesno":
            return False
        if column.required:
            flag("value_missing", column.name)
        return None
    if text.lower() in _EXCEL_ERRORS:
        flag("cell_error", column.name, value=text)
        return None
    if column.kind == "yesno":
        try:
            return parse_yes_no(text)
        except ValueError:
            flag("value_not_yes_no", column.name, value=text)
            return None
    try:
        if cell.numeric or csv_values:
            value = float(text) if re.fullmatch(r"-?\d+(\.\d+)?([eE][-+]?\d+)?", text) else parse_number(text)
        elif re.fullmatch(r"-?\d+(\.\d+)?[eE][-+]?\d+", text):
            value = float(text)
        else:
            value = parse_number(text)
    except NumberError:
        flag("value_not_number", column.name, value=text)
        return None
    if value < 0:
        flag("value_negative", column.name, value=text)
        return None
    if column.kind == "count":
        if abs(value - round(value)) > 1e-9:
            flag("value_not_integer", column.name, value=text)
            return None
        return int(round(value))
    if column.kind == "money":
        return int(round(value * multiplier))
    return round(value, 6)


def _check_row(family: str, row: dict, flag) -> None:
    if family == "poverty":
        total, poor, near = row.get("total_households"), row.get("poor_households"), row.get("near_poor_households")
        em, em_poor, em_near = row.get("em_households"), row.get("em_poor_households"), row.get("em_near_poor_households")
        if total is not None and poor is not None and poor > total:
            flag("poor_exceeds_total", "poor_households", poor=poor, total=total)
        if total is not None and near is not None and near > total:
            flag("near_poor_exceeds_total", "near_poor_households", near_poor=near, total=total)
        checks = [
            ("em_households", em, "Số hộ DTTS", total, "tổng số hộ"),
            ("em_poor_households", em_poor, "Số hộ nghèo DTTS", em, "số hộ DTTS"),
            ("em_poor_households", em_poor, "Số hộ nghèo DTTS", poor, "số hộ nghèo"),
            ("em_near_poor_households", em_near, "Số hộ cận nghèo DTTS", em, "số hộ DTTS"),
            ("em_near_poor_households", em_near, "Số hộ cận nghèo DTTS", near, "số hộ cận nghèo"),
        ]
        for column, value, what, limit, limit_what in checks:
            if value is not None and limit is not None and value > limit:
                flag("em_exceeds_total", column, what=what, value=value, total_what=limit_what, total=limit)
    elif family == "infrastructure":
        unit = row.get("_unit")
        flags = [k for k in ("ntm_standard", "ntm_advanced", "ntm_model") if row.get(k)]
        if unit is not None and unit.type != "Xã":
            if flags:
                flag("ntm_not_applicable", flags[0], value=unit.full_name, unit_type=unit.type.lower())
            for k in ("ntm_standard", "ntm_advanced", "ntm_model"):
                row[k] = None
            return
        if not row.get("ntm_standard"):
            for k, what in (("ntm_advanced", "NTM nâng cao"), ("ntm_model", "NTM kiểu mẫu")):
                if row.get(k):
                    flag("ntm_without_standard", k, what=what)


def _check_total(report: ParsedReport, rows: list[dict], total: _RawRow, columns: dict[str, Column],
                 labels: dict[str, str], multipliers: dict[str, int], csv_values: bool) -> None:
    for name, column in columns.items():
        cell = total.cells.get(name)
        if column.kind not in NUMBER_KINDS or cell is None or cell.text in (None, ""):
            continue
        stated = _convert(cell, column, multipliers.get(name, 1_000_000), csv_values, lambda *a, **k: None)
        if stated is None:
            continue
        computed = sum(r[name] for r in rows if r.get(name) is not None)
        tolerance = 0.5 if column.kind == "count" else max(0.011, abs(computed) * 1e-6)
        if column.kind == "money":
            tolerance = max(multipliers.get(name, 1_000_000) * 0.05, abs(computed) * 1e-6)
        if abs(stated - computed) > tolerance:
            report.issues.append(issue("total_row_mismatch", row=total.row_number, column=labels.get(name, name),
                                       stated=_fmt(stated), computed=_fmt(computed)))


def _fmt(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    return f"{value:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def _check_timeliness(report: ParsedReport, ctx: _Context) -> None:
    if report.rejected or report.district is None or report.period is None or report.family is None:
        return
    due = ctx.reference.due_date(report.district.parent_code, report.family, report.period.code)
    submitted = report.report_date or report.received_at.date()
    if due is not None and submitted > due:
        report.issues.append(issue("report_late", period=report.period.code,
                                   submitted=submitted.strftime("%d/%m/%Y"), due=due.strftime("%d/%m/%Y")))


# ---------------------------------------------------------------------------------------------- CSV

_CSV_COLUMNS = ("district_code", "period", "family", "item", "indicator", "value")


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1258")


def _parse_csv(path: Path, file_name: str, sha: str, received: dt.datetime, ctx: _Context) -> list[ParsedReport]:
    def refused(code: str, **params: object) -> list[ParsedReport]:
        report = ParsedReport(file_name, None, sha, received)
        report.issues.append(issue(code, **params))
        return [report]

    try:
        text = _decode(path.read_bytes())
    except UnicodeDecodeError as err:
        return refused("file_unreadable", detail=str(err)[:200])
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [fold(h) for h in next(reader)]
    except StopIteration:
        return refused("file_unreadable", detail="tệp rỗng")
    missing = [c for c in _CSV_COLUMNS if c not in header]
    if missing:
        return refused("csv_columns_missing", columns=", ".join(missing))
    index = {c: header.index(c) for c in _CSV_COLUMNS}

    groups: dict[tuple[str, str, str], list[tuple[int, list[str]]]] = {}
    for line_number, record in enumerate(reader, start=2):
        if not any(v.strip() for v in record):
            continue
        record = record + [""] * (len(header) - len(record))
        key = tuple(clean(record[index[c]]) for c in ("district_code", "period", "family"))
        groups.setdefault(key, []).append((line_number, record))

    reports = []
    for (district_code, period_text, family_text), lines in groups.items():
        family = fold(family_text)
        report = ParsedReport(file_name, f"csv:{district_code}:{period_text}:{family_text}", sha, received)
        reports.append(report)
        if family not in FAMILIES:
            report.issues.append(issue("csv_family_unknown", row=lines[0][0], column="family", value=family_text))
            continue
        report.family = family
        _apply_header(report, {"district_code": district_code, "period": period_text}, ctx)
        if report.district is None or report.rejected:
            continue
        spec = FAMILIES[family]
        columns = {c.name: c for c in spec["columns"]}
        item_column = "category" if spec["grain"] == "category" else "commune_code"
        by_item: dict[str, _RawRow] = {}
        for line_number, record in lines:
            item = clean(record[index["item"]])
            indicator = fold(record[index["indicator"]])
            if indicator not in columns or columns[indicator].kind in ("name", "code", "category"):
                report.issues.append(issue("csv_indicator_unknown", row=line_number, column="indicator",
                                           value=record[index["indicator"]], family=family,
                                           indicators=", ".join(n for n, c in columns.items()
                                                                if c.kind not in ("name", "code", "category"))))
                continue
            row = by_item.setdefault(item, _RawRow(line_number, {item_column: _Cell(item)}))
            row.cells[indicator] = _Cell(clean(record[index["value"]]))
        for row in by_item.values():
            for name, column in columns.items():
                if column.kind in NUMBER_KINDS + ("yesno",) and name not in row.cells:
                    row.cells[name] = _Cell(None)
            if item_column == "commune_code":
                row.cells["commune_name"] = _Cell(None)
        if not report.rejected:
            _build_rows(report, list(by_item.values()), {}, {}, ctx, csv_values=True)
        _check_timeliness(report, ctx)
    return reports
