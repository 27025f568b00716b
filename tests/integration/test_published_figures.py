"""Every figure `published-figures.md` asserts, reproduced from the embedded sample's district reports."""

import pytest

from helpers import query

# year, poor households, poverty rate %, near-poor households (None: not published), near-poverty rate %
POVERTY = [
    (2021, 10_207, 3.56, None, None),
    (2022, 5_404, 1.88, 10_905, 3.80),
    (2023, 3_440, 1.20, 6_800, 2.36),
]


@pytest.mark.parametrize("year, poor, rate, near_poor, near_rate", POVERTY)
def test_province_poverty(sample_db, year, poor, rate, near_poor, near_rate):
    (row,) = query(sample_db, """
        SELECT poor_households, poverty_rate_pct, near_poor_households, near_poverty_rate_pct, unit_name
        FROM marts.mart_poverty WHERE unit_code = '84' AND year = ? AND unit_level = 'province'""", [year])
    assert row[0] == poor
    assert row[1] == pytest.approx(rate, abs=1e-9)
    if near_poor is not None:
        assert row[2] == near_poor
        assert row[3] == pytest.approx(near_rate, abs=1e-9)


def test_province_change_2021_to_2022(sample_db):
    (row,) = query(sample_db, """
        SELECT poor_households_change, poverty_rate_change_pp, em_poor_households_change,
               em_poverty_rate_change_pp
        FROM marts.mart_poverty WHERE unit_code = '84' AND year = 2022""")
    assert row[0] == -4_803
    assert row[1] == pytest.approx(-1.68, abs=1e-9)
    assert row[2] == -3_240
    assert row[3] == pytest.approx(-3.50, abs=1e-9)


def test_first_year_has_no_change(sample_db):
    (row,) = query(sample_db, """SELECT poor_households_change, poverty_rate_change_pp
                                 FROM marts.mart_poverty WHERE unit_code = '84' AND year = 2021""")
    assert row == (None, None)


def test_ethnic_minority_households_about_92500(sample_db):
    (em,) = query(sample_db, "SELECT em_households FROM marts.mart_poverty WHERE unit_code = '84' AND year = 2022")[0]
    assert 92_000 <= em <= 93_000


@pytest.mark.parametrize("period, ntm, advanced, model", [("2022-Q4", 85, 35, None), ("2023-Q4", 85, 40, 4),
                                                            ("2022", 85, 35, None), ("2023", 85, 40, 4)])
def test_province_new_rural_standard(sample_db, period, ntm, advanced, model):
    (row,) = query(sample_db, """
        SELECT ntm_communes, ntm_advanced_communes, ntm_model_communes, communes_total, ntm_share_pct
        FROM marts.mart_infrastructure WHERE unit_code = '84' AND period = ?""", [period])
    assert row[0] == ntm
    assert row[1] == advanced
    if model is not None:
        assert row[2] == model
    assert row[3] == 85
    assert row[4] == pytest.approx(100.0)


def test_advanced_share_end_2022_is_41_18_pct(sample_db):
    (row,) = query(sample_db, """SELECT round(100.0 * ntm_advanced_communes / communes_total, 2)
                                 FROM marts.mart_infrastructure WHERE unit_code = '84' AND period = '2022-Q4'""")
    assert row[0] == pytest.approx(41.18)


def test_april_2022_82_of_85(sample_db):
    (row,) = query(sample_db, """SELECT ntm_communes FROM marts.mart_infrastructure
                                 WHERE unit_code = '84' AND period = '2022-Q1'""")
    assert row[0] == 82
