"""A blank district report workbook in the format the warehouse reads (`emulation template`).

The workbook has the `Thông tin` sheet filled in (district with its type and code, the period), the family's
data sheet with a title row, the header row in the canonical labels (the first accepted label of every column,
optional ones included), one row per commune of the district with its name and GSO code — or, for savings, one
row per spending category — and Excel data validation on every value column, so a clerk cannot type text or a
negative number where a figure belongs. There is no total row: formulas written by openpyxl carry no computed
value until Excel recalculates, and the warehouse sums the rows itself.

A filled template round-trips: `parse_file` accepts it and lands exactly the figures typed in
(tests/test_template.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .families import FAMILIES, PERIOD_TYPE_EN, PERIOD_TYPE_VI, family_names

if TYPE_CHECKING:  # the command line imports this module for every command: keep its import light
    from .reference import Reference, Unit
    from .text import Period


_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_PERIOD_EXAMPLES = {"year": "'2023' hoặc 'Năm 2023'", "quarter": "'Quý III/2023' hoặc '2023-Q3'"}
HEADER_ROW = 4
FIRST_DATA_ROW = 5
FOOTER = ("Người lập biểu", "Thủ trưởng đơn vị")


def period_label(period: "Period") -> str:
    """The period as clerks write it: 'Năm 2023', 'Quý III/2023', '6 tháng đầu năm 2023', 'Tháng 3/2023'."""
    if period.type == "year":
        return f"Năm {period.year}"
    if period.type == "quarter":
        return f"Quý {_ROMAN[period.number]}/{period.year}"
    if period.type == "half":
        return f"6 tháng {'đầu' if period.number == 1 else 'cuối'} năm {period.year}"
    return f"Tháng {period.number}/{period.year}"


def resolve(family: str, district: str, period: str, reference: "Reference") -> tuple["Unit", "Period"]:
    """The district and period of a template; ValueError (Vietnamese, then English) when they do not fit."""
    from .reference import MatchError
    from .text import parse_period

    if family not in FAMILIES:
        raise ValueError(f"Loại báo cáo '{family}' không có ({family_names()}). "
                         f"Unknown family '{family}': use one of {family_names()}.")
    text = str(district).strip()
    try:
        if text.isdigit():
            unit = reference.units.match_district(None, text, reference.provinces)
        else:
            unit = reference.units.match_district(text, None, reference.provinces)
    except MatchError as err:
        if err.kind == "ambiguous":
            names = "; ".join(f"{u.full_name} (mã {u.code})" for u in err.candidates)
            raise ValueError(f"Tên đơn vị '{text}' khớp với nhiều đơn vị: {names}. Ghi mã đơn vị. "
                             f"District '{text}' is ambiguous ({names}): give its code.") from None
        raise ValueError(f"Không tìm thấy huyện/thị xã/thành phố '{text}' trong danh mục đơn vị báo cáo. "
                         f"Unknown district '{text}': give the GSO code of a reporting district "
                         f"(e.g. 844).") from None
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
    return unit, parsed


def write_template(family: str, district_code: str, period: str, out_path: Path, reference: "Reference") -> Path:
    """Write a blank report workbook for one family, district and period; returns its path.

    Raises ValueError (message in Vietnamese, then English) for an unknown family or district, or a period
    that is unreadable or of the wrong type for the family (poverty and savings: a year; infrastructure: a
    quarter).
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation


    unit, parsed = resolve(family, district_code, period, reference)
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
        communes = sorted(reference.units.communes_by_district.get(unit.code, []), key=lambda u: u.code)
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
        check.allow_blank = True
        check.showErrorMessage = True
        check.errorTitle = "Giá trị không hợp lệ"
        if kind in ("count", "km", "money"):
            check.showInputMessage = True
            check.promptTitle = "Số liệu"
            check.prompt = "Để trống nếu chưa có số liệu; ghi 0 nếu bằng không."
        return check

    if items:
        checks: dict[str, DataValidation] = {}
        for c, column in enumerate(columns, start=2):
            if column.kind not in ("count", "km", "money", "yesno"):
                continue
            letter = get_column_letter(c)
            if column.kind == "yesno":
                for k, (_name, _code, is_xa) in enumerate(items):
                    kind = "yesno" if is_xa else "not_applicable"
                    checks.setdefault(kind, validation(kind)).add(f"{letter}{FIRST_DATA_ROW + k}")
            else:
                checks.setdefault(column.kind, validation(column.kind)).add(
                    f"{letter}{FIRST_DATA_ROW}:{letter}{last_row}")
        for check in checks.values():
            ws.add_data_validation(check)
    footer_row = last_row + 2
    ws.cell(row=footer_row, column=2, value=FOOTER[0]).font = bold
    ws.cell(row=footer_row, column=min(len(header), 6), value=FOOTER[1]).font = bold

    guide = wb.create_sheet("Hướng dẫn")
    for r, line in enumerate([
        "Cách điền báo cáo",
        "1. Trang 'Thông tin': ghi 'Ngày lập' (dd/mm/yyyy) và 'Người lập'; không sửa 'Đơn vị', 'Mã đơn vị', "
        "'Kỳ báo cáo'.",
        f"2. Trang '{spec.sheet}': ghi số liệu vào từng dòng; không đổi tên trang, không sửa dòng tiêu đề "
        f"cột, không xoá cột mã.",
        "3. Số thập phân ghi dấu phẩy (12,5). Ô trống là chưa có số liệu, không phải số 0: số 0 thì ghi 0.",
        "4. Cột 'Đạt chuẩn NTM…' ghi 'x' nếu đạt, để trống nếu chưa đạt; phường, thị trấn để trống.",
        "5. Tiền ghi theo đơn vị ở tiêu đề cột (triệu đồng).",
    ], start=1):
        guide.cell(row=r, column=1, value=line).font = bold if r == 1 else Font()
    guide.column_dimensions["A"].width = 110

    out_path = Path(out_path)
    wb.save(out_path)
    return out_path
