"""Coverage of the aggregate rows: a province row built from part of the province says so (units_reported,
units_expected, complete), has no changes, and its rates divide figures of the same units."""

import shutil

import openpyxl
import pytest

from helpers import REFERENCE, SAMPLE_INBOX, query, refreshed

EM_BLANK_FILE = "845_cau-ke_2022.xlsx"  # its 'Số hộ DTTS' cells are blanked, the other DTTS counts kept
Q4_MISSING = "851_tx-duyen-hai_2022-Q4"  # one district's fourth quarter of 2022 is left out


def _blank_em_households(path):
    """Blank the 'Số hộ DTTS' column (commune rows and total row) of a poverty workbook."""
    wb = openpyxl.load_workbook(path)
    ws = wb["Giảm nghèo"]
    header_row, column = next((cell.row, cell.column) for row in ws.iter_rows() for cell in row
                              if cell.value == "Số hộ DTTS")
    for row in range(header_row + 1, ws.max_row + 1):
        ws.cell(row, column).value = None
    wb.save(path)


@pytest.fixture(scope="module")
def partial_db(tmp_path_factory):
    """All 2022 reports (one district without its 2022-Q4 infrastructure report, Cầu Kè without its
    ethnic-minority households) and, of 2023, only Càng Long's yearly report (poverty and savings)."""
    tmp = tmp_path_factory.mktemp("coverage")
    inbox = tmp / "inbox"
    inbox.mkdir()
    names = [p.name for p in SAMPLE_INBOX.iterdir()
             if "_2022" in p.name and not p.name.startswith((Q4_MISSING, "84_ke-hoach-thi-dua"))] + ["844_cang-long_2023.xlsx"]
    assert EM_BLANK_FILE in names and len(names) == 46
    for name in names:
        shutil.copy(SAMPLE_INBOX / name, inbox / name)
    _blank_em_households(inbox / EM_BLANK_FILE)
    assert REFERENCE.is_dir()
    published = tmp / "warehouse" / "emulation.duckdb"
    with refreshed(inbox, published) as con:
        yield con, published


def _province(con, table, where):
    cols = "units_reported, units_expected, complete"
    return query(con, f"SELECT {cols} FROM marts.{table} WHERE unit_code = '84' AND {where}")


def test_one_of_nine_districts_is_not_the_province(partial_db):
    con, _ = partial_db
    (row,) = query(con, """
        SELECT units_reported, units_expected, complete, districts_reported, poor_households_change,
               poverty_rate_change_pp, em_poor_households_change, em_poverty_rate_change_pp,
               near_poor_households_change, near_poverty_rate_change_pp
        FROM marts.mart_poverty WHERE unit_code = '84' AND year = 2023""")
    assert row == (1, 9, False, 1, None, None, None, None, None, None)
    # the year before is whole: 9 of 9 (no change: 2021 is absent)
    assert _province(con, "mart_poverty", "year = 2022") == [(9, 9, True)]
    # the district that reported is whole, and compares with its own 2022
    (district,) = query(con, """SELECT units_reported, units_expected, complete, poor_households_change
                                FROM marts.mart_poverty WHERE unit_code = '844' AND year = 2023""")
    assert district[:3] == (1, 1, True) and district[3] is not None


def test_savings_and_infrastructure_rows_say_their_coverage(partial_db):
    con, _ = partial_db
    assert _province(con, "mart_savings", "year = 2023 AND category = 'total'") == [(1, 9, False)]
    assert _province(con, "mart_savings", "year = 2022 AND category = 'total'") == [(9, 9, True)]
    assert _province(con, "mart_infrastructure", "period = '2022-Q1'") == [(9, 9, True)]
    assert _province(con, "mart_infrastructure", "period = '2022-Q4'") == [(8, 9, False)]
    # a year is covered by a district only with all four quarters
    assert _province(con, "mart_infrastructure", "period = '2022'") == [(8, 9, False)]
    assert query(con, """SELECT units_reported, units_expected, complete, quarters_reported
                         FROM marts.mart_infrastructure WHERE unit_code = '851' AND period = '2022'""") == [
        (0, 1, False, 3)]


def test_ethnic_minority_rate_divides_figures_of_the_same_units(partial_db):
    con, _ = partial_db
    assert query(con, "SELECT status FROM marts.mart_report_submissions WHERE file_name = ?",
                 [EM_BLANK_FILE]) == [("accepted",)] * 2  # the poverty and savings sheets
    (cau_ke,) = query(con, """
        SELECT em_households, em_poor_households IS NOT NULL, em_poverty_rate_pct, em_near_poverty_rate_pct,
               em_communes_reported, communes_reported
        FROM marts.mart_poverty WHERE unit_code = '845' AND year = 2022""")
    assert cau_ke == (None, True, None, None, 0, 11)
    (province,) = query(con, """
        SELECT em_households, em_poor_households, em_poverty_rate_pct, em_near_poverty_rate_pct,
               em_communes_reported, communes_reported
        FROM marts.mart_poverty WHERE unit_code = '84' AND year = 2022""")
    (em, em_poor, em_near_poor) = query(con, """
        SELECT sum(em_households), sum(em_poor_households), sum(em_near_poor_households)
        FROM marts.mart_poverty WHERE unit_level = 'district' AND year = 2022 AND unit_code <> '845'""")[0]
    assert province[0] == em  # the DTTS households of 8 districts
    assert province[1] > em_poor  # the DTTS poor of 9 districts: not a numerator for 8 districts' households
    assert province[2] == pytest.approx(round(100.0 * em_poor / em, 2), abs=1e-9)
    assert province[3] == pytest.approx(round(100.0 * em_near_poor / em, 2), abs=1e-9)
    assert province[2] != pytest.approx(round(100.0 * province[1] / province[0], 2), abs=1e-9)
    assert province[4:] == (104 - 11, 104)


def test_summary_marks_the_incomplete_year(partial_db):
    from pipelines.cli.summary import summary_text

    _, published = partial_db
    lines = summary_text(published).splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("Province poverty"))
    assert lines[header + 1].split()[:2] == ["year", "units"]
    rows = {line.split()[0]: line for line in lines[header + 2:] if line.startswith("  20")}
    assert rows["2022"].split()[1] == "9/9"
    assert rows["2023"].split()[1] == "1/9*"
    assert len(rows["2023"].split()) == 7  # year, units, households, poor, rate, near-poor, rate: no changes
    assert any(line.strip().startswith("* incomplete") for line in lines[header + 2:])


def test_full_sample_is_complete_with_its_changes(sample_db):
    # the districts' periods, to 2024 (the year 2025 spans both lists of units: Q1-Q2 by the districts, Q3-Q4
    # by the new communes, docs/reorganisation.md)
    for table in ("mart_poverty", "mart_infrastructure", "mart_savings"):
        assert query(sample_db, f"""SELECT DISTINCT units_reported, units_expected, complete FROM marts.{table}
                                    WHERE unit_level = 'province' AND year <= 2024""") == [(9, 9, True)], table
        assert query(sample_db, f"""SELECT DISTINCT units_reported, units_expected, complete FROM marts.{table}
                                    WHERE unit_level = 'district' AND year <= 2024""") == [(1, 1, True)], table
    rows = query(sample_db, """SELECT year, poor_households_change, em_communes_reported FROM marts.mart_poverty
                               WHERE unit_code = '84' ORDER BY year""")
    assert rows == [(2021, None, 104), (2022, -4_803, 104), (2023, -1_964, 104), (2024, -1_130, 104)]
