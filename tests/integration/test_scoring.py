"""Issue 13 item 2 end to end: the sample plus a 2023 emulation plan. The scoring marts (mart_emulation_scores,
mart_emulation_ranking, mart_integrity_flags) hold that plan's rows; one unit's points are recomputed here from
the indicator marts with the spec's formula (emulation-scoring.md, "Scoring"); the ranking, the proposals and the
static site follow."""

import datetime as dt
import shutil

import pytest

from helpers import SAMPLE_INBOX, query, refreshed
from plan_workbooks import plan_file

INFO = {"Đơn vị": "Tỉnh Trà Vinh", "Kỳ báo cáo": "Năm 2023", "Ngày lập": "15/01/2023"}
CLUSTERS = [["KẾ HOẠCH THI ĐUA NĂM 2023"], [], ["STT", "Cụm thi đua", "Đơn vị", "Mã đơn vị"],
            [1, "Cụm 1", "Thành phố Trà Vinh", "842"], [2, "Cụm 1", "Thị xã Duyên Hải", "851"]] + [
    [3 + i, "Cụm 2", None, str(code)] for i, code in enumerate(range(844, 851))]
CRITERIA = [["STT", "Mã tiêu chí", "Tiêu chí", "Chỉ số", "Điểm tối đa", "Điểm thưởng tối đa"],
            [1, "TC1", "Giảm tỷ lệ hộ nghèo", "poverty_rate_reduction_pp", 40, 4],
            [2, "TC2", "Xã nông thôn mới", "ntm_communes_new", 30, None],
            [3, "TC3", "Thực hành tiết kiệm", "savings_achieved_pct_of_plan", 20, 2],
            [4, "TC4", "Báo cáo đúng hạn", "reporting_on_time_pct", 10, None]]
# the targets: (TC1, TC2, TC3, TC4); None = not applicable (NTM for the city); TC2 = 0 holds the line
TARGETS = {"842": ("0,1", None, 95, 100), "851": ("0,4", 1, 95, 100)} | {
    str(code): ("0,7", 0, 95, 100) for code in range(844, 851)}
PLAN = {"TC1": ("poverty_rate_reduction_pp", 40, 4), "TC2": ("ntm_communes_new", 30, 0),
        "TC3": ("savings_achieved_pct_of_plan", 20, 2), "TC4": ("reporting_on_time_pct", 10, 0)}
VERIFIED = [["Đơn vị", "Mã đơn vị", "Mã dấu hiệu", "Ghi chú"], [None, "846", "households_jump", "Đã xác minh"]]


def _number(text) -> float:
    return float(str(text).replace(",", "."))


@pytest.fixture(scope="module")
def scoring(tmp_path_factory):
    root = tmp_path_factory.mktemp("scoring")
    inbox = root / "inbox"
    # the sample's own plans (seeds/make_plans.py) are left out: this test is about the plan below
    shutil.copytree(SAMPLE_INBOX, inbox, ignore=shutil.ignore_patterns("*_ke-hoach-thi-dua_*"))
    targets = [["Đơn vị", "Mã đơn vị", "TC1", "TC2", "TC3", "TC4"]] + [
        [None, code, *values] for code, values in TARGETS.items()]
    plan_file(inbox, "ke_hoach_thi_dua_2023.xlsx", info=INFO, clusters=CLUSTERS, criteria=CRITERIA,
              targets=targets, verified=VERIFIED)
    published = root / "emulation.duckdb"
    with refreshed(inbox, published) as con:
        yield con, published, root


def test_the_marts_hold_the_plan_rows(scoring):
    con, _, _ = scoring
    assert query(con, "SELECT count(*), count(DISTINCT unit_code), min(year), max(year) "
                      "FROM marts.mart_emulation_scores") == [(9 * 4, 9, 2023, 2023)]
    assert query(con, "SELECT cluster, count(*) FROM marts.mart_emulation_ranking GROUP BY 1 ORDER BY 1") == [
        ("Cụm 1", 2), ("Cụm 2", 7)]
    # the city's NTM criterion does not apply: out of its score and its maximum
    assert query(con, """SELECT target, max_points, points FROM marts.mart_emulation_scores
                         WHERE unit_code = '842' AND criterion_code = 'TC2'""") == [(None, None, None)]
    assert query(con, "SELECT max_points FROM marts.mart_emulation_ranking WHERE unit_code = '842'") == [(70,)]
    # every applicable score explains itself and cites the reports in force it was computed from
    for explanation, evidence in query(con, """SELECT explanation_vi, evidence FROM marts.mart_emulation_scores
                                               WHERE target IS NOT NULL"""):
        assert explanation.endswith("điểm.") or "điểm, thưởng" in explanation, explanation
        assert evidence.startswith("[{") and ".xlsx" in evidence
    # the sample has no integrity flag; the flags mart exists with the spec's columns
    columns = [r[0] for r in query(con, """SELECT column_name FROM information_schema.columns
                                           WHERE table_schema = 'marts' AND table_name = 'mart_integrity_flags'
                                           ORDER BY ordinal_position""")]
    assert columns == ["year", "unit_code", "commune_code", "flag", "detail_vi", "file_name", "sheet",
                       "row_number", "cleared", "cleared_note"]


