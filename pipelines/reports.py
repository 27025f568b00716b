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
import logging
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import fastexcel
import polars as pl

from .reference import MatchError, Reference, Unit
from .rules import ERROR, WARNING, Issue, issue
from .text import (NumberError, Period, clean, fold, is_thousands_dot, parse_date, parse_number, parse_period,
                   parse_yes_no)
from .xlsx import SheetLayout, XlsxError, XlsxTooLarge, inspect_container, sheet_layout, sheet_members

VIETNAM = dt.timezone(dt.timedelta(hours=7), "Asia/Ho_Chi_Minh")
log = logging.getLogger(__name__)


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
# labels a total row may continue after ('Tổng cộng (14 xã)', 'Toàn huyện Càng Long'); not the bare 'Tổng'/'Cộng'
_TOTAL_PREFIXES = tuple(fold(t) for t in ("Tổng cộng", "Toàn huyện", "Toàn thị xã", "Toàn thành phố"))
# money units, folded, without spaces and dots, and without the currency word ('đồng', 'VNĐ', 'đ')
_MONEY_SCALES = {"": 1, "nghin": 1_000, "ngan": 1_000, "1000": 1_000, "trieu": 1_000_000, "tr": 1_000_000,
                 "ty": 1_000_000_000}
_UNIT_SUFFIX = re.compile(r"\s*\(([^()]*)\)\s*$")
_COLUMN_NUMBER = re.compile(r"^\(?(\d{1,2}|[a-z])\)?(\s*[-+*/=x]\s*\(?\d{1,2}\)?)*$")
_EXCEL_ERRORS = {"#div/0!", "#ref!", "#n/a", "#value!", "#name?", "#num!", "#null!", "#getting_data", "#spill!"}
HEADER_SEARCH_ROWS = 30


@dataclass(frozen=True)
class Limits:
    """How large a file may be. Together they keep one report well under 1 GB of memory."""

    max_file_bytes: int = 20 * 1024 * 1024  # the file as received
    max_unzipped_bytes: int = 200 * 1024 * 1024  # a workbook, all its parts inflated (measured, not declared)
    max_sheet_xml_bytes: int = 60 * 1024 * 1024  # one sheet's XML, or the shared strings
    max_rows: int = 50_000  # rows of one sheet
    max_cells: int = 1_000_000  # cells of one sheet
    max_members: int = 10_000  # parts in a workbook's zip
    max_csv_lines: int = 500_000  # lines of a CSV file


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
    line: int | None = None  # CSV: the line this value came from, when not the row's first line


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
    """Every report in one inbox file. Never raises for bad content: problems become issues.

    Even an unexpected failure of the parser on some odd file becomes a `file_unreadable` issue on that file
    (logged with its traceback), so one file never stops a run.
    """
    try:
        return _parse_file(path, file_name, reference, today=today, limits=limits, sha256=sha256)
    except Exception as err:  # noqa: BLE001 - the last line of defence of a run
        log.exception("parsing %s failed", file_name)
        try:
            sha = sha256 or file_sha256(path)
            received = received_time(path)
        except OSError:
            sha, received = hashlib.sha256(file_name.encode()).hexdigest(), dt.datetime.now(VIETNAM).replace(
                tzinfo=None, microsecond=0)
        report = ParsedReport(file_name, None, sha, received)
        report.issues.append(issue("file_unreadable", detail=f"lỗi khi đọc tệp ({type(err).__name__}: "
                                                             f"{str(err)[:200]})"))
        return [report]


