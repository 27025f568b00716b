"""`emulation template`: a blank workbook per family that, once filled, the warehouse accepts exactly."""

from __future__ import annotations

import argparse
import datetime as dt

import openpyxl
import pytest

from pipelines.parsing.families import FAMILIES
from pipelines.parsing.files import parse_file
from pipelines.cli.template import FAMILY_NAMES, add_template_parser, main_template
from pipelines.parsing.template import FIRST_DATA_ROW, GUIDE_SHEET, HEADER_ROW, instructions, write_template

TODAY = dt.date(2026, 11, 27)


def fill(path, values_by_row, date="10/01/2023", by="Trần Thị Hoa"):
    """Type figures into a template as a clerk would (column letter -> value, per data row index)."""
    wb = openpyxl.load_workbook(path)
    wb["Thông tin"]["B4"] = date
    wb["Thông tin"]["B5"] = by
    ws = wb[[n for n in wb.sheetnames if n not in ("Thông tin", "Hướng dẫn")][0]]
    for k, values in values_by_row.items():
        for letter, value in values.items():
            ws[f"{letter}{FIRST_DATA_ROW + k}"] = value
    wb.save(path)


def data_rows(path):
    ws = openpyxl.load_workbook(path)[[n for n in openpyxl.load_workbook(path).sheetnames
                                       if n not in ("Thông tin", "Hướng dẫn")][0]]
    rows = []
    r = FIRST_DATA_ROW
    while ws.cell(row=r, column=1).value is not None:
        rows.append([ws.cell(row=r, column=c).value for c in range(1, ws.max_column + 1)])
        r += 1
    return ws, rows


def validations(ws) -> dict[str, tuple]:
    """Data validations of a sheet by the first cell range they cover: (type, operator, formula1)."""
    return {str(v.sqref).split()[0]: (v.type, v.operator, v.formula1) for v in ws.data_validations.dataValidation}


def test_poverty_template_round_trips(tmp_path, reference):
    path = write_template("poverty", "844", "2022", tmp_path / "t.xlsx", reference)
    wb = openpyxl.load_workbook(path)
    info = {r[0]: r[1] for r in wb["Thông tin"].iter_rows(values_only=True)}
    assert info == {"Đơn vị": "Huyện Càng Long", "Mã đơn vị": "844", "Kỳ báo cáo": "Năm 2022", "Ngày lập": None,
                    "Người lập": None}
    ws, rows = data_rows(path)
    header = [c.value for c in ws[HEADER_ROW]]
    assert header == ["STT"] + [c.labels[0] for c in FAMILIES["poverty"].columns]
    assert [(r[1], r[2]) for r in rows][:3] == [("Thị trấn Càng Long", "29266"), ("Xã Mỹ Cẩm", "29269"),
                                                ("Xã An Trường A", "29272")]
    assert len(rows) == 14 and all(isinstance(r[2], str) for r in rows)
    checks = validations(ws)  # every count column: one custom formula (itself, and sub-count ≤ total)
    assert sorted(checks) == [f"{letter}5:{letter}18" for letter in "DEFGHI"]
    assert {kind for kind, _op, _formula in checks.values()} == {"custom"}

    fill(path, {k: {"D": 1000 + k, "E": 10 + k, "F": "2.0" if k == 0 else 20, "G": None if k else 300,
                    "H": None if k else "1", "I": None if k else 2} for k in range(14)})
    (report,) = parse_file(path, path.name, reference, today=TODAY)
    assert report.issues == [] and report.status == "accepted"
    assert report.report_date == dt.date(2023, 1, 10) and report.prepared_by == "Trần Thị Hoa"
    first = report.rows[0]
    assert (first["commune_code"], first["total_households"], first["poor_households"],
            first["near_poor_households"], first["em_households"], first["em_poor_households"],
            first["em_near_poor_households"]) == ("29266", 1000, 10, 2, 300, 1, 2)
    assert [r["total_households"] for r in report.rows] == [1000 + k for k in range(14)]
    assert report.rows[5]["em_households"] is None  # left empty: missing, not zero


def test_infrastructure_template_round_trips(tmp_path, reference):
    path = write_template("infrastructure", "842", "Quý III/2023", tmp_path / "t.xlsx", reference)
    ws, rows = data_rows(path)
    assert [r[1] for r in rows] == ["Phường 4", "Phường 1", "Phường 3", "Phường 5", "Phường 7", "Phường 8",
                                    "Phường 9", "Xã Long Đức"]
    checks = validations(ws)
    assert checks["D5:D12"] == ("decimal", "greaterThanOrEqual", "0")  # km and money
    assert checks["L5:L12"] == ("whole", "greaterThanOrEqual", "0")  # OCOP products
    assert checks["I12"] == ("list", None, '"x"')  # NTM: only the xã
    assert checks["I5"][0] == "textLength"  # wards: must stay empty
    assert openpyxl.load_workbook(path)["Thông tin"]["B3"].value == "Quý III/2023"

    fill(path, {k: {"D": 1.5 + k, "E": "0,25", "F": 0, "G": 1200, "H": "12,5", "L": k} for k in range(8)}
         | {7: {"D": 3, "E": 1, "F": 2, "G": 100, "H": 10, "I": "x", "J": "x", "L": 4}}, date="05/10/2023")
    (report,) = parse_file(path, path.name, reference, today=TODAY)
    assert report.issues == [] and report.status == "accepted"
    assert report.period.code == "2023-Q3"
    by_code = {r["commune_code"]: r for r in report.rows}
    assert (by_code["29236"]["rural_road_km"], by_code["29236"]["green_road_km"], by_code["29236"]["investment_vnd"],
            by_code["29236"]["people_contribution_vnd"], by_code["29236"]["ntm_standard"]) == (
        1.5, 0.25, 1_200_000_000, 12_500_000, None)
    assert (by_code["29263"]["ntm_standard"], by_code["29263"]["ntm_advanced"], by_code["29263"]["ntm_model"],
            by_code["29263"]["ocop_products"]) == (True, True, False, 4)


def test_savings_template_round_trips(tmp_path, reference):
    path = write_template("savings", "TX Duyên Hải", "Năm 2022", tmp_path / "t.xlsx", reference)
    ws, rows = data_rows(path)
    assert [r[1] for r in rows] == ["Chi thường xuyên", "Đầu tư công", "Mua sắm tài sản công",
                                    "Hội nghị, hội thảo, công tác phí", "Khác"]
    assert validations(ws) == {"C5:C9": ("decimal", "greaterThanOrEqual", "0")}
    assert openpyxl.load_workbook(path)["Thông tin"]["B2"].value == "851"
    fill(path, {k: {"C": 1000 * (k + 1), "D": "12,5", "E": 10 + k} for k in range(5)}, date="20/01/2023")
    (report,) = parse_file(path, path.name, reference, today=TODAY)
    assert report.issues == [] and report.district.code == "851"
    assert [(r["category"], r["budget_vnd"], r["planned_savings_vnd"], r["achieved_savings_vnd"])
            for r in report.rows][:2] == [("regular_spending", 1_000_000_000, 12_500_000, 10_000_000),
                                          ("public_investment", 2_000_000_000, 12_500_000, 11_000_000)]


def test_blank_template_is_refused_for_missing_values(tmp_path, reference):
    """A template sent back unfilled is not mistaken for zeros."""
    path = write_template("poverty", "849", "2023", tmp_path / "t.xlsx", reference)
    (report,) = parse_file(path, path.name, reference, today=TODAY)
    assert report.status == "rejected"
    assert report.count("error") == 17 * 3  # every commune of Trà Cú, three required counts
    # listed up to 50 per rule, then one note says how many more
    assert [i.rule for i in report.issues] == ["value_missing"] * 50 + ["issues_truncated"]
    assert "Còn 1 chỗ khác" in report.issues[-1].message


@pytest.mark.parametrize("family, district, period, words", [
    ("poverty", "844", "Quý 3/2022", ["năm", "a year"]),
    ("infrastructure", "844", "2023", ["quý", "a quarter"]),
    ("savings", "999", "2022", ["999", "Unknown district"]),
    ("savings", "Duyên Hải", "2022", ["850", "851"]),
    ("poverty", "844", "năm ngoái", ["năm ngoái", "Unreadable"]),
    ("roads", "844", "2022", ["roads", "Unknown family"]),
])
def test_wrong_arguments_are_refused(tmp_path, reference, family, district, period, words):
    with pytest.raises(ValueError) as refused:
        write_template(family, district, period, tmp_path / "t.xlsx", reference)
    for word in words:
        assert word in str(refused.value)
    assert not (tmp_path / "t.xlsx").exists()


def test_command(tmp_path, capsys):
    parser = argparse.ArgumentParser()
    add_template_parser(parser.add_subparsers(dest="command"))
    out = tmp_path / "mau.xlsx"
    args = parser.parse_args(["template", "--family", "infrastructure", "--district", "848", "--period", "2023-Q4",
                              "--out", str(out)])
    assert main_template(args) == 0 and out.exists()
    assert "Huyện Cầu Ngang" in capsys.readouterr().out
    assert main_template(args) == 3  # exists: needs --force
    assert "--force" in capsys.readouterr().err
    args = parser.parse_args(["template", "--family", "poverty", "--district", "848", "--period", "2023-Q4",
                              "--out", str(tmp_path / "x.xlsx")])
    assert main_template(args) == 3
    assert "a year" in capsys.readouterr().err


def test_family_names_match_the_formats():
    assert FAMILY_NAMES == tuple(FAMILIES)


def test_poverty_template_stops_sub_counts_above_their_totals(tmp_path, reference):
    """Excel refuses poor households > total households (and near-poor, ethnic-minority counts > their totals)."""
    path = write_template("poverty", "844", "2022", tmp_path / "t.xlsx", reference)
    ws, _rows = data_rows(path)
    by_range = {str(v.sqref): v for v in ws.data_validations.dataValidation}
    poor = by_range["E5:E18"]
    assert poor.type == "custom" and poor.showErrorMessage and poor.allow_blank
    # relative to the range's first cell: a number, ≥ 0, whole, ≤ total households (D) when that is filled in
    assert poor.formula1 == ("AND(ISNUMBER(E5),E5>=0,INT(E5)=E5,OR(NOT(ISNUMBER(D5)),E5<=D5),"
                             "OR(NOT(ISNUMBER(H5)),E5>=H5))")
    assert "không lớn hơn tổng số hộ (cột D)" in poor.error and len(poor.error) <= 255
    assert "OR(NOT(ISNUMBER(D5)),F5<=D5)" in by_range["F5:F18"].formula1  # near-poor ≤ total
    assert "D5>=E5" in by_range["D5:D18"].formula1  # and a total typed after is not below its sub-counts
    em_poor = by_range["H5:H18"]
    assert "H5<=G5" in em_poor.formula1 and "H5<=E5" in em_poor.formula1  # ≤ em households, ≤ poor households
    assert "số hộ DTTS (cột G)" in em_poor.error and "số hộ nghèo (cột E)" in em_poor.error
    assert "I5<=G5" in by_range["I5:I18"].formula1 and "I5<=F5" in by_range["I5:I18"].formula1
    assert all(len(v.error) <= 255 and v.errorTitle for v in by_range.values())


def test_instructions_are_per_family_and_name_only_its_columns(tmp_path, reference):
    texts = {}
    for family, district, period in [("poverty", "844", "2022"), ("infrastructure", "842", "2023-Q3"),
                                     ("savings", "844", "2022")]:
        path = write_template(family, district, period, tmp_path / f"{family}.xlsx", reference)
        sheet = openpyxl.load_workbook(path)[GUIDE_SHEET]
        text = "\n".join(str(row[0]) for row in sheet.iter_rows(values_only=True) if row[0])
        assert text.splitlines() == instructions(family)
        spec = FAMILIES[family]
        for c, column in enumerate(spec.columns, start=2):
            letter, label = "ABCDEFGHIJKLM"[c - 1], column.labels[0]
            assert f"Cột {letter} '{label}'" in text or f"'{label}' (cột {letter})" in text, (family, column.name)
        others = {label for f in FAMILIES.values() if f is not spec for c in f.columns for label in c.labels[:1]}
        for label in others - {c.labels[0] for c in spec.columns}:
            assert f"'{label}'" not in text, (family, label)
        texts[family] = text
    assert len(set(texts.values())) == 3
    assert "NTM" not in texts["poverty"] and "NTM" not in texts["savings"] and "NTM" in texts["infrastructure"]
    assert "Mã xã" not in texts["savings"] and "Mã xã" in texts["poverty"]
    assert "đồng" not in texts["poverty"] and "12,5" not in texts["poverty"]  # no money, no decimals
    assert "không lớn hơn 'Tổng số hộ' (cột D)" in texts["poverty"]
    assert "lập theo quý" in texts["infrastructure"] and "lập theo năm" in texts["savings"]


def test_command_path_errors_are_one_line_and_exit_3(tmp_path, capsys):
    parser = argparse.ArgumentParser()
    add_template_parser(parser.add_subparsers(dest="command"))
    a_file = tmp_path / "a_file"
    a_file.write_text("x")
    for out in (tmp_path / "missing" / "t.xlsx", a_file / "t.xlsx", tmp_path):
        args = parser.parse_args(["template", "--family", "poverty", "--district", "844", "--period", "2022",
                                  "--out", str(out)])
        assert main_template(args) == 3, out
        err = capsys.readouterr().err
        assert err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err, err
    assert not (tmp_path / "missing").exists()  # a mistyped folder is not created


def test_new_commune_template_has_one_row_itself_and_round_trips(tmp_path, reference):
    path = write_template("poverty", "Phường Trà Vinh", "Năm 2025", tmp_path / "c.xlsx", reference)
    info = {r[0]: r[1] for r in openpyxl.load_workbook(path)["Thông tin"].iter_rows(values_only=True)}
    assert (info["Đơn vị"], info["Mã đơn vị"], info["Kỳ báo cáo"]) == ("Phường Trà Vinh", "29242", "Năm 2025")
    _ws, rows = data_rows(path)
    assert [(r[1], r[2]) for r in rows] == [("Phường Trà Vinh", "29242")]
    guide = [row[0] for row in openpyxl.load_workbook(path)[GUIDE_SHEET].iter_rows(values_only=True)]
    assert guide == instructions("poverty", "commune") and "chính đơn vị báo cáo" in guide[2]
    fill(path, {0: {"D": 5000, "E": 50, "F": 80}}, date="10/01/2026")
    (report,) = parse_file(path, path.name, reference, today=TODAY)
    assert report.issues == [] and (report.unit.code, report.unit.level, report.district) == ("29242", "commune", None)
    assert [(r["commune_code"], r["poor_households"]) for r in report.rows] == [("29242", 50)]


def test_new_province_template_lists_the_communes_of_the_calendar(tmp_path, reference):
    path = write_template("infrastructure", "86", "Quý III/2025", tmp_path / "p.xlsx", reference)
    _ws, rows = data_rows(path)
    assert len(rows) == 41  # the former Trà Vinh's communes of Tỉnh Vĩnh Long (reporting_calendar old_province_code)
    assert (rows[0][1], rows[0][2]) == ("Phường Trà Vinh", "29242") and ("Xã Càng Long", "29266") in [
        (r[1], r[2]) for r in rows]
    fill(path, {k: {"D": 1.5} for k in range(41)}, date="05/10/2025")
    (report,) = parse_file(path, path.name, reference, today=TODAY)
    assert report.issues == [] and report.unit.code == "86" and len(report.rows) == 41


@pytest.mark.parametrize("family, unit, period, words", [
    ("infrastructure", "844", "2025-Q3", ["Huyện Càng Long", "Xã Càng Long (mã 29266)", "Tỉnh Vĩnh Long (mã 86)"]),
    ("poverty", "29242", "2024", ["Phường Trà Vinh", "Thành phố Trà Vinh (mã 842)"]),
    ("savings", "86", "2025", ["Savings are each commune's own"]),
    ("poverty", "Xã Không Có", "2025", ["Unknown unit"]),
])
def test_units_that_do_not_report_the_period_are_refused(tmp_path, reference, family, unit, period, words):
    with pytest.raises(ValueError) as refused:
        write_template(family, unit, period, tmp_path / "t.xlsx", reference)
    for word in words:
        assert word in str(refused.value)


def test_command_with_unit(tmp_path, capsys):
    parser = argparse.ArgumentParser()
    add_template_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["template", "--family", "poverty", "--unit", "29242", "--period", "2025",
                              "--out", str(tmp_path / "c.xlsx")])
    assert main_template(args) == 0 and "Phường Trà Vinh (mã 29242)" in capsys.readouterr().out
    args = parser.parse_args(["template", "--family", "poverty", "--unit", "29242", "--district", "844",
                              "--period", "2025"])
    assert main_template(args) == 3 and "not both" in capsys.readouterr().err
