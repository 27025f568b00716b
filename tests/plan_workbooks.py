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


# A plan for 2025, on the communes of 2025-07-01: Tỉnh Vĩnh Long (86), the 41 communes of the former Trà Vinh that
# the reporting calendar expects; Cụm 1 the 6 phường, Cụm 2 the 35 xã.
PHUONG_2025 = ["29242", "29254", "29263", "29398", "29512", "29516"]
XA_2025 = ["29266", "29275", "29278", "29287", "29302", "29308", "29317", "29329", "29335", "29341", "29362", "29365",
           "29371", "29374", "29386", "29407", "29410", "29413", "29416", "29419", "29431", "29446", "29455", "29461",
           "29467", "29476", "29489", "29491", "29497", "29506", "29513", "29518", "29530", "29533", "29536"]
INFO_2025 = {"Đơn vị": "Tỉnh Vĩnh Long", "Mã đơn vị": "86", "Kỳ báo cáo": "Năm 2025", "Ngày lập": "15/01/2025"}
CLUSTERS_2025 = [["KẾ HOẠCH THI ĐUA NĂM 2025"], [], ["STT", "Cụm thi đua", "Đơn vị", "Mã đơn vị"],
                 [1, "Cụm 1", "Phường Trà Vinh", None]] + [
    [2 + i, "Cụm 1" if code in PHUONG_2025 else "Cụm 2", None, code]
    for i, code in enumerate(c for c in PHUONG_2025 + XA_2025 if c != "29242")]
TARGETS_2025 = [["Đơn vị", "Mã đơn vị", "TC1", "TC2", "TC3"], ["P. Trà Vinh", None, "0,5", None, 100]] + [
    [None, code, "1,5", None if code in PHUONG_2025 else 1, 100] for code in PHUONG_2025[1:] + XA_2025]


def plan_file_2025(tmp_path: Path, name: str = "ke_hoach_2025.xlsx", **changes) -> Path:
    """The 2025 plan (`plan_file` with the 2025 sheets; `changes` as there)."""
    return plan_file(tmp_path, name, **{"info": INFO_2025, "clusters": CLUSTERS_2025, "targets": TARGETS_2025,
                                        **changes})
