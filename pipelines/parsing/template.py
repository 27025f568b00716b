"""A blank report workbook in the format the warehouse reads (`emulation template`).

The reporting unit depends on the period (docs/reorganisation.md): a district for a period ending by 30 June 2025,
a new commune (its own report) or a new province (a compiled report) for a later one. The workbook has the
`Thông tin` sheet filled in (the unit with its type and code, the period), the family's data sheet with a title
row, the header row in the canonical labels (the first accepted label of every column, optional ones included),
one row per commune the unit reports — a district's communes; a new commune, itself; a new province, its
communes the calendar expects (for Tỉnh Vĩnh Long the 41 of the former Trà Vinh) — with its name and GSO code,
or, for savings, one row per spending category — and Excel data validation on every value column, so a clerk cannot type text or a
negative number where a figure belongs, nor a sub-count larger than its total (the family's `at_most` rules:
poor households ≤ total households, …; one custom formula per column). The `Hướng dẫn` sheet is generated from
the family's columns (`instructions`). There is no total row: formulas written by openpyxl carry no computed
value until Excel recalculates, and the warehouse sums the rows itself.

A filled template round-trips: `parse_file` accepts it and lands exactly the figures typed in
(tests/test_template.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .families import FAMILIES, PERIOD_TYPE_EN, PERIOD_TYPE_VI, Column, Family, family_names
from .xlsx import column_letters

if TYPE_CHECKING:  # the command line imports this module for every command: keep its import light
    from .reference import Reference
    from .units import Unit
    from .text import Period


_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_PERIOD_EXAMPLES = {"year": "'2023' hoặc 'Năm 2023'", "quarter": "'Quý III/2023' hoặc '2023-Q3'"}
HEADER_ROW = 4
FIRST_DATA_ROW = 5
FOOTER = ("Người lập biểu", "Thủ trưởng đơn vị")
GUIDE_SHEET = "Hướng dẫn"
_KIND_VI = {
    "count": "số nguyên không âm",
    "km": "số km, không âm, có thể có phần thập phân",
    "money": "số tiền, không âm, theo đơn vị ghi ở tiêu đề cột, có thể có phần thập phân",
    "yesno": "ghi 'x' nếu đạt, để trống nếu chưa đạt; chỉ áp dụng cho xã (ô xám của phường, thị trấn để trống)",
}


def period_label(period: "Period") -> str:
    """The period as clerks write it: 'Năm 2023', 'Quý III/2023', '6 tháng đầu năm 2023', 'Tháng 3/2023'."""
    if period.type == "year":
        return f"Năm {period.year}"
    if period.type == "quarter":
        return f"Quý {_ROMAN[period.number]}/{period.year}"
    if period.type == "half":
        return f"6 tháng {'đầu' if period.number == 1 else 'cuối'} năm {period.year}"
    return f"Tháng {period.number}/{period.year}"


def resolve(family: str, unit_text: str, period: str, reference: "Reference") -> tuple["Unit", "Period"]:
    """The reporting unit and period of a template; ValueError (Vietnamese, then English) when they do not fit.

    The period decides the list of units: a district for a period ending by 30 June 2025, a new commune or a
    new province after it."""
    from .units import LAST_DAY_OF_DISTRICTS, MatchError
    from .text import parse_period

    if family not in FAMILIES:
        raise ValueError(f"Loại báo cáo '{family}' không có ({family_names()}). "
                         f"Unknown family '{family}': use one of {family_names()}.")
    spec = FAMILIES[family]
    try:
        parsed = parse_period(period)
    except ValueError:
        raise ValueError(f"Không đọc được kỳ báo cáo '{period}' (ví dụ {_PERIOD_EXAMPLES[spec.period_type]}). "
                         f"Unreadable period '{period}'.") from None
    if parsed.type != spec.period_type:
        expected = spec.period_type
        raise ValueError(
            f"Báo cáo {spec.vi} lập theo {PERIOD_TYPE_VI[expected]}, không theo {PERIOD_TYPE_VI[parsed.type]}: "
            f"ghi kỳ ví dụ {_PERIOD_EXAMPLES[expected]}. The {family} report is made for "
            f"{PERIOD_TYPE_EN[expected]}, not {PERIOD_TYPE_EN[parsed.type]} ('{period}').")
    text = str(unit_text).strip()
    after = parsed.last_day > LAST_DAY_OF_DISTRICTS
    try:
        unit = reference.match_reporting_unit(None if text.isdigit() else text, text if text.isdigit() else None,
                                              parsed)
    except MatchError as err:
        names = "; ".join(f"{u.full_name} (mã {u.code})" for u in err.candidates)
        if err.kind == "ambiguous":
            raise ValueError(f"Tên đơn vị '{text}' khớp với nhiều đơn vị: {names}. Ghi mã đơn vị. "
                             f"Unit '{text}' is ambiguous ({names}): give its code.") from None
        if err.kind == "not_valid_for_period":
            raise ValueError(f"{err.found.full_name} (mã {err.found.code}) không báo cáo kỳ {parsed.code}; đơn vị "
                             f"báo cáo kỳ này: {names}. {err.found.full_name} does not report {parsed.code} "
                             f"(the units of {'2025-07-01' if after else '2025-03-01'} do): give one of "
                             f"these codes.") from None
        if after:
            raise ValueError(f"Không tìm thấy xã, phường hoặc tỉnh '{text}' trong danh mục đơn vị từ 01/07/2025. "
                             f"Unknown unit '{text}': give the code of a new commune (e.g. 29242) or province "
                             f"(e.g. 86).") from None
        raise ValueError(f"Không tìm thấy huyện/thị xã/thành phố '{text}' trong danh mục đơn vị báo cáo. "
                         f"Unknown district '{text}': give the GSO code of a reporting district "
                         f"(e.g. 844).") from None
    if family == "savings" and unit.level == "province":
        raise ValueError(f"Tiết kiệm là ngân sách của từng xã, phường: mỗi xã, phường tự gửi báo cáo, tỉnh không "
                         f"gửi bản tổng hợp. Savings are each commune's own: make a template per commune "
                         f"(--unit <commune code>), not for {unit.full_name}.")
    return unit, parsed


def write_template(family: str, unit_code: str, period: str, out_path: Path, reference: "Reference") -> Path:
    """Write a blank report workbook for one family, reporting unit and period; returns its path.

    Raises ValueError (message in Vietnamese, then English) for an unknown family or unit (or a unit that does
    not report the period), or a period
    that is unreadable or of the wrong type for the family (poverty and savings: a year; infrastructure: a
    quarter).
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation


    unit, parsed = resolve(family, unit_code, period, reference)
    spec = FAMILIES[family]
    label = period_label(parsed)
    bold = Font(bold=True)

    wb = Workbook()
    info = wb.active
    info.title = "Thông tin"
    for r, (key, value) in enumerate([("Đơn vị", unit.full_name), ("Mã đơn vị", unit.code), ("Kỳ báo cáo", label),
                                      ("Ngày lập", None), ("Người lập", None)], start=1):
        info.cell(row=r, column=1, value=key).font = bold
        cell = info.cell(row=r, column=2, value=value)
        cell.number_format = "dd/mm/yyyy" if key == "Ngày lập" else "@"
    date_check = DataValidation(type="date", operator="greaterThan", formula1="36526", allow_blank=True,
                                showErrorMessage=True, showInputMessage=True, errorTitle="Ngày không hợp lệ",
                                error="Ghi ngày lập báo cáo dạng dd/mm/yyyy, ví dụ 10/01/2024.",
                                promptTitle="Ngày lập", prompt="Ngày lập báo cáo, dạng dd/mm/yyyy.")
    date_check.add("B4")
    info.add_data_validation(date_check)
    info.column_dimensions["A"].width = 16
    info.column_dimensions["B"].width = 32

    ws = wb.create_sheet(spec.sheet)
    columns = list(spec.columns)
    header = ["STT"] + [c.labels[0] for c in columns]
    ws.cell(row=1, column=1, value=f"{FAMILIES[family].title} {label.upper()}").font = bold
    ws.cell(row=2, column=1, value=f"Đơn vị: {unit.full_name}")
    wrap = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for c, text in enumerate(header, start=1):
        cell = ws.cell(row=HEADER_ROW, column=c, value=text)
        cell.font = bold
        cell.alignment = wrap
        ws.column_dimensions[get_column_letter(c)].width = 6 if c == 1 else (30 if c == 2 else 15)
    ws.row_dimensions[HEADER_ROW].height = 48
    ws.freeze_panes = ws.cell(row=FIRST_DATA_ROW, column=3)

    if spec.grain == "commune":
        communes = sorted(reference.communes_reported_by(unit, family, parsed.code), key=lambda u: u.code)
        items = [(u.full_name, u.code, u.type == "Xã") for u in communes]
    else:
        items = [(cat.name_vi, None, True) for cat in reference.savings_categories]
    last_row = FIRST_DATA_ROW + len(items) - 1
    not_applicable = PatternFill("solid", fgColor="DDDDDD")
    for k, (name, code, is_xa) in enumerate(items):
        r = FIRST_DATA_ROW + k
        ws.cell(row=r, column=1, value=k + 1)
        ws.cell(row=r, column=2, value=name)
        if code is not None:
            ws.cell(row=r, column=3, value=code).number_format = "@"
        if not is_xa:
            for c, column in enumerate(columns, start=2):
                if column.kind == "yesno":
                    ws.cell(row=r, column=c).fill = not_applicable

    letters = {column.name: get_column_letter(c) for c, column in enumerate(columns, start=2)}

    def validation(kind: str) -> DataValidation:
        if kind == "count":
            check = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0",
                                   error="Nhập số nguyên không âm (số hộ, số sản phẩm).")
        elif kind in ("km", "money"):
            check = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0",
                                   error="Nhập số không âm, ví dụ 12,5.")
        elif kind == "yesno":
            check = DataValidation(type="list", formula1='"x"',
                                   error="Ghi 'x' nếu đạt; để trống nếu chưa đạt.")
        else:  # NTM cells of a ward or township: must stay empty
            check = DataValidation(type="textLength", operator="equal", formula1="0",
                                   error="Tiêu chí nông thôn mới chỉ áp dụng cho xã: để trống ô này.")
        return _finish(check, kind)

    def related(column: Column) -> DataValidation:
        """A value column that is a sub-count or a total (families.py `at_most`): one custom formula checks both
        the value itself and its relation to the other columns of the same row (a cell takes one validation)."""
        cell = f"{letters[column.name]}{FIRST_DATA_ROW}"
        conditions = [f"ISNUMBER({cell})", f"{cell}>=0"] + ([f"INT({cell})={cell}"] if column.kind == "count" else [])
        for op, other in _relations(spec, column.name):
            conditions.append(f"OR(NOT(ISNUMBER({letters[other]}{FIRST_DATA_ROW})),"
                              f"{cell}{op}{letters[other]}{FIRST_DATA_ROW})")
        check = DataValidation(type="custom", formula1="AND(" + ",".join(conditions) + ")",
                               error=_relation_error(spec, column, letters))
        return _finish(check, column.kind)

    if items:
        checks: dict[str, DataValidation] = {}
        for c, column in enumerate(columns, start=2):
            if column.kind not in ("count", "km", "money", "yesno"):
                continue
            letter = letters[column.name]
            if column.kind == "yesno":
                for k, (_name, _code, is_xa) in enumerate(items):
                    kind = "yesno" if is_xa else "not_applicable"
                    checks.setdefault(kind, validation(kind)).add(f"{letter}{FIRST_DATA_ROW + k}")
            elif _relations(spec, column.name):
                checks[column.name] = related(column)
                checks[column.name].add(f"{letter}{FIRST_DATA_ROW}:{letter}{last_row}")
            else:
                checks.setdefault(column.kind, validation(column.kind)).add(
                    f"{letter}{FIRST_DATA_ROW}:{letter}{last_row}")
        for check in checks.values():
            ws.add_data_validation(check)
    footer_row = last_row + 2
    ws.cell(row=footer_row, column=2, value=FOOTER[0]).font = bold
    ws.cell(row=footer_row, column=min(len(header), 6), value=FOOTER[1]).font = bold

    guide = wb.create_sheet(GUIDE_SHEET)
    for r, line in enumerate(instructions(family, unit.level), start=1):
        guide.cell(row=r, column=1, value=line).font = bold if r == 1 else Font()
    guide.column_dimensions["A"].width = 110

    out_path = Path(out_path)
    wb.save(out_path)
    return out_path


