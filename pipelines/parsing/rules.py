"""Every rule a district report is checked against, in one place.

Each rule has a stable code (English, used in `mart_report_issues.rule` and by anyone filtering on it), a
severity (`error` blocks the report, `warning` is recorded beside an accepted report) and a message for the
district clerk, in Vietnamese, saying what is wrong and how to fix it. `docs/rules.md` is generated from this
table (`emulation rules`).
"""

from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Rule:
    code: str
    severity: str
    message: str  # Vietnamese, str.format placeholders
    description: str  # English, for the documentation


# --- emulation plan: the rules of the plan workbook (family 'emulation_plan'), listed after the report rules
PLAN_RULES = [
    Rule("plan_sheet_missing", ERROR,
         "Kế hoạch thi đua thiếu trang {sheets}. Kế hoạch phải có đủ ba trang 'Cụm thi đua', 'Tiêu chí' và "
         "'Chỉ tiêu' (các trang đang có: {present}); tạo bằng lệnh 'emulation template --family emulation_plan'.",
         "A plan workbook (recognised by its sheets) lacks one of the required sheets Cụm thi đua, Tiêu chí, "
         "Chỉ tiêu."),
    Rule("plan_province_missing", ERROR,
         "Trang 'Thông tin' của kế hoạch thi đua chưa ghi 'Đơn vị'. Ghi tên tỉnh (ví dụ 'Tỉnh Trà Vinh') hoặc "
         "mã tỉnh (ví dụ 84).",
         "The plan's Thông tin sheet names no province."),
    Rule("plan_province_unknown", ERROR,
         "Không tìm thấy tỉnh '{value}' (trang 'Thông tin', 'Đơn vị') trong các tỉnh có lịch báo cáo ({provinces}). "
         "Ghi đúng tên tỉnh hoặc mã tỉnh.",
         "The plan's province matches no province of the reporting calendar."),
    Rule("plan_period_not_year", ERROR,
         "Kỳ '{value}' (trang 'Thông tin', 'Kỳ báo cáo') không phải một năm: kế hoạch thi đua lập cho cả năm. "
         "Ghi ví dụ 'Năm 2024'.",
         "The plan's period is not a year."),
    Rule("plan_column_missing", ERROR,
         "Trang '{sheet}' không tìm thấy cột bắt buộc: {columns}. Tiêu đề cột phải ghi như mẫu.",
         "A plan sheet lacks a required column in its header row."),
    Rule("plan_no_rows", ERROR,
         "Trang '{sheet}' không có dòng nào dưới dòng tiêu đề. {hint}",
         "A required plan sheet has a header but no rows."),
    Rule("plan_value_missing", ERROR,
         "{where} để trống. {hint}",
         "A required cell of the plan is empty (a unit without a cluster, a criterion without code, name, "
         "indicator or maximum)."),
    Rule("plan_unit_unknown", ERROR,
         "{where}: không tìm thấy đơn vị '{value}' trong các đơn vị thi đua của {province} năm {year}{detail}. "
         "Ghi đúng tên (ví dụ '{example_name}') hoặc mã đơn vị (ví dụ {example_code}).",
         "A unit of the plan matches no unit of the province for the year (districts up to 2024; from 2025 the "
         "communes of the 2025-07-01 list)."),
    Rule("plan_unit_ambiguous", ERROR,
         "{where}: tên '{value}' khớp với nhiều đơn vị: {candidates}. Ghi rõ loại đơn vị ({types}) hoặc ghi "
         "'Mã đơn vị'.",
         "A unit name of the plan fits several units; the type or the code must settle it."),
    Rule("plan_unit_in_two_clusters", ERROR,
         "{unit} ghi ở hai cụm: '{first_cluster}' (dòng {first_row}) và '{cluster}' (dòng {row}, trang 'Cụm thi "
         "đua'). Mỗi đơn vị chỉ thuộc một cụm thi đua: xoá một trong hai dòng.",
         "A unit is listed in two clusters."),
    Rule("plan_unit_without_cluster", ERROR,
         "Chưa xếp cụm thi đua cho {count} đơn vị: {units}. Mỗi đơn vị phải thuộc đúng một cụm: thêm một dòng cho "
         "mỗi đơn vị ở trang 'Cụm thi đua'.",
         "Units of the province for the year are in no cluster."),
    Rule("plan_unit_not_in_cluster", ERROR,
         "{where}: {unit} không thuộc cụm thi đua nào ở trang 'Cụm thi đua'. Thêm đơn vị vào một cụm, hoặc "
         "xoá dòng {row}.",
         "A target row (or a cleared flag) names a unit that is in no cluster."),
    Rule("plan_unit_duplicate", ERROR,
         "{where}: {unit} đã có ở dòng {first_row}. Mỗi đơn vị chỉ ghi một dòng chỉ tiêu: giữ một dòng, xoá "
         "dòng kia.",
         "A unit has two target rows."),
    Rule("plan_criterion_duplicate", ERROR,
         "{where}: mã tiêu chí '{value}' đã có ở dòng {first_row}. Mỗi tiêu chí một mã riêng: sửa mã hoặc xoá "
         "một dòng.",
         "Two criteria share a code."),
    Rule("plan_indicator_unknown", ERROR,
         "{where}: chỉ số '{value}' không có trong danh mục chỉ số của kho dữ liệu. Chọn một trong: {indicators}.",
         "A criterion's indicator is not one of the indicator catalogue (plan_spec.INDICATORS)."),
    Rule("plan_max_points_not_positive", ERROR,
         "{where} ghi {value}: điểm tối đa phải lớn hơn 0. Ghi số điểm, ví dụ 10.",
         "A criterion's maximum points is zero or negative."),
    Rule("plan_max_bonus_negative", ERROR,
         "{where} ghi {value}: điểm thưởng tối đa không được âm. Ghi 0 hoặc để trống nếu không có điểm thưởng.",
         "A criterion's maximum bonus is negative."),
    Rule("plan_value_not_number", ERROR,
         "{where} ghi '{value}', không phải là số. Ghi số, ví dụ 10 hoặc 2,5.",
         "A points cell of the plan holds text."),
    Rule("plan_criterion_column_unknown", ERROR,
         "{where}: cột '{value}' không phải mã tiêu chí nào ở trang 'Tiêu chí' ({criteria}). Tiêu đề mỗi cột "
         "chỉ tiêu là 'Mã tiêu chí': sửa tiêu đề, hoặc thêm tiêu chí vào trang 'Tiêu chí'.",
         "A column of Chỉ tiêu is headed by a code that is no criterion."),
    Rule("plan_criterion_without_column", WARNING,
         "Tiêu chí '{value}' không có cột ở trang 'Chỉ tiêu': tiêu chí này không áp dụng cho đơn vị nào. Thêm "
         "cột có tiêu đề '{value}' nếu cần giao chỉ tiêu.",
         "A criterion has no column in Chỉ tiêu (it applies to no unit)."),
    Rule("plan_unit_without_targets", WARNING,
         "Trang 'Chỉ tiêu' không có dòng cho {count} đơn vị: {units}. Không tiêu chí nào áp dụng cho các đơn vị "
         "này (không được chấm điểm tiêu chí); thêm một dòng cho mỗi đơn vị nếu cần giao chỉ tiêu.",
         "Units in a cluster have no row in Chỉ tiêu: no criterion applies to them."),
    Rule("plan_target_not_number", ERROR,
         "{where} ghi '{value}', không phải là số. Ghi chỉ tiêu bằng số (ví dụ 1,5 hoặc 4.803), hoặc để trống "
         "nếu tiêu chí không áp dụng cho đơn vị.",
         "A target is not a number (an empty cell means the criterion does not apply)."),
    Rule("plan_parameter_unknown", ERROR,
         "{where}: tham số '{value}' không có. Các tham số: {parameters}.",
         "A Tham số row names no known parameter."),
    Rule("plan_parameter_invalid", ERROR,
         "{where}: tham số '{parameter}' ghi '{value}': {reason}. Sửa giá trị, hoặc để trống để dùng mặc định "
         "({default}).",
         "A parameter value is not a number, negative, not whole where a count is meant, above 100 for a "
         "threshold, or the thresholds are out of order (Xuất sắc ≥ Tốt ≥ Hoàn thành)."),
    Rule("plan_flag_unknown", ERROR,
         "{where}: mã dấu hiệu '{value}' không có. Ghi một trong: {flags}.",
         "A cleared flag names no known integrity flag."),
]


