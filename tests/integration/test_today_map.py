"""One time series on today's map: the *_2025_units marts on the units of 2025-07-01 (docs/reorganisation.md)."""

from helpers import query


def test_new_communes_are_the_sums_of_their_old_communes(sample_db):
    # 2023 poor households (Số hộ nghèo) of three new communes of the former Trà Vinh, from the sample workbooks
    # (seeds/reports/*_2023.xlsx, sheet Giảm nghèo) and seeds/reference/commune_crosswalk_2025-07-01.csv (all full):
    expected = {
        # Xã Châu Thành = Thị trấn Châu Thành 51 + Xã Đa Lộc 44 + Xã Mỹ Chánh 42 + Xã Thanh Mỹ 55 (847_chau-thanh_2023)
        "29374": 51 + 44 + 42 + 55,  # 192
        # Xã Càng Long = Thị trấn Càng Long 18 + Xã Mỹ Cẩm 19 + Xã Nhị Long Phú 18 (844_cang-long_2023)
        "29266": 18 + 19 + 18,  # 55
        # Phường Trà Vinh = Phường 1 5 + Phường 3 7 + Phường 9 9 (842_tp-tra-vinh_2023)
        "29242": 5 + 7 + 9,  # 21
    }
    rows = query(sample_db, """
        SELECT unit_code, poor_households, unit_level, coverage_pct, approximate FROM marts.mart_poverty_2025_units
        WHERE year = 2023 AND unit_code IN ('29374', '29266', '29242') ORDER BY unit_code""")
    assert rows == [(code, expected[code], "commune", 100.0, False) for code in sorted(expected)]
    assert [r[1] for r in rows] == [21, 55, 192]
    # the households too, and the rate is recomputed from them: Phường Trà Vinh 2943 + 4949 + 4612
    ((total, rate),) = query(sample_db, """SELECT total_households, poverty_rate_pct FROM marts.mart_poverty_2025_units
                                           WHERE year = 2023 AND unit_code = '29242'""")
    assert total == 2943 + 4949 + 4612 and rate == round(100 * 21 / 12504, 2)


def test_new_province_covers_the_former_tra_vinh_only(sample_db):
    # Tỉnh Vĩnh Long (86) before the change holds only Trà Vinh's reports: 41 of its 124 communes
    assert round(100 * 41 / 124, 2) == 33.06
    for table, where in [("mart_poverty_2025_units", "year = 2023"),
                         ("mart_infrastructure_2025_units", "period IN ('2023', '2023-Q4')"),
                         ("mart_savings_2025_units", "year = 2023 AND category = 'total'")]:
        rows = query(sample_db, f"""SELECT coverage_pct, complete, approximate FROM marts.{table}
                                    WHERE unit_code = '86' AND unit_level = 'province' AND {where}""")
        assert rows and all(r == (33.06, False, False) for r in rows), table
    # whole old communes: the new province's figures are the old province's
    ((poor_today, poor_then),) = query(sample_db, """
        SELECT (SELECT poor_households FROM marts.mart_poverty_2025_units WHERE year = 2023 AND unit_code = '86'),
               (SELECT poor_households FROM marts.mart_poverty WHERE year = 2023 AND unit_code = '84')""")
    assert poor_today == poor_then == 3440
    # an incomplete province has no changes
    assert query(sample_db, """SELECT count(poor_households_change) FROM marts.mart_poverty_2025_units
                               WHERE unit_code = '86'""") == [(0,)]


def test_today_map_has_41_communes_and_no_commune_savings_before_the_change(sample_db):
    assert query(sample_db, """SELECT count(*) FROM marts.mart_poverty_2025_units
                               WHERE year = 2023 AND unit_level = 'commune'""") == [(41,)]
    assert query(sample_db, """SELECT count(*) FROM marts.mart_savings_2025_units
                               WHERE unit_level = 'commune' AND year < 2025""") == [(0,)]


def test_each_new_commune_reads_as_one_series_through_the_change(sample_db):
    """Issue "done when": each of the 41 new communes of the former Trà Vinh has poverty 2021-2025 and
    infrastructure every quarter 2022-Q1 to 2026-Q3 on today's map, fully covered, exact (no split commune)."""
    poverty = query(sample_db, """SELECT unit_code, list(year ORDER BY year), bool_and(coverage_pct = 100),
                                         bool_or(approximate), count(poor_households)
                                  FROM marts.mart_poverty_2025_units WHERE unit_level = 'commune'
                                  GROUP BY unit_code""")
    assert len(poverty) == 41
    assert all(years == [2021, 2022, 2023, 2024, 2025] and covered and not approx and n == 5
               for _, years, covered, approx, n in poverty)
    quarters = [f"{y}-Q{q}" for y in range(2022, 2027) for q in range(1, 5)][:-1]  # to 2026-Q3
    infrastructure = query(sample_db, """SELECT unit_code, list(period ORDER BY period), bool_and(coverage_pct = 100),
                                                count(rural_road_km)
                                         FROM marts.mart_infrastructure_2025_units
                                         WHERE unit_level = 'commune' AND period_type = 'quarter'
                                         GROUP BY unit_code""")
    assert len(infrastructure) == 41
    assert all(periods == quarters and covered and n == len(quarters) for _, periods, covered, n in infrastructure)
    # across the change the poor households keep falling in the province's communes taken together
    series = query(sample_db, """SELECT year, poor_households FROM marts.mart_poverty_2025_units
                                 WHERE unit_code = '86' ORDER BY year""")
    assert [p for _, p in series] == [10207, 5404, 3440, 2310, 1520]
