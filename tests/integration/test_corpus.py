"""The corpus (tests/corpus, made by make_corpus.py): one quirk per file, each with its exact outcome.

Valid files must be accepted with exactly the landed values written here (and exactly the listed warnings);
invalid files must be rejected by exactly one rule, at the Excel row and column given. Every file of the
corpus has an entry here, so a new quirk cannot go untested.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import zipfile
from pathlib import Path

import fastexcel
import pytest

from pipelines.parsing.files import parse_file
from pipelines.parsing.info import INFO_SHEET, read_info
from pipelines.parsing.text import fold, parse_date
from pipelines.settings import VIETNAM
from workbooks import CORPUS, corpus_module

TODAY = dt.date(2026, 11, 27)
# a copy without a 'Ngày lập' (a CSV) is 'received' on this day: before all due dates of the corpus reports
RECEIVED = dt.datetime(2023, 1, 3, 8, 0, tzinfo=VIETNAM).timestamp()

corpus = corpus_module()

POVERTY = ["total_households", "poor_households", "near_poor_households", "em_households", "em_poor_households",
           "em_near_poor_households"]
INFRA = ["rural_road_km", "green_road_km", "lit_road_km", "investment_vnd", "people_contribution_vnd",
         "ntm_standard", "ntm_advanced", "ntm_model", "ocop_products"]
SAVINGS = ["budget_vnd", "planned_savings_vnd", "achieved_savings_vnd"]
POVERTY_LABELS = dict(zip(POVERTY, corpus.POVERTY_HEADER[3:]))
NAME = "Xã, phường, thị trấn"


def received_for(path: Path) -> float:
    """When a copy of a corpus file arrives: at 08:00 the day after its 'Ngày lập' (02/01/2023 → 03/01/2023),
    or RECEIVED for a file without one. A 'Ngày lập' after TODAY is a typo the corpus tests (a report is never
    received before it is made): that file arrives at RECEIVED too."""
    made = None
    if path.suffix == ".xlsx" and zipfile.is_zipfile(path):
        try:
            reader = fastexcel.read_excel(path)
            sheet = next((s for s in reader.sheet_names if fold(s) == INFO_SHEET), None)
            made = parse_date(read_info(reader, sheet)["report_date"]) if sheet else None
        except Exception:  # noqa: BLE001 - an unreadable or odd file: it has no date to honour
            made = None
    if made is None or made >= TODAY:
        return RECEIVED
    return dt.datetime.combine(made + dt.timedelta(days=1), dt.time(8, 0), tzinfo=VIETNAM).timestamp()


def parse(folder: str, name: str, reference, tmp_path: Path, received: float | None = None):
    """Parse a copy of a corpus file whose arrival time is fixed (by default `received_for` it)."""
    copy = tmp_path / name
    shutil.copyfile(CORPUS / folder / name, copy)
    received = received_for(copy) if received is None else received
    os.utime(copy, (received, received))
    return parse_file(copy, name, reference, today=TODAY)


def issues(report) -> list[tuple]:
    return [(i.rule, i.row_number, i.column_name) for i in report.issues]


def landed(report) -> dict[str, dict]:
    key = "category" if report.family == "savings" else "commune_code"
    columns = {"poverty": POVERTY, "infrastructure": INFRA, "savings": SAVINGS}[report.family]
    return {row[key]: {c: row.get(c) for c in columns} for row in report.rows}


# ---------------------------------------------------------------------------------------------- expected rows

def poverty(district: str = "844", **changes: dict) -> dict[str, dict]:
    """The generator's figures for every commune of the district, with the given changes by commune code."""
    rows = {c.code: dict(zip(POVERTY, corpus.poverty_values(i))) for i, c in enumerate(corpus.COMMUNES[district])}
    for code, values in changes.items():
        rows[code.lstrip("_")].update(values)
    return rows


def infrastructure(district: str = "844", only: tuple[str, ...] | None = None, communes: list | None = None,
                   **changes: dict) -> dict:
    """The generator's figures for every commune of the district (or of `communes`), with the given changes."""
    rows = {}
    for i, c in enumerate(communes or corpus.COMMUNES[district]):
        rural, green, lit, investment, contribution, std, adv, model, ocop = corpus.infra_values(i, c)
        flags = [bool(std), bool(adv), bool(model)] if c.type == "Xã" else [None, None, None]
        row = dict(zip(INFRA, [rural, green, lit, investment * 1_000_000, contribution * 1_000_000, *flags, ocop]))
        if only is not None:  # a CSV giving some indicators: the others are missing (yes/no: no)
            row = {k: (v if k in only else (False if k.startswith("ntm") and c.type == "Xã" else None))
                   for k, v in row.items()}
        rows[c.code] = row
    for code, values in changes.items():
        rows[code.lstrip("_")].update(values)
    return rows


