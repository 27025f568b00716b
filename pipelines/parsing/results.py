"""What parsing produces and what it needs: a parsed report, the size limits, the context of one file."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .reference import Reference, Unit
from .rules import ERROR, Issue
from .text import Period


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
class Context:
    """What parsing a file needs to know: reference data, today's date, limits."""

    reference: Reference
    today: dt.date
    limits: Limits


@dataclass
class Cell:
    """A cell as read: its text, whether Excel stored it as a number, and any Excel error it holds."""

    text: str | None
    numeric: bool = False
    error: str | None = None
    line: int | None = None  # CSV: the line this value came from, when not the row's first line


@dataclass
class RawRow:
    """A data row before conversion: its row (or CSV line) number and its cells by canonical column."""

    row_number: int
    cells: dict[str, Cell]

