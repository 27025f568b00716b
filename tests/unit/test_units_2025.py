"""Reports from the units of 2025-07-01 (docs/reorganisation.md): a new commune's own report, a new province's
compiled workbook, the period deciding the list of units, and what lands in the raw tables."""

from __future__ import annotations

import dataclasses
import datetime as dt
import unicodedata
from pathlib import Path

import duckdb
import pytest

from pipelines.parsing.files import parse_file
from pipelines.parsing.units import MatchError, Unit, Units2025
from pipelines.storage.landing import land_reports
from workbooks import poverty_sheet, write_workbook

TODAY = dt.date(2026, 11, 27)
INFRA_HEADER = ["STT", "Xã, phường, thị trấn", "Mã xã", "Đường GTNT xây mới, nâng cấp (km)",
                "Vốn đầu tư (triệu đồng)", "Đạt chuẩn NTM", "Sản phẩm OCOP (lũy kế)"]
SAVINGS_HEADER = ["Nội dung", "Kế hoạch tiết kiệm (triệu đồng)", "Thực hiện tiết kiệm (triệu đồng)"]
CANG_LONG_BECAME = ["Xã Càng Long (mã 29266)", "Xã An Trường (mã 29275)", "Xã Tân An (mã 29278)",
                    "Xã Bình Phú (mã 29287)", "Xã Nhị Long (mã 29302)", "Tỉnh Vĩnh Long (mã 86)"]


def parse(path: Path, reference):
    return parse_file(path, path.name, reference, today=TODAY)


def rules(report):
    return [i.rule for i in report.issues]


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# --- matching the new units


@pytest.mark.parametrize("name, code, expected", [
    ("Phường Trà Vinh", None, "29242"),
    ("P. Trà Vinh", None, "29242"),
    ("phuong tra vinh", None, "29242"),
    (nfd("Xã Hùng Hòa"), None, "29362"),
    ("Xã Hùng Hoà", None, "29362"),  # the tone mark on the other vowel
    ("UBND xã Càng Long, tỉnh Vĩnh Long", None, "29266"),
    ("anything", "29242", "29242"),  # the code wins
    (None, "29242.0", "29242"),
    ("Tỉnh Vĩnh Long", None, "86"),
    ("UBND tỉnh Vĩnh Long", None, "86"),
    (None, "86", "86"),
])
def test_new_units_match_by_name_or_code(reference, name, code, expected):
    assert reference.units_2025.match_unit(name, code, reference.provinces_2025).code == expected


def test_new_unit_levels_and_bare_names(reference):
    commune = reference.units_2025.communes["29242"]
    assert (commune.name, commune.type, commune.parent_code, commune.level) == ("Trà Vinh", "Phường", "86", "commune")
    province = reference.units_2025.provinces["86"]
    assert (province.full_name, province.level) == ("Tỉnh Vĩnh Long", "province")
    assert reference.provinces_2025 == ["86"] and reference.provinces == ["84"]


def test_new_commune_of_another_province_by_code(reference):
    with pytest.raises(MatchError) as err:
        reference.units_2025.match_unit(None, "00004", reference.provinces_2025)
    assert err.value.kind == "other_province" and [u.full_name for u in err.value.candidates] == ["Phường Ba Đình"]


def test_commune_rows_of_the_new_province_match_with_the_same_tolerances(reference):
    match = reference.units_2025.match_commune
    assert match("86", nfd("Hòa Minh"), None).code == "29410"
    assert match("86", "X. Hoà Minh", None).code == "29410"
    assert match("86", None, "29410").code == "29410"
    with pytest.raises(MatchError) as err:
        match("86", None, "00004")
    assert err.value.kind == "other_province"


def with_xa_tra_vinh(units: Units2025) -> Units2025:
    """The new units with an extra 'Xã Trà Vinh' (99999) beside 'Phường Trà Vinh': a bare name that fits two."""
    extra = Unit("99999", "Trà Vinh", "Xã", "86", "commune")
    return Units2025(units.provinces, {**units.communes, extra.code: extra},
                     {**units.communes_by_province, "86": units.communes_by_province["86"] + [extra]},
                     units.old_province_codes)


