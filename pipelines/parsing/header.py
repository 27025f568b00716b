"""Finding a sheet's header row: labels matched to canonical columns, money units, total and numbering rows."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from .families import FAMILIES, Column
from .text import clean, fold

if TYPE_CHECKING:
    from .workbook import Grid

_TOTAL_LABELS = {fold(t) for t in ("Tổng cộng", "Tổng", "Cộng", "Toàn huyện", "Toàn thị xã", "Toàn thành phố")}
# labels a total row may continue after ('Tổng cộng (14 xã)', 'Toàn huyện Càng Long'); not the bare 'Tổng'/'Cộng'
_TOTAL_PREFIXES = tuple(fold(t) for t in ("Tổng cộng", "Toàn huyện", "Toàn thị xã", "Toàn thành phố"))
# money units, folded, without spaces and dots, and without the currency word ('đồng', 'VNĐ', 'đ')
_MONEY_SCALES = {"": 1, "nghin": 1_000, "ngan": 1_000, "1000": 1_000, "trieu": 1_000_000, "tr": 1_000_000,
                 "ty": 1_000_000_000}
_UNIT_SUFFIX = re.compile(r"\s*\(([^()]*)\)\s*$")
_COLUMN_NUMBER = re.compile(r"^\(?(\d{1,2}|[a-z])\)?(\s*[-+*/=x]\s*\(?\d{1,2}\)?)*$")
HEADER_SEARCH_ROWS = 30


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


@lru_cache(maxsize=1024)  # the labels of the families' columns: a few hundred
def _without_unit(label: str) -> str:
    """A label folded, without its unit: 'Vốn đầu tư (triệu đồng)' -> 'von dau tu'."""
    return _UNIT_SUFFIX.sub("", fold(label)).strip()


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
            if base != _without_unit(label):
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
        if column.kind == "km" and folded == _without_unit(label):
            return _LabelMatch()
    return None


@dataclass
class Header:
    row_index: int
    columns: dict[str, int]  # canonical name -> grid column index
    labels: dict[str, str]  # canonical name -> header text as written
    multipliers: dict[str, int]
    unitless: list[str]
    bad_units: dict[str, str] = field(default_factory=dict)  # canonical name -> the unit written
    height: int = 1  # header rows: 2 for a group label over sub-labels
    not_understood: list[tuple[int, str]] = field(default_factory=list)  # (grid column, label) of a 2-row header


# words a group label starts with that the sub-labels already say ('Hộ dân tộc thiểu số' over 'Hộ nghèo')
_GROUP_LEAD = re.compile(r"^(trong do\s*:?\s*|so ho\s+|ho\s+|so\s+)")


def _combined_labels(group: str, sub: str) -> list[str]:
    """The labels a sub-label under a group label may stand for: 'Hộ nghèo' under 'Hộ dân tộc thiểu số' is
    'Hộ nghèo dân tộc thiểu số'; 'Tổng số hộ' under it 'Tổng số hộ dân tộc thiểu số'."""
    qualifier = _GROUP_LEAD.sub("", fold(group)).strip()
    return [f"{sub} {qualifier}", f"{sub} {fold(group)}", f"{fold(group)} {sub}", f"{group} - {sub}"]


def _match_columns(header: Header, cells: list[list[str]], spec_columns) -> None:
    """Match each grid column's candidate labels (best first) to the canonical columns, left to right."""
    for c, candidates in enumerate(cells):
        for text in candidates:
            column = _match_any(header, c, text, spec_columns)
            if column is not None:
                break


def _match_any(header: Header, c: int, text: str, spec_columns) -> Column | None:
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
            return column
    return None


