"""A blank emulation plan workbook (`emulation template --family emulation_plan --period 2024`).

The units are those of the year (plan_sheets.plan_units): the province's districts up to 2024; from 2025 the
communes of 2025-07-01 the reporting calendar expects (Tỉnh Vĩnh Long: the 41 of the former Trà Vinh).
`Thông tin` filled (the province, the year), `Cụm thi đua` listing the province's units with the cluster left
empty, `Tiêu chí` with the indicator catalogue as an Excel drop-down (a list validation on the `Danh mục` sheet),
`Chỉ tiêu` with one row per unit (a column per criterion is added by whoever fills the plan, headed by its
`Mã tiêu chí`), `Tham số` with the defaults, `Đã xác minh` with its header and a drop-down of the flag codes.
Parsed as it is, it is rejected for missing data only (clusters and criteria not yet written).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .plan_spec import (CLUSTERS_SHEET, CRITERIA_SHEET, FLAGS, INDICATORS, PARAMETERS, PARAMETERS_SHEET,
                        TARGETS_SHEET, VERIFIED_SHEET)

if TYPE_CHECKING:
    from .reference import Reference
    from .units import Unit

CATALOGUE_SHEET = "Danh mục"
BLANK_ROWS = 100  # rows of the drop-downs and number checks below a header


def resolve_plan(province: str | None, period: str, reference: "Reference") -> tuple["Unit", int]:
    """The province and year of a plan template; ValueError (Vietnamese, then English) when they do not fit. The
    province is one of the year's list (plan_sheets.plan_provinces: from 2025 a province of 2025-07-01)."""
    from .plan_sheets import match_province, plan_provinces
    from .text import parse_period

    try:
        parsed = parse_period(period)
    except ValueError:
        parsed = None
    if parsed is None or parsed.type != "year":
        raise ValueError(f"Kế hoạch thi đua lập theo năm: ghi --period 2024. A plan is for a year: '{period}' is "
                         f"not one (e.g. --period 2024).")
    provinces = plan_provinces(reference, parsed.year)
    if province is None:
        if len(provinces) != 1:
            raise ValueError("Có nhiều tỉnh báo cáo: ghi --province. Several provinces report: give --province.")
        return provinces[0], parsed.year
    unit = match_province(reference, province, None, parsed.year)
    if unit is None:
        names = ", ".join(f"{p.full_name} ({p.code})" for p in provinces)
        raise ValueError(f"Không tìm thấy tỉnh '{province}' năm {parsed.year} ({names}). Unknown province "
                         f"'{province}' for {parsed.year}: use one of {names}.")
    return unit, parsed.year


