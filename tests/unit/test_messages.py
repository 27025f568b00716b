"""Messages a clerk can act on, and command-line errors an operator can act on.

A row's message names the commune (or savings category), the Excel cell (`ô E7`) and the column, writes numbers
the Vietnamese way (6.000, 12,5) and says what to do. A bad path or argument is one line on stderr and exit 3.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import PROJECT_ROOT, SAMPLE_INBOX
from pipelines.cli import EPILOG, main
from pipelines.cli.docs import docs
from pipelines.parsing.files import parse_file
from pipelines.parsing.rules import RULES
from pipelines.parsing.text import count_vi, mb_vi, number_vi
from workbooks import CANG_LONG_INFO, poverty_sheet, write_workbook

TODAY = dt.date(2026, 11, 27)


def parse(path: Path, reference):
    return parse_file(path, path.name, reference, today=TODAY)


def by_rule(report) -> dict[str, list]:
    found: dict[str, list] = {}
    for i in report.issues:
        found.setdefault(i.rule, []).append(i)
    return found


# ---------------------------------------------------------------------------------------------- numbers

@pytest.mark.parametrize("value, text", [
    (6000, "6.000"), (6000.0, "6.000"), (-5000, "-5.000"), (1_234_567, "1.234.567"), (12.5, "12,5"),
    (1234.25, "1.234,25"), (0.1 + 0.2, "0,3"), (4.803, "4,803"), (0, "0"),
])
def test_numbers_are_written_the_vietnamese_way(value, text):
    assert number_vi(value) == text


def test_count_and_size_helpers_share_the_number_format():
    assert count_vi(1_000_001) == "1.000.001" and mb_vi(20 * 2**20) == "20" and mb_vi(3 * 2**19) == "1,5"
    assert number_vi(1234.5678, 2) == "1.234,57"


# ---------------------------------------------------------------------------------------------- row messages

def test_poor_above_total_names_the_commune_the_cell_and_vietnamese_numbers(tmp_path, reference):
    # title on row 1, blank row 2, header row 3: the fourth commune is on Excel row 7, 'Số hộ nghèo' in column E
    path = write_workbook(tmp_path / "a.xlsx", CANG_LONG_INFO, {"Giảm nghèo": poverty_sheet([
        [1, "Xã Mỹ Cẩm", None, 1200, 30, 40], [2, "Xã An Trường", None, 1500, 20, 30],
        [3, "Thị trấn Càng Long", None, 4803, 12, 9], [4, "Xã Đại Phúc", None, 5000, 6000, 10]])})
    (report,) = parse(path, reference)
    (found,) = by_rule(report)["poor_exceeds_total"]
    assert (found.row_number, found.column_name, found.address) == (7, "Số hộ nghèo", "E7")
    assert found.message == ("Xã Đại Phúc: số hộ nghèo 6.000 (ô E7) lớn hơn tổng số hộ 5.000 (ô D7). Số hộ nghèo "
                             "không thể lớn hơn tổng số hộ: kiểm tra và sửa một trong hai ô.")


def test_every_value_rule_says_where_in_the_sheet(tmp_path, reference):
    path = write_workbook(tmp_path / "b.xlsx", CANG_LONG_INFO, {"Giảm nghèo": poverty_sheet([
        [1, "Mỹ Cẩm", None, 1000, -2500, "abc"],  # row 4
        [2, "Đại Phúc", None, 2000, 12.5, None],  # row 5
        [3, "Xã Bình Minh", None, 1, 1, 1],  # row 6
        [4, "Mỹ Cẩm", None, 1000, 1, 1],  # row 7
        [5, "An Trường", None, "#DIV/0!", 1, 1],  # row 8
    ])})
    (report,) = parse(path, reference)
    found = by_rule(report)
    assert found["value_negative"][0].message.startswith("Xã Mỹ Cẩm, ô E4 ('Số hộ nghèo') ghi số âm (-2.500).")
    assert found["value_not_number"][0].message.startswith("Xã Mỹ Cẩm, ô F4 ('Số hộ cận nghèo') ghi 'abc'")
    assert found["value_not_integer"][0].message.startswith("Xã Đại Phúc, ô E5 ('Số hộ nghèo') ghi 12,5;")
    assert found["value_missing"][0].message.startswith("Xã Đại Phúc, ô F5 ('Số hộ cận nghèo') để trống.")
    assert "'Xã Bình Minh' (ô B6)" in found["commune_unknown"][0].message
    assert "Xã Mỹ Cẩm ghi hai lần: dòng 4 và dòng 7 (ô B7)" in found["commune_duplicate"][0].message
    assert found["cell_error"][0].message.startswith("Xã An Trường, ô D8 ('Tổng số hộ') có lỗi công thức Excel")
    assert [i.address for i in report.issues if i.row_number] == ["E4", "F4", "E5", "F5", "B6", "B7", "D8"]
    # every message says what to do
    for i in report.issues:
        assert re.search(r"\b(Ghi|Sửa|ghi|sửa|xoá|Thêm|kiểm tra)\b", i.message), i.message


def test_ethnic_minority_counts_name_both_cells(tmp_path, reference):
    header = ["STT", "Xã, phường, thị trấn", "Mã xã", "Tổng số hộ", "Số hộ nghèo", "Số hộ cận nghèo", "Số hộ DTTS",
              "Số hộ nghèo DTTS"]
    path = write_workbook(tmp_path / "c.xlsx", CANG_LONG_INFO, {"Giảm nghèo": [
        header, [1, "Xã Đại Phúc", None, 9000, 100, 200, 1500, 1200]]})
    (report,) = parse(path, reference)
    (found,) = by_rule(report)["em_exceeds_total"]
    assert found.message.startswith("Xã Đại Phúc: số hộ nghèo DTTS 1.200 (ô H2) lớn hơn số hộ nghèo 100 (ô E2). "
                                    "Số hộ nghèo DTTS không thể lớn hơn số hộ nghèo")


def test_total_row_names_its_cell_in_the_header_unit(tmp_path, reference):
    info = {"Đơn vị": "Huyện Càng Long", "Kỳ báo cáo": "Năm 2022"}
    header = ["Nội dung", "Kế hoạch tiết kiệm (triệu đồng)", "Thực hiện tiết kiệm (triệu đồng)"]
    path = write_workbook(tmp_path / "d.xlsx", info, {"Tiết kiệm": [
        header, ["Chi thường xuyên", 1500, "2.000,5"], ["Đầu tư công", 1000, -3], ["Tổng cộng", 2600, 2000.5]]})
    (report,) = parse(path, reference)
    found = by_rule(report)
    assert found["value_negative"][0].message.startswith(
        "Nội dung 'Đầu tư công', ô C3 ('Thực hiện tiết kiệm (triệu đồng)') ghi số âm (-3).")
    (total,) = found["total_row_mismatch"]
    assert total.message.startswith("Dòng tổng, ô B4 ('Kế hoạch tiết kiệm (triệu đồng)'), ghi 2.600, nhưng cộng "
                                    "các dòng trên được 2.500.")


def test_ntm_messages_name_both_cells(tmp_path, reference):
    info = {"Đơn vị": "Huyện Càng Long", "Kỳ báo cáo": "Quý IV/2022"}
    header = ["Tên xã", "Đường GTNT xây mới, nâng cấp (km)", "Đạt chuẩn NTM", "Đạt chuẩn NTM nâng cao"]
    path = write_workbook(tmp_path / "e.xlsx", info, {"Hạ tầng": [
        header, ["Xã Đại Phúc", "1,5", None, "x"], ["Thị trấn Càng Long", 2, "x", None]]})
    (report,) = parse(path, reference)
    found = by_rule(report)
    assert found["ntm_without_standard"][0].message.startswith(
        "Xã Đại Phúc: đánh dấu đạt NTM nâng cao (ô D2) nhưng chưa đánh dấu 'Đạt chuẩn NTM' (ô C2).")
    assert "Thị trấn Càng Long là thị trấn (ô C3)" in found["ntm_not_applicable"][0].message


def test_csv_messages_name_the_line(tmp_path, reference):
    path = tmp_path / "r.csv"
    path.write_text("district_code,period,family,item,indicator,value\n"
                    "844,2022,poverty,29293,total_households,2500\n"
                    "844,2022,poverty,29293,poor_households,6000\n"
                    "844,2022,poverty,29293,near_poor_households,-1000\n", encoding="utf-8")
    (report,) = parse(path, reference)
    found = by_rule(report)
    assert found["poor_exceeds_total"][0].message.startswith(
        "Xã Đại Phúc: số hộ nghèo 6.000 (dòng 3) lớn hơn tổng số hộ 2.500 (dòng 2).")
    assert found["value_negative"][0].message.startswith(
        "Xã Đại Phúc, dòng 4 ('near_poor_households') ghi số âm (-1.000).")
    assert found["value_negative"][0].address is None  # no Excel cell in a CSV file


def test_row_rules_say_where_in_the_catalogue():
    """Each row rule's message has a place for the commune or category and the cell."""
    row_rules = ["commune_unknown", "commune_ambiguous", "commune_other_district", "commune_duplicate",
                 "category_unknown", "category_duplicate", "value_missing", "value_not_number", "value_not_integer",
                 "value_negative", "cell_error", "value_not_yes_no", "poor_exceeds_total", "near_poor_exceeds_total",
                 "em_exceeds_total", "ntm_without_standard", "ntm_not_applicable", "total_row_mismatch",
                 "money_unit_unknown", "money_unit_missing"]
    for code in row_rules:
        assert "{where}" in RULES[code].message or "{cell}" in RULES[code].message, code