def savings() -> dict[str, dict]:
    return {code: {"budget_vnd": round(budget * 1_000_000), "planned_savings_vnd": round(planned * 1_000_000),
                   "achieved_savings_vnd": round(achieved * 1_000_000)}
            for code, (_label, budget, planned, achieved) in zip(corpus.SAVINGS_CODES, corpus.SAVINGS_ROWS)}


def ntm(std: bool, adv: bool = False, model: bool = False) -> dict:
    return {"ntm_standard": std, "ntm_advanced": adv, "ntm_model": model}


# ---------------------------------------------------------------------------------------------- valid files

Y, Q = "2022", "2023-Q3"
BASE = poverty()
# name: (family, district, period, rows, warnings as (rule, row, column))
VALID: dict[str, tuple] = {
    # layout and header labels
    "title_rows_merged.xlsx": ("poverty", "844", Y, BASE, []),
    "header_no_diacritics.xlsx": ("poverty", "844", Y, BASE, []),
    "header_line_breaks.xlsx": ("poverty", "844", Y, BASE, []),
    "header_repeated_spaces.xlsx": ("poverty", "844", Y, BASE, []),
    "header_upper_case.xlsx": ("poverty", "844", Y, BASE, []),
    "header_alternative_labels.xlsx": ("poverty", "844", Y, BASE, []),
    "header_column_numbers_row.xlsx": ("poverty", "844", Y, BASE, []),
    "sheet_name_no_diacritics.xlsx": ("poverty", "844", Y, BASE, []),
    # commune names
    "name_tone_placement.xlsx": ("poverty", "845", Y, poverty("845"), []),
    "name_nfd.xlsx": ("poverty", "845", Y, poverty("845"), []),
    "name_type_prefixes.xlsx": ("poverty", "844", Y, BASE, []),
    "commune_code_only.xlsx": ("poverty", "844", Y, BASE, []),
    "name_ambiguity_settled_by_type.xlsx": ("poverty", "849", Y, poverty("849"), []),
    "ward_numbers.xlsx": ("poverty", "842", Y, poverty("842"), []),
    # the district
    "district_by_code.xlsx": ("poverty", "844", Y, BASE, []),
    "district_code_wins_over_name.xlsx": ("poverty", "844", Y, BASE, []),
    "district_code_number_cell.xlsx": ("poverty", "844", Y, BASE, []),
    "district_tx_duyen_hai.xlsx": ("poverty", "851", Y, poverty("851"), []),
    "district_h_cau_ngang.xlsx": ("poverty", "848", Y, poverty("848"), []),
    "district_tp_tra_vinh.xlsx": ("poverty", "842", Y, poverty("842"), []),
    "district_bare_name.xlsx": ("poverty", "844", Y, BASE, []),
    "district_ubnd_and_province.xlsx": ("poverty", "844", Y, BASE, []),
    # numbers
    "number_text_thousands.xlsx": ("poverty", "844", Y,
                                   poverty(_29293={"total_households": 4803}, _29266={"total_households": 12345}), []),
    "number_text_spaces.xlsx": ("poverty", "844", Y,
                                poverty(_29293={"total_households": 4803}, _29266={"total_households": 12345},
                                        _29269={"poor_households": 31}), []),
    "dash_as_zero.xlsx": ("poverty", "844", Y,
                          poverty(_29293={"poor_households": 0, "near_poor_households": 0, "em_poor_households": 0,
                                          "em_near_poor_households": 0}), []),
    "empty_optional_is_null.xlsx": ("poverty", "844", Y, poverty(
        _29293={"em_households": None, "em_poor_households": None, "em_near_poor_households": None},
        _29296={"em_households": None, "em_poor_households": None, "em_near_poor_households": None}), []),
    "number_text_decimal_comma.xlsx": ("infrastructure", "844", Q, infrastructure(_29293={
        "rural_road_km": 12.5, "green_road_km": 1234.5, "lit_road_km": 0.75, "investment_vnd": 1_234_500_000,
        "people_contribution_vnd": 12_500_000}), []),
    "number_cell_vs_text_thousands.xlsx": ("infrastructure", "844", Q, infrastructure(
        _29293={"rural_road_km": 4.803}, _29296={"rural_road_km": 4803.0}), []),
    # money units
    "money_dong.xlsx": ("savings", "844", Y, savings(), []),
    "money_nghin_dong.xlsx": ("savings", "844", Y, savings(), []),
    "money_trieu_dong.xlsx": ("savings", "844", Y, savings(), []),
    "money_ty_dong.xlsx": ("savings", "844", Y, savings(), []),
    "money_unit_abbreviated.xlsx": ("savings", "844", Y, savings(), []),
    "money_no_unit.xlsx": ("savings", "844", Y, savings(), [
        ("money_unit_missing", 4, "Dự toán"), ("money_unit_missing", 4, "Kế hoạch tiết kiệm"),
        ("money_unit_missing", 4, "Thực hiện tiết kiệm")]),
    # yes/no cells
    "yes_no_cells.xlsx": ("infrastructure", "844", Q, infrastructure(
        _29275=ntm(True), _29272=ntm(True), _29287=ntm(True), _29293=ntm(True), _29296=ntm(True),
        _29305=ntm(True), _29278=ntm(False), _29269=ntm(False), _29302=ntm(False), _29299=ntm(False),
        _29290=ntm(False), _29281=ntm(False), _29284=ntm(True, adv=True)), []),
    "ntm_on_township.xlsx": ("infrastructure", "844", Q, infrastructure(),
                             [("ntm_not_applicable", 8, "Đạt chuẩn NTM")]),
    # total and footer rows, formulas
    "total_row_tong.xlsx": ("poverty", "844", Y, BASE, []),
    "total_row_cong.xlsx": ("poverty", "844", Y, BASE, []),
    "total_row_toan_huyen.xlsx": ("poverty", "844", Y, BASE, []),
    "total_row_upper_colon.xlsx": ("poverty", "844", Y, BASE, []),
    "total_row_merged_label.xlsx": ("poverty", "844", Y, BASE, []),
    "footer_without_total_row.xlsx": ("poverty", "844", Y, BASE, []),
    "total_row_mismatch.xlsx": ("poverty", "844", Y, BASE, [("total_row_mismatch", 19, "Tổng số hộ")]),
    "formula_cached_values.xlsx": ("poverty", "844", Y, poverty(_29293={"near_poor_households": 46}), []),
    "subtotal_cong_mid_table.xlsx": ("poverty", "844", Y, BASE, []),  # no row dropped after the 'Cộng' subtotal
    # spec v2: two-row headers, which sheet
    "header_two_rows.xlsx": ("poverty", "844", Y, BASE, []),  # the DTTS columns under their group label
    "sheet_hidden_stale.xlsx": ("poverty", "844", Y, BASE, [("hidden_sheet_ignored", None, None)]),
    "sheet_version_suffix.xlsx": ("poverty", "844", Y, BASE, [("report_sheet_version_used", None, None)]),
    # periods
    "period_quy_iii_nam_2023.xlsx": ("infrastructure", "844", Q, infrastructure(), []),
    "period_2023-q3.xlsx": ("infrastructure", "844", Q, infrastructure(), []),
    "period_q3_slash_2023.xlsx": ("infrastructure", "844", Q, infrastructure(), []),
    "period_quy_3_slash_2023.xlsx": ("infrastructure", "844", Q, infrastructure(), []),
    "period_lower_case_roman.xlsx": ("infrastructure", "844", Q, infrastructure(), []),
    "period_year_number_cell.xlsx": ("poverty", "844", Y, BASE, []),
    "period_year_only.xlsx": ("poverty", "844", Y, BASE, []),
    # the report header
    "report_date_excel_date.xlsx": ("poverty", "844", Y, BASE, []),
    "info_sheet_shifted.xlsx": ("poverty", "844", Y, BASE, []),
    "report_late.xlsx": ("poverty", "844", Y, BASE, [("report_late", None, None)]),
    "report_date_unreadable.xlsx": ("poverty", "844", Y, BASE, [("report_date_invalid", None, None)]),
    "commune_missing.xlsx": ("poverty", "844", Y, {k: v for k, v in BASE.items() if k not in ("29305", "29284")},
                             [("commune_missing", None, None)]),
    # CSV
    "csv_utf8_bom.csv": ("poverty", "844", Y, BASE, []),
    "csv_utf8_no_bom.csv": ("infrastructure", "848", Q, infrastructure(
        "848", only=("rural_road_km", "investment_vnd", "ntm_standard", "ocop_products")), []),
    "csv_cp1258_semicolon.csv": ("infrastructure", "842", Q, infrastructure(
        "842", only=("rural_road_km", "lit_road_km")), []),
    "csv_cp1258_comma.csv": ("savings", "844", Y, savings(), []),
    "csv_mixed_key_spelling.csv": ("poverty", "844", Y, BASE, []),  # one report, not one per spelling
}
# units_2025/: the unit is a new commune (its own row) or the new province (its 41 communes)
VALID_2025: dict[str, tuple] = {
    "unit_2025_commune_own_report.xlsx": ("poverty", "29242", "2025",
                                          {"29242": dict(zip(POVERTY, corpus.poverty_values(0)))}, []),
    "unit_2025_province_compiled.xlsx": ("infrastructure", "86", "2025-Q3",
                                         infrastructure(communes=corpus.COMMUNES_2025), []),
}