def test_an_ambiguous_new_unit_names_the_candidates(reference):
    bigger = with_xa_tra_vinh(reference.units_2025)
    with pytest.raises(MatchError) as err:
        bigger.match_unit("Trà Vinh", None, ["86"])
    assert err.value.kind == "ambiguous"
    assert sorted(u.code for u in err.value.candidates) == ["29242", "99999"]
    assert bigger.match_unit("Xã Trà Vinh", None, ["86"]).code == "99999"  # the type settles it
    ref = dataclasses.replace(reference, units_2025=bigger)
    assert ref.match_reporting_unit("Phường Trà Vinh", None, None).code == "29242"


def test_ambiguous_reporting_unit_in_2025_is_unit_ambiguous(tmp_path, reference):
    bigger = with_xa_tra_vinh(reference.units_2025)
    path = write_workbook(tmp_path / "a.xlsx", {"Đơn vị": "Trà Vinh", "Kỳ báo cáo": "Năm 2025"},
                          {"Giảm nghèo": poverty_sheet([[1, "Trà Vinh", None, 100, 5, 10]])})
    (report,) = parse(path, dataclasses.replace(reference, units_2025=bigger))
    assert rules(report)[0] == "unit_ambiguous"
    assert "Phường Trà Vinh (mã 29242)" in report.issues[0].message
    assert "Xã Trà Vinh (mã 99999)" in report.issues[0].message


def test_crosswalk_both_ways(reference):
    district = reference.units.districts["844"]
    assert [f"{u.full_name} (mã {u.code})" for u in reference.units_instead(district)] == CANG_LONG_BECAME
    assert [u.code for u in reference.units_instead(reference.units_2025.communes["29242"])] == ["842"]
    assert len(reference.communes_reported_by(reference.units_2025.provinces["86"], "poverty", "2025")) == 41


# --- the period decides the list


def test_district_report_for_2025_q3_is_not_valid(tmp_path, reference):
    path = write_workbook(tmp_path / "d.xlsx", {"Đơn vị": "Huyện Càng Long", "Kỳ báo cáo": "Quý III/2025"},
                          {"Hạ tầng": [INFRA_HEADER, [1, "Xã Đại Phúc", None, 1.5, 100, "x", 3]]})
    (report,) = parse(path, reference)
    assert report.status == "rejected" and report.unit is None and report.district is None
    assert rules(report) == ["unit_not_valid_for_period"]
    message = report.issues[0].message
    assert "Huyện Càng Long (mã 844)" in message and "2025-Q3" in message
    assert message.endswith("hoặc sửa 'Kỳ báo cáo' nếu ghi nhầm kỳ.")
    assert ": " + "; ".join(CANG_LONG_BECAME) + ". " in message


@pytest.mark.parametrize("info, row_name, rule, must_name", [
    ({"Mã đơn vị": "842", "Kỳ báo cáo": "Năm 2025"}, "Phường 1", "unit_not_valid_for_period",
     ["Thành phố Trà Vinh (mã 842)", "Phường Trà Vinh (mã 29242)", "Tỉnh Vĩnh Long (mã 86)"]),
    ({"Đơn vị": "Phường Trà Vinh", "Kỳ báo cáo": "Năm 2024"}, "Phường Trà Vinh", "unit_not_valid_for_period",
     ["Phường Trà Vinh (mã 29242)", "2024", ": Thành phố Trà Vinh (mã 842). "]),
    ({"Mã đơn vị": "86", "Kỳ báo cáo": "Năm 2023"}, "Xã Đại Phúc", "unit_not_valid_for_period",
     ["Tỉnh Vĩnh Long (mã 86)", "Huyện Càng Long (mã 844)", "Thị xã Duyên Hải (mã 851)"]),
    ({"Mã đơn vị": "00004", "Kỳ báo cáo": "Năm 2025"}, "Phường Ba Đình", "unit_unknown",
     ["mã 00004 là Phường Ba Đình, thành phố Hà Nội"]),
])
def test_the_period_decides_the_list_of_units(tmp_path, reference, info, row_name, rule, must_name):
    path = write_workbook(tmp_path / "r.xlsx", info, {"Giảm nghèo": poverty_sheet([[1, row_name, None, 100, 5, 10]])})
    (report,) = parse(path, reference)
    assert rules(report) == [rule]
    for text in must_name:
        assert text in report.issues[0].message


# --- the new units' reports, parsed and landed


def landed(tmp_path: Path, reports) -> duckdb.DuckDBPyConnection:
    db = tmp_path / "build.duckdb"
    land_reports(db, reports)
    return duckdb.connect(str(db), read_only=True)


