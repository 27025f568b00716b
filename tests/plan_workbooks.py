"""A valid emulation plan workbook for Trà Vinh (84), 2024, built with openpyxl, and variations of it."""

from __future__ import annotations

from pathlib import Path

from workbooks import write_workbook

INFO = {"Đơn vị": "Tỉnh Trà Vinh", "Kỳ báo cáo": "Năm 2024", "Ngày lập": "15/01/2024"}
CLUSTERS = [["KẾ HOẠCH THI ĐUA NĂM 2024"], [], ["STT", "Cụm thi đua", "Đơn vị", "Mã đơn vị"],
            [1, "Cụm 1", "Thành phố Trà Vinh", "842"], [2, "Cụm 1", "Thị xã Duyên Hải", "851"]] + [
    [3 + i, "Cụm 2", None, str(code)] for i, code in enumerate(range(844, 851))]
CRITERIA = [["STT", "Mã tiêu chí", "Tiêu chí", "Chỉ số", "Điểm tối đa", "Điểm thưởng tối đa"],
            [1, "TC1", "Giảm tỷ lệ hộ nghèo", "poverty_rate_reduction_pp", 40, 4],
            [2, "TC2", "Xã nông thôn mới", "ntm_communes_new", "30", None],
            [3, "TC3", "Báo cáo đúng hạn", "reporting_on_time_pct", "12,5", "2,5"]]
TARGETS = [["Đơn vị", "Mã đơn vị", "TC1", "TC2", "TC3"],
           ["Thành phố Trà Vinh", "842", "0,5", None, 100],
           ["Thị xã Duyên Hải", "851", 1.5, 1, 100]] + [
    [None, str(code), "1,5", 2, 100] for code in range(844, 851)]


def plan_file(tmp_path: Path, name: str = "ke_hoach_2024.xlsx", *, info: dict | None = None,
              drop: tuple[str, ...] = (), **sheets: list[list]) -> Path:
    content = {"Cụm thi đua": CLUSTERS, "Tiêu chí": CRITERIA, "Chỉ tiêu": TARGETS}
    for key, rows in sheets.items():
        content[{"clusters": "Cụm thi đua", "criteria": "Tiêu chí", "targets": "Chỉ tiêu", "parameters": "Tham số",
                 "verified": "Đã xác minh"}[key]] = rows
    for key in drop:
        content.pop(key)
    return write_workbook(tmp_path / name, INFO if info is None else info, content)