def _actuals(con, unit: str, year: int) -> dict[str, float]:
    """The four indicators of the plan for `unit`, recomputed from the indicator marts (unrounded)."""
    def rate(y):
        ((poor, total),) = query(con, "SELECT poor_households, total_households FROM marts.mart_poverty "
                                      "WHERE unit_code = ? AND year = ?", [unit, y])
        return 100.0 * poor / total

    def ntm(y):
        return query(con, "SELECT ntm_communes FROM marts.mart_infrastructure WHERE unit_code = ? AND year = ? "
                          "AND period_type = 'year'", [unit, y])[0][0]

    ((achieved, planned),) = query(con, """SELECT achieved_savings_vnd, planned_savings_vnd FROM marts.mart_savings
                                           WHERE unit_code = ? AND year = ? AND category = 'total'""", [unit, year])
    statuses = [s for s, due in query(con, """SELECT status, due_date FROM marts.mart_reporting_completeness
                                              WHERE district_code = ? AND left(period, 4) = ?""", [unit, str(year)])
                if s != "missing" or due < dt.date.today()]
    return {"poverty_rate_reduction_pp": rate(year - 1) - rate(year),
            "ntm_communes_new": ntm(year) - ntm(year - 1),
            "savings_achieved_pct_of_plan": 100.0 * float(achieved) / float(planned),
            "reporting_on_time_pct": 100.0 * statuses.count("on_time") / len(statuses),
            "_late": statuses.count("late"), "_missing": statuses.count("missing")}


@pytest.mark.parametrize("unit", ["850", "842", "846"])
def test_one_unit_recomputed_by_hand(scoring, unit):
    con, _, _ = scoring
    actual = _actuals(con, unit, 2023)
    points = bonus = maximum = 0.0
    for i, (code, (indicator, max_points, max_bonus)) in enumerate(PLAN.items()):
        target = TARGETS[unit][i]
        if target is None:
            continue
        t, a = _number(target), actual[indicator]
        r = a / t if t > 0 else (1.0 if a >= t else 0.0)
        p, b = max_points * min(max(r, 0.0), 1.0), min(max_bonus, max_points * max(r - 1.0, 0.0))
        ((m_actual, m_points, m_bonus),) = query(con, """SELECT actual, points, bonus_points
                                                          FROM marts.mart_emulation_scores
                                                          WHERE unit_code = ? AND criterion_code = ?""", [unit, code])
        assert m_actual == pytest.approx(a) and m_points == pytest.approx(p) and m_bonus == pytest.approx(b), code
        points, bonus, maximum = points + p, bonus + b, maximum + max_points
    penalty = actual["_late"] * 1 + actual["_missing"] * 5  # the default Tham số
    total = points + bonus - penalty
    ((m_points, m_bonus, m_penalty, m_total, m_max, m_pct, m_late),) = query(
        con, """SELECT points, bonus_points, penalty_points, total_points, max_points, score_pct, late_reports
                FROM marts.mart_emulation_ranking WHERE unit_code = ? AND year = 2023""", [unit])
    assert (m_points, m_bonus, m_penalty, m_total, m_max, m_pct) == pytest.approx(
        (points, bonus, penalty, total, maximum, 100.0 * total / maximum))
    assert m_late == actual["_late"]
    if unit == "850":  # the sample's late report (850_h-duyen-hai_2023-Q2.xlsx) costs a point
        assert (m_late, m_penalty) == (1, 1)