def test_province_compiled_workbook_lands_one_row_per_commune(tmp_path, reference):
    communes = reference.communes_reported_by(reference.units_2025.provinces["86"], "infrastructure", "2025-Q3")
    rows = []
    for k, unit in enumerate(communes):
        name, code = unit.full_name, None
        if k % 3 == 1:
            name = nfd(unit.name)  # bare, decomposed
        elif k % 3 == 2:
            name, code = "", unit.code  # the code only
        rows.append([k + 1, name, code, 1.0 + k, 10, "x" if unit.type == "Xã" else None, k])
    path = write_workbook(tmp_path / "86.xlsx", {"Đơn vị": "UBND tỉnh Vĩnh Long", "Mã đơn vị": "86",
                                                 "Kỳ báo cáo": "Quý III/2025", "Ngày lập": "05/10/2025"},
                          {"Hạ tầng": [INFRA_HEADER] + rows})
    (report,) = parse(path, reference)
    assert report.issues == [] and report.unit.code == "86" and report.district is None
    with landed(tmp_path, [report]) as con:
        assert con.execute("SELECT unit_code, unit_level, province_code, district_code, parse_status, row_count "
                           "FROM raw.report_submissions").fetchall() == [("86", "province", "86", None, "accepted",
                                                                          41)]
        landed_rows = con.execute("SELECT unit_code, district_code, commune_code, rural_road_km "
                                  "FROM raw.infrastructure_rows ORDER BY row_number").fetchall()
    assert landed_rows == [("86", None, u.code, 1.0 + k) for k, u in enumerate(communes)]
    assert landed_rows[0][2] == "29242" and len(landed_rows) == 41


def test_province_workbook_missing_a_commune_names_it(tmp_path, reference):
    path = write_workbook(tmp_path / "86.xlsx", {"Mã đơn vị": "86", "Kỳ báo cáo": "Năm 2025"},
                          {"Giảm nghèo": poverty_sheet([[1, "Phường Trà Vinh", None, 100, 5, 10]])})
    (report,) = parse(path, reference)
    (missing,) = [i for i in report.issues if i.rule == "commune_missing"]
    assert "thiếu 40 xã/phường/thị trấn của Tỉnh Vĩnh Long" in missing.message and "Xã Càng Long" in missing.message


def test_commune_own_report_lands_with_its_unit(tmp_path, reference):
    path = write_workbook(tmp_path / "c.xlsx", {"Đơn vị": "UBND phường Trà Vinh", "Kỳ báo cáo": "Năm 2025",
                                                "Ngày lập": "10/01/2026"},
                          {"Giảm nghèo": poverty_sheet([[1, "Phường Trà Vinh", "29242", 5000, 50, 80]]),
                           "Tiết kiệm": [SAVINGS_HEADER, ["Chi thường xuyên", 1500, 2000]]})
    poverty, savings = parse(path, reference)
    assert poverty.issues == [] and savings.issues == []
    with landed(tmp_path, [poverty, savings]) as con:
        assert con.execute("SELECT family, unit_code, unit_level, province_code, district_code "
                           "FROM raw.report_submissions ORDER BY family").fetchall() == [
            ("poverty", "29242", "commune", "86", None), ("savings", "29242", "commune", "86", None)]
        assert con.execute("SELECT unit_code, district_code, commune_code, poor_households "
                           "FROM raw.poverty_rows").fetchall() == [("29242", None, "29242", 50)]
        assert con.execute("SELECT unit_code, district_code, category, achieved_savings_vnd "
                           "FROM raw.savings_rows").fetchall() == [("29242", None, "regular_spending", 2_000_000_000)]


def test_district_report_lands_with_its_district_as_unit(tmp_path, reference):
    path = write_workbook(tmp_path / "d.xlsx", {"Mã đơn vị": "844", "Kỳ báo cáo": "Năm 2024"},
                          {"Giảm nghèo": poverty_sheet([[1, "Xã Đại Phúc", None, 100, 5, 10], [2, "Xã Đâu", None, 1, 1, 1]])})
    (report,) = parse(path, reference)
    with landed(tmp_path, [report]) as con:
        assert con.execute("SELECT unit_code, unit_level, province_code, district_code "
                           "FROM raw.report_submissions").fetchall() == [("844", "district", "84", "844")]
        assert set(con.execute("SELECT unit_code, district_code FROM raw.report_issues").fetchall()) == {
            ("844", "844")}