def _relations(spec: Family, name: str) -> list[tuple[str, str]]:
    """A column's relations to other columns of its row: ('<=', total) for a sub-count, ('>=', sub) for a total."""
    return ([("<=", r.limit) for r in spec.at_most if r.column == name]
            + [(">=", r.column) for r in spec.at_most if r.limit == name])


def _relation_error(spec: Family, column: Column, letters: dict[str, str]) -> str:
    """The validation error of a related column, in Vietnamese (Excel allows 255 characters)."""
    def named(names: list[str]) -> str:
        texts = [f"{spec.column(n).noun_vi} (cột {letters[n]})" for n in names]
        return " và ".join([", ".join(texts[:-1]), texts[-1]] if len(texts) > 1 else texts)

    parts = [f"Nhập {_KIND_VI[column.kind]}"]
    at_most = [o for op, o in _relations(spec, column.name) if op == "<="]
    at_least = [o for op, o in _relations(spec, column.name) if op == ">="]
    if at_most:
        parts.append(f"không lớn hơn {named(at_most)}")
    if at_least:
        parts.append(f"không nhỏ hơn {named(at_least)}")
    return ", ".join(parts) + " của cùng dòng."


def _finish(check, kind: str):
    check.allow_blank = True
    check.showErrorMessage = True
    check.errorTitle = "Giá trị không hợp lệ"
    if kind in ("count", "km", "money"):
        check.showInputMessage = True
        check.promptTitle = "Số liệu"
        check.prompt = "Để trống nếu chưa có số liệu; ghi 0 nếu bằng không."
    return check