@pytest.mark.parametrize("folder, name", [("valid", n) for n in sorted(VALID)]
                         + [("units_2025", n) for n in sorted(VALID_2025)])
def test_valid(folder, name, reference, tmp_path):
    family, district, period, rows, warnings = {**VALID, **VALID_2025}[name]
    (report,) = parse(folder, name, reference, tmp_path)
    assert issues(report) == warnings
    assert report.status == "accepted"
    assert (report.family, report.unit.code, report.period.code) == (family, district, period)
    assert landed(report) == rows


def test_two_families_in_one_workbook(reference, tmp_path):
    poverty_report, savings_report = parse("valid", "two_families_extra_sheet.xlsx", reference, tmp_path)
    assert (poverty_report.sheet, poverty_report.status, landed(poverty_report)) == ("Giảm nghèo", "accepted", BASE)
    assert (savings_report.sheet, savings_report.status, landed(savings_report)) == ("Tiết kiệm", "accepted",
                                                                                     savings())
    assert poverty_report.issues == savings_report.issues == []


@pytest.mark.parametrize("name, first_row", [("title_rows_merged.xlsx", 8), ("header_column_numbers_row.xlsx", 6),
                                             ("total_row_tong.xlsx", 5), ("csv_utf8_bom.csv", 2)])