# ---------------------------------------------------------------------------------------------- the command line

def _one_line_error(capsys) -> str:
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err, err
    return err


def test_refresh_path_errors_are_one_line_and_exit_3(tmp_path, capsys):
    a_file = tmp_path / "a_file"
    a_file.write_text("not a folder")
    for warehouse, words in [(a_file / "emulation.duckdb", "is a file, not a folder"),
                             (tmp_path, "is a folder, not a file"),
                             (Path("/proc/no/emulation.duckdb"), "cannot create folder")]:
        assert main(["refresh", "--inbox", str(SAMPLE_INBOX), "--warehouse", str(warehouse)]) == 3
        assert words in _one_line_error(capsys)
    assert main(["refresh", "--inbox", str(SAMPLE_INBOX), "--reference", str(tmp_path / "none"),
                 "--warehouse", str(tmp_path / "w.duckdb")]) == 3
    assert "EMULATION_REFERENCE" in _one_line_error(capsys)
    assert not (tmp_path / "w.duckdb").exists()


def test_docs_and_template_path_errors_are_one_line_and_exit_3(tmp_path, capsys):
    a_file = tmp_path / "a_file"
    a_file.write_text("not a folder")
    published = tmp_path / "emulation.duckdb"
    published.write_bytes(b"")
    assert docs(published, a_file / "site") == 3  # before dbt is even started
    assert "is a file, not a folder" in _one_line_error(capsys)
    assert main(["template", "--family", "poverty", "--district", "844", "--period", "2022",
                 "--out", str(tmp_path / "missing" / "t.xlsx")]) == 3
    assert "does not exist" in _one_line_error(capsys)


