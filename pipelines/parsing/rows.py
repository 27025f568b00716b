"""Data rows: resolve each row's commune or category, convert its values, check the row rules."""

from __future__ import annotations

from .checks import check_row, check_total
from .families import FAMILIES, NUMBER_KINDS, Column
from .info import describe_units
from .units import MatchError, Unit
from .results import Context, IssueList, ParsedReport, RawRow
from .rules import ERROR, Issue, issue
from .text import NumberError, fold, parse_number, parse_yes_no
from .values import EXCEL_ERRORS, PLAIN_NUMBER, convert


def looks_like_data(row: RawRow, columns: dict[str, Column]) -> bool:
    """Whether a row whose commune or category is not recognised still holds figures.

    A row with a number (or an Excel error, or a yes mark) in a value column is a data row that must be
    reported; a row with only words there — 'Người lập biểu ... Thủ trưởng đơn vị', a note, a group
    heading — is not data, and is skipped.
    """
    for name, cell in row.cells.items():
        column = columns.get(name)
        if column is None or column.kind not in NUMBER_KINDS + ("yesno",):
            continue
        if cell.error or (cell.text and cell.text.lower() in EXCEL_ERRORS):
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
        if cell.numeric or PLAIN_NUMBER.fullmatch(cell.text):
            return True
        try:
            parse_number(cell.text)
            return True
        except NumberError:
            pass
    return False


def build_rows(report: ParsedReport, records: list[RawRow], labels: dict[str, str], multipliers: dict[str, int],
                ctx: Context, *, total: RawRow | None = None, csv_values: bool = False,
                letters: dict[str, str] | None = None) -> None:
    """Resolve each row's commune or category, convert its values and check every row rule.

    The communes are those of the reporting unit (`report.unit`): a district's communes, a new province's
    communes, or a new commune itself (its own report). Without a unit (unknown or ambiguous) the communes
    cannot be resolved, but the values are still checked, so the clerk sees every problem of the report at once. `letters` gives each column's Excel column
    letter (a workbook; None for a CSV file): every row message names the commune or category, the cell
    ('ô E7', in a CSV file the line) and the column.
    """
    family = report.family
    spec = FAMILIES[family]
    columns = {c.name: c for c in spec.columns}
    value_columns = [(name, column) for name, column in columns.items() if column.kind in NUMBER_KINDS + ("yesno",)]
    unit_of_report = report.unit
    if isinstance(report.issues, IssueList):
        report.issues.cap = ctx.limits.max_issues_per_rule
    seen: dict[str, int] = {}
    rows: list[dict] = []
    categories = {fold(label): cat.category for cat in ctx.reference.savings_categories for label in cat.labels}
    categories.update({cat.category: cat.category for cat in ctx.reference.savings_categories})

    names_vi = {cat.category: cat.name_vi for cat in ctx.reference.savings_categories}

    for record in records:
        row_issues: list[Issue] = []
        out: dict = {"row_number": record.row_number}
        item = _item_name(record, spec.grain)

        def cell_at(column: str, record: RawRow = record) -> str:
            return _cell_phrase(record, column, letters, labels)

        def flag(code: str, column: str | None = None, line: int | None = None, **params: object) -> None:
            label = labels.get(column, column)
            if column is not None:
                params.setdefault("cell", cell_at(column))
                params.setdefault("where", f"{item}, {params['cell']} ('{label}')")
            address = f"{letters[column]}{record.row_number}" if letters and column in letters else None
            row_issues.append(issue(code, row=line or record.row_number, column=label, address=address,
                                    item=item, **params))

        if spec.grain == "commune" and unit_of_report is None:
            name = record.cells["commune_name"].text if "commune_name" in record.cells else None
            if not looks_like_data(record, columns):
                continue
            out.update(commune_code=None, commune_name=name)
        elif spec.grain == "commune":
            name = record.cells["commune_name"].text if "commune_name" in record.cells else None
            code = record.cells["commune_code"].text if "commune_code" in record.cells else None
            owner = unit_of_report.full_name
            try:
                unit = ctx.reference.match_row_commune(unit_of_report, name, code)
            except MatchError as err:
                if not code and not looks_like_data(record, columns):
                    continue  # a note or signature line below the data, not a commune row
                value = code or name or ""
                where = cell_at("commune_code" if code else "commune_name")
                if err.kind == "ambiguous":
                    flag("commune_ambiguous", "commune_name", value=value, district=owner,
                         candidates=describe_units(err.candidates), cell=where)
                elif err.kind in ("other_district", "other_province"):
                    flag("commune_other_district", "commune_name", value=value, district=owner,
                         candidates=_describe_with_parent(err.candidates, ctx), cell=where)
                elif err.kind == "other_commune":
                    flag("commune_not_reporting_unit", "commune_name", value=value, district=owner,
                         candidates=describe_units(err.candidates), cell=where)
                else:
                    flag("commune_unknown", "commune_name", value=value or "(trống)", district=owner, cell=where)
                report.issues.extend(row_issues)
                continue
            if code and name:
                named = _named_commune(unit_of_report, name, ctx)
                if named is not None and named.code != unit.code:
                    flag("commune_code_name_mismatch", "commune_name", value=name, written_code=code,
                         code_cell=cell_at("commune_code"), code_unit=f"{unit.full_name} (mã {unit.code})",
                         name_unit=f"{named.full_name} (mã {named.code})")
                    report.issues.extend(row_issues)
                    continue
            if unit.code in seen:
                flag("commune_duplicate", "commune_name", value=unit.full_name, first_row=seen[unit.code])
            seen.setdefault(unit.code, record.row_number)
            out.update(commune_code=unit.code, commune_name=name or unit.full_name, _unit=unit)
            item = unit.full_name
        else:
            text = record.cells["category"].text or ""
            category = categories.get(fold(text)) or categories.get(text)
            if category is None:
                if not looks_like_data(record, columns):
                    continue
                flag("category_unknown", "category", value=text or "(trống)",
                     categories=", ".join(f"'{c.name_vi}'" for c in ctx.reference.savings_categories))
                report.issues.extend(row_issues)
                continue
            item = f"Nội dung '{names_vi.get(category, text)}'"
            if category in seen:
                flag("category_duplicate", "category", value=text, first_row=seen[category])
            seen.setdefault(category, record.row_number)
            out.update(category=category, category_label=text)

        for name, column in value_columns:
            cell = record.cells.get(name)
            if cell is None:
                out[name] = None
                continue

            def cell_flag(code: str, column_name: str | None = None, _line=cell.line, **params: object) -> None:
                flag(code, column_name, line=_line, **params)

            out[name] = convert(cell, column, multipliers.get(name, 1 if csv_values else 1_000_000), csv_values,
                                 cell_flag, ctx.limits)
        check_row(family, out, flag, cell_at)
        report.issues.extend(row_issues)
        rows.append(out)

    if not rows and not any(i.severity == ERROR for i in report.issues):
        report.issues.append(issue("no_data_rows", sheet=report.sheet or report.file_name))
    if total is not None:
        check_total(report, rows, total, columns, labels, multipliers, csv_values, letters)
    if spec.grain == "commune" and unit_of_report is not None:
        present = {r["commune_code"] for r in rows}
        expected = ctx.reference.communes_reported_by(unit_of_report, family, report.period.code if report.period
                                                      else "")
        absent = [u for u in expected if u.code not in present]
        if absent and rows:
            report.issues.append(issue("commune_missing", count=len(absent), district=unit_of_report.full_name,
                                       communes=", ".join(u.full_name for u in absent)))
    for row in rows:
        row.pop("_unit", None)
    report.rows = rows