def _parse_file(path: Path, file_name: str, reference: Reference, *, today: dt.date | None,
                limits: Limits | None, sha256: str | None) -> list[ParsedReport]:
    ctx = _Context(reference, today or dt.datetime.now(VIETNAM).date(), limits or Limits())

    def file_level(code: str, sha: str, received: dt.datetime, **params: object) -> list[ParsedReport]:
        report = ParsedReport(file_name, None, sha, received)
        report.issues.append(issue(code, **params))
        return [report]

    if path.is_symlink():
        # a link may point anywhere (outside the inbox): it is never followed
        stat = path.lstat()
        received = dt.datetime.fromtimestamp(stat.st_mtime, VIETNAM).replace(tzinfo=None, microsecond=0)
        target = hashlib.sha256(f"symlink:{path.readlink()}".encode()).hexdigest()
        return file_level("file_unreadable", sha256 or target, received,
                          detail="đây là liên kết (symlink) tới tệp khác, không phải tệp báo cáo; gửi chính tệp đó")
    received = received_time(path)
    size = path.stat().st_size
    if size > ctx.limits.max_file_bytes:
        return file_level("file_too_large", sha256 or _sha256_head(path), received,
                          size_mb=_mb(size), limit_mb=_mb(ctx.limits.max_file_bytes))
    sha = sha256 or file_sha256(path)
    with open(path, "rb") as f:
        head = f.read(8)
    if head.startswith(b"PK\x03\x04"):
        try:
            return _parse_workbook(path, file_name, sha, received, ctx)
        except _FileRefused as refused:
            return file_level(refused.code, sha, received, **refused.params)
    if size == 0:
        return file_level("file_unreadable", sha, received, detail="tệp rỗng (0 byte)")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return file_level("file_unreadable", sha, received, detail=_ole_detail(path))
    if path.suffix.lower() in (".csv", ".txt"):
        return _parse_csv(path, file_name, sha, received, ctx)
    what = f"tệp mang đuôi '{path.suffix}'" if path.suffix else "tệp không có phần đuôi (.xlsx, .csv)"
    return file_level("file_unreadable", sha, received, detail=f"{what} nhưng nội dung không phải sổ Excel")


def _mb(size: int) -> str:
    return f"{size / 2**20:.1f}".replace(".", ",").removesuffix(",0")


def _sha256_head(path: Path) -> str:
    """Content hash of a file too large to read whole: its size and first megabyte."""
    digest = hashlib.sha256(str(path.stat().st_size).encode())
    with open(path, "rb") as f:
        digest.update(f.read(1 << 20))
    return digest.hexdigest()


def _ole_detail(path: Path) -> str:
    """An OLE2 compound file: an old .xls workbook, or an .xlsx protected by a password."""
    with open(path, "rb") as f:
        data = f.read(4 << 20)
    if "EncryptedPackage".encode("utf-16-le") in data:
        return "sổ Excel có đặt mật khẩu; gỡ mật khẩu (File > Info > Protect Workbook) rồi lưu lại"
    return "định dạng Excel 97-2003 (.xls) cũ"


class _FileRefused(Exception):
    def __init__(self, code: str, **params: object):
        super().__init__(code)
        self.code = code
        self.params = params


# ---------------------------------------------------------------------------------------------- workbooks

_LOAD_ERRORS = (fastexcel.FastExcelError, pl.exceptions.PolarsError, OSError, ValueError)