def test_excel_row_numbers_are_kept(name, first_row, reference, tmp_path):
    (report,) = parse("valid", name, reference, tmp_path)
    assert [r["row_number"] for r in report.rows][:2] == [first_row, first_row + (6 if name.endswith(".csv") else 1)]


def test_commune_names_are_kept_as_written_or_official(reference, tmp_path):
    (report,) = parse("valid", "commune_code_only.xlsx", reference, tmp_path)
    assert {r["commune_code"]: r["commune_name"] for r in report.rows}["29293"] == "Xã Đại Phúc"
    (report,) = parse("valid", "name_nfd.xlsx", reference, tmp_path)
    names = {r["commune_code"]: r["commune_name"] for r in report.rows}
    assert names["29320"] == "Xã Hoà Tân"  # as written, in NFC


def test_report_header_values(reference, tmp_path):
    (report,) = parse("valid", "report_date_excel_date.xlsx", reference, tmp_path)
    assert report.report_date == dt.date(2023, 1, 2)
    (report,) = parse("valid", "info_sheet_shifted.xlsx", reference, tmp_path)
    assert (report.report_date, report.prepared_by) == (dt.date(2023, 1, 2), "Nguyễn Thị Lan")
    (report,) = parse("valid", "report_late.xlsx", reference, tmp_path)
    assert report.report_date == dt.date(2023, 2, 20)
    assert report.issues[0].message == "Báo cáo kỳ 2022 nộp ngày 20/02/2023, sau hạn 15/01/2023."


def test_report_received_late_without_report_date(reference, tmp_path):
    """No 'Ngày lập' (a CSV): the time the file arrived counts against the calendar's due date."""
    late = dt.datetime(2023, 2, 1, 9, 30, tzinfo=VIETNAM).timestamp()
    (report,) = parse("valid", "csv_utf8_bom.csv", reference, tmp_path, received=late)
    assert issues(report) == [("report_late", None, None)] and report.status == "accepted"
    assert "01/02/2023" in report.issues[0].message and "15/01/2023" in report.issues[0].message
    on_time = dt.datetime(2023, 1, 15, 23, 0, tzinfo=VIETNAM).timestamp()
    (report,) = parse("valid", "csv_utf8_bom.csv", reference, tmp_path, received=on_time)
    assert report.issues == []


