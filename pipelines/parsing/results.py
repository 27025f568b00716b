"""What parsing produces and what it needs: a parsed report, the size limits, the context of one file."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .reference import Reference
from .units import Unit
from .rules import ERROR, RULES, WARNING, Issue

TRUNCATED = "issues_truncated"
_SEVERITY_VI = {ERROR: "lỗi", WARNING: "cảnh báo"}
from .text import Period


@dataclass(frozen=True)
class Limits:
    """How large a file may be, and how large a value. Together they keep one report well under 1 GB of memory."""

    max_file_bytes: int = 20 * 1024 * 1024  # the file as received
    max_unzipped_bytes: int = 200 * 1024 * 1024  # a workbook, all its parts inflated (measured, not declared)
    max_sheet_xml_bytes: int = 60 * 1024 * 1024  # one sheet's XML, or the shared strings
    max_rows: int = 50_000  # rows of one sheet
    max_cells: int = 1_000_000  # cells of one sheet
    max_members: int = 10_000  # parts in a workbook's zip
    max_csv_lines: int = 500_000  # lines of a CSV file
    # the used range of one sheet, from A1 to its last row and column (the larger of the cells present and its
    # <dimension>): fastexcel allocates every cell of that rectangle, empty or not, so one stray cell at XFD
    # costs as much as a sheet 16,384 columns wide
    max_range_cells: int = 2_000_000
    max_issues_per_rule: int = 50  # issues of one rule kept per report; then one `issues_truncated` says how many more
    # plausible magnitudes: a value beyond these is `value_out_of_range` (so is any non-finite number)
    max_count: int = 10_000_000  # households (or OCOP products) of one commune
    max_money_vnd: int = 10**15  # VND of one row (1 000 000 tỷ đồng)
    max_km: float = 10_000.0  # km of one row

    def __post_init__(self) -> None:
        # the raw tables hold counts and VND as BIGINT: a value within the limits must land without overflow
        if not (0 < self.max_count < 2**63 and 0 < self.max_money_vnd < 2**63):
            raise ValueError("max_count and max_money_vnd must fit a BIGINT (below 2^63)")


class IssueList(list):
    """A report's issues, at most `cap` of each rule: past that, one `issues_truncated` issue per rule says how
    many more there are (kept up to date in place), so a file with a million bad lines holds a few hundred
    issues in memory, not a million. `dropped(severity)` counts the ones not kept."""

    def __init__(self, items=(), cap: int = 50):
        super().__init__()
        self.cap = cap
        self._kept: dict[str, int] = {}
        self._dropped: dict[str, int] = {}
        self._summary_at: dict[str, int] = {}
        self.extend(items)

    def append(self, found: Issue) -> None:
        rule = found.rule
        if rule == TRUNCATED or self._kept.get(rule, 0) < self.cap:
            self._kept[rule] = self._kept.get(rule, 0) + 1
            super().append(found)
            return
        self._dropped[rule] = count = self._dropped.get(rule, 0) + 1
        summary = Issue(TRUNCATED, WARNING, RULES[TRUNCATED].message.format(
            count=f"{count:,}".replace(",", "."), rule=rule, severity_vi=_SEVERITY_VI.get(found.severity, ""),
            kept=self.cap))
        at = self._summary_at.get(rule)
        if at is not None and at < len(self) and self[at].rule == TRUNCATED:
            self[at] = summary
        else:
            self._summary_at[rule] = len(self)
            super().append(summary)

    def extend(self, items) -> None:
        for found in items:
            self.append(found)

    def __iadd__(self, items):
        self.extend(items)
        return self

    def dropped(self, severity: str) -> int:
        return sum(n for rule, n in self._dropped.items() if RULES[rule].severity == severity)

    def __reduce__(self):  # pickled across the inbox's worker processes, attributes and all
        return _rebuild_issues, (list(self), self.cap, self._kept, self._dropped, self._summary_at)


def _rebuild_issues(items, cap, kept, dropped, summary_at) -> IssueList:
    issues = IssueList(cap=cap)
    list.extend(issues, items)
    issues._kept, issues._dropped, issues._summary_at = kept, dropped, summary_at
    return issues


@dataclass
class ParsedReport:
    """One report (family × unit × period) as found in a file, with its rows and issues.

    `unit` is the reporting unit: a district (periods ending by 30 June 2025), a new commune or a new province
    (later periods; docs/reorganisation.md); `district` is the same unit for a district's report, else None.
    """

    file_name: str
    sheet: str | None
    sha256: str
    received_at: dt.datetime
    family: str | None = None
    period: Period | None = None
    district: Unit | None = None
    unit: Unit | None = None
    report_date: dt.date | None = None
    prepared_by: str | None = None
    rows: list[dict] = field(default_factory=list)
    issues: IssueList = field(default_factory=IssueList)

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
        """Issues of this severity, those past the per-rule cap included (the `issues_truncated` notes not)."""
        dropped = self.issues.dropped(severity) if isinstance(self.issues, IssueList) else 0
        return sum(1 for i in self.issues if i.severity == severity and i.rule != TRUNCATED) + dropped


@dataclass
class Context:
    """What parsing a file needs to know: reference data, today's date, limits."""

    reference: Reference
    today: dt.date
    limits: Limits


@dataclass(slots=True)  # slots: a CSV of 500,000 lines holds millions of these
class Cell:
    """A cell as read: its text, whether Excel stored it as a number, and any Excel error it holds."""

    text: str | None
    numeric: bool = False
    error: str | None = None
    line: int | None = None  # CSV: the line this value came from, when not the row's first line


@dataclass(slots=True)
class RawRow:
    """A data row before conversion: its row (or CSV line) number and its cells by canonical column."""

    row_number: int
    cells: dict[str, Cell]