def _describe_with_parent(candidates: list[Unit], ctx: Context) -> str:
    """'Xã Đại Phúc (mã 29278) của Huyện Càng Long': communes with their district (or new province)."""
    def parent(u: Unit) -> Unit:  # a district code has 3 digits, a province code 2: they never collide
        return ctx.reference.units.districts.get(u.parent_code) or ctx.reference.units_2025.provinces[u.parent_code]

    return "; ".join(f"{u.full_name} (mã {u.code}) của {parent(u).full_name}" for u in candidates)


def _named_commune(unit: Unit, name: str, ctx: Context) -> Unit | None:
    """The commune a row's name alone names (None when it names no single commune of the unit's list: the code
    decides)."""
    try:
        return ctx.reference.match_row_commune(unit, name, None)
    except MatchError as err:
        return err.candidates[0] if err.kind == "other_commune" else None



def _item_name(record: RawRow, grain: str) -> str:
    """The row as a clerk knows it, before it is resolved: the commune name (or code) or the category written."""
    def text(column: str) -> str:
        cell = record.cells.get(column)
        return cell.text if cell is not None and cell.text else ""

    if grain == "category":
        return f"Nội dung '{text('category')}'" if text("category") else f"Dòng {record.row_number}"
    if text("commune_name"):
        return text("commune_name")
    return f"Xã mã {text('commune_code')}" if text("commune_code") else f"Dòng {record.row_number}"


def _cell_phrase(record: RawRow, column: str, letters: dict[str, str] | None, labels: dict[str, str]) -> str:
    """Where a row's value is, for a message: 'ô E7' in a workbook; 'dòng 12' (its line) in a CSV file."""
    if letters is not None:
        if column in letters:
            return f"ô {letters[column]}{record.row_number}"
        return f"cột '{labels.get(column) or _first_label(column)}'"  # a column the sheet does not have
    cell = record.cells.get(column)
    if cell is not None and cell.line:
        return f"dòng {cell.line}"
    if cell is not None and cell.text:
        return f"dòng {record.row_number}"
    return f"chỉ tiêu '{column}' (không có dòng nào)"


def _first_label(column: str) -> str:
    return next((c.labels[0] for f in FAMILIES.values() for c in f.columns if c.name == column), column)