def _parse_workbook(path: Path, file_name: str, sha: str, received: dt.datetime, ctx: _Context) -> list[ParsedReport]:
    limits = ctx.limits
    try:
        with zipfile.ZipFile(path) as zf:
            sizes = inspect_container(path, zf, max_unzipped_bytes=limits.max_unzipped_bytes,
                                      max_part_bytes=limits.max_sheet_xml_bytes, max_members=limits.max_members)
            members = sheet_members(zf)
            family_sheets = [(name, _SHEET_FAMILY[fold(name)]) for name in members if fold(name) in _SHEET_FAMILY]
            info_sheet = next((name for name in members if fold(name) == _INFO_SHEET), None)
            layouts: dict[str, SheetLayout] = {}
            for name in [s for s, _ in family_sheets] + ([info_sheet] if info_sheet else []):
                layouts[name] = sheet_layout(zf, members[name], size=sizes.get(members[name]),
                                             max_bytes=limits.max_sheet_xml_bytes, max_rows=limits.max_rows,
                                             max_cells=limits.max_cells)
    except XlsxTooLarge as big:
        if big.limit == limits.max_members:
            detail = f"{big.size:,} phần; tối đa {big.limit:,}".replace(",", ".")
        elif big.size > big.limit + 1:
            detail = f"{_mb(big.size)} MB; tối đa {_mb(big.limit)} MB"
        else:
            detail = f"hơn {_mb(big.limit)} MB; tối đa {_mb(big.limit)} MB"
        raise _FileRefused("workbook_too_large", detail=detail) from None
    except zipfile.BadZipFile as err:
        raise _FileRefused("file_unreadable", detail=f"tệp .xlsx bị hỏng hoặc không trọn vẹn ({err})") from None
    except XlsxError as err:
        raise _FileRefused("file_unreadable", detail=f"tệp không phải sổ Excel hợp lệ ({err})") from None
    except (OSError, KeyError, EOFError, struct.error, zlib.error, RuntimeError, NotImplementedError,
            ValueError) as err:
        raise _FileRefused("file_unreadable", detail=f"tệp .xlsx bị hỏng ({type(err).__name__}: {err})") from None

    if not family_sheets:
        raise _FileRefused("no_report_sheet", sheets=", ".join(f"'{s}'" for s in members) or "không có")
    try:
        reader = fastexcel.read_excel(path)
    except _LOAD_ERRORS as err:
        raise _FileRefused("file_unreadable", detail=f"tệp .xlsx bị hỏng ({str(err)[:200]})") from None

    header: dict[str, str] | None = None
    header_issue = issue("info_sheet_missing")
    if info_sheet is not None:
        too_large = _too_large_issue(info_sheet, layouts[info_sheet], limits)
        if too_large is not None:
            header_issue = too_large
        else:
            try:
                header = _read_info(reader, info_sheet)
            except _LOAD_ERRORS as err:
                header_issue = issue("file_unreadable", detail=f"không đọc được trang '{info_sheet}' ({err})")

    reports = []
    for sheet, family in family_sheets:
        report = ParsedReport(file_name, sheet, sha, received, family=family)
        if header is None:
            report.issues.append(header_issue)
        else:
            _apply_header(report, header, ctx)
        layout = layouts[sheet]
        too_large = _too_large_issue(sheet, layout, limits)
        if too_large is not None:
            report.issues.append(too_large)
        elif header is not None:
            try:
                grid = _load_grid(reader, sheet, layout, ctx)
            except _SheetTooLarge as big:
                report.issues.append(issue("sheet_too_large", sheet=sheet,
                                           detail=f"{_count(big.rows)} dòng; tối đa {_count(limits.max_rows)} dòng"))
            except _LOAD_ERRORS as err:
                report.issues.append(issue("file_unreadable", detail=f"không đọc được trang '{sheet}' ({err})"))
            else:
                _read_rows(report, grid, layout, ctx)
        _check_timeliness(report, ctx)
        reports.append(report)
    return reports


