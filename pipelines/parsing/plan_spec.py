"""The emulation plan workbook (`Kế hoạch thi đua`) as typed data: its sheets, columns, indicator catalogue,
parameters and integrity flags (see /work/shared/spec/emulation-scoring.md, "Input: the emulation plan workbook").

The plan is not a report family (it is not in `FAMILIES`): it is one workbook per province and year, parsed by
`plan.py`, landed in `raw.plan_*` and listed in the submissions with family `emulation_plan`.
"""

from __future__ import annotations

from dataclasses import dataclass

from .text import fold

PLAN_FAMILY = "emulation_plan"
PLAN_VI = "kế hoạch thi đua"

CLUSTERS_SHEET = "Cụm thi đua"
CRITERIA_SHEET = "Tiêu chí"
TARGETS_SHEET = "Chỉ tiêu"
PARAMETERS_SHEET = "Tham số"
VERIFIED_SHEET = "Đã xác minh"
REQUIRED_SHEETS = (CLUSTERS_SHEET, CRITERIA_SHEET, TARGETS_SHEET)
OPTIONAL_SHEETS = (PARAMETERS_SHEET, VERIFIED_SHEET)


@dataclass(frozen=True)
class PlanColumn:
    name: str
    labels: tuple[str, ...]
    required: bool = False


UNIT_NAME = PlanColumn("unit_name", ("Đơn vị", "Tên đơn vị"))
UNIT_CODE = PlanColumn("unit_code", ("Mã đơn vị", "Mã huyện", "Mã xã"))

CLUSTER_COLUMNS = (PlanColumn("cluster", ("Cụm thi đua", "Cụm"), True), UNIT_NAME, UNIT_CODE)
CRITERIA_COLUMNS = (
    PlanColumn("criterion_code", ("Mã tiêu chí",), True),
    PlanColumn("criterion_name", ("Tiêu chí", "Nội dung", "Tên tiêu chí"), True),
    PlanColumn("indicator", ("Chỉ số",), True),
    PlanColumn("max_points", ("Điểm tối đa", "Thang điểm"), True),
    PlanColumn("max_bonus", ("Điểm thưởng tối đa",)),
)
VERIFIED_COLUMNS = (UNIT_NAME, UNIT_CODE, PlanColumn("flag_code", ("Mã dấu hiệu",), True),
                    PlanColumn("note", ("Ghi chú",)))
# header cells of `Chỉ tiêu` that are neither the unit nor a criterion
TARGET_IGNORED = {fold(t) for t in ("STT", "TT", "Số TT", "Cụm thi đua", "Cụm")}

INDICATORS: dict[str, str] = {
    "poverty_rate_reduction_pp": "Giảm tỷ lệ hộ nghèo (điểm %) so với năm trước",
    "em_poverty_rate_reduction_pp": "Giảm tỷ lệ hộ nghèo dân tộc thiểu số (điểm %) so với năm trước",
    "poor_households_reduction": "Số hộ nghèo giảm so với năm trước",
    "near_poverty_rate_reduction_pp": "Giảm tỷ lệ hộ cận nghèo (điểm %) so với năm trước",
    "ntm_communes_new": "Số xã đạt chuẩn nông thôn mới tăng thêm",
    "ntm_advanced_communes_new": "Số xã đạt chuẩn nông thôn mới nâng cao tăng thêm",
    "ntm_model_communes_new": "Số xã đạt chuẩn nông thôn mới kiểu mẫu tăng thêm",
    "ntm_share_pct": "Tỷ lệ xã đạt chuẩn nông thôn mới cuối năm (%)",
    "ocop_products_new": "Số sản phẩm OCOP tăng thêm",
    "rural_road_km": "Đường giao thông nông thôn xây mới, nâng cấp trong năm (km)",
    "green_road_km": "Tuyến đường xanh - sạch - đẹp trong năm (km)",
    "lit_road_km": "Đường được thắp sáng trong năm (km)",
    "people_contribution_share_pct": "Tỷ lệ nhân dân đóng góp trong vốn đầu tư (%)",
    "savings_achieved_pct_of_plan": "Kết quả tiết kiệm so với kế hoạch (%)",
    "reporting_on_time_pct": "Tỷ lệ báo cáo nộp đúng hạn (%)",
}


@dataclass(frozen=True)
class Parameter:
    key: str
    label: str  # as written in `Tham số`
    default: float
    integer: bool = False  # a number of commendations
    percent: bool = False  # a class threshold, 0..100


PARAMETERS: tuple[Parameter, ...] = (
    Parameter("late_report_penalty", "Điểm trừ mỗi báo cáo trễ hạn", 1),
    Parameter("missing_report_penalty", "Điểm trừ mỗi báo cáo không nộp", 5),
    Parameter("excellent_from_pct", "Xuất sắc từ", 90, percent=True),
    Parameter("good_from_pct", "Tốt từ", 75, percent=True),
    Parameter("completed_from_pct", "Hoàn thành từ", 50, percent=True),
    Parameter("flags_per_cluster", "Số Cờ thi đua mỗi cụm", 1, integer=True),
    Parameter("merits_per_cluster", "Số Bằng khen mỗi cụm", 2, integer=True),
)
PARAMETER_OF = {fold(p.label): p for p in PARAMETERS} | {fold(p.key): p for p in PARAMETERS}
PARAMETER_HEADER = {fold(t) for t in ("Tham số", "Giá trị", "Nội dung", "STT", "Mã tham số", "Ghi chú")}

FLAGS: dict[str, str] = {
    "poor_moved_to_near_poor": "Hộ nghèo giảm nhưng hộ cận nghèo tăng tương ứng",
    "households_jump": "Tổng số hộ của xã thay đổi hơn 10 % so với năm trước",
    "stock_decreased": "Số lũy kế (xã NTM, NTM nâng cao, kiểu mẫu, sản phẩm OCOP) giảm",
    "savings_far_above_plan": "Kết quả tiết kiệm vượt hơn 3 lần kế hoạch",
    "late_correction_raised_score": "Báo cáo sửa nộp sau hạn làm tăng kết quả được chấm",
}