def test_ranking_order_and_proposals(scoring):
    con, _, _ = scoring
    rows = query(con, """SELECT cluster, unit_code, total_points, score_pct, classification, rank_in_cluster,
                                proposed_commendation, eligible
                         FROM marts.mart_emulation_ranking ORDER BY cluster, rank_in_cluster, unit_code""")
    classes = [(90, "Hoàn thành xuất sắc nhiệm vụ"), (75, "Hoàn thành tốt nhiệm vụ"), (50, "Hoàn thành nhiệm vụ"),
               (float("-inf"), "Không hoàn thành nhiệm vụ")]
    for cluster in ("Cụm 1", "Cụm 2"):
        ranked = [r for r in rows if r[0] == cluster]
        totals = [r[2] for r in ranked]
        assert totals == sorted(totals, reverse=True)
        assert [r[5] for r in ranked] == list(range(1, len(ranked) + 1))  # no exact ties in this sample
        for r in ranked:
            assert r[4] == next(name for floor, name in classes if r[3] >= floor)
        # Cờ thi đua: the first eligible "xuất sắc"; Bằng khen: the next two at least "tốt"
        expected_flag = [r[1] for r in ranked if r[4] == classes[0][1] and r[7]][:1]
        expected_merit = [r[1] for r in ranked if r[3] >= 75 and r[1] not in expected_flag][:2]
        assert [r[1] for r in ranked if r[6] == "Cờ thi đua"] == expected_flag
        assert [r[1] for r in ranked if r[6] == "Bằng khen"] == expected_merit
    proposals = {r[1]: r[6] for r in rows if r[6]}
    assert proposals == {"842": "Cờ thi đua", "848": "Cờ thi đua", "849": "Bằng khen", "845": "Bằng khen"}


def test_the_site_builds_from_the_scoring_marts(scoring):
    from pipelines.site.build import build_site

    _, published, root = scoring
    index = build_site(published, root / "site")
    assert index.is_file()
    html = index.read_text()
    assert "Cụm 2" in html


# ---------------------------------------------------------------------------------------------- the sample's plans

def test_the_planted_case_is_flagged_and_passes_its_unit_over_for_the_flag(sample_db):
    """seeds/make_plans.py and seeds/make_sample.py: Xã Nhị Long (29302, Càng Long) moved 11 poor households to
    near-poor in 2023; Càng Long ranks first in Cụm 2 but the Cờ thi đua goes to the next eligible unit."""
    assert query(sample_db, """SELECT year, unit_code, commune_code, flag, cleared, file_name
                               FROM marts.mart_integrity_flags""") == [
        (2023, "844", "29302", "poor_moved_to_near_poor", False, "844_cang-long_2023.xlsx")]
    ranking = {unit: (rank, proposal, eligible) for unit, rank, proposal, eligible in query(
        sample_db, """SELECT unit_code, rank_in_cluster, proposed_commendation, eligible
                      FROM marts.mart_emulation_ranking WHERE year = 2023 AND cluster = 'Cụm 2'""")}
    assert ranking["844"] == (1, "Bằng khen", False)
    assert ranking["847"] == (2, "Cờ thi đua", True)
    # 2022: Cầu Kè and Tiểu Cần tie on every criterion and share the rank
    tied = query(sample_db, """SELECT unit_code, rank_in_cluster, total_points FROM marts.mart_emulation_ranking
                               WHERE year = 2022 AND unit_code IN ('845', '846') ORDER BY unit_code""")
    assert tied[0][1:] == tied[1][1:] and tied[0][1] == 2


def test_clearing_the_flag_in_the_plan_lets_the_unit_have_the_flag(tmp_path):
    """The council checks the case and clears it in a later version of the 2023 plan (sheet Đã xác minh)."""
    import openpyxl

    inbox = tmp_path / "inbox"
    shutil.copytree(SAMPLE_INBOX, inbox)
    book = openpyxl.load_workbook(inbox / "84_ke-hoach-thi-dua_2023.xlsx")
    book["Thông tin"]["B4"] = dt.datetime(2023, 2, 1)
    book["Đã xác minh"].append(["Huyện Càng Long", "844", "poor_moved_to_near_poor", "Đã xác minh tại xã"])
    book.save(inbox / "84_ke-hoach-thi-dua_2023_bo-sung.xlsx")
    with refreshed(inbox, tmp_path / "emulation.duckdb") as con:
        assert query(con, "SELECT cleared, cleared_note FROM marts.mart_integrity_flags") == [
            (True, "Đã xác minh tại xã")]
        assert query(con, """SELECT rank_in_cluster, proposed_commendation, eligible FROM marts.mart_emulation_ranking
                             WHERE year = 2023 AND unit_code = '844'""") == [(1, "Cờ thi đua", True)]
