"""Province rows aggregate districts; every rate comes from summed counts."""

import pytest

from helpers import query


def test_poverty_province_is_the_sum_of_districts(sample_db):
    rows = query(sample_db, """
        WITH d AS (SELECT year, sum(total_households) t, sum(poor_households) p, sum(near_poor_households) n,
                          sum(em_households) e, sum(em_poor_households) ep, count(*) districts
                   FROM marts.mart_poverty WHERE unit_level = 'district' GROUP BY year)
        SELECT d.year, d.districts, m.total_households = d.t, m.poor_households = d.p,
               m.near_poor_households = d.n, m.em_households = d.e, m.em_poor_households = d.ep,
               m.poverty_rate_pct = round(100.0 * d.p / d.t, 2)
        FROM d JOIN marts.mart_poverty m ON m.year = d.year AND m.unit_level = 'province' ORDER BY 1""")
    assert rows == [(y, 9, True, True, True, True, True, True) for y in (2021, 2022, 2023, 2024)]


def test_poverty_rate_is_not_an_average_of_district_rates(sample_db):
    (avg_rate, rate) = query(sample_db, """
        SELECT (SELECT round(avg(poverty_rate_pct), 2) FROM marts.mart_poverty
                WHERE unit_level = 'district' AND year = 2022),
               (SELECT poverty_rate_pct FROM marts.mart_poverty WHERE unit_code = '84' AND year = 2022)""")[0]
    assert rate == 1.88 and avg_rate != rate


def test_district_poverty_is_the_sum_of_communes(sample_db):
    rows = query(sample_db, """
        SELECT m.poor_households, r.poor FROM marts.mart_poverty m
        JOIN (SELECT district_code, year, sum(poor_households) poor FROM raw.poverty_rows
              WHERE (file_name, sheet) IN (SELECT (file_name, sheet) FROM marts.mart_report_submissions
                                           WHERE in_force)  -- not the superseded draft's rows
              GROUP BY ALL) r ON r.district_code = m.unit_code AND r.year = m.year""")
    assert len(rows) == 9 * 4 and all(a == b for a, b in rows)  # 2021-2024


def test_infrastructure_year_sums_flows_and_takes_last_quarter_stocks(sample_db):
    rows = query(sample_db, """
        SELECT y.unit_code, y.rural_road_km, q.km, y.investment_vnd, q.inv, y.ntm_communes, q4.ntm_communes,
               y.ocop_products, q4.ocop_products, y.unit_level
        FROM marts.mart_infrastructure y
        JOIN (SELECT unit_code, year, generation, sum(rural_road_km) km, sum(investment_vnd) inv
              FROM marts.mart_infrastructure WHERE period_type = 'quarter' GROUP BY ALL) q
          ON q.unit_code = y.unit_code AND q.year = y.year AND q.generation = y.generation
        JOIN marts.mart_infrastructure q4 ON q4.unit_code = y.unit_code AND q4.period = y.period || '-Q4'
                                         AND q4.generation = y.generation
        WHERE y.period_type = 'year'""")
    # 9 districts + province 84 (2022-2024, the years with a district Q4) + province 86 (2025, its Q3-Q4: the
    # year of a list counts the quarters on that list); and the communes' rows of both lists
    assert sum(1 for *_, level in rows if level != "commune") == 31
    for unit, km, q_km, inv, q_inv, ntm, q4_ntm, ocop, q4_ocop, _ in rows:
        assert km == pytest.approx(q_km) and inv == q_inv and ntm == q4_ntm and ocop == q4_ocop, unit


def test_savings_total_and_percentages(sample_db):
    rows = query(sample_db, """
        SELECT t.unit_code, t.year, t.planned_savings_vnd = s.planned, t.achieved_savings_vnd = s.achieved,
               t.achieved_pct_of_plan = round(100.0 * s.achieved / s.planned, 2)
        FROM marts.mart_savings t
        JOIN (SELECT unit_code, year, sum(planned_savings_vnd) planned, sum(achieved_savings_vnd) achieved
              FROM marts.mart_savings WHERE category <> 'total' GROUP BY ALL) s USING (unit_code, year)
        WHERE t.category = 'total'""")
    # 9 districts and province 84 (2021-2024), province 86 (2025); and the communes' own savings 2025
    assert sum(1 for r in rows if len(r[0]) <= 3) == 41 and all(r[2:] == (True, True, True) for r in rows)


