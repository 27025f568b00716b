"""The CSV long format: one value per line (district_code, period, family, item, indicator, value)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from .checks import check_timeliness
from .families import FAMILIES, NUMBER_KINDS, family_names
from .info import apply_header
from .results import Cell, Context, ParsedReport, RawRow
from .rows import build_rows
from .rules import issue
from .text import clean, count_vi, fold, parse_period

_FAMILY_KEYS = {key: name for name, spec in FAMILIES.items() for key in (fold(name), fold(spec.sheet))}


def _group_key(district_code: str, period: str, family: str) -> tuple[str, str, str]:
    """The report a line belongs to, its keys normalised (spec v2): the family matched like a sheet name
    ('Poverty' = 'poverty' = 'Giảm nghèo'), the period like a 'Kỳ báo cáo' ('Năm 2022' = '2022'), so one file
    never splits into competing versions of itself."""
    try:
        period_key = parse_period(period).code
    except ValueError:
        period_key = fold(period)
    family_key = fold(family)
    return clean(district_code).lstrip("0") or clean(district_code), period_key, _FAMILY_KEYS.get(family_key, family_key)


_CSV_COLUMNS = ("district_code", "period", "family", "item", "indicator", "value")
_NO_CELL = Cell(None)  # an indicator a CSV item does not give (shared: never changed, and 500,000 lines make many)


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


def parse_csv(path: Path, file_name: str, sha: str, received: dt.datetime, ctx: Context) -> list[ParsedReport]:
    def refused(code: str, **params: object) -> list[ParsedReport]:
        report = ParsedReport(file_name, None, sha, received)
        report.issues.append(issue(code, **params))
        return [report]

    data = path.read_bytes()
    lines = data.count(b"\n")
    if lines > ctx.limits.max_csv_lines:
        return refused("sheet_too_large", sheet=file_name,
                       detail=f"{count_vi(lines)} dòng; tối đa {count_vi(ctx.limits.max_csv_lines)} dòng")
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
    written: dict[tuple[str, str, str], tuple[str, str, str]] = {}  # a report's keys as first written
    try:
        for record in reader:
            if not any(v.strip() for v in record):
                continue
            record = record + [""] * (len(header) - len(record))
            texts = tuple(clean(record[index[c]]) for c in ("district_code", "period", "family"))
            key = _group_key(*texts)
            written.setdefault(key, texts)
            groups.setdefault(key, []).append((reader.line_num, record))
    except csv.Error as err:
        return refused("file_unreadable", detail=f"tệp CSV sai cấu trúc ở dòng {reader.line_num} ({err})")
    del data, text, reader  # every line is in `groups` now: free the file's bytes, text and reader's copy

    reports = []
    for key, lines_of in groups.items():
        district_code, period_text, family_text = written[key]
        family = key[2]
        report = ParsedReport(file_name, f"csv:{district_code}:{period_text}:{family_text}", sha, received)
        reports.append(report)
        if family not in FAMILIES:
            report.issues.append(issue("csv_family_unknown", row=lines_of[0][0], column="family", value=family_text,
                                       families=family_names()))
            continue
        report.family = family
        apply_header(report, {"district_code": district_code, "period": period_text}, ctx)
        spec = FAMILIES[family]
        columns = {c.name: c for c in spec.columns}
        item_column = "category" if spec.grain == "category" else "commune_code"
        by_item: dict[str, RawRow] = {}
        for line_number, record in lines_of:
            item = clean(record[index["item"]])
            indicator = fold(record[index["indicator"]])
            if indicator not in columns or columns[indicator].kind in ("name", "code", "category"):
                report.issues.append(issue("csv_indicator_unknown", row=line_number, column="indicator",
                                           value=record[index["indicator"]], family=family,
                                           indicators=", ".join(n for n, c in columns.items()
                                                                if c.kind not in ("name", "code", "category"))))
                continue
            row = by_item.setdefault(item, RawRow(line_number, {item_column: Cell(item)}))
            if indicator in row.cells:
                report.issues.append(issue("csv_value_duplicate", row=line_number, column="value", item=item,
                                           indicator=indicator, first_row=row.cells[indicator].line))
                continue
            row.cells[indicator] = Cell(clean(record[index["value"]]), line=line_number)
        for row in by_item.values():
            for name, column in columns.items():
                if column.kind in NUMBER_KINDS + ("yesno",) and name not in row.cells:
                    row.cells[name] = _NO_CELL
            if item_column == "commune_code":
                row.cells["commune_name"] = _NO_CELL
        build_rows(report, list(by_item.values()), {}, {}, ctx, csv_values=True)
        check_timeliness(report, ctx)
    return reports