"""The scoreboard from 2025, on the new communes (spec emulation-scoring.md: "for 2025 and later, the communes
after the 1 July 2025 reorganisation"): a 2025 plan of Tỉnh Vĩnh Long over a small inbox (tests/scoring_2025_inbox.py)
is scored from the marts on today's map; Xã Nhị Long's score is recomputed here by hand from the workbooks' figures."""

import json

import pytest

from helpers import query, refreshed
from scoring_2025_inbox import NHI_LONG_2025, NHI_LONG_OLD, NHI_LONG_SAVINGS, write_inbox


@pytest.fixture(scope="module")
def scoring_2025(tmp_path_factory):
    root = tmp_path_factory.mktemp("scoring_2025")
    published = root / "emulation.duckdb"
    with refreshed(write_inbox(root / "inbox"), published) as con:
        yield con, root


def test_the_2025_plan_ranks_the_41_communes(scoring_2025):
    con, _ = scoring_2025
    assert query(con, "SELECT cluster, count(*) FROM marts.mart_emulation_ranking WHERE year = 2025 "
                      "GROUP BY 1 ORDER BY 1") == [("Cụm 1", 6), ("Cụm 2", 35)]
    assert query(con, "SELECT unit_name FROM marts.mart_emulation_ranking WHERE unit_code = '29302'") == [
        ("Xã Nhị Long",)]
    assert query(con, "SELECT count(*) FROM marts.mart_emulation_scores WHERE year = 2025") == [(41 * 3,)]


def test_a_new_communes_score_by_hand(scoring_2025):
    con, _ = scoring_2025
    # TC1 poverty_rate_reduction_pp (40 points, bonus 4, target 0,8): 2024 on today's map is the sum of the old
    # communes Xã Nhị Long took in whole (Càng Long's 2024 review), 2025 its own review
    total_2024 = sum(v[0] for v in NHI_LONG_OLD.values())  # 3000
    poor_2024 = sum(v[1] for v in NHI_LONG_OLD.values())  # 80
    reduction = 100 * poor_2024 / total_2024 - 100 * NHI_LONG_2025[1] / NHI_LONG_2025[0]  # 2,667 - 1,311 = 1,355
    tc1, tc1_bonus = 40 * min(reduction / 0.8, 1), min(4, 40 * max(reduction / 0.8 - 1, 0))
    assert (round(reduction, 4), tc1, tc1_bonus) == (1.3552, 40, 4)
    # TC2 savings_achieved_pct_of_plan (30, bonus 3, target 100): achieved ÷ planned of its own report
    savings = 100 * sum(r[3] for r in NHI_LONG_SAVINGS) / sum(r[2] for r in NHI_LONG_SAVINGS)  # 187 / 200
    tc2 = 30 * min(savings / 100, 1)
    assert (savings, round(tc2, 2)) == (93.5, 28.05)
    # TC3 reporting_on_time_pct (10, target 100): of its 4 reports of 2025 due by now (poverty, savings,
    # infrastructure 2025-Q3 and Q4), 2 on time and the two quarters missing: 50 %, 5 points; penalties 2 × 5
    tc3, penalties = 10 * 0.5, 2 * 5
    total = tc1 + tc2 + tc3 + tc1_bonus - penalties
    assert round(total, 2) == 67.05
    ((points, bonus, penalty, got_total, max_points, pct, cls, rank, proposal, late, missing),) = query(con, """
        SELECT points, bonus_points, penalty_points, total_points, max_points, score_pct, classification,
               rank_in_cluster, proposed_commendation, late_reports, missing_reports
        FROM marts.mart_emulation_ranking WHERE year = 2025 AND unit_code = '29302'""")
    assert (round(points, 6), round(bonus, 6), penalty, round(got_total, 6), max_points) == (
        round(tc1 + tc2 + tc3, 6), 4, penalties, round(total, 6), 80)
    assert (round(pct, 4), cls, rank, proposal, late, missing) == (
        round(100 * total / 80, 4), "Hoàn thành tốt nhiệm vụ", 1, "Bằng khen", 0, 2)
    scores = dict(query(con, """SELECT criterion_code, actual FROM marts.mart_emulation_scores
                                WHERE year = 2025 AND unit_code = '29302'"""))
    assert scores["TC1"] == pytest.approx(reduction, abs=1e-9) and scores["TC2"] == pytest.approx(93.5)
    assert scores["TC3"] == 50


