"""Generate the sample emulation plans (Kế hoạch thi đua) of Trà Vinh province in ``seeds/reports/``.

Run after ``seeds/make_sample.py`` (``make sample`` runs both)::

    python seeds/make_plans.py

What it makes: ``84_ke-hoach-thi-dua_2022.xlsx`` and ``84_ke-hoach-thi-dua_2023.xlsx``, one plan per year in the
format of spec "Emulation scoring" (sheets ``Thông tin``, ``Cụm thi đua``, ``Tiêu chí``, ``Chỉ tiêu``,
``Tham số``; the 2023 plan also ``Đã xác minh``, with nothing cleared). Two clusters: ``Cụm 1`` the city and the
town (842 Thành phố Trà Vinh, 851 Thị xã Duyên Hải: the province's only two urban district-level units), ``Cụm 2``
the seven rural districts (844-850). The targets were chosen against the actuals of the sample (see
``docs/emulation-plan.md``): some met, some missed, a tie in 2022 (845 Cầu Kè and 846 Tiểu Cần, 103 points each),
and in 2023 the best score of Cụm 2 goes to 844 Càng Long, the district of the integrity case planted by
``make_sample.py`` (``PLANTED_CASE``), which the Cờ thi đua must pass over.

From 2025 the units are the communes of 2025-07-01 (spec: "for 2025 and later, the communes after the 1 July 2025
reorganisation"): ``86_ke-hoach-thi-dua_2025.xlsx`` is Tỉnh Vĩnh Long's plan for the 41 new communes of the
former Trà Vinh, ``Cụm 1`` the 6 phường, ``Cụm 2`` the 35 xã (the new-rural and rural-road criteria do not apply to
a phường). It is made only when the sample's 2024 reports are in ``seeds/reports/`` (``make_sample.py`` writes them
first): its targets are set, as a council would, from each new commune's 2024 figures, the sums of the old
communes it took in (crosswalk): cut the poverty rate by a quarter and the near-poverty rate by a tenth, build at
least last year's rural roads, one new OCOP product, the NTM standard for every xã, savings and reports in full.

Deterministic like the reports: fixed workbook properties and zip layout (``make_sample.save_deterministic``), the
file's modification time 09:00 Viet Nam time on its ``Ngày lập``. ``verify(out_dir)`` re-reads both files.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from openpyxl.styles import Font

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))  # pipelines.parsing: the 2025 targets read the sample's 2024 reports

from make_sample import (OUT_DIR, PLAN_PREFIX, PLANTED_CASE, PROVINCE_CODE, load_units,  # noqa: E402
                         new_workbook, received_date, save_deterministic)

BOLD = Font(bold=True)
PROVINCE_NAME = "Tỉnh Trà Vinh"
PREPARER = "Văn phòng Ban Thi đua - Khen thưởng tỉnh"
CLUSTERS = {"Cụm 1": ("842", "851"), "Cụm 2": ("844", "845", "846", "847", "848", "849", "850")}
URBAN = CLUSTERS["Cụm 1"]  # new-rural criteria do not apply: empty target
MADE = {2022: dt.date(2022, 1, 14), 2023: dt.date(2023, 1, 13)}

# (code, name, indicator, max points, max bonus), in the order that breaks ties
CRITERIA = {
    2022: [
        ("TC1", "Giảm tỷ lệ hộ nghèo (điểm %)", "poverty_rate_reduction_pp", 30, 3),
        ("TC2", "Giảm tỷ lệ hộ cận nghèo (điểm %)", "near_poverty_rate_reduction_pp", 15, 0),
        ("TC3", "Tỷ lệ xã đạt chuẩn nông thôn mới (%)", "ntm_share_pct", 10, 1),
        ("TC4", "Đường giao thông nông thôn xây mới, nâng cấp (km)", "rural_road_km", 15, 0),
        ("TC5", "Thực hiện kế hoạch tiết kiệm chi (%)", "savings_achieved_pct_of_plan", 15, 0),
        ("TC6", "Báo cáo đúng hạn (%)", "reporting_on_time_pct", 15, 0),
    ],
    2023: [
        ("TC1", "Giảm tỷ lệ hộ nghèo (điểm %)", "poverty_rate_reduction_pp", 25, 2.5),
        ("TC2", "Giảm tỷ lệ hộ cận nghèo (điểm %)", "near_poverty_rate_reduction_pp", 10, 0),
        ("TC3", "Tỷ lệ xã đạt chuẩn nông thôn mới (%)", "ntm_share_pct", 10, 0),
        ("TC4", "Sản phẩm OCOP mới được công nhận", "ocop_products_new", 10, 0),
        ("TC5", "Đường giao thông nông thôn xây mới, nâng cấp (km)", "rural_road_km", 15, 0),
        ("TC6", "Thực hiện kế hoạch tiết kiệm chi (%)", "savings_achieved_pct_of_plan", 15, 0),
        ("TC7", "Báo cáo đúng hạn (%)", "reporting_on_time_pct", 15, 0),
    ],
}
# unit: targets in the order of CRITERIA[year] (None: not applicable). Written as numbers; see
# docs/emulation-plan.md for the actuals they were set against and the expected outcome.
TARGETS = {
    2022: {
        "842": (0.3, 0.4, None, 15, 100, 100),
        "851": (0.8, 1.0, None, 20, 95, 100),
        "844": (1.2, 1.0, 100, 80, 100, 100),
        "845": (1.3, 1.0, 100, 60, 100, 100),
        "846": (1.25, 1.0, 100, 30, 100, 100),
        "847": (2.0, 1.2, 100, 75, 100, 100),
        "848": (2.5, 1.4, 100, 80, 100, 100),
        "849": (2.8, 1.5, 90, 80, 100, 100),
        "850": (2.0, 1.5, 100, 60, 100, 100),
    },
    2023: {
        "842": (0.15, 0.35, None, 3, 15, 100, 100),
        "851": (0.6, 1.0, None, 3, 22, 100, 100),
        "844": (0.3, 0.9, 100, 3, 70, 100, 100),
        "845": (0.8, 1.5, 100, 3, 55, 100, 100),
        "846": (1.0, 1.5, 100, 4, 70, 100, 100),
        "847": (0.8, 1.3, 100, 3, 70, 100, 100),
        "848": (1.2, 1.6, 100, 3, 70, 100, 100),
        "849": (1.1, 2.0, 100, 2, 80, 100, 100),
        "850": (1.2, 1.8, 100, 4, 70, 100, 100),
    },
}
PARAMETERS = [("Điểm trừ mỗi báo cáo trễ hạn", 1), ("Điểm trừ mỗi báo cáo không nộp", 5), ("Xuất sắc từ", 90),
              ("Tốt từ", 75), ("Hoàn thành từ", 50), ("Số Cờ thi đua mỗi cụm", 1), ("Số Bằng khen mỗi cụm", 2)]
VERIFIED_HEADER = ["Đơn vị", "Mã đơn vị", "Mã dấu hiệu", "Ghi chú"]


def plan_file_name(year: int) -> str:
    return f"{PLAN_PREFIX}{year}.xlsx"


def _sheet(wb, name: str, title: str, header: list, rows: list[list], widths: list[int]):
    ws = wb.create_sheet(name)
    ws.cell(row=1, column=1, value=title).font = BOLD
    for c, label in enumerate(header, 1):
        ws.cell(row=3, column=c, value=label).font = BOLD
    for r, row in enumerate(rows, 4):
        for c, value in enumerate(row, 1):
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, str) and value.isdigit():
                cell.number_format = "@"
    for i, width in enumerate(widths):
        ws.column_dimensions[chr(65 + i)].width = width
    return ws


def write_plan(year: int, districts: dict, out_dir: Path) -> Path:
    units = [(cluster, code, districts[code]["full_name"]) for cluster, codes in CLUSTERS.items() for code in codes]
    return _write_plan_workbook(out_dir / plan_file_name(year), (PROVINCE_NAME, PROVINCE_CODE), year, MADE[year],
                                units, CRITERIA[year], TARGETS[year], verified=year == PLANTED_CASE[2])


def _write_plan_workbook(path: Path, province: tuple[str, str], year: int, made: dt.date,
                         units: list[tuple[str, str, str]], criteria: list[tuple], targets: dict[str, tuple],
                         verified: bool = False, name_width: int = 28) -> Path:
    """A plan workbook: `units` (cluster, code, full name) in that order, `targets` by unit code in the order of
    `criteria`; with `verified`, an empty `Đã xác minh` sheet (nothing cleared)."""
    wb = new_workbook(PREPARER)
    info = wb.create_sheet("Thông tin")
    for r, (k, v) in enumerate([("Đơn vị", province[0]), ("Mã đơn vị", province[1]), ("Kỳ báo cáo", f"Năm {year}"),
                                ("Ngày lập", made), ("Người lập", PREPARER)], 1):
        info.cell(row=r, column=1, value=k).font = BOLD
        cell = info.cell(row=r, column=2, value=v)
        cell.number_format = "dd/mm/yyyy" if isinstance(v, dt.date) else "@" if k == "Mã đơn vị" else "General"
    info.column_dimensions["A"].width, info.column_dimensions["B"].width = 16, 40
    _sheet(wb, "Cụm thi đua", f"CỤM THI ĐUA NĂM {year}", ["STT", "Cụm thi đua", "Đơn vị", "Mã đơn vị"],
           [[i, cluster, name, code] for i, (cluster, code, name) in enumerate(units, 1)], [6, 14, name_width, 12])
    _sheet(wb, "Tiêu chí", f"TIÊU CHÍ THI ĐUA NĂM {year} (theo thứ tự xét khi bằng điểm)",
           ["STT", "Mã tiêu chí", "Tiêu chí", "Chỉ số", "Điểm tối đa", "Điểm thưởng tối đa"],
           [[i, *c] for i, c in enumerate(criteria, 1)], [6, 12, 50, 32, 12, 18])
    _sheet(wb, "Chỉ tiêu", f"CHỈ TIÊU NĂM {year} (ô trống: tiêu chí không áp dụng)",
           ["STT", "Cụm thi đua", "Đơn vị", "Mã đơn vị", *(c[0] for c in criteria)],
           [[i, cluster, name, code, *targets[code]] for i, (cluster, code, name) in enumerate(units, 1)],
           [6, 12, name_width, 12] + [10] * len(criteria))
    _sheet(wb, "Tham số", "THAM SỐ CHẤM ĐIỂM", ["Tham số", "Giá trị"], [list(p) for p in PARAMETERS], [34, 10])
    if verified:
        # nothing cleared: the planted case's flag stays open and blocks the Cờ thi đua
        _sheet(wb, "Đã xác minh", "DẤU HIỆU BẤT THƯỜNG ĐÃ XÁC MINH", VERIFIED_HEADER, [], [28, 12, 30, 40])
    save_deterministic(wb, path, made)
    return path


def build(out_dir: Path = OUT_DIR) -> list[Path]:
    districts, _ = load_units()
    out_dir.mkdir(parents=True, exist_ok=True)
    written = [write_plan(year, districts, out_dir) for year in sorted(CRITERIA)]
    if plan_2025_inputs(out_dir):
        written.append(write_plan_2025(out_dir))
    return written


# --- 2025: the communes of 2025-07-01 -----------------------------------------------------------------------------

PROVINCE_2025 = ("Tỉnh Vĩnh Long", "86")  # name, code
MADE_2025 = dt.date(2025, 1, 15)
PLAN_2025 = "86_ke-hoach-thi-dua_2025.xlsx"
CRITERIA_2025 = [
    ("TC1", "Giảm tỷ lệ hộ nghèo (điểm %)", "poverty_rate_reduction_pp", 25, 2.5),
    ("TC2", "Giảm tỷ lệ hộ cận nghèo (điểm %)", "near_poverty_rate_reduction_pp", 10, 0),
    ("TC3", "Đạt chuẩn nông thôn mới (xã)", "ntm_share_pct", 10, 0),
    ("TC4", "Sản phẩm OCOP mới được công nhận", "ocop_products_new", 10, 1),
    ("TC5", "Đường giao thông nông thôn xây mới, nâng cấp (km)", "rural_road_km", 15, 1.5),
    ("TC6", "Thực hiện kế hoạch tiết kiệm chi (%)", "savings_achieved_pct_of_plan", 15, 0),
    ("TC7", "Báo cáo đúng hạn (%)", "reporting_on_time_pct", 15, 0),
]
RURAL_ONLY_2025 = ("TC3", "TC5")  # not for a phường: empty target


def plan_2025_inputs(out_dir: Path) -> list[Path]:
    """The sample's 2024 district reports the 2025 targets are set from (empty before make_sample.py wrote them)."""
    return sorted(out_dir.glob("8[45]?_*_2024*.xlsx"))


