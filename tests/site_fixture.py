"""A small published warehouse for the scoreboard's tests: the marts the site reads, filled by hand.

Two years ranked (2022, 2023) and one with a rejected plan (2024); two clusters; five districts of Trà Vinh; in
2023 a shared rank (Cầu Kè and Tiểu Cần: same points on every criterion), a criterion that does not apply to the
city, one flag cleared and two not. Points are consistent: total = points + bonus − penalty."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

CRITERIA = {  # code: (name, indicator, max_points)
    "TC1": ("Giảm tỷ lệ hộ nghèo", "poverty_rate_reduction_pp", 10.0),
    "TC2": ("Xã đạt chuẩn nông thôn mới tăng thêm", "ntm_communes_new", 10.0),
    "TC3": ("Nộp báo cáo đúng hạn", "reporting_on_time_pct", 5.0),
}
NAMES = {"844": "Huyện Càng Long", "845": "Huyện Cầu Kè", "846": "Huyện Tiểu Cần", "842": "Thành phố Trà Vinh",
         "851": "Thị xã Duyên Hải"}
CLUSTERS = {"844": "Cụm 1", "845": "Cụm 1", "846": "Cụm 1", "842": "Cụm 2", "851": "Cụm 2"}

# (year, unit): {criterion: (actual, target, achievement_pct, points, bonus)}; None target: does not apply
SCORES = {
    (2023, "844"): {"TC1": (1.68, 1.5, 112.0, 10.0, 1.2), "TC2": (2, 2, 100.0, 10.0, 0.0),
                    "TC3": (100, 100, 100.0, 5.0, 0.0)},
    (2023, "845"): {"TC1": (1.2, 1.5, 80.0, 8.0, 0.0), "TC2": (2, 2, 100.0, 10.0, 0.0),
                    "TC3": (90, 100, 90.0, 4.5, 0.0)},
    (2023, "846"): {"TC1": (1.2, 1.5, 80.0, 8.0, 0.0), "TC2": (2, 2, 100.0, 10.0, 0.0),
                    "TC3": (90, 100, 90.0, 4.5, 0.0)},
    (2023, "842"): {"TC1": (0.5, 0.4, 125.0, 10.0, 2.0), "TC2": (None, None, None, None, None),
                    "TC3": (100, 100, 100.0, 5.0, 0.0)},
    (2023, "851"): {"TC1": (0.9, 1.0, 90.0, 9.0, 0.0), "TC2": (1, 2, 50.0, 5.0, 0.0),
                    "TC3": (60, 100, 60.0, 3.0, 0.0)},
    (2022, "844"): {"TC1": (1.1, 1.5, 73.33, 7.33, 0.0), "TC2": (1, 2, 50.0, 5.0, 0.0),
                    "TC3": (100, 100, 100.0, 5.0, 0.0)},
    (2022, "845"): {"TC1": (1.6, 1.5, 106.67, 10.0, 0.67), "TC2": (3, 2, 150.0, 10.0, 0.0),
                    "TC3": (100, 100, 100.0, 5.0, 0.0)},
    (2022, "846"): {"TC1": (1.5, 1.5, 100.0, 10.0, 0.0), "TC2": (2, 2, 100.0, 10.0, 0.0),
                    "TC3": (80, 100, 80.0, 4.0, 0.0)},
    (2022, "842"): {"TC1": (0.3, 0.4, 75.0, 7.5, 0.0), "TC2": (None, None, None, None, None),
                    "TC3": (100, 100, 100.0, 5.0, 0.0)},
    (2022, "851"): {"TC1": (1.2, 1.0, 120.0, 10.0, 2.0), "TC2": (2, 2, 100.0, 10.0, 0.0),
                    "TC3": (100, 100, 100.0, 5.0, 0.0)},
}
# (year, unit): (rank, classification, commendation, eligible, reason, open_flags, late, missing)
RANKS = {
    (2023, "844"): (1, "Hoàn thành xuất sắc nhiệm vụ", "Cờ thi đua", True, None, 0, 0, 0),
    (2023, "845"): (2, "Hoàn thành tốt nhiệm vụ", "Bằng khen", True, None, 1, 1, 0),
    (2023, "846"): (2, "Hoàn thành tốt nhiệm vụ", "Bằng khen", True, None, 0, 1, 0),
    (2023, "842"): (1, "Hoàn thành xuất sắc nhiệm vụ", "Bằng khen", False,
                    "Còn 1 dấu hiệu bất thường chưa xác minh", 1, 0, 0),
    (2023, "851"): (2, "Không hoàn thành nhiệm vụ", None, False, "Còn 1 báo cáo không nộp", 0, 0, 1),
    (2022, "844"): (3, "Hoàn thành tốt nhiệm vụ", None, True, None, 0, 0, 0),
    (2022, "845"): (1, "Hoàn thành xuất sắc nhiệm vụ", "Cờ thi đua", True, None, 0, 0, 0),
    (2022, "846"): (2, "Hoàn thành xuất sắc nhiệm vụ", "Bằng khen", True, None, 0, 0, 0),
    (2022, "842"): (2, "Hoàn thành xuất sắc nhiệm vụ", "Bằng khen", True, None, 0, 0, 0),
    (2022, "851"): (1, "Hoàn thành xuất sắc nhiệm vụ", "Cờ thi đua", True, None, 0, 0, 0),
}
LATE_POINTS, MISSING_POINTS = 1.0, 5.0

FLAGS = [  # year, unit, commune, flag, detail, file, sheet, row, cleared, note
    (2023, "844", "29251", "households_jump", "Xã An Trường: tổng số hộ tăng 14,2 % so với năm 2022 "
     "(2.310 → 2.638 hộ)", "2023/844_giam_ngheo_2023.xlsx", "Giảm nghèo", 7, True,
     "Đã xác minh: nhập ấp Tân Lập từ xã bên cạnh"),
    (2023, "845", "29317", "poor_moved_to_near_poor", "Xã Hòa Ân: hộ nghèo giảm 42, hộ cận nghèo tăng 39",
     "2023/845_giam_ngheo_2023.xlsx", "Giảm nghèo", 9, False, None),
    (2023, "842", "28837", "stock_decreased", "Sản phẩm OCOP giảm từ 12 xuống 11",
     "2023/842_ha_tang_2023_Q4.xlsx", "Hạ tầng NTM", None, False, None),
]

POVERTY = {  # unit: {year: poverty rate %}
    "844": {2021: 4.12, 2022: 3.01, 2023: 1.33}, "845": {2021: 5.2, 2022: 3.6, 2023: 2.4},
    "846": {2021: 4.9, 2022: 3.4, 2023: 2.2}, "842": {2021: 1.1, 2022: 0.8, 2023: 0.3},
    "851": {2022: 2.5, 2023: 1.6},
}
INFRA = {  # unit: {year: (ntm communes, ocop products)}
    "844": {2021: (10, 8), 2022: (11, 12), 2023: (13, 15)}, "845": {2021: (7, 3), 2022: (10, 5), 2023: (12, 9)},
    "846": {2022: (8, 6), 2023: (10, 7)}, "842": {2022: (0, 12), 2023: (0, 11)},
    "851": {2021: (3, 1), 2022: (5, 2), 2023: (6, 2)},
}
REJECTED_PLAN = ("ke_hoach_thi_dua_2024.xlsx", "2024")


def _file(unit: str, year: int, family: str) -> tuple[str, str]:
    if family == "poverty":
        return f"{year}/{unit}_giam_ngheo_{year}.xlsx", "Giảm nghèo"
    return f"{year}/{unit}_ha_tang_{year}_Q4.xlsx", "Hạ tầng NTM"


def _evidence(unit: str, year: int, code: str) -> str:
    if code == "TC1":
        items = [dict(zip(("file_name", "sheet"), _file(unit, y, "poverty")), row_number=r, family="poverty",
                      period=str(y)) for y in (year - 1, year) for r in (7, 8, 9)]
    elif code == "TC2":
        items = [dict(zip(("file_name", "sheet"), _file(unit, y, "infrastructure")), row_number=None,
                      family="infrastructure", period=f"{y}-Q4") for y in (year - 1, year)]
    else:
        items = [dict(zip(("file_name", "sheet"), _file(unit, year, "poverty")), row_number=None,
                      family="poverty", period=str(year))]
    return json.dumps(items, ensure_ascii=False)


def ranking_rows() -> list[dict]:
    rows = []
    for (year, unit), (rank, cls, award, eligible, reason, flags, late, missing) in RANKS.items():
        scores = SCORES[(year, unit)]
        points = round(sum(s[3] for s in scores.values() if s[3] is not None), 2)
        bonus = round(sum(s[4] for s in scores.values() if s[4] is not None), 2)
        maximum = sum(CRITERIA[c][2] for c, s in scores.items() if s[1] is not None)
        penalty = late * LATE_POINTS + missing * MISSING_POINTS
        total = round(points + bonus - penalty, 2)
        rows.append(dict(year=year, cluster=CLUSTERS[unit], unit_code=unit, unit_name=NAMES[unit], points=points,
                         bonus_points=bonus, penalty_points=penalty, total_points=total, max_points=maximum,
                         score_pct=round(100 * total / maximum, 2), classification=cls, rank_in_cluster=rank,
                         proposed_commendation=award, eligible=eligible, not_eligible_reason=reason,
                         open_flags=flags, late_reports=late, missing_reports=missing))
    return rows


def make_warehouse(path: Path, names: dict[str, str] | None = None) -> Path:
    """Write the fixture warehouse to `path` (names: unit names to use instead of the real ones)."""
    names = {**NAMES, **(names or {})}
    con = duckdb.connect(str(path))
    try:
        con.execute("CREATE SCHEMA marts")
        con.execute("""CREATE TABLE marts.mart_emulation_ranking (year INTEGER, cluster VARCHAR, unit_code VARCHAR,
            unit_name VARCHAR, points DOUBLE, bonus_points DOUBLE, penalty_points DOUBLE, total_points DOUBLE,
            max_points DOUBLE, score_pct DOUBLE, classification VARCHAR, rank_in_cluster INTEGER,
            proposed_commendation VARCHAR, eligible BOOLEAN, not_eligible_reason VARCHAR, open_flags INTEGER,
            late_reports INTEGER, missing_reports INTEGER)""")
        for row in ranking_rows():
            row["unit_name"] = names[row["unit_code"]]
            con.execute(f"INSERT INTO marts.mart_emulation_ranking VALUES ({', '.join('?' * len(row))})",
                        list(row.values()))
        con.execute("""CREATE TABLE marts.mart_emulation_scores (year INTEGER, cluster VARCHAR, unit_code VARCHAR,
            unit_name VARCHAR, criterion_code VARCHAR, criterion_name VARCHAR, indicator VARCHAR, actual DOUBLE,
            target DOUBLE, achievement_pct DOUBLE, max_points DOUBLE, points DOUBLE, bonus_points DOUBLE,
            explanation_vi VARCHAR, evidence VARCHAR)""")
        for (year, unit), scores in SCORES.items():
            for code, (actual, target, pct, points, bonus) in scores.items():
                name, indicator, maximum = CRITERIA[code]
                if target is None:
                    explanation, maximum = "Tiêu chí không áp dụng cho đơn vị này.", None
                else:
                    explanation = f"Thực hiện {actual}, chỉ tiêu {target}: đạt {pct} %, {points}/{maximum} điểm."
                con.execute("INSERT INTO marts.mart_emulation_scores VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                            "?, ?)", [year, CLUSTERS[unit], unit, names[unit], code, name, indicator, actual, target,
                                      pct, maximum, points, bonus, explanation, _evidence(unit, year, code)])
        con.execute("""CREATE TABLE marts.mart_integrity_flags (year INTEGER, unit_code VARCHAR,
            commune_code VARCHAR, flag VARCHAR, detail_vi VARCHAR, file_name VARCHAR, sheet VARCHAR,
            row_number INTEGER, cleared BOOLEAN, cleared_note VARCHAR)""")
        con.executemany("INSERT INTO marts.mart_integrity_flags VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", FLAGS)
        con.execute("""CREATE TABLE marts.mart_poverty (year INTEGER, unit_code VARCHAR, unit_name VARCHAR,
            unit_level VARCHAR, poverty_rate_pct DECIMAL(6, 2), poor_households INTEGER)""")
        con.executemany("INSERT INTO marts.mart_poverty VALUES (?, ?, ?, 'district', ?, ?)",
                        [(y, u, names[u], rate, int(rate * 250)) for u, years in POVERTY.items()
                         for y, rate in years.items()])
        con.execute("""CREATE TABLE marts.mart_infrastructure (period VARCHAR, period_type VARCHAR, year INTEGER,
            quarter INTEGER, unit_code VARCHAR, unit_level VARCHAR, ntm_communes INTEGER, ocop_products INTEGER)""")
        for unit, years in INFRA.items():
            for year, (ntm, ocop) in years.items():
                con.execute("INSERT INTO marts.mart_infrastructure VALUES (?, 'year', ?, NULL, ?, 'district', ?, ?)",
                            [str(year), year, unit, ntm, ocop])
                # a quarter row the site must not take for a year
                con.execute("INSERT INTO marts.mart_infrastructure VALUES (?, 'quarter', ?, 4, ?, 'district', 99, "
                            "99)", [f"{year}-Q4", year, unit])
        # the history of a new commune (plans from 2025) is read on today's map: none in this fixture
        con.execute("""CREATE TABLE marts.mart_poverty_2025_units (year INTEGER, unit_code VARCHAR,
            unit_level VARCHAR, poverty_rate_pct DECIMAL(6, 2))""")
        con.execute("""CREATE TABLE marts.mart_infrastructure_2025_units (period VARCHAR, period_type VARCHAR,
            year INTEGER, unit_code VARCHAR, unit_level VARCHAR, ntm_communes INTEGER, ocop_products INTEGER)""")
        con.execute("""CREATE TABLE marts.mart_report_submissions (file_name VARCHAR, sheet VARCHAR, family VARCHAR,
            period VARCHAR, district_code VARCHAR, district_name VARCHAR, received_at TIMESTAMP, report_date DATE,
            status VARCHAR, unit_name VARCHAR)""")
        for unit in NAMES:
            for year in (2021, 2022, 2023):
                for family, period in (("poverty", str(year)), ("infrastructure", f"{year}-Q4")):
                    file_name, sheet = _file(unit, year, family)
                    con.execute("INSERT INTO marts.mart_report_submissions VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
                                "'accepted', ?)", [file_name, sheet, family, period, unit, names[unit],
                                                   f"{year + 1}-01-10 09:30:00", f"{year + 1}-01-08", names[unit]])
        con.execute("INSERT INTO marts.mart_report_submissions VALUES (?, 'Chỉ tiêu', 'emulation_plan', ?, "
                    "'84', 'Tỉnh Trà Vinh', '2024-02-01 08:00:00', '2024-01-30', 'rejected', 'Tỉnh Trà Vinh')",
                    list(REJECTED_PLAN))
    finally:
        con.close()
    return path


def vn(value, decimals: int = 2) -> str:
    """The tests' own Vietnamese number format (independent of the site's): 1234.5 -> '1.234,5'."""
    if value is None:
        return "—"
    text = f"{value:,.{decimals}f}".rstrip("0").rstrip(".") if decimals else f"{value:,.0f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def expected_ranking_cells(path: Path, year: int, cluster: str) -> list[list[str]]:
    """The ranking table of (year, cluster) as the index should show it, read from the warehouse at `path`:
    rank, unit, points, bonus, penalty, total, max, %, classification, commendation, open flags."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        rows = con.execute(
            "SELECT rank_in_cluster, unit_name, points, bonus_points, penalty_points, total_points, max_points, "
            "score_pct, classification, proposed_commendation, open_flags FROM marts.mart_emulation_ranking "
            "WHERE year = ? AND cluster = ? ORDER BY rank_in_cluster, unit_name", [year, cluster]).fetchall()
    finally:
        con.close()
    return [[str(r[0]), r[1], vn(r[2]), vn(r[3]), vn(r[4]), vn(r[5]), vn(r[6]), vn(r[7], 1) + " %", r[8],
             r[9] or "—", str(r[10])] for r in rows]


def parse_vn(text: str) -> float:
    """'1.234,5' or '−3' -> float."""
    return float(text.strip().replace("−", "-").replace(".", "").replace(",", ".").removesuffix("%").strip())