RULES: dict[str, Rule] = {r.code: r for r in [
    # --- the file as a whole
    Rule("file_unreadable", ERROR,
         "Tệp không đọc được như sổ Excel (.xlsx) hay tệp CSV: {detail}. Hãy mở bằng Excel, lưu dưới dạng "
         "'Excel Workbook (.xlsx)' rồi gửi lại.",
         "The file is not a readable .xlsx workbook or CSV file."),
    Rule("file_too_large", ERROR,
         "Tệp quá lớn ({size_mb} MB; tối đa {limit_mb} MB). Chỉ gửi các trang báo cáo, bỏ hình ảnh và trang phụ.",
         "The file is larger than the configured limit; it is not opened."),
    Rule("workbook_too_large", ERROR,
         "Sổ Excel khi giải nén quá lớn ({detail}). Chỉ gửi các trang báo cáo theo mẫu, bỏ hình ảnh và trang phụ.",
         "The workbook expands beyond the configured limit when unzipped (zip bomb guard: the real inflated "
         "size is measured, streaming, before the workbook is opened)."),
    Rule("sheet_too_large", ERROR,
         "Trang '{sheet}' quá lớn ({detail}). Chỉ giữ các dòng số liệu của báo cáo, xoá các dòng và cột thừa.",
         "A sheet (or CSV file) has more rows, cells or XML bytes than the configured limits; it is not loaded."),
    Rule("no_report_sheet", ERROR,
         "Không có trang báo cáo nào. Tên trang phải là một trong: {expected} "
         "(các trang đang có: {sheets}).",
         "The workbook has no sheet named after a report family."),
    Rule("hidden_sheet_ignored", WARNING,
         "Trang '{sheet}' đang bị ẩn nên không được đọc{used}. Nếu đây là số liệu cần báo cáo, hãy bỏ ẩn trang "
         "(và xoá hoặc ẩn trang cũ) rồi gửi lại; nếu là bản cũ, hãy xoá trang này.",
         "A hidden or very-hidden sheet named after a report family is never read as a report; the warning names "
         "it (and the visible sheet read instead, if any)."),
    Rule("report_sheet_duplicate", ERROR,
         "Sổ có hai trang báo cáo {family_vi} cho cùng đơn vị và kỳ: {sheets}. Chỉ giữ một trang (xoá trang kia), "
         "hoặc đặt tên bản mới là '{example}'.",
         "Two visible sheets of the same family whose names differ by more than a version suffix: which one is "
         "the report cannot be told; both are named."),
    Rule("report_sheet_version_used", WARNING,
         "Sổ có nhiều trang báo cáo {family_vi}: {sheets}; đã dùng trang cuối cùng '{sheet}', bỏ qua {ignored}. "
         "Nếu trang khác mới đúng, hãy xoá các trang cũ rồi gửi lại.",
         "Several visible sheets of one family whose names differ only by a version suffix ('Giảm nghèo (2)'): "
         "the last in workbook order counts."),
    # --- the report header (sheet 'Thông tin')
    Rule("info_sheet_missing", ERROR,
         "Thiếu trang 'Thông tin' (khai 'Đơn vị', 'Kỳ báo cáo', 'Ngày lập'). Hãy dùng mẫu báo cáo "
         "(lệnh 'emulation template').",
         "The workbook has no 'Thông tin' sheet."),
    Rule("district_missing", ERROR,
         "Trang 'Thông tin' chưa ghi 'Đơn vị' hoặc 'Mã đơn vị'. Ghi tên huyện/thị xã/thành phố hoặc mã đơn vị "
         "(ví dụ 844).",
         "Neither the district name nor its code is given."),
    Rule("district_unknown", ERROR,
         "Không tìm thấy huyện/thị xã/thành phố '{value}' trong danh mục đơn vị báo cáo{detail}. Ghi đúng tên "
         "(ví dụ 'Huyện Càng Long') hoặc mã đơn vị của Tổng cục Thống kê (ví dụ 844) ở trang 'Thông tin'.",
         "The district name or code matches no district of the reporting province(s)."),
    Rule("district_ambiguous", ERROR,
         "Tên đơn vị '{value}' khớp với nhiều đơn vị: {candidates}. Ghi rõ loại đơn vị (Huyện, Thị xã, "
         "Thành phố) hoặc ghi 'Mã đơn vị'.",
         "The district name fits several districts; the type or the code must settle it."),
    Rule("unit_unknown", ERROR,
         "Không tìm thấy đơn vị '{value}' trong danh mục đơn vị từ ngày 01/07/2025 của các tỉnh báo cáo{detail}. "
         "Ghi đúng tên xã, phường, đặc khu (ví dụ 'Phường Trà Vinh') hoặc tỉnh (ví dụ 'Tỉnh Vĩnh Long'), hoặc mã "
         "đơn vị (mã xã 5 chữ số, ví dụ 29242; mã tỉnh 2 chữ số, ví dụ 86) ở trang 'Thông tin'.",
         "For a period ending after 30 June 2025: the unit name or code matches no new commune or new province "
         "(units of 2025-07-01) of the provinces whose new units report."),
    Rule("unit_ambiguous", ERROR,
         "Tên đơn vị '{value}' khớp với nhiều đơn vị: {candidates}. Ghi rõ loại đơn vị (Xã, Phường, Đặc khu, "
         "Tỉnh) trước tên hoặc ghi 'Mã đơn vị'.",
         "For a period ending after 30 June 2025: the unit name fits several new units; the type or the code "
         "must settle it."),
    Rule("unit_not_valid_for_period", ERROR,
         "'{value}' ở {place} là {unit}, {unit_when}; {period_vi} {period_when}, nên do {who}. {candidates_vi}: "
         "{candidates}. {fix}",
         "The reporting unit does not exist in the period's list of units (docs/reorganisation.md): a district "
         "for a period ending after 30 June 2025, or a new commune or province (units of 2025-07-01) for a "
         "period ending by then. The message names the units that report the period instead: for a district, "
         "the new communes its communes became (crosswalk) and the new province; for a new commune, the "
         "district(s) its old communes belonged to; for a new province, the districts of the provinces it took "
         "in. In an emulation plan (a unit of `Cụm thi đua`, `Chỉ tiêu` or `Đã xác minh`): a district in a plan for "
         "2025 or later, or a new commune in a plan up to 2024; the message names the cell and the units of the "
         "year instead."),
    Rule("savings_from_province", ERROR,
         "Trang 'Tiết kiệm' trong báo cáo của {unit} không được nhận: tiết kiệm là ngân sách của chính từng xã, "
         "phường, nên mỗi xã, phường tự gửi báo cáo 'Tiết kiệm' của mình (trang 'Thông tin' ghi tên và mã xã). "
         "Tiết kiệm ngân sách của tỉnh không thuộc các báo cáo này. Xoá trang 'Tiết kiệm' khỏi bản tổng hợp "
         "của tỉnh rồi gửi lại.",
         "A savings sheet in a new province's compiled workbook: savings are a unit's own budget, so each new "
         "commune sends its own; the province's own savings are not part of these reports."),
    Rule("period_missing", ERROR,
         "Trang 'Thông tin' chưa ghi 'Kỳ báo cáo'. Ghi ví dụ 'Năm 2023' hoặc 'Quý III/2023'.",
         "The reporting period is not given."),
    Rule("period_invalid", ERROR,
         "Không đọc được kỳ báo cáo '{value}'. Ghi ví dụ 'Năm 2023', 'Quý III/2023', '6 tháng đầu năm 2023' "
         "hoặc 'Tháng 3/2023'.",
         "The period is not in any accepted form."),
    Rule("period_wrong_type", ERROR,
         "Kỳ báo cáo '{value}' không hợp với báo cáo {family_vi}: báo cáo này lập theo {expected_vi}.",
         "The period type does not match the family (poverty and savings: year; infrastructure: quarter)."),
    Rule("period_in_future", ERROR,
         "Kỳ báo cáo {period} chưa kết thúc (kết thúc ngày {end}). Kiểm tra lại 'Kỳ báo cáo'.",
         "The period has not ended yet."),
    Rule("report_date_after_received", ERROR,
         "'Ngày lập' {date} ở trang 'Thông tin' muộn hơn lúc nhận tệp ({received}): báo cáo không thể lập sau khi "
         "đã gửi. Sửa 'Ngày lập' thành ngày lập thật (dạng dd/mm/yyyy, ví dụ {example}) rồi gửi lại.",
         "The report date is later than the moment the file was received (its modification time): a typo such "
         "as 2032 would otherwise let the report outrank every later correction."),
    Rule("report_date_invalid", WARNING,
         "Không đọc được 'Ngày lập' '{value}' (ghi dạng dd/mm/yyyy); lấy thời điểm nhận tệp thay thế.",
         "The report date is unreadable; the time the file was received is used instead."),
    # --- the data sheet layout
    Rule("required_column_missing", ERROR,
         "Không tìm thấy cột bắt buộc: {columns}. Tiêu đề cột phải ghi như mẫu (ví dụ {example}).",
         "A required column was not found in the header row."),
    Rule("header_not_understood", ERROR,
         "Không hiểu tiêu đề cột {cells}: tiêu đề hai dòng '{label}' không khớp cột nào của mẫu báo cáo. Ghi tiêu đề "
         "cột trên một dòng như mẫu (ví dụ {example}), hoặc sửa tiêu đề nhóm và tiêu đề con cho đúng.",
         "A header spanning two rows (a group label over sub-labels, merged cells) where a sub-label, combined "
         "with its group label, names no column of the family: refused rather than dropping the column."),
    Rule("no_data_rows", ERROR,
         "Trang '{sheet}' không có dòng số liệu nào dưới dòng tiêu đề.",
         "The sheet has a header but no data rows."),
    Rule("money_unit_unknown", ERROR,
         "Cột '{column}' ({cell}) ghi đơn vị '{unit}', không phải đơn vị tiền. Sửa tiêu đề cột thành "
         "'(đồng)', '(nghìn đồng)', '(triệu đồng)' hoặc '(tỷ đồng)'.",
         "A money column's header names a unit that is not one of đồng, nghìn đồng, triệu đồng, tỷ đồng."),
    Rule("money_unit_missing", WARNING,
         "Cột '{column}' ({cell}) không ghi đơn vị tiền; đã hiểu là triệu đồng. Ghi rõ đơn vị vào tiêu đề cột, "
         "ví dụ '(triệu đồng)' hoặc '(tỷ đồng)'.",
         "A money column has no unit in its header; read as million VND."),
    # --- rows: {where} is the commune (or savings category), the cell and its column header, e.g.
    # "Xã Đại Phúc, ô E7 ('Số hộ nghèo')"; {cell} is "ô E7" (a CSV file: "dòng 12"), {row} the Excel row
    Rule("commune_unknown", ERROR,
         "Không tìm thấy '{value}' ({cell}) trong các xã/phường/thị trấn của {district}. Ghi đúng tên "
         "(ví dụ 'Xã Đại Phúc', 'Phường 1') hoặc mã xã của Tổng cục Thống kê.",
         "The commune name or code matches no commune of the district."),
    Rule("commune_ambiguous", ERROR,
         "Tên '{value}' ({cell}) khớp với nhiều đơn vị của {district}: {candidates}. Ghi rõ loại (Xã, Phường, "
         "Thị trấn) trước tên, hoặc ghi mã xã.",
         "The commune name fits several communes of the district; the type or the code must settle it."),
    Rule("commune_other_district", ERROR,
         "'{value}' ({cell}) là {candidates}, không thuộc {district}. Chỉ báo cáo các xã của đơn vị mình: sửa "
         "tên hoặc mã xã, hoặc xoá dòng {row}.",
         "The commune belongs to another district."),
    Rule("commune_not_reporting_unit", ERROR,
         "'{value}' ({cell}) là {candidates}, nhưng báo cáo này là của {district}: báo cáo riêng của một xã, "
         "phường chỉ có một dòng số liệu, ghi chính đơn vị đó. Sửa tên hoặc mã ở dòng {row} thành {district}; số "
         "liệu của đơn vị khác do đơn vị đó tự báo cáo hoặc có trong bản tổng hợp của tỉnh.",
         "A new commune's own report (units of 2025-07-01) has a data row naming another commune."),
    Rule("commune_code_name_mismatch", ERROR,
         "Mã xã '{written_code}' ({code_cell}) là {code_unit}, nhưng tên '{value}' ({cell}) là {name_unit}. Sửa mã xã "
         "hoặc tên cho khớp với nhau.",
         "A commune row whose code names one commune and whose name names another commune of the district."),
    Rule("commune_duplicate", ERROR,
         "{value} ghi hai lần: dòng {first_row} và dòng {row} ({cell}). Mỗi xã/phường/thị trấn chỉ ghi một "
         "dòng: giữ một dòng đúng, xoá dòng kia.",
         "The same commune appears twice."),
    Rule("category_unknown", ERROR,
         "Nội dung '{value}' ({cell}) không thuộc danh mục tiết kiệm. Ghi một trong các nội dung: {categories}.",
         "The savings category is not one of the accepted ones."),
    Rule("category_duplicate", ERROR,
         "Nội dung '{value}' ghi hai lần: dòng {first_row} và dòng {row} ({cell}). Mỗi nội dung chỉ ghi một "
         "dòng: giữ một dòng đúng, xoá dòng kia.",
         "The same savings category appears twice."),
    Rule("value_missing", ERROR,
         "{where} để trống. Ô trống là thiếu số liệu, không phải số 0: ghi số vào ô, hoặc '0' hay '-' nếu "
         "bằng không.",
         "A required number is empty (an empty cell is missing, never zero)."),
    Rule("value_not_number", ERROR,
         "{where} ghi '{value}', không phải là số. Ghi số, ví dụ 4.803 hoặc 12,5.",
         "A cell that must hold a number holds text."),
    Rule("value_not_integer", ERROR,
         "{where} ghi {value}; số hộ, số sản phẩm phải là số nguyên. Ghi số nguyên, ví dụ 6.000.",
         "A count holds a fraction."),
    Rule("value_negative", ERROR,
         "{where} ghi số âm ({value}). Số liệu này không được âm: ghi số đúng, hoặc 0 nếu bằng không.",
         "A value that cannot be negative is negative."),
    Rule("value_out_of_range", ERROR,
         "{where} ghi '{value}', {detail}. Số này không thể đúng: kiểm tra lại số đã gõ{hint}, sửa rồi gửi lại.",
         "A value beyond plausible magnitudes: a count above the configured maximum (default 10,000,000 per "
         "commune), money above 10^15 VND or a length above 10,000 km in one row, or any non-finite number "
         "(`inf`, `1e400`). Limits are in `Limits` (pipelines/parsing/results.py)."),
    Rule("cell_error", ERROR,
         "{where} có lỗi công thức Excel ({value}). Sửa công thức hoặc ghi số trực tiếp vào ô.",
         "A cell holds an Excel error value (#DIV/0!, #REF!, ...)."),
    Rule("value_not_yes_no", ERROR,
         "{where} ghi '{value}'. Ghi 'x' hoặc 'Đạt' nếu đạt; để trống hoặc ghi 'Chưa đạt' nếu chưa đạt.",
         "A yes/no cell holds something else."),
    Rule("poor_exceeds_total", ERROR,
         "{item}: số hộ nghèo {value} ({cell}) lớn hơn tổng số hộ {total} ({total_cell}). Số hộ nghèo không "
         "thể lớn hơn tổng số hộ: kiểm tra và sửa một trong hai ô.",
         "poor_households > total_households."),
    Rule("near_poor_exceeds_total", ERROR,
         "{item}: số hộ cận nghèo {value} ({cell}) lớn hơn tổng số hộ {total} ({total_cell}). Số hộ cận "
         "nghèo không thể lớn hơn tổng số hộ: kiểm tra và sửa một trong hai ô.",
         "near_poor_households > total_households."),
    Rule("em_exceeds_total", ERROR,
         "{item}: {what} {value} ({cell}) lớn hơn {total_what} {total} ({total_cell}). {what_cap} không thể "
         "lớn hơn {total_what}: kiểm tra và sửa một trong hai ô.",
         "An ethnic-minority count exceeds its total (em_households ≤ total_households, em_poor ≤ em_households "
         "and ≤ poor, em_near_poor ≤ em_households and ≤ near_poor)."),
    Rule("ntm_without_standard", ERROR,
         "{item}: đánh dấu đạt {what} ({cell}) nhưng chưa đánh dấu 'Đạt chuẩn NTM' ({standard_cell}). Xã đạt "
         "NTM nâng cao/kiểu mẫu phải đạt chuẩn NTM: ghi 'x' vào {standard_cell}, hoặc xoá dấu ở {cell}.",
         "ntm_advanced or ntm_model is set without ntm_standard."),
    Rule("ntm_not_applicable", WARNING,
         "{value} là {unit_type} ({cell}): tiêu chí nông thôn mới chỉ áp dụng cho xã; đã bỏ qua các ô NTM "
         "của dòng {row}. Để trống các ô NTM của phường, thị trấn.",
         "An NTM flag is set on a ward or township; it is ignored."),
    # --- the report against what is known
    Rule("total_row_mismatch", WARNING,
         "Dòng tổng, {cell} ('{column}'), ghi {stated}, nhưng cộng các dòng trên được {computed}. Sửa ô tổng "
         "cho khớp, hoặc kiểm tra lại số liệu các dòng trên.",
         "The total row differs from the sum of the rows above it. A total-like row ('Cộng', 'Tổng') with data "
         "rows after it is a subtotal: the rows after it are read as data and only the last total-like row is "
         "checked, against the sum of all data rows above it."),
    Rule("commune_missing", WARNING,
         "Báo cáo thiếu {count} xã/phường/thị trấn của {district}: {communes}. Thêm một dòng cho mỗi đơn vị "
         "còn thiếu rồi gửi lại.",
         "Communes of the district are missing from the report. Not shown (in mart_report_issues) for a "
         "correction — a later version of the same unit, family and period — since the communes it leaves out "
         "stay in force from the earlier versions (corrections merge row by row)."),
    Rule("outlier", WARNING,
         # checked in dbt (int_outlier_issues), which fills these placeholders in SQL from raw.rule_catalogue
         "{column} của {commune} là {value}, khác xa kỳ trước ({previous_period}: {previous}). "
         "Kiểm tra lại số liệu.",
         "A commune's value is far from its previous period (ratio beyond the configured threshold)."),
    Rule("overlapping_reports", WARNING,
         # checked in dbt (int_overlap_issues), which fills these placeholders in SQL from raw.rule_catalogue
         "{commune}: số liệu {family_vi} kỳ {period} có trong hai báo cáo, '{file}' và '{used_file}'. Đã dùng số "
         "liệu của '{used_file}' ('Ngày lập' muộn hơn); số liệu của '{file}' được lưu trong lịch sử. Nếu số liệu "
         "của '{file}' mới đúng, hãy gửi lại báo cáo đó với 'Ngày lập' mới.",
         "After 1 July 2025, a commune's own report and the province's compiled report both give the same "
         "commune, family and period: the row of the report with the later Ngày lập counts, the other stays in "
         "history. Found in dbt (int_overlap_issues) and recorded beside the report whose row is not used; the "
         "message names both files."),
    Rule("report_late", WARNING,
         "Báo cáo kỳ {period} nộp ngày {submitted}, sau hạn {due}.",
         "The report was made or received after its due date."),
    Rule("period_not_in_calendar", WARNING,
         "Kỳ báo cáo {period} không có trong lịch báo cáo {family_vi} của {province}: báo cáo được ghi nhận "
         "nhưng không có hạn nộp và không được tính vào tiến độ nộp báo cáo. Kiểm tra lại 'Kỳ báo cáo' ở trang "
         "'Thông tin'; nếu đúng kỳ, đề nghị đơn vị tổng hợp bổ sung kỳ này vào lịch báo cáo.",
         "The period is not in the reporting calendar (seeds/reference/reporting_calendar.csv) for the "
         "reporting unit's province, its reporting level (district, or the new units after 30 June 2025) and the "
         "family, or the entry names an old province (`old_province_code`) and the new commune took in none of "
         "its communes: the report is accepted, but it has no due date and counts in no completeness or "
         "reporting-rate figure until the calendar lists the period."),
    Rule("issues_truncated", WARNING,
         "Còn {count} chỗ khác trong báo cáo này vi phạm quy tắc '{rule}' ({severity_vi}), không liệt kê ra đây "
         "(chỉ liệt kê {kept} chỗ đầu tiên). Sửa các chỗ đã nêu, rồi kiểm tra lại toàn bộ các dòng, cột cùng kiểu "
         "trước khi gửi lại.",
         "More issues of one rule than the configured number (default 50) in one report: the first ones are "
         "listed, and this one says how many more there are, so a file with a million bad lines stays small "
         "in memory and in `mart_report_issues`. The report's error and warning counts include them."),
    # --- CSV
    Rule("csv_columns_missing", ERROR,
         "Tệp CSV thiếu cột: {columns}. Dòng đầu phải là district_code,period,family,item,indicator,value.",
         "The CSV header lacks required columns."),
    Rule("csv_family_unknown", ERROR,
         "Loại báo cáo '{value}' không hợp lệ ({families}).",
         "The CSV family is not one of the report families."),
    Rule("csv_indicator_unknown", ERROR,
         "Dòng {row}: chỉ tiêu '{value}' không có trong báo cáo {family}. Ghi một trong các chỉ tiêu: "
         "{indicators}.",
         "The CSV indicator is not a canonical column of the family."),
    Rule("csv_value_duplicate", ERROR,
         "Dòng {row}: chỉ tiêu {indicator} của '{item}' đã có ở dòng {first_row}. Mỗi chỉ tiêu chỉ ghi một "
         "dòng: xoá một trong hai dòng.",
         "The same item and indicator appear twice in one CSV report."),
    # --- emulation plan (Kế hoạch thi đua, pipelines/parsing/plan.py): {where} is the sheet, the cell and its
    # column header, e.g. "trang 'Tiêu chí', ô E6 ('Điểm tối đa')"
    *PLAN_RULES,
]}