def communes_2025() -> list[tuple[str, str, str]]:
    """(code, full name, type) of the 41 new communes that took in Trà Vinh's communes, by code."""
    from pipelines.parsing.reference import load_reference

    reference = load_reference(HERE / "reference")
    province = reference.units_2025.provinces[PROVINCE_2025[1]]
    return [(c.code, c.full_name, c.type) for c in reference.communes_reported_by(province, "poverty", "2025")]


def figures_2024(out_dir: Path) -> dict[str, dict[str, float]]:
    """Each new commune's 2024 figures, summed over the old communes it took in (all whole ones in Trà Vinh):
    households, poor, near-poor (the 2024 review), rural road km (the four quarters), OCOP stock (2024-Q4)."""
    from pipelines.parsing.files import parse_file
    from pipelines.parsing.reference import load_reference

    reference = load_reference(HERE / "reference")
    totals: dict[str, dict[str, float]] = {}
    for path in plan_2025_inputs(out_dir):
        for report in parse_file(path, path.name, reference, today=dt.date(2026, 12, 1)):
            if report.status != "accepted" or report.family not in ("poverty", "infrastructure"):
                continue
            for row in report.rows:
                for new in reference.crosswalk.new_of_old.get(row["commune_code"], []):
                    t = totals.setdefault(new, {"total": 0, "poor": 0, "near": 0, "km": 0.0, "ocop": 0})
                    if report.family == "poverty":
                        t["total"] += row["total_households"]
                        t["poor"] += row["poor_households"]
                        t["near"] += row["near_poor_households"]
                    else:
                        t["km"] += row["rural_road_km"] or 0
                        if report.period.code == "2024-Q4":
                            t["ocop"] += row["ocop_products"] or 0
    return totals