# ---------------------------------------------------------------------------------------------- invalid files

P = corpus.POVERTY_HEADER
I = corpus.INFRA_HEADER
S = corpus.SAVINGS_HEADER
# name: the errors, exactly, as (rule, Excel row, column header)
INVALID: dict[str, list[tuple]] = {
    "unit_not_valid_district_2025_q3.xlsx": [("unit_not_valid_for_period", None, None)],
    "unit_not_valid_new_commune_2024.xlsx": [("unit_not_valid_for_period", None, None)],
    "unit_unknown_2025.xlsx": [("unit_unknown", None, None)],
    "commune_not_reporting_unit.xlsx": [("commune_not_reporting_unit", 6, NAME)],
    "savings_from_province.xlsx": [("savings_from_province", None, None)],
    "district_unknown.xlsx": [("district_unknown", None, None)],
    "district_code_of_other_province.xlsx": [("district_unknown", None, None)],
    "district_ambiguous.xlsx": [("district_ambiguous", None, None)],
    "district_missing.xlsx": [("district_missing", None, None)],
    "period_invalid.xlsx": [("period_invalid", None, None)],
    "period_missing.xlsx": [("period_missing", None, None)],
    "period_wrong_type.xlsx": [("period_wrong_type", None, None)],
    "period_wrong_type_year_on_infrastructure.xlsx": [("period_wrong_type", None, None)],
    "period_in_future.xlsx": [("period_in_future", None, None)],
    "info_sheet_missing.xlsx": [("info_sheet_missing", None, None)],
    "no_report_sheet.xlsx": [("no_report_sheet", None, None)],
    "required_column_missing.xlsx": [("required_column_missing", None, None)],
    "no_data_rows.xlsx": [("no_data_rows", None, None)],
    "commune_unknown.xlsx": [("commune_unknown", 8, NAME)],
    "commune_ambiguous.xlsx": [("commune_ambiguous", 7, NAME)],
    "commune_other_district.xlsx": [("commune_other_district", 19, NAME)],
    "commune_other_district_by_code.xlsx": [("commune_other_district", 19, NAME)],
    "commune_duplicate.xlsx": [("commune_duplicate", 19, NAME)],
    "value_not_number.xlsx": [("value_not_number", 9, "Số hộ nghèo")],
    "value_negative.xlsx": [("value_negative", 9, "Số hộ cận nghèo")],
    "value_negative_text.xlsx": [("value_negative", 9, "Tổng số hộ")],
    "value_missing.xlsx": [("value_missing", 9, "Tổng số hộ")],
    "value_not_integer.xlsx": [("value_not_integer", 9, "Tổng số hộ")],
    "cell_error_div0.xlsx": [("cell_error", 9, "Số hộ nghèo")],
    "poor_exceeds_total.xlsx": [("poor_exceeds_total", 9, "Số hộ nghèo")],
    "near_poor_exceeds_total.xlsx": [("near_poor_exceeds_total", 9, "Số hộ cận nghèo")],
    "em_exceeds_total.xlsx": [("em_exceeds_total", 9, "Số hộ DTTS")],
    "em_poor_exceeds_poor.xlsx": [("em_exceeds_total", 9, "Số hộ nghèo DTTS")],
    "ntm_advanced_without_standard.xlsx": [("ntm_without_standard", 14, "Đạt chuẩn NTM nâng cao")],
    "ntm_model_without_standard.xlsx": [("ntm_without_standard", 9, "Đạt chuẩn NTM kiểu mẫu")],
    "value_not_yes_no.xlsx": [("value_not_yes_no", 9, "Đạt chuẩn NTM")],
    "value_negative_km.xlsx": [("value_negative", 9, "Đường GTNT xây mới, nâng cấp (km)")],
    "money_unit_unknown.xlsx": [("money_unit_unknown", 4, "Vốn đầu tư (USD)")],
    "savings_achieved_negative.xlsx": [("value_negative", 5, "Thực hiện tiết kiệm (triệu đồng)")],
    "savings_planned_negative.xlsx": [("value_negative", 6, "Kế hoạch tiết kiệm (triệu đồng)")],
    "savings_category_unknown.xlsx": [("category_unknown", 7, "Nội dung")],
    "savings_category_duplicate.xlsx": [("category_duplicate", 9, "Nội dung")],
    "not_a_workbook.xlsx": [("file_unreadable", None, None)],
    "old_format.xls": [("file_unreadable", None, None)],
    "empty.xlsx": [("file_unreadable", None, None)],
    "empty.csv": [("file_unreadable", None, None)],
    "zip_not_workbook.xlsx": [("file_unreadable", None, None)],
    "truncated.xlsx": [("file_unreadable", None, None)],
    "csv_columns_missing.csv": [("csv_columns_missing", None, None)],
    "csv_family_unknown.csv": [("csv_family_unknown", 2, "family")],
    "csv_indicator_unknown.csv": [("csv_indicator_unknown", 86, "indicator")],
    "csv_value_not_number.csv": [("value_not_number", 3, "poor_households")],
    "csv_value_duplicate.csv": [("csv_value_duplicate", 86, "value")],
    "csv_district_unknown.csv": [("district_unknown", None, None)],
    # spec v2
    "commune_code_name_mismatch.xlsx": [("commune_code_name_mismatch", 8, NAME)],
    "report_sheet_duplicate.xlsx": [("report_sheet_duplicate", None, None)],
    # 'Tổng số' under 'Hộ dân tộc thiểu số' is understood (Số hộ DTTS); 'Nghèo' and 'Cận nghèo' are not
    "header_not_understood.xlsx": [("header_not_understood", 5, "Hộ dân tộc thiểu số / Nghèo")],
    "value_1e19_households.xlsx": [("value_out_of_range", 9, "Tổng số hộ")],
    "value_1e400.xlsx": [("value_out_of_range", 9, "Số hộ nghèo")],
    "money_dong_under_ty_dong_header.xlsx": [("value_out_of_range", 5, "Dự toán (tỷ đồng)")],
    "value_km_out_of_range.xlsx": [("value_out_of_range", 9, "Đường GTNT xây mới, nâng cấp (km)")],
    "csv_value_not_finite.csv": [("value_out_of_range", 3, "poor_households")],
    "report_date_after_received.xlsx": [("report_date_after_received", None, None)],
}
# what the message must say for the clerk to act on it
MESSAGE_MUST_NAME = {
    "unit_not_valid_district_2025_q3.xlsx": ["Huyện Càng Long (mã 844)", "2025-Q3", "Xã Càng Long (mã 29266)",
                                             "Xã Nhị Long (mã 29302)", "Tỉnh Vĩnh Long (mã 86)"],
    "unit_not_valid_new_commune_2024.xlsx": ["Phường Trà Vinh (mã 29242)", "Thành phố Trà Vinh (mã 842)"],
    "unit_unknown_2025.xlsx": ["'Xã Bình Tân'", "01/07/2025"],
    "commune_not_reporting_unit.xlsx": ["'Xã Càng Long' (ô B6)", "Xã Càng Long (mã 29266)", "Phường Trà Vinh"],
    "savings_from_province.xlsx": ["Tỉnh Vĩnh Long", "mỗi xã, phường tự gửi"],
    "district_ambiguous.xlsx": ["Huyện Duyên Hải (mã 850)", "Thị xã Duyên Hải (mã 851)"],
    "district_code_of_other_province.xlsx": ["886", "An Phú", "An Giang"],
    "commune_ambiguous.xlsx": ["Thị trấn Định An (mã 29462)", "Xã Định An (mã 29494)"],
    "commune_other_district.xlsx": ["Xã Hòa Ân (mã 29311)", "Huyện Cầu Kè", "Huyện Càng Long"],
    "commune_duplicate.xlsx": ["Xã Đại Phúc", "dòng 9"],
    "required_column_missing.xlsx": ["'Số hộ cận nghèo'"],
    "old_format.xls": ["Excel 97-2003 (.xls)"],
    "empty.xlsx": ["tệp rỗng"],
    "truncated.xlsx": ["bị hỏng"],
    "period_in_future.xlsx": ["2099", "31/12/2099"],
    "poor_exceeds_total.xlsx": ["Xã Đại Phúc", "2.500 (ô E9)", "2.148 (ô D9)"],
    "value_not_number.xlsx": ["mười hai"],
    "cell_error_div0.xlsx": ["#DIV/0!"],
    "money_unit_unknown.xlsx": ["USD", "(triệu đồng)"],
    "commune_code_name_mismatch.xlsx": ["Mã xã '29293' (ô C8)", "Xã Đại Phúc (mã 29293)",
                                        "'Thị trấn Càng Long' (ô B8)", "Thị trấn Càng Long (mã 29266)"],
    "report_sheet_duplicate.xlsx": ["'Giảm nghèo'", "'Giam ngheo'", "Giảm nghèo (2)"],
    "header_not_understood.xlsx": ["ô H5, ô I5", "Hộ dân tộc thiểu số / Nghèo", "Hộ dân tộc thiểu số / Cận nghèo"],
    # the cell (its row), the column header and the value as typed
    "value_1e19_households.xlsx": ["Xã Đại Phúc, ô D9 ('Tổng số hộ')", "'10000000000000000000'", "10.000.000"],
    "value_1e400.xlsx": ["Xã Đại Phúc, ô E9 ('Số hộ nghèo')", "'1e400'", "hữu hạn"],
    "money_dong_under_ty_dong_header.xlsx": ["ô C5 ('Dự toán (tỷ đồng)')", "'250000000000'", "2,5 × 10^20 đồng",
                                             "1.000.000.000.000.000 đồng", "'(đồng)'"],
    "value_km_out_of_range.xlsx": ["ô D9 ('Đường GTNT xây mới, nâng cấp (km)')", "'25000'", "10.000 km"],
    "csv_value_not_finite.csv": ["dòng 3 ('poor_households')", "'inf'"],
    "report_date_after_received.xlsx": ["02/01/2032", "08:00 ngày 03/01/2023", "'Ngày lập'"],
}