@dataclass(frozen=True)
class Issue:
    """One broken rule, where it was broken, and what to say about it."""

    rule: str
    severity: str
    message: str
    row_number: int | None = None
    column_name: str | None = None
    address: str | None = None  # the Excel cell, 'E7' (in the message; not a column of the raw tables)


def issue(code: str, *, row: int | None = None, column: str | None = None, address: str | None = None,
          **params: object) -> Issue:
    rule = RULES[code]
    return Issue(code, rule.severity, rule.message.format(column=column, row=row, **params), row, column, address)


def rules_markdown() -> str:
    """The rule catalogue as Markdown: docs/rules.md is exactly this (`emulation rules > docs/rules.md`)."""
    lines = [
        "# Report rules",
        "",
        "Generated by `emulation rules` from `pipelines/parsing/rules.py` (a test checks it is current). Errors block "
        "a report; warnings are recorded beside an accepted one. The message is what the clerk reads in "
        "`marts.mart_report_issues`, with the `{…}` filled in. The `outlier` warning is found in dbt "
        "(`int_outlier_issues`, from the message in `raw.rule_catalogue`), after ingest, since it needs the "
        "previous period; so is `overlapping_reports` (`int_overlap_issues`), since it compares reports of "
        "different units. A message about a row names where to look: `{where}` is the commune (or savings "
        "category), the cell and its column header, as in `Xã Đại Phúc, ô E7 ('Số hộ nghèo')`; `{cell}` is the "
        "cell (`ô E7`: the column's letter and the Excel row; in a CSV file `dòng 12`, the line); `{row}` is the "
        "Excel row (or CSV line). Numbers are written the Vietnamese way (`6.000`, `12,5`).",
        "",
        "| rule | severity | what it means | message (Vietnamese) |",
        "|---|---|---|---|",
    ]
    for r in RULES.values():
        message = r.message.replace("|", "\\|")
        lines.append(f"| `{r.code}` | {r.severity} | {r.description} | {message} |")
    return "\n".join(lines) + "\n"
