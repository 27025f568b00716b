"""A small inbox for scoring the communes of 2025 (docs/scoring.md, "Communes from 2025"), until the sample has
the 2025 reports: Càng Long's 2024 poverty review (district), Xã Nhị Long's (29302) and Phường Trà Vinh's (29242)
own poverty and savings reports for 2025, and a 2025 plan of Tỉnh Vĩnh Long on its 41 communes of the former Trà
Vinh (plan_workbooks.py). Xã Nhị Long took in Đại Phước (29296), Nhị Long (29302) and Đức Mỹ (29305) whole."""

from __future__ import annotations

from pathlib import Path

from plan_workbooks import CLUSTERS_2025, PHUONG_2025, XA_2025, plan_file
from workbooks import CANG_LONG_COMMUNES, write_workbook

POVERTY = ["STT", "Xã, phường, thị trấn", "Mã xã", "Tổng số hộ", "Số hộ nghèo", "Số hộ cận nghèo", "Số hộ DTTS",
           "Số hộ nghèo DTTS", "Số hộ cận nghèo DTTS"]
SAVINGS = ["STT", "Nội dung", "Dự toán (triệu đồng)", "Kế hoạch tiết kiệm (triệu đồng)",
           "Thực hiện tiết kiệm (triệu đồng)"]
NHI_LONG_OLD = {"29296": (1000, 30, 40), "29302": (1200, 28, 50), "29305": (800, 22, 30)}  # total, poor, near-poor
NHI_LONG_2025 = (3050, 40, 130)  # its own review of 2025
NHI_LONG_SAVINGS = [("Chi thường xuyên", 5000, 150, 141), ("Chi đầu tư công", 2000, 50, 46)]  # planned 200, 188
PHUONG_TRA_VINH_SAVINGS = [("Chi thường xuyên", 8000, 240, 252)]
# (poverty reduction pp, savings % of plan, on-time %); Cụm 1 the 6 phường, Cụm 2 the 35 xã
CRITERIA_2025 = [["STT", "Mã tiêu chí", "Tiêu chí", "Chỉ số", "Điểm tối đa", "Điểm thưởng tối đa"],
                 [1, "TC1", "Giảm tỷ lệ hộ nghèo", "poverty_rate_reduction_pp", 40, 4],
                 [2, "TC2", "Thực hành tiết kiệm", "savings_achieved_pct_of_plan", 30, 3],
                 [3, "TC3", "Báo cáo đúng hạn", "reporting_on_time_pct", 10, None]]
TARGETS_2025 = [["Đơn vị", "Mã đơn vị", "TC1", "TC2", "TC3"]] + [
    [None, code, "0,8", 100, 100] for code in PHUONG_2025 + XA_2025]


def _poverty(path: Path, info: dict, rows: list[tuple]) -> Path:
    data = [[i + 1, None, code, total, poor, near, 0, 0, 0] for i, (code, total, poor, near) in enumerate(rows)]
    return write_workbook(path, info, {"Giảm nghèo": [["BÁO CÁO KẾT QUẢ RÀ SOÁT HỘ NGHÈO"], [], [], POVERTY] + data})


def _savings(path: Path, info: dict, rows: list[tuple]) -> Path:
    data = [[i + 1, label, *values] for i, (label, *values) in enumerate(rows)]
    return write_workbook(path, info, {"Tiết kiệm": [["BÁO CÁO THỰC HÀNH TIẾT KIỆM"], [], [], SAVINGS] + data})


def write_inbox(inbox: Path) -> Path:
    inbox.mkdir(parents=True, exist_ok=True)
    cang_long = [(code, *NHI_LONG_OLD.get(code, (1500, 30, 45))) for code in CANG_LONG_COMMUNES]
    _poverty(inbox / "844_cang-long_2024.xlsx",
             {"Mã đơn vị": "844", "Kỳ báo cáo": "Năm 2024", "Ngày lập": "10/01/2025"}, cang_long)
    _poverty(inbox / "29302_nhi-long_2025.xlsx",
             {"Đơn vị": "Xã Nhị Long", "Mã đơn vị": "29302", "Kỳ báo cáo": "Năm 2025", "Ngày lập": "12/01/2026"},
             [("29302", *NHI_LONG_2025)])
    _savings(inbox / "29302_nhi-long_tiet-kiem_2025.xlsx",
             {"Đơn vị": "Xã Nhị Long", "Mã đơn vị": "29302", "Kỳ báo cáo": "Năm 2025", "Ngày lập": "20/01/2026"},
             NHI_LONG_SAVINGS)
    # Phường Trà Vinh: its poverty review late (due 15/01/2026), its savings on time
    _poverty(inbox / "29242_tra-vinh_2025.xlsx",
             {"Đơn vị": "Phường Trà Vinh", "Mã đơn vị": "29242", "Kỳ báo cáo": "Năm 2025", "Ngày lập": "20/01/2026"},
             [("29242", 12000, 30, 80)])
    _savings(inbox / "29242_tra-vinh_tiet-kiem_2025.xlsx",
             {"Đơn vị": "Phường Trà Vinh", "Mã đơn vị": "29242", "Kỳ báo cáo": "Năm 2025",
              "Ngày lập": "25/01/2026"}, PHUONG_TRA_VINH_SAVINGS)
    plan_file(inbox, "86_ke-hoach-thi-dua_2025.xlsx",
              info={"Đơn vị": "Tỉnh Vĩnh Long", "Mã đơn vị": "86", "Kỳ báo cáo": "Năm 2025", "Ngày lập": "15/01/2025"},
              clusters=CLUSTERS_2025, criteria=CRITERIA_2025, targets=TARGETS_2025)
    return inbox