@pytest.mark.parametrize("name", sorted(INVALID))
def test_invalid(name, reference, tmp_path):
    reports = parse("invalid", name, reference, tmp_path)
    assert len(reports) == 1
    (report,) = reports
    errors = [(i.rule, i.row_number, i.column_name) for i in report.issues if i.severity == "error"]
    assert errors == INVALID[name]
    assert report.status == "rejected"
    message = next(i.message for i in report.issues if i.severity == "error")
    for text in MESSAGE_MUST_NAME.get(name, []):
        assert text in message, message


def test_invalid_reports_still_check_their_rows(reference, tmp_path):
    """An unknown district does not hide the other problems of the report: all are listed at once."""
    path = tmp_path / "x.xlsx"
    data = corpus.poverty_data()
    data[4][4] = 99_999  # poor > total, row 9
    data[5][3] = "abc"  # not a number, row 10
    path.write_bytes(corpus.book(corpus.info_sheet("Huyện Bình Tân", period="Quý 1/2022"),
                                 corpus.poverty_sheet(data, total_label=None)))
    (report,) = parse_file(path, path.name, reference, today=TODAY)
    assert issues(report) == [("district_unknown", None, None), ("period_wrong_type", None, None),
                              ("poor_exceeds_total", 9, "Số hộ nghèo"), ("value_not_number", 10, "Tổng số hộ")]