def test_summary_of_something_else_is_one_line_and_exit_3(tmp_path, capsys):
    not_a_warehouse = tmp_path / "notes.duckdb"
    not_a_warehouse.write_text("not a database")
    for path, words in [(not_a_warehouse, "is not a published warehouse"), (tmp_path, "is a folder"),
                        (tmp_path / "none.duckdb", "does not exist")]:
        assert main(["summary", "--warehouse", str(path)]) == 3
        assert words in _one_line_error(capsys)


def test_bad_arguments_exit_3_in_one_line(capsys):
    with pytest.raises(SystemExit) as done:
        main(["refresh", "--no-such-option"])
    assert done.value.code == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unrecognized arguments" in err


def test_no_traceback_from_the_installed_command(tmp_path):
    a_file = tmp_path / "a_file"
    a_file.write_text("x")
    done = subprocess.run([sys.executable, "-m", "pipelines.cli", "template", "--family", "savings", "--district",
                           "844", "--period", "2022", "--out", str(a_file / "t.xlsx")],
                          capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=120)
    assert done.returncode == 3 and done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


def test_help_lists_every_exit_code_and_environment_variable():
    import pipelines.cli.exits as exits
    import pipelines.settings as settings

    for code in (exits.EXIT_OK, exits.EXIT_FAILED, exits.EXIT_BUSY, exits.EXIT_USAGE):
        assert re.search(rf"^  {code}  ", EPILOG, re.M), code
    names = {value for name, value in vars(settings).items() if name.endswith("_ENV") and isinstance(value, str)}
    names |= set(re.findall(r"^\| `([A-Z_]+)` \|", settings.__doc__, re.M))
    assert {"EMULATION_INBOX", "DAGSTER_HOME", "EMULATION_BUILD_DB"} <= names
    for name in names:
        assert re.search(rf"^  {name}\s", EPILOG, re.M), name