def targets_2025(out_dir: Path) -> dict[str, tuple]:
    """The council's targets per new commune, in CRITERIA_2025 order (None: not applicable to a phường)."""
    figures = figures_2024(out_dir)
    targets = {}
    for code, _, unit_type in communes_2025():
        f = figures[code]
        rural = unit_type != "Phường"
        targets[code] = (round(0.25 * 100 * f["poor"] / f["total"], 2), round(0.10 * 100 * f["near"] / f["total"], 2),
                         100 if rural else None, 1, round(f["km"], 1) if rural else None, 100, 100)
    return targets


def write_plan_2025(out_dir: Path) -> Path:
    units = sorted(("Cụm 1" if t == "Phường" else "Cụm 2", code, name) for code, name, t in communes_2025())
    return _write_plan_workbook(out_dir / PLAN_2025, PROVINCE_2025, 2025, MADE_2025, units, CRITERIA_2025,
                                targets_2025(out_dir), name_width=30)


def _check(cond: bool, msg: str) -> None:
    if not cond:
        raise AssertionError(msg)


def verify(out_dir: Path | str = OUT_DIR) -> None:
    """Re-read both plans: sheets, header, every unit in exactly one cluster, a target per unit and criterion
    (empty only for the new-rural criteria of the city and the town), the file's modification time."""
    from openpyxl import load_workbook

    out_dir = Path(out_dir)
    districts, _ = load_units()
    for year, criteria in CRITERIA.items():
        path = out_dir / plan_file_name(year)
        wb = load_workbook(path)
        sheets = ["Thông tin", "Cụm thi đua", "Tiêu chí", "Chỉ tiêu", "Tham số"]
        _check(wb.sheetnames == sheets + (["Đã xác minh"] if year == PLANTED_CASE[2] else []),
               f"{path.name}: sheets {wb.sheetnames}")
        kv = {r[0]: r[1] for r in wb["Thông tin"].iter_rows(values_only=True)}
        _check((kv["Mã đơn vị"], kv["Kỳ báo cáo"], kv["Ngày lập"].date()) == (PROVINCE_CODE, f"Năm {year}", MADE[year]),
               f"{path.name}: Thông tin {kv}")
        _check(received_date(path) == MADE[year], f"{path.name}: modification time is not the day it was made")
        clusters = [r for r in wb["Cụm thi đua"].iter_rows(min_row=4, values_only=True)]
        _check(sorted(r[3] for r in clusters) == sorted(districts), f"{path.name}: units of the clusters")
        crit = [r for r in wb["Tiêu chí"].iter_rows(min_row=4, values_only=True)]
        _check([r[1:] for r in crit] == [tuple(c) for c in criteria], f"{path.name}: criteria")
        header = [c.value for c in wb["Chỉ tiêu"][3]]
        _check(header[4:] == [c[0] for c in criteria], f"{path.name}: target columns")
        for row in wb["Chỉ tiêu"].iter_rows(min_row=4, values_only=True):
            code, values = row[3], row[4:]
            ntm = [c[2].startswith("ntm_") for c in criteria]
            _check(all((v is None) == (code in URBAN and n) for v, n in zip(values, ntm)), f"{path.name}: {code}")
        if year == PLANTED_CASE[2]:
            _check(wb["Đã xác minh"].max_row <= 3, f"{path.name}: a flag cleared")
        wb.close()
    path = out_dir / PLAN_2025
    if path.exists():
        wb = load_workbook(path)
        kv = {r[0]: r[1] for r in wb["Thông tin"].iter_rows(values_only=True)}
        _check((kv["Mã đơn vị"], kv["Kỳ báo cáo"]) == (PROVINCE_2025[1], "Năm 2025"), f"{path.name}: {kv}")
        clusters = {r[3]: r[1] for r in wb["Cụm thi đua"].iter_rows(min_row=4, values_only=True)}
        units = {code: t for code, _, t in communes_2025()}
        _check(clusters == {c: "Cụm 1" if t == "Phường" else "Cụm 2" for c, t in units.items()},
               f"{path.name}: the 41 communes, phường in Cụm 1")
        for row in wb["Chỉ tiêu"].iter_rows(min_row=4, values_only=True):
            empty = {c[0] for c, v in zip(CRITERIA_2025, row[4:]) if v is None}
            _check(empty == (set(RURAL_ONLY_2025) if units[row[3]] == "Phường" else set()), f"{path.name}: {row[3]}")
        wb.close()


def main() -> None:
    written = build(OUT_DIR)
    verify(OUT_DIR)
    print(f"wrote {len(written)} emulation plans to {OUT_DIR}: {', '.join(p.name for p in written)}")


if __name__ == "__main__":
    main()