# ---------------------------------------------------------------------------------------------- the corpus itself

def test_hidden_and_versioned_sheets_name_what_was_read(reference, tmp_path):
    (report,) = parse("valid", "sheet_hidden_stale.xlsx", reference, tmp_path)
    assert report.sheet == "Giảm nghèo (2)"
    assert "'Giảm nghèo'" in report.issues[0].message and "'Giảm nghèo (2)'" in report.issues[0].message
    (report,) = parse("valid", "sheet_version_suffix.xlsx", reference, tmp_path)
    assert report.sheet == "Giảm nghèo (2)"
    assert "bỏ qua 'Giảm nghèo'" in report.issues[0].message


def test_a_correction_is_a_normal_small_report(reference, tmp_path):
    """Parsed alone, a two-commune correction is accepted with its two rows (the commune_missing warning the
    parser gives it is dropped in the warehouse, where earlier versions hold the other communes)."""
    shutil.copyfile(CORPUS / "corrections" / "849_tra-cu_2023_dieu-chinh-2-xa.xlsx", tmp_path / "c.xlsx")
    (report,) = parse_file(tmp_path / "c.xlsx", "c.xlsx", reference, today=TODAY)
    assert (report.status, report.district.code, report.period.code) == ("accepted", "849", "2023")
    assert [(r["commune_code"], r["total_households"]) for r in report.rows] == [("29462", 3530), ("29485", 3335)]
    assert [i.rule for i in report.issues] == ["commune_missing"]


