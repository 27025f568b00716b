"""An emulation plan from 2025: the units are the communes of 2025-07-01 (spec emulation-scoring.md, `Cụm thi
đua`), a district in it (or a new commune in a plan up to 2024) is refused with `unit_not_valid_for_period`, and
the template lists the communes the reporting calendar expects."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

from pipelines.parsing.files import parse_file
from plan_workbooks import CLUSTERS, CLUSTERS_2025, PHUONG_2025, XA_2025, plan_file, plan_file_2025

TODAY = dt.date(2026, 11, 27)


def parse(path: Path, reference):
    (plan,) = parse_file(path, path.name, reference, today=TODAY)
    return plan


def test_a_2025_plan_is_on_the_new_communes(tmp_path, reference):
    plan = parse(plan_file_2025(tmp_path), reference)
    assert plan.issues == [] and plan.status == "accepted"
    assert (plan.district.code, plan.district.full_name, plan.district.level, plan.period.code) == (
        "86", "Tỉnh Vĩnh Long", "province", "2025")
    clusters = {r["unit_code"]: (r["cluster"], r["unit_name"]) for r in plan.tables["plan_clusters"]}
    assert len(clusters) == 41
    assert {c for c, (cluster, _) in clusters.items() if cluster == "Cụm 1"} == set(PHUONG_2025)
    assert {c for c, (cluster, _) in clusters.items() if cluster == "Cụm 2"} == set(XA_2025)
    # matched by name with the report tolerances: 'Phường Trà Vinh', and 'P. Trà Vinh' in `Chỉ tiêu`
    assert clusters["29242"] == ("Cụm 1", "Phường Trà Vinh") and clusters["29302"] == ("Cụm 2", "Xã Nhị Long")
    targets = {(r["unit_code"], r["criterion_code"]): r["target"] for r in plan.tables["plan_targets"]}
    assert len(targets) == 41 * 3
    assert targets[("29242", "TC1")] == 0.5 and targets[("29242", "TC2")] is None
    assert targets[("29302", "TC1")] == 1.5 and targets[("29302", "TC2")] == 1
    assert {r["unit_name"] for r in plan.tables["plan_targets"] if r["unit_code"] == "29302"} == {"Xã Nhị Long"}


def test_a_district_in_a_2025_plan_is_refused(tmp_path, reference):
    clusters = CLUSTERS_2025 + [[99, "Cụm 2", "Huyện Càng Long", None]]
    plan = parse(plan_file_2025(tmp_path, clusters=clusters), reference)
    assert plan.status == "rejected"
    (found,) = [i for i in plan.issues if i.rule == "unit_not_valid_for_period"]
    assert (found.row_number, found.column_name, found.address) == (45, "Đơn vị", "C45")
    assert found.message.startswith("'Huyện Càng Long' ở trang 'Cụm thi đua', ô C45 ('Đơn vị') là Huyện Càng Long "
                                    "(mã 844), đơn vị trước ngày 01/07/2025 (không còn cấp huyện); năm thi đua 2025 "
                                    "kết thúc sau ngày 30/06/2025, nên do các xã, phường sau sắp xếp")
    # the new communes Càng Long's communes became, not the province
    assert "Xã Càng Long (mã 29266)" in found.message and "Xã Nhị Long (mã 29302)" in found.message
    assert "Tỉnh Vĩnh Long" not in found.message
    assert "--period 2025" in found.message


def test_a_district_code_in_a_2025_plan_is_refused(tmp_path, reference):
    clusters = CLUSTERS_2025 + [[99, "Cụm 2", None, "842"]]
    plan = parse(plan_file_2025(tmp_path, clusters=clusters), reference)
    (found,) = [i for i in plan.issues if i.rule == "unit_not_valid_for_period"]
    assert (found.column_name, found.address) == ("Mã đơn vị", "D45")
    assert "là Thành phố Trà Vinh (mã 842)" in found.message and "Phường Trà Vinh (mã 29242)" in found.message


def test_a_new_commune_in_a_2024_plan_is_refused(tmp_path, reference):
    plan = parse(plan_file(tmp_path, clusters=CLUSTERS + [[99, "Cụm 2", None, "29302"]]), reference)
    (found,) = [i for i in plan.issues if i.rule == "unit_not_valid_for_period"]
    assert "là Xã Nhị Long (mã 29302), đơn vị từ ngày 01/07/2025; năm thi đua 2024" in found.message
    assert found.message.count("(mã 844)") == 1  # its old communes were Càng Long's


def test_a_commune_missing_from_a_2025_plan_is_named(tmp_path, reference):
    plan = parse(plan_file_2025(tmp_path, clusters=CLUSTERS_2025[:-1]), reference)
    (found,) = [i for i in plan.issues if i.rule == "plan_unit_without_cluster"]
    assert "1 đơn vị: Xã Đông Hải (mã 29536)" in found.message


def test_the_2025_template_lists_the_expected_communes(tmp_path, reference):
    from pipelines.cli import main

    out = tmp_path / "ke_hoach_2025.xlsx"
    assert main(["template", "--family", "emulation_plan", "--period", "2025", "--out", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    assert wb["Thông tin"]["B1"].value == "Tỉnh Vĩnh Long" and wb["Thông tin"]["B2"].value == "86"
    rows = [(wb["Cụm thi đua"].cell(r, 3).value, wb["Cụm thi đua"].cell(r, 4).value) for r in range(4, 45)]
    assert {code for _, code in rows} == set(PHUONG_2025 + XA_2025) and rows[0] == ("Phường Trà Vinh", "29242")
    assert wb["Cụm thi đua"].cell(45, 4).value is None
    for r in range(4, 45):
        wb["Cụm thi đua"].cell(r, 2).value = "Cụm 1" if wb["Cụm thi đua"].cell(r, 4).value in PHUONG_2025 else "Cụm 2"
    wb["Tiêu chí"].append([1, "TC1", "Giảm tỷ lệ hộ nghèo", "poverty_rate_reduction_pp", 40, 4])
    wb["Chỉ tiêu"]["D3"] = "TC1"
    for r in range(4, 45):
        wb["Chỉ tiêu"].cell(r, 4).value = 1
    wb["Thông tin"]["B4"] = "10/01/2025"
    wb.save(out)
    plan = parse(out, reference)
    assert plan.issues == [] and len(plan.tables["plan_clusters"]) == 41


def test_a_commune_of_another_province_in_a_2025_plan_is_unknown(tmp_path, reference):
    plan = parse(plan_file_2025(tmp_path, clusters=CLUSTERS_2025 + [[99, "Cụm 2", None, "00004"]]), reference)
    (found,) = [i for i in plan.issues if i.rule == "plan_unit_unknown"]
    other = reference.units_2025.communes["00004"]
    province = reference.units_2025.provinces[other.parent_code]
    assert f"mã 00004 là {other.full_name}, {province.type.lower()} {province.name}" in found.message
    assert "ví dụ 'Xã Càng Long'" in found.message and "Tỉnh Vĩnh Long năm 2025" in found.message