def test_commune_own_report_naming_another_commune(tmp_path, reference):
    path = write_workbook(tmp_path / "c.xlsx", {"Mã đơn vị": "29242", "Kỳ báo cáo": "Năm 2025"},
                          {"Giảm nghèo": poverty_sheet([[1, "Phường Trà Vinh", None, 5000, 50, 80],
                                                        [2, "Xã Càng Long", None, 100, 5, 10]])})
    (report,) = parse(path, reference)
    assert report.status == "rejected" and rules(report) == ["commune_not_reporting_unit"]
    message = report.issues[0].message
    assert message.startswith("'Xã Càng Long' (ô B5) là Xã Càng Long (mã 29266), nhưng báo cáo này là của "
                              "Phường Trà Vinh")


def test_savings_in_a_province_workbook_is_refused(tmp_path, reference):
    path = write_workbook(tmp_path / "86.xlsx", {"Mã đơn vị": "86", "Kỳ báo cáo": "Năm 2025"},
                          {"Tiết kiệm": [SAVINGS_HEADER, ["Chi thường xuyên", 1500, 2000]]})
    (report,) = parse(path, reference)
    assert report.status == "rejected" and rules(report) == ["savings_from_province"]
    assert "Tỉnh Vĩnh Long" in report.issues[0].message and "mỗi xã, phường tự gửi" in report.issues[0].message


# --- the calendar of the new units


def test_due_date_takes_the_reporting_level(reference):
    assert reference.due_date("86", "poverty", "2025", "commune") == dt.date(2026, 1, 15)
    assert reference.due_date("86", "poverty", "2025") is None  # Vĩnh Long's districts never reported 2025
    assert reference.due_date("84", "poverty", "2024") == dt.date(2025, 1, 15)


@pytest.mark.parametrize("made, late", [("15/01/2026", False), ("20/01/2026", True)])
def test_new_commune_report_is_late_after_the_new_province_due_date(tmp_path, reference, made, late):
    path = write_workbook(tmp_path / "c.xlsx", {"Mã đơn vị": "29242", "Kỳ báo cáo": "Năm 2025", "Ngày lập": made},
                          {"Giảm nghèo": poverty_sheet([[1, "Phường Trà Vinh", None, 5000, 50, 80]])})
    (report,) = parse(path, reference)
    assert rules(report) == (["report_late"] if late else [])


def test_csv_with_new_unit_codes(tmp_path, reference):
    path = tmp_path / "c.csv"
    path.write_text("district_code,period,family,item,indicator,value\n"
                    "29242,2025,poverty,29242,total_households,5000\n"
                    "29242,2025,poverty,29242,poor_households,50\n"
                    "29242,2025,poverty,29242,near_poor_households,80\n"
                    "86,2025-Q3,infrastructure,29266,rural_road_km,2.5\n", encoding="utf-8")
    poverty, infrastructure = parse(path, reference)
    assert (poverty.unit.code, poverty.unit.level, poverty.status) == ("29242", "commune", "accepted")
    assert poverty.rows[0]["commune_code"] == "29242" and poverty.rows[0]["poor_households"] == 50
    assert (infrastructure.unit.code, infrastructure.unit.level) == ("86", "province")
    assert [r["commune_code"] for r in infrastructure.rows] == ["29266"]
    assert "commune_missing" in rules(infrastructure) and not infrastructure.rejected



def test_new_commune_outside_the_calendar_scope_is_not_expected(tmp_path, reference):
    """Tỉnh Vĩnh Long's calendar expects the communes of the former Trà Vinh: Phường Bến Tre is accepted, but
    its report has no due date (period_not_in_calendar names the scope)."""
    path = write_workbook(tmp_path / "c.xlsx", {"Mã đơn vị": "28789", "Kỳ báo cáo": "Năm 2025"},
                          {"Giảm nghèo": poverty_sheet([[1, "Phường Bến Tre", None, 5000, 50, 80]])})
    (report,) = parse(path, reference)
    assert report.status == "accepted" and rules(report) == ["period_not_in_calendar"]
    assert "tỉnh Vĩnh Long (chỉ các xã, phường trên địa bàn tỉnh Trà Vinh cũ)" in report.issues[0].message