def write_plan_template(province: "Unit", year: int, out_path: Path, reference: "Reference") -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    bold = Font(bold=True)
    from .plan_sheets import plan_units

    units = plan_units(reference, province, year)  # districts up to 2024, the expected new communes from 2025
    wb = Workbook()
    info = wb.active
    info.title = "Thông tin"
    for row in (["Đơn vị", province.full_name], ["Mã đơn vị", province.code], ["Kỳ báo cáo", f"Năm {year}"],
                ["Ngày lập", None], ["Người lập", None]):
        info.append(row)
    info["A7"] = ("Ghi chú: Ngày lập ghi dạng dd/mm/yyyy; kế hoạch có Ngày lập muộn hơn thay thế kế hoạch trước "
                  "của cùng năm.")
    info.column_dimensions["A"].width, info.column_dimensions["B"].width = 16, 28

    def sheet(name: str, title: str, header: list[str], rows: list[list], widths: list[int]):
        ws = wb.create_sheet(name)
        ws.append([title])
        ws["A1"].font = bold
        ws.append([])
        ws.append(header)
        for cell in ws[3]:
            cell.font = bold
        for row in rows:
            ws.append(row)
        for i, width in enumerate(widths):
            ws.column_dimensions[chr(65 + i)].width = width
        return ws

    def check(ws, validation: DataValidation, cells: str) -> None:
        validation.showErrorMessage = True
        ws.add_data_validation(validation)
        validation.add(cells)

    last = 3 + max(len(units), BLANK_ROWS)
    sheet(CLUSTERS_SHEET, f"CỤM THI ĐUA NĂM {year} — mỗi đơn vị thuộc đúng một cụm (ghi tên cụm, ví dụ 'Cụm 1')",
          ["STT", "Cụm thi đua", "Đơn vị", "Mã đơn vị"],
          [[i, None, u.full_name, u.code] for i, u in enumerate(units, 1)], [6, 18, 28, 12])
    criteria = sheet(CRITERIA_SHEET, f"TIÊU CHÍ THI ĐUA NĂM {year} — theo thứ tự xét khi bằng điểm",
                     ["STT", "Mã tiêu chí", "Tiêu chí", "Chỉ số", "Điểm tối đa", "Điểm thưởng tối đa"], [],
                     [6, 14, 40, 34, 12, 18])
    indicator_list = DataValidation(type="list", formula1=f"'{CATALOGUE_SHEET}'!$A$2:$A${1 + len(INDICATORS)}",
                                    allow_blank=True, errorTitle="Chỉ số",
                                    error="Chọn một chỉ số trong danh sách (trang 'Danh mục').")
    check(criteria, indicator_list, f"D4:D{last}")
    check(criteria, DataValidation(type="decimal", operator="greaterThan", formula1="0", allow_blank=True,
                                   errorTitle="Điểm tối đa", error="Điểm tối đa là số lớn hơn 0."), f"E4:E{last}")
    check(criteria, DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                                   errorTitle="Điểm thưởng tối đa", error="Điểm thưởng là số không âm."),
          f"F4:F{last}")
    targets = sheet(TARGETS_SHEET, f"CHỈ TIÊU NĂM {year} — thêm một cột cho mỗi tiêu chí, tiêu đề là Mã tiêu chí; "
                                   "ô trống: tiêu chí không áp dụng cho đơn vị",
                    ["STT", "Đơn vị", "Mã đơn vị"], [[i, u.full_name, u.code] for i, u in enumerate(units, 1)],
                    [6, 28, 12])
    # the criteria's columns (D onwards) hold numbers; a target may be 0 or negative (hold the line)
    check(targets, DataValidation(type="decimal", operator="between", formula1="-1000000000",
                                  formula2="1000000000", allow_blank=True, errorTitle="Chỉ tiêu",
                                  error="Chỉ tiêu là một số; để trống nếu tiêu chí không áp dụng cho đơn vị."),
          f"D4:Z{3 + len(units)}")
    sheet(PARAMETERS_SHEET, "THAM SỐ CHẤM ĐIỂM — để trống một giá trị để dùng mặc định", ["Tham số", "Giá trị"],
          [[p.label, int(p.default) if p.default == int(p.default) else p.default] for p in PARAMETERS], [34, 12])
    verified = sheet(VERIFIED_SHEET, "DẤU HIỆU BẤT THƯỜNG ĐÃ XÁC MINH", ["Đơn vị", "Mã đơn vị", "Mã dấu hiệu",
                                                                       "Ghi chú"], [], [28, 12, 30, 40])
    flag_list = DataValidation(type="list", allow_blank=True, errorTitle="Mã dấu hiệu",
                               formula1=f"'{CATALOGUE_SHEET}'!$D$2:$D${1 + len(FLAGS)}",
                               error="Chọn một mã dấu hiệu trong danh sách (trang 'Danh mục').")
    check(verified, flag_list, f"C4:C{3 + BLANK_ROWS}")
    catalogue = wb.create_sheet(CATALOGUE_SHEET)
    catalogue.append(["Chỉ số", "Nội dung", None, "Mã dấu hiệu", "Nội dung"])
    indicators, flags = list(INDICATORS.items()), list(FLAGS.items())
    for i in range(max(len(indicators), len(flags))):
        a = indicators[i] if i < len(indicators) else (None, None)
        b = flags[i] if i < len(flags) else (None, None)
        catalogue.append([a[0], a[1], None, b[0], b[1]])
    for cell in catalogue[1]:
        cell.font = bold
    for col, width in zip("ABCDE", (34, 60, 4, 30, 60)):
        catalogue.column_dimensions[col].width = width
    wb.save(out_path)
    return out_path