def test_every_corpus_file_has_an_expected_outcome():
    hostile = {p.name for p in (CORPUS / "hostile").iterdir()}
    assert {p.name for p in (CORPUS / "corrections").iterdir()} == {"849_tra-cu_2023_dieu-chinh-2-xa.xlsx"}
    assert {p.name for p in (CORPUS / "valid").iterdir()} == set(VALID) | {"two_families_extra_sheet.xlsx"}
    assert {p.name for p in (CORPUS / "units_2025").iterdir()} == set(VALID_2025)
    assert {p.name for p in (CORPUS / "invalid").iterdir()} == set(INVALID)
    assert hostile == set(corpus.ODD_NAMES) | {"billion_laughs.xlsx", "column_xfd_bomb.xlsx", "issue_heavy.csv"}


def test_corpus_is_generated_and_small(tmp_path):
    """The committed files are exactly what make_corpus.py writes (deterministic), and stay small."""
    corpus.write_all(tmp_path)
    for folder in ("valid", "units_2025", "invalid", "hostile", "corrections"):
        made = {p.name: p.read_bytes() for p in (tmp_path / folder).iterdir()}
        committed = {p.name: p.read_bytes() for p in (CORPUS / folder).iterdir()}
        assert made.keys() == committed.keys()
        assert [n for n in made if made[n] != committed[n]] == [], "run python tests/corpus/make_corpus.py"
    assert sum(p.stat().st_size for p in CORPUS.rglob("*") if p.is_file()) < 2 * 1024 * 1024


# ---------------------------------------------------------------------------------------------- plausible magnitudes

@pytest.mark.parametrize("total, rule", [(10_000_000, None), (10_000_001, "value_out_of_range")])
def test_household_limit_is_inclusive(total, rule, reference, tmp_path):
    path = tmp_path / "x.xlsx"
    data = corpus.poverty_data()
    corpus.row_of(data, "29293")[3] = total
    path.write_bytes(corpus.book(corpus.info_sheet(), corpus.poverty_sheet(data, total_label=None)))
    (report,) = parse_file(path, path.name, reference, today=TODAY)
    assert [i.rule for i in report.issues if i.severity == "error"] == ([rule] if rule else [])


def test_magnitude_limits_are_configurable(reference, tmp_path):
    from pipelines.parsing.results import Limits

    (report,) = parse_file(CORPUS / "valid" / "money_trieu_dong.xlsx", "m.xlsx", reference, today=TODAY,
                           limits=Limits(max_money_vnd=100_000_000_000))  # 100 tỷ: the 250.000 triệu budget is over
    assert issues(report)[:1] == [("value_out_of_range", 5, "Dự toán (triệu đồng)")]
    assert "100.000.000.000 đồng" in report.issues[0].message and "tức 250.000.000.000 đồng" in report.issues[0].message
    with pytest.raises(ValueError):
        Limits(max_money_vnd=10**19)  # would not fit the raw tables' BIGINT


def test_value_out_of_range_in_a_total_row_is_not_a_crash(reference, tmp_path):
    """A stated total of 1e400 is not compared (and not a crash); the rows themselves are fine."""
    path = tmp_path / "x.xlsx"
    sheet = corpus.poverty_sheet(corpus.poverty_data())
    corpus._set_total(sheet, 3, "1e400")
    path.write_bytes(corpus.book(corpus.info_sheet(), sheet))
    (report,) = parse_file(path, path.name, reference, today=TODAY)
    assert report.status == "accepted" and len(report.rows) == 14


# ---------------------------------------------------------------------------------------------- 'Ngày lập' after receipt

def test_report_date_on_the_day_received_is_fine_and_a_future_one_is_not(reference, tmp_path):
    made = dt.datetime(2023, 1, 2, 23, 59, tzinfo=VIETNAM).timestamp()  # 'Ngày lập' 02/01/2023, received that night
    (report,) = parse("valid", "total_row_tong.xlsx", reference, tmp_path, received=made)
    assert report.status == "accepted" and report.issues == []
    day_before = dt.datetime(2023, 1, 1, 17, 0, tzinfo=VIETNAM).timestamp()
    (report,) = parse("valid", "total_row_tong.xlsx", reference, tmp_path, received=day_before)
    assert issues(report) == [("report_date_after_received", None, None)] and report.status == "rejected"
    assert "02/01/2023" in report.issues[0].message and "17:00 ngày 01/01/2023" in report.issues[0].message