def test_completeness_of_the_sample(sample_db):
    """Every district report came, one late (850_h-duyen-hai_2023-Q2.xlsx), up to the last periods of the
    districts (poverty and savings 2024, infrastructure 2024-Q1 to 2025-Q2)."""
    rows = query(sample_db, """SELECT status, period >= '2024', count(*) FROM marts.mart_reporting_completeness
                               WHERE province_code = '84' GROUP BY ALL ORDER BY ALL""")
    assert rows == [("late", False, 1), ("on_time", False, 9 * 14 - 1), ("on_time", True, 9 * 8)]
    late = query(sample_db, """SELECT family, period, district_code, days_late FROM marts.mart_reporting_completeness
                               WHERE status = 'late' AND province_code = '84'""")  # the districts' periods
    assert late == [("infrastructure", "2023-Q2", "850", 8)]
    # after 1 July 2025 the 41 new communes of the former Trà Vinh report (own or compiled reports): Xã Đông Hải's
    # 2026-Q2 came late; Xã Càng Long's poverty 2025 was compiled on time (its own later correction does not make
    # it late); two communes never sent their savings 2025
    communes = query(sample_db, """SELECT family, status, count(*) FROM marts.mart_reporting_completeness
                                   WHERE unit_level = 'commune' GROUP BY ALL ORDER BY ALL""")
    assert communes == [("infrastructure", "late", 1), ("infrastructure", "on_time", 41 * 5 - 1),
                        ("poverty", "on_time", 41), ("savings", "missing", 2), ("savings", "on_time", 39)]
    assert query(sample_db, """SELECT unit_name, period, days_late FROM marts.mart_reporting_completeness
                               WHERE unit_level = 'commune' AND status = 'late'""") == [("Xã Đông Hải", "2026-Q2", 25)]


def test_sample_statuses_a_superseded_draft_and_a_rejected_resubmission(sample_db):
    rows = query(sample_db, """SELECT status, count(*) FROM marts.mart_report_submissions
                               WHERE district_code IS NOT NULL GROUP BY ALL ORDER BY 1""")  # districts' and plans
    # 198 reports and the 3 emulation plans (84: 2022, 2023; 86: 2025, on the communes)
    assert rows == [("accepted", 201), ("rejected", 1), ("superseded", 1)]
    versions = query(sample_db, """SELECT file_name, status, superseded_by_file_name FROM marts.mart_report_submissions
                                   WHERE family = 'poverty' AND district_code = '847' AND period = '2022'
                                   ORDER BY version_number""")
    assert versions == [("847_chau-thanh_2022_du-thao.xlsx", "superseded", "847_chau-thanh_2022.xlsx"),
                        ("847_chau-thanh_2022.xlsx", "accepted", None)]
    errors = query(sample_db, """SELECT file_name, row_number, column_name, rule FROM marts.mart_report_issues
                                 WHERE severity = 'error' AND district_code IS NOT NULL""")  # the districts'
    assert errors == [("849_tra-cu_2023_sua.xlsx", 10, "Số hộ nghèo", "poor_exceeds_total")]
    in_force = query(sample_db, """SELECT file_name FROM marts.mart_report_submissions
                                   WHERE family = 'poverty' AND district_code = '849' AND period = '2023' AND in_force""")
    assert in_force == [("849_tra-cu_2023.xlsx",)]


def test_lineage_columns_on_every_row(sample_db):
    (missing,) = query(sample_db, """SELECT count(*) FROM raw.poverty_rows WHERE file_name IS NULL
                                     OR sheet IS NULL OR row_number IS NULL OR sha256 IS NULL OR received_at IS NULL""")[0]
    assert missing == 0


def test_dim_admin_unit_has_the_province_units(sample_db):
    rows = dict(query(sample_db, """SELECT unit_level, count(*) FROM marts.dim_admin_unit
        WHERE unit_code = '84' OR parent_code = '84'
           OR parent_code IN (SELECT unit_code FROM marts.dim_admin_unit WHERE parent_code = '84') GROUP BY 1"""))
    assert rows == {"province": 1, "district": 9, "commune": 104}