_ROW_IS = {  # what a commune row of a unit's report is, by the unit's level
    "district": "một xã, phường, thị trấn của đơn vị",
    "province": "một xã, phường, đặc khu của tỉnh (theo danh mục từ 01/07/2025)",
    "commune": "chính đơn vị báo cáo (báo cáo riêng của xã, phường chỉ có một dòng này)",
}


def instructions(family: str, level: str = "district") -> list[str]:
    """The template's 'Hướng dẫn' sheet, line by line: generated from the family's columns (families.py) and the
    reporting unit's level ('district' | 'commune' | 'province')."""
    spec = FAMILIES[family]
    letters = {column.name: column_letters(c) for c, column in enumerate(spec.columns, start=2)}
    values = spec.value_columns
    lines = [
        f"Cách điền báo cáo {spec.vi} (lập theo {PERIOD_TYPE_VI[spec.period_type]})",
        "1. Trang 'Thông tin': ghi 'Ngày lập' (dd/mm/yyyy) và 'Người lập'; không sửa 'Đơn vị', 'Mã đơn vị', "
        "'Kỳ báo cáo'.",
    ]
    given = [c for c in spec.columns if c.kind not in ("count", "km", "money", "yesno")]
    given_text = ", ".join(f"'{c.labels[0]}' (cột {letters[c.name]})" for c in given)
    row_is = _ROW_IS[level] if spec.grain == "commune" else "một nội dung chi"
    these = "các cột này" if len(given) > 1 else "cột này"
    lines.append(f"2. Trang '{spec.sheet}': mỗi dòng là {row_is}, đã ghi sẵn {given_text}: không sửa {these}. "
                 f"Không đổi tên trang, không sửa dòng tiêu đề, không thêm hay xoá cột.")
    decimals = any(c.kind in ("km", "money") for c in values)
    lines.append("3. Ô trống là chưa có số liệu, không phải số 0: số 0 thì ghi 0."
                 + (" Số thập phân ghi dấu phẩy (12,5)." if decimals else ""))
    lines.append("4. Các cột số liệu:")
    for column in values:
        parts = [_KIND_VI[column.kind]]
        if column.kind != "yesno":
            parts.append("bắt buộc, không để trống" if column.required else "để trống nếu không có số liệu")
        at_most = [o for op, o in _relations(spec, column.name) if op == "<="]
        if at_most:
            parts.append("không lớn hơn " + " và ".join(f"'{spec.column(o).labels[0]}' (cột {letters[o]})"
                                                        for o in at_most))
        if column.hint:
            parts.append(column.hint)
        lines.append(f"   - Cột {letters[column.name]} '{column.labels[0]}': {'; '.join(parts)}.")
    lines.append("5. Excel từ chối ô nhập sai và nhắc cách ghi. Gửi lại chính tệp .xlsx này.")
    return lines