def _two_row_header(grid: Grid, r: int, spec_columns) -> Header | None:
    """Rows r and r+1 read as one header: a group label (merged over several columns: only its first cell holds
    the text) over sub-labels, the other labels merged down over both rows. None when row r+1 is not a row of
    sub-labels (it is data, column numbers, or empty)."""
    if r + 1 >= grid.height or is_column_numbers(grid, r + 1):
        return None
    subs = [clean(col[r + 1]) if col[r + 1] is not None else "" for col in grid.columns]
    if not any(subs) or any(_looks_numeric(t) for t in subs if t):
        return None
    header = Header(r, {}, {}, {}, [], height=2)
    tops = [clean(col[r]) if col[r] is not None else "" for col in grid.columns]
    group = ""  # the group label whose merged cells the column is under
    pending: list[tuple[int, str, str]] = []
    cells: list[list[str]] = []
    for c, (top, sub) in enumerate(zip(tops, subs)):
        if top:
            # a label starts a group when it matches no column alone and the cell to its right is merged into it
            # (empty) with a sub-label under it
            spans = c + 1 < len(tops) and not tops[c + 1] and bool(subs[c + 1])
            alone = any(_match_label(top, column) for column in spec_columns)
            group = top if spans and not alone else ""
        if not sub:
            cells.append([top] if top else [])
        elif not group:
            # a label over a note ('Tổng số hộ' over '(hộ)'), or over a first data row's heading ('I', 'Khu
            # vực thị trấn'): the label counts; a sub-label under no label at all counts alone
            cells.append([top] if top else [sub])
        else:
            cells.append(_combined_labels(group, sub))
            pending.append((c, group, sub))
    if not pending:
        return None
    _match_columns(header, cells, spec_columns)
    for c, g, sub in pending:  # messages show the two labels as written
        for name in [n for n, i in header.columns.items() if i == c]:
            header.labels[name] = f"{g} / {sub}"
    matched = set(header.columns.values())
    header.not_understood = [(c, f"{g} / {s}") for c, g, s in pending if c not in matched]
    return header


def _looks_numeric(text: str) -> bool:
    return bool(re.fullmatch(r"[-+]?[\d.,\s]+", text)) and any(ch.isdigit() for ch in text)


def find_header(grid: Grid, family: str) -> tuple[Header | None, list[str]]:
    """The first row naming every required column; else None and the required columns never found."""
    spec_columns = FAMILIES[family].columns
    required = [c.name for c in spec_columns if c.required]
    best_missing = required
    for r in range(min(grid.height, HEADER_SEARCH_ROWS)):
        header = Header(r, {}, {}, {}, [])
        _match_columns(header, [[col[r]] if col[r] is not None else [] for col in grid.columns], spec_columns)
        missing = [name for name in required if name not in header.columns]
        # a header spanning two rows (spec v2): a group label over sub-labels, merged cells
        two = _two_row_header(grid, r, spec_columns) if header.columns else None
        if two is not None and not [n for n in required if n not in two.columns] \
                and (missing or len(two.columns) + len(two.not_understood) > len(header.columns)):
            return two, []
        if not missing:
            return header, []
        if len(missing) < len(best_missing):
            best_missing = missing
    return None, best_missing


@lru_cache(maxsize=1 << 16)  # asked of every row's first cell: the same commune names recur in every report
def is_total_label(text: str | None) -> bool:
    key = fold(text).strip(" :.-*")
    return key in _TOTAL_LABELS or any(key.startswith(p + " ") or key.startswith(p + "(") for p in _TOTAL_PREFIXES)


def is_column_numbers(grid: Grid, r: int) -> bool:
    """A row of column numbers under the header: '(1) (2) (3)', '1 2 3', 'A B 1 2 3=1+2'."""
    texts = [fold(col[r]) for col in grid.columns if col[r] is not None and clean(col[r])]
    if len(texts) < 3 or not all(_COLUMN_NUMBER.match(t) for t in texts):
        return False
    numbers = [int(m.group(1)) for t in texts if (m := re.match(r"\(?(\d+)", t))]
    return len(numbers) >= 2 and all(a < b for a, b in zip(numbers, numbers[1:]))