def _count(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _too_large_issue(sheet: str, layout: SheetLayout, limits: Limits) -> Issue | None:
    if layout.too_large == "bytes":
        detail = f"{_mb(layout.xml_bytes)} MB khi giải nén; tối đa {_mb(limits.max_sheet_xml_bytes)} MB"
    elif layout.too_large == "rows":
        detail = f"{_count(layout.rows)} dòng; tối đa {_count(limits.max_rows)} dòng"
    elif layout.too_large == "cells":
        detail = f"{_count(layout.cells)} ô; tối đa {_count(limits.max_cells)} ô"
    else:
        return None
    return issue("sheet_too_large", sheet=sheet, detail=detail)


def _read_info(reader: fastexcel.ExcelReader, sheet: str) -> dict[str, str]:
    """Key/value rows of the 'Thông tin' sheet, in any order and any columns.

    The key is the first cell of a row that names one ('Đơn vị', 'Kỳ báo cáo:'), the value the first
    non-empty cell to its right; 'Kỳ báo cáo: Năm 2022' in one cell works too.
    """
    frame = pl.DataFrame(reader.load_sheet(sheet, header_row=None, dtypes="string"))
    info: dict[str, str] = {}
    columns = [s.to_list() for s in frame.get_columns()]
    for r in range(frame.height):
        cells = [col[r] for col in columns]
        for c, text in enumerate(cells):
            if text is None or not clean(text):
                continue
            key = _INFO_KEY_OF.get(fold(text).rstrip(":").strip())
            value = next((clean(v) for v in cells[c + 1:] if v is not None and clean(v)), None)
            if key is None and ":" in text:
                before, _, after = text.partition(":")
                key, value = _INFO_KEY_OF.get(fold(before).strip()), clean(after) or value
            if key is not None:
                if key not in info and value:
                    info[key] = value
                break
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
                detail = ""
                if err.kind == "other_province" and err.candidates:
                    unit = err.candidates[0]
                    province = ctx.reference.units.provinces.get(unit.parent_code)
                    where = f", {province.type.lower()} {province.name}" if province else ""
                    detail = f" (mã {unit.code} là {unit.full_name}{where}, không thuộc tỉnh báo cáo)"
                report.issues.append(issue("district_unknown", value=value, detail=detail))
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


@dataclass(frozen=True)
class _LabelMatch:
    multiplier: int | None = None  # money: VND per unit of the header
    unit_given: bool = True  # money: the header names its unit
    bad_unit: str | None = None  # money: a unit in the header that is not a money unit


def _money_scale(unit: str) -> int | None:
    """VND per unit for a folded unit text: 'trieu dong', 'tr.đ', 'ty', '1.000 dong', 'dvt: trieu dong'."""
    key = re.sub(r"^(don vi tinh|don vi|dvt)\s*:?\s*", "", unit.strip())
    key = re.sub(r"[\s.]", "", key)
    for currency in ("dong", "vnd", "d"):
        if key.endswith(currency):
            key = key[: -len(currency)]
            break
    return _MONEY_SCALES.get(key)


def _match_label(text: str | None, column: Column) -> _LabelMatch | None:
    """Whether a header cell names a canonical column (and, for money, in which unit)."""
    if text is None:
        return None
    folded = fold(text)
    if column.kind == "money":
        m = _UNIT_SUFFIX.search(folded)
        unit = m.group(1).strip() if m else None
        base = folded[: m.start()].strip() if m else folded
        for label in column.labels:
            if base != _UNIT_SUFFIX.sub("", fold(label)).strip():
                continue
            if unit is None:
                return _LabelMatch(1_000_000, unit_given=False)
            scale = _money_scale(unit)
            if scale is None:
                return _LabelMatch(bad_unit=clean(text)[clean(text).rfind("(") + 1:-1].strip() or unit)
            return _LabelMatch(scale)
        return None
    for label in column.labels:
        folded_label = fold(label)
        if folded == folded_label:
            return _LabelMatch()
        if column.kind == "km" and folded == _UNIT_SUFFIX.sub("", folded_label).strip():
            return _LabelMatch()
    return None


@dataclass
class _Header:
    row_index: int
    columns: dict[str, int]  # canonical name -> grid column index
    labels: dict[str, str]  # canonical name -> header text as written
    multipliers: dict[str, int]
    unitless: list[str]
    bad_units: dict[str, str] = field(default_factory=dict)  # canonical name -> the unit written


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
                match = _match_label(text, column)
                if match is not None:
                    header.columns[column.name] = c
                    header.labels[column.name] = clean(text)
                    if match.bad_unit is not None:
                        header.bad_units[column.name] = match.bad_unit
                    elif match.multiplier:
                        header.multipliers[column.name] = match.multiplier
                    if column.kind == "money" and not match.unit_given:
                        header.unitless.append(column.name)
                    break
        missing = [name for name in required if name not in header.columns]
        if not missing:
            return header, []
        if len(missing) < len(best_missing):
            best_missing = missing
    return None, best_missing


def _is_total_label(text: str | None) -> bool:
    key = fold(text).strip(" :.-*")
    return key in _TOTAL_LABELS or any(key.startswith(p + " ") or key.startswith(p + "(") for p in _TOTAL_PREFIXES)


def _is_column_numbers(grid: _Grid, r: int) -> bool:
    """A row of column numbers under the header: '(1) (2) (3)', '1 2 3', 'A B 1 2 3=1+2'."""
    texts = [fold(col[r]) for col in grid.columns if col[r] is not None and clean(col[r])]
    if len(texts) < 3 or not all(_COLUMN_NUMBER.match(t) for t in texts):
        return False
    numbers = [int(m.group(1)) for t in texts if (m := re.match(r"\(?(\d+)", t))]
    return len(numbers) >= 2 and all(a < b for a, b in zip(numbers, numbers[1:]))


def _read_rows(report: ParsedReport, grid: _Grid, layout: SheetLayout, ctx: _Context) -> None:
    family = report.family
    spec = FAMILIES[family]
    header, missing = _find_header(grid, family)
    if header is None:
        labels = {c.name: c.labels[0] for c in spec["columns"]}
        report.issues.append(issue("required_column_missing", columns=", ".join(f"'{labels[m]}'" for m in missing),
                                   example=f"'{labels[missing[0]]}'"))
        return
    header_row = layout.first_row + header.row_index
    for name in header.unitless:
        report.issues.append(issue("money_unit_missing", row=header_row, column=header.labels[name]))
    for name, unit in header.bad_units.items():
        report.issues.append(issue("money_unit_unknown", row=header_row, column=header.labels[name], unit=unit))
        del header.columns[name]
    key_column = "category" if spec["grain"] == "category" else "commune_name"
    records: list[_RawRow] = []
    total: _RawRow | None = None
    first = header.row_index + 1
    if first < grid.height and _is_column_numbers(grid, first):
        first += 1
    columns = [(name, c, grid.columns[c], grid.numeric.get(c)) for name, c in header.columns.items()]
    errors = layout.error_cells
    for r in range(first, grid.height):
        excel_row = layout.first_row + r
        cells: dict[str, _Cell] = {}
        for name, c, texts, numeric in columns:
            text = texts[r]
            error = errors.get((excel_row, layout.first_col + c)) if errors else None
            cells[name] = _Cell(clean(text) if text is not None else None, bool(numeric and numeric[r]), error)
        if all(cell.text in (None, "") and cell.error is None for cell in cells.values()):
            continue
        key_text = cells[key_column].text or ""
        if not key_text and not (cells.get("commune_code") and cells["commune_code"].text):
            # a label merged over the first columns ('Tổng cộng' in A:B) sits in the row's first cell
            key_text = next((clean(col[r]) for col in grid.columns if col[r] is not None and clean(col[r])), "")
        if _is_total_label(key_text):
            total = _RawRow(excel_row, cells)
            break  # what follows a total row is the footer: signatures, notes
        records.append(_RawRow(excel_row, cells))
    _build_rows(report, records, header.labels, header.multipliers, ctx, total=total)


# ---------------------------------------------------------------------------------------------- rows

@dataclass
class _RawRow:
    row_number: int
    cells: dict[str, _Cell]


def _looks_like_data(row: _RawRow, columns: dict[str, Column]) -> bool:
    """Whether a row whose commune or category is not recognised still holds figures.

    A row with a number (or an Excel error, or a yes mark) in a value column is a data row that must be
    reported; a row with only words there — 'Người lập biểu ... Thủ trưởng đơn vị', a note, a group
    heading — is not data, and is skipped.
    """
    for name, cell in row.cells.items():
        column = columns.get(name)
        if column is None or column.kind not in NUMBER_KINDS + ("yesno",):
            continue
        if cell.error or (cell.text and cell.text.lower() in _EXCEL_ERRORS):
            return True
        if not cell.text:
            continue
        if column.kind == "yesno":
            try:
                if parse_yes_no(cell.text):
                    return True
            except ValueError:
                pass
            continue
        if cell.numeric or re.fullmatch(r"-?\d+(\.\d+)?([eE][-+]?\d+)?", cell.text):
            return True
        try:
            parse_number(cell.text)
            return True
        except NumberError:
            pass
    return False


def _build_rows(report: ParsedReport, records: list[_RawRow], labels: dict[str, str], multipliers: dict[str, int],
                ctx: _Context, *, total: _RawRow | None = None, csv_values: bool = False) -> None:
    """Resolve each row's commune or category, convert its values and check every row rule.

    Without a district (unknown or ambiguous) the communes cannot be resolved, but the values are still
    checked, so the clerk sees every problem of the report at once.
    """
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

        def flag(code: str, column: str | None = None, line: int | None = None, **params: object) -> None:
            row_issues.append(issue(code, row=line or record.row_number, column=labels.get(column, column),
                                    **params))

        if spec["grain"] == "commune" and district is None:
            name = record.cells["commune_name"].text if "commune_name" in record.cells else None
            if not _looks_like_data(record, columns):
                continue
            out.update(commune_code=None, commune_name=name)
        elif spec["grain"] == "commune":
            name = record.cells["commune_name"].text if "commune_name" in record.cells else None
            code = record.cells["commune_code"].text if "commune_code" in record.cells else None
            try:
                unit = units.match_commune(district.code, name, code)
            except MatchError as err:
                if not code and not _looks_like_data(record, columns):
                    continue  # a note or signature line below the data, not a commune row
                value = code or name or ""
                if err.kind == "ambiguous":
                    flag("commune_ambiguous", "commune_name", value=value, district=district.full_name,
                         candidates=_describe(err.candidates))
                elif err.kind == "other_district":
                    flag("commune_other_district", "commune_name", value=value, district=district.full_name,
                         candidates=_describe_with_district(err.candidates, units))
                else:
                    flag("commune_unknown", "commune_name", value=value or "(trống)", district=district.full_name)
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
                if not _looks_like_data(record, columns):
                    continue
                flag("category_unknown", "category", value=text or "(trống)",
                     categories=", ".join(f"'{c.name_vi}'" for c in ctx.reference.savings_categories))
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
            if cell is None:
                out[name] = None
                continue

            def cell_flag(code: str, column_name: str | None = None, _line=cell.line, **params: object) -> None:
                flag(code, column_name, line=_line, **params)

            out[name] = _convert(cell, column, multipliers.get(name, 1 if csv_values else 1_000_000), csv_values,
                                 cell_flag)
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
    """UTF-8 (with or without BOM), else Windows-1258 (whose tone marks are combining characters)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1258")


def _parse_csv(path: Path, file_name: str, sha: str, received: dt.datetime, ctx: _Context) -> list[ParsedReport]:
    def refused(code: str, **params: object) -> list[ParsedReport]:
        report = ParsedReport(file_name, None, sha, received)
        report.issues.append(issue(code, **params))
        return [report]

    data = path.read_bytes()
    lines = data.count(b"\n")
    if lines > ctx.limits.max_csv_lines:
        return refused("sheet_too_large", sheet=file_name,
                       detail=f"{_count(lines)} dòng; tối đa {_count(ctx.limits.max_csv_lines)} dòng")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return refused("file_unreadable", detail="tệp nhị phân, không phải tệp CSV")
    try:
        text = _decode(data)
    except UnicodeError as err:
        return refused("file_unreadable", detail=f"không đọc được bảng mã của tệp CSV ({err})")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [fold(h) for h in next(reader)]
    except StopIteration:
        return refused("file_unreadable", detail="tệp rỗng")
    except csv.Error as err:
        return refused("file_unreadable", detail=f"tệp CSV sai cấu trúc ({err})")
    missing = [c for c in _CSV_COLUMNS if c not in header]
    if missing:
        return refused("csv_columns_missing", columns=", ".join(missing))
    index = {c: header.index(c) for c in _CSV_COLUMNS}

    groups: dict[tuple[str, str, str], list[tuple[int, list[str]]]] = {}
    try:
        for record in reader:
            if not any(v.strip() for v in record):
                continue
            record = record + [""] * (len(header) - len(record))
            key = tuple(clean(record[index[c]]) for c in ("district_code", "period", "family"))
            groups.setdefault(key, []).append((reader.line_num, record))
    except csv.Error as err:
        return refused("file_unreadable", detail=f"tệp CSV sai cấu trúc ở dòng {reader.line_num} ({err})")

    reports = []
    for (district_code, period_text, family_text), lines_of in groups.items():
        family = fold(family_text)
        report = ParsedReport(file_name, f"csv:{district_code}:{period_text}:{family_text}", sha, received)
        reports.append(report)
        if family not in FAMILIES:
            report.issues.append(issue("csv_family_unknown", row=lines_of[0][0], column="family", value=family_text))
            continue
        report.family = family
        _apply_header(report, {"district_code": district_code, "period": period_text}, ctx)
        spec = FAMILIES[family]
        columns = {c.name: c for c in spec["columns"]}
        item_column = "category" if spec["grain"] == "category" else "commune_code"
        by_item: dict[str, _RawRow] = {}
        for line_number, record in lines_of:
            item = clean(record[index["item"]])
            indicator = fold(record[index["indicator"]])
            if indicator not in columns or columns[indicator].kind in ("name", "code", "category"):
                report.issues.append(issue("csv_indicator_unknown", row=line_number, column="indicator",
                                           value=record[index["indicator"]], family=family,
                                           indicators=", ".join(n for n, c in columns.items()
                                                                if c.kind not in ("name", "code", "category"))))
                continue
            row = by_item.setdefault(item, _RawRow(line_number, {item_column: _Cell(item)}))
            if indicator in row.cells:
                report.issues.append(issue("csv_value_duplicate", row=line_number, column="value", item=item,
                                           indicator=indicator, first_row=row.cells[indicator].line))
                continue
            row.cells[indicator] = _Cell(clean(record[index["value"]]), line=line_number)
        for row in by_item.values():
            for name, column in columns.items():
                if column.kind in NUMBER_KINDS + ("yesno",) and name not in row.cells:
                    row.cells[name] = _Cell(None)
            if item_column == "commune_code":
                row.cells["commune_name"] = _Cell(None)
        _build_rows(report, list(by_item.values()), {}, {}, ctx, csv_values=True)
        _check_timeliness(report, ctx)
    return reports