def test_evidence_names_the_rows_of_both_generations(scoring_2025):
    con, _ = scoring_2025
    ((evidence,),) = query(con, """SELECT evidence FROM marts.mart_emulation_scores
                                   WHERE year = 2025 AND unit_code = '29302' AND criterion_code = 'TC1'""")
    rows = [(e["file_name"], e["period"], e["row_number"]) for e in json.loads(evidence)]
    # Càng Long's 2024 rows of Đại Phước, Nhị Long, Đức Mỹ (data from row 5, CANG_LONG_COMMUNES order: 11th, 13th, 14th), and
    # the commune's own 2025 row
    assert rows == [("844_cang-long_2024.xlsx", "2024", 5 + 10), ("844_cang-long_2024.xlsx", "2024", 5 + 12),
                    ("844_cang-long_2024.xlsx", "2024", 5 + 13), ("29302_nhi-long_2025.xlsx", "2025", 5)]


def test_a_commune_without_its_previous_year_says_why(scoring_2025):
    con, _ = scoring_2025
    # Phường Trà Vinh: no 2024 review of its old communes (Thành phố Trà Vinh did not report) -> TC1 scores 0;
    # its poverty review came late (Ngày lập 20/01/2026, due 15/01/2026)
    ((actual, points, explanation),) = query(con, """
        SELECT actual, points, explanation_vi FROM marts.mart_emulation_scores
        WHERE year = 2025 AND unit_code = '29242' AND criterion_code = 'TC1'""")
    assert (actual, points) == (None, 0) and "năm trước (2024)" in explanation
    assert query(con, """SELECT late_reports, missing_reports, penalty_points FROM marts.mart_emulation_ranking
                         WHERE year = 2025 AND unit_code = '29242'""") == [(1, 2, 11)]


def test_the_site_shows_a_commune_and_links_its_report_rows(scoring_2025):
    from pipelines.site.fmt import report_anchor, unit_page

    _, root = scoring_2025
    site = root / "site"
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "Xã Nhị Long" in index and f'href="{unit_page("29302", 2025)}"' in index
    page = (site / unit_page("29302", 2025)).read_text(encoding="utf-8")
    assert "Xã Nhị Long — năm 2025" in page and "Mã đơn vị 29302" in page and "Bằng khen" in page
    for file_name in ("844_cang-long_2024.xlsx", "29302_nhi-long_2025.xlsx", "29302_nhi-long_tiet-kiem_2025.xlsx"):
        sheet = "Tiết kiệm" if "tiet-kiem" in file_name else "Giảm nghèo"
        assert f'href="bao-cao.html#{report_anchor(file_name, sheet)}"' in page, file_name
    reports = (site / "bao-cao.html").read_text(encoding="utf-8")
    anchor = report_anchor("29302_nhi-long_2025.xlsx", "Giảm nghèo")
    row = reports[reports.index(f'id="{anchor}"'):].split("</tr>")[0]
    assert "<td>Xã Nhị Long</td>" in row


def test_the_samples_2025_plan(sample_db):
    # seeds/make_plans.py: Tỉnh Vĩnh Long's plan on its 41 communes of the former Trà Vinh (docs/emulation-plan.md)
    assert query(sample_db, """SELECT cluster, count(*), count(proposed_commendation) FROM marts.mart_emulation_ranking
                               WHERE year = 2025 GROUP BY 1 ORDER BY 1""") == [("Cụm 1", 6, 3), ("Cụm 2", 35, 3)]
    top = query(sample_db, """SELECT cluster, unit_name, proposed_commendation FROM marts.mart_emulation_ranking
                              WHERE year = 2025 AND rank_in_cluster = 1 ORDER BY 1""")
    assert top == [("Cụm 1", "Phường Trà Vinh", "Cờ thi đua"), ("Cụm 2", "Xã Lưu Nghiệp Anh", "Cờ thi đua")]
    # the two communes that have not sent their savings 2025: 5 points off, not eligible, last of Cụm 2
    last = query(sample_db, """SELECT unit_name, missing_reports, penalty_points, eligible FROM marts.mart_emulation_ranking
                               WHERE year = 2025 AND cluster = 'Cụm 2' ORDER BY rank_in_cluster DESC LIMIT 2""")
    assert last == [("Xã Long Vĩnh", 1, 5, False), ("Xã Hòa Minh", 1, 5, False)]
    # every criterion of every commune has an actual but the two missing savings
    assert query(sample_db, """SELECT count(*) FROM marts.mart_emulation_scores
                               WHERE year = 2025 AND target IS NOT NULL AND actual IS NULL""") == [(2,)]
