"""Generate the embedded sample of district reports in ``seeds/reports/``.

Run from anywhere (paths are relative to this file)::

    python seeds/make_sample.py

What it makes: 101 workbooks for 2021-2023 (below), then the 112 of 2024 to 2026-Q3, across the reorganisation
of 1 July 2025, that ``seeds/make_sample_later.py`` makes from its own generator (see its docstring: synthetic
and plausible figures, not published ones). The 101 are in the district report format (``docs`` / spec
"District report format, version 1"), for the nine district-level units of Trà Vinh province (GSO code 84):

* ``{district_code}_{slug}_{year}.xlsx`` for 2021, 2022 and 2023, each holding the ``Giảm nghèo``
  (poor / near-poor household review, one row per commune) and ``Tiết kiệm`` (thrift and
  anti-waste, one row per spending category) sheets plus the ``Thông tin`` header sheet;
* ``{district_code}_{slug}_{year}-Q{q}.xlsx`` for every quarter of 2022 and 2023, holding the
  ``Hạ tầng`` sheet (rural roads, NTM status, OCOP products, one row per commune) plus ``Thông tin``;
* and the realistic few a province receives (see LATE_REPORT, DRAFT_REPORT, REJECTED_REPORT): one
  regular file made after its due date (``850_h-duyen-hai_2023-Q2.xlsx``: late), an earlier draft of a
  poverty review (``847_chau-thanh_2022_du-thao.xlsx``: superseded by the final report) and a later
  resubmission of one with a bad cell (``849_tra-cu_2023_sua.xlsx``: rejected, the report already received
  stays in force). None of them changes a figure in force;
* and one integrity case the emulation flags must catch (PLANTED_CASE, ``poor_moved_to_near_poor``): in
  ``844_cang-long_2023.xlsx`` Xã Nhị Long's poor households fall by 11 while its near-poor rise by exactly 11, the
  other communes of Càng Long giving up those near-poor households (district and province totals unchanged).

The province's emulation plans for 2022 and 2023 share the folder; ``seeds/make_plans.py`` makes them (build()
leaves them in place, verify() skips them).

Every file's modification time (which the pipeline takes as the time it was received) is 09:00 Viet Nam
time on its ``Ngày lập``. A git checkout does not keep modification times: there every file seems received
at checkout, and only ``Ngày lập`` dates the reports (it decides timeliness and which version is in force).

The district- and commune-level figures are SYNTHETIC. They are drawn from a fixed-seed random
generator (no wall clock, no network) and then fitted by an integer allocation with caps
(proportional weights, iterative capping, largest remainder) so that they add up exactly to the
figures the province has published (spec "Published figures for Trà Vinh province"): poor and
near-poor households, ethnic-minority households and totals for 2021-2023, the number of communes
meeting the new-rural (NTM) standards at every quarter end, the cumulative OCOP products and the
OCOP batch of 30 Dec 2022 by district. Savings figures are plausible but not published anywhere; so are all
figures from 2024 on (make_sample_later.py).

The output is byte-for-byte reproducible: workbook properties carry a fixed timestamp and the zip
container is rewritten with fixed member timestamps, order and compression. ``verify(out_dir)``
(run at the end, importable) re-reads every workbook and checks the published totals and the
per-commune consistency rules, raising ``AssertionError`` on any mismatch.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import os
import random
import re
import unicodedata
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).resolve().parent
ADMIN_UNITS = HERE / "reference" / "admin_units.csv"
OUT_DIR = HERE / "reports"

SEED = 20240101
PROVINCE_CODE = "84"
FIXED_TS = dt.datetime(2024, 1, 1, 0, 0, 0)
ZIP_DATE = (2024, 1, 1, 0, 0, 0)

YEARS = (2021, 2022, 2023)
QUARTERS = tuple((y, q) for y in (2022, 2023) for q in (1, 2, 3, 4))
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}

# ---------------------------------------------------------------------------------------------
# Published province figures (spec/published-figures.md) the sample must reproduce exactly.
# ---------------------------------------------------------------------------------------------
POVERTY_TARGETS = {
    # year: (total_households, poor, near_poor, em_households, em_poor, em_near_poor)
    2021: (286_800, 10_207, 14_350, 92_520, 6_540, 7_900),
    2022: (287_100, 5_404, 10_905, 92_500, 3_300, 6_600),
    2023: (287_700, 3_440, 6_800, 92_600, 2_050, 4_500),
}
# Published rates (percent, two decimals); None = not published.
POVERTY_RATES = {
    2021: ("3.56", None),
    2022: ("1.88", "3.80"),
    2023: ("1.20", "2.36"),
}
INFRA_TARGETS = {
    # (year, quarter): (ntm_standard, ntm_advanced, ntm_model, ocop_cumulative)
    (2022, 1): (82, 28, 0, 175),
    (2022, 2): (83, 30, 0, 178),
    (2022, 3): (84, 32, 1, 180),
    (2022, 4): (85, 35, 2, 284),
    (2023, 1): (85, 36, 2, 291),
    (2023, 2): (85, 37, 3, 296),
    (2023, 3): (85, 38, 3, 300),
    (2023, 4): (85, 40, 4, 305),
}
# OCOP batch of 30 Dec 2022 = each district's Q4-2022 increase.
OCOP_BATCH_2022Q4 = {
    "842": 22, "847": 16, "844": 15, "848": 14, "845": 10,
    "851": 8, "846": 8, "849": 6, "850": 5,
}

# ---------------------------------------------------------------------------------------------
# The realistic few: a late report, an early draft superseded by the final report, and a rejected
# resubmission. None of them changes a figure in force (the published totals above stay exact).
# ---------------------------------------------------------------------------------------------
# Huyện Duyên Hải made its 2023-Q2 infrastructure report after the due date (10/07/2023): only the date
# of the regular file changes.
LATE_REPORT = ("850", 2023, 2)
LATE_DATE = dt.date(2023, 7, 18)
# Châu Thành sent a draft of its 2022 poverty review (sheet 'Giảm nghèo' only) three days before the final
# report: a few households counted as poor in the draft are near-poor in the final figures.
DRAFT_REPORT = ("847", 2022)
DRAFT_SUFFIX = "du-thao"  # dự thảo: draft
DRAFT_DAYS_BEFORE = 3
DRAFT_COMMUNES = 3
# Trà Cú sent its 2023 poverty review again, later, with one bad cell (poor households > total households):
# rejected, so the report already received stays in force.
REJECTED_REPORT = ("849", 2023)
REJECTED_SUFFIX = "sua"  # sửa: corrected
REJECTED_DATE = dt.date(2024, 3, 4)
# The integrity case the emulation flags must catch (spec emulation-scoring.md, flag poor_moved_to_near_poor): in
# Càng Long's 2023 poverty review, Xã Nhị Long's poor households fall by P = 11 (26 -> 15) while its near-poor
# households rise by exactly P (49 -> 60): households taken out of poverty on paper by moving them to near-poor.
# The near-poor households the commune gains are taken, in the same review, from the district's other communes
# (largest non-minority near-poor first), so every district and province total stays as published.
PLANTED_CASE = ("844", "29302", 2023)  # district, commune, year
# The province's emulation plans (seeds/make_plans.py) share the folder: build() leaves them, verify() skips them.
PLAN_PREFIX = f"{PROVINCE_CODE}_ke-hoach-thi-dua_"
# Every file is 'received' (its modification time) at 09:00 Viet Nam time on the day it was made.
RECEIVED_HOUR = 9
VIETNAM_TZ = dt.timezone(dt.timedelta(hours=7))

# ---------------------------------------------------------------------------------------------
# Synthetic district profile: relative size (households, roughly by real population), share of
# ethnic-minority (mostly Khmer) households, relative poverty level, budget scale.
# ---------------------------------------------------------------------------------------------
DISTRICT_PROFILE = {
    #        households  em share  poverty  NTM-lead  OCOP
    "842": (30_500, 0.20, 0.40, 1.6, 2.2),  # TP Trà Vinh
    "844": (39_000, 0.06, 0.75, 1.5, 1.3),  # Càng Long
    "845": (29_000, 0.30, 1.00, 1.0, 1.0),  # Cầu Kè
    "846": (28_500, 0.32, 1.00, 1.1, 0.9),  # Tiểu Cần
    "847": (38_500, 0.40, 1.00, 1.2, 1.2),  # Châu Thành
    "848": (35_500, 0.40, 1.15, 0.9, 1.1),  # Cầu Ngang
    "849": (45_500, 0.62, 1.25, 0.7, 0.8),  # Trà Cú
    "850": (17_500, 0.30, 1.10, 0.8, 0.8),  # huyện Duyên Hải
    "851": (13_000, 0.16, 0.85, 1.0, 1.0),  # TX Duyên Hải
}
DISTRICT_TYPE_PREFIX = {"Thành phố": "tp", "Thị xã": "tx", "Huyện": "h"}

PREPARERS = [
    "Nguyễn Thị Thu Hà", "Trần Văn Phúc", "Thạch Thị Sa Rương", "Kim Văn Sang", "Lê Minh Tâm",
    "Sơn Thị Ngọc Hân", "Phạm Quốc Bảo", "Huỳnh Thị Mỹ Linh", "Võ Thanh Tùng", "Lâm Văn Chiến",
    "Dương Thị Kim Loan", "Thạch Sô Phanh", "Nguyễn Hoàng Nam", "Trương Thị Bích Ngọc",
    "Kiên Thị Sóc Kha", "Đặng Văn Hiếu", "Lý Thị Hồng Nhung", "Châu Văn Thành",
]

POVERTY_HEADER = [
    "STT", "Xã, phường, thị trấn", "Mã xã", "Tổng số hộ", "Số hộ nghèo", "Số hộ cận nghèo",
    "Số hộ DTTS", "Số hộ nghèo DTTS", "Số hộ cận nghèo DTTS",
]
INFRA_HEADER = [
    "STT", "Xã, phường, thị trấn", "Mã xã", "Đường GTNT xây mới, nâng cấp (km)",
    "Tuyến đường xanh - sạch - đẹp (km)", "Thắp sáng đường quê (km)", "Vốn đầu tư (triệu đồng)",
    "Nhân dân đóng góp (triệu đồng)", "Đạt chuẩn NTM", "Đạt chuẩn NTM nâng cao",
    "Đạt chuẩn NTM kiểu mẫu", "Sản phẩm OCOP (lũy kế)",
]
SAVINGS_HEADER = [
    "STT", "Nội dung", "Dự toán (triệu đồng)", "Kế hoạch tiết kiệm (triệu đồng)",
    "Thực hiện tiết kiệm (triệu đồng)",
]
SAVINGS_CATEGORIES = [
    # label, budget share range, planned savings rate range (of the category budget)
    ("Chi thường xuyên", (0.56, 0.64), (0.030, 0.060)),
    ("Chi đầu tư công", (0.26, 0.33), (0.020, 0.045)),
    ("Mua sắm tài sản công", (0.030, 0.050), (0.040, 0.080)),
    ("Hội nghị, hội thảo, công tác phí", (0.010, 0.020), (0.050, 0.080)),
    ("Nội dung khác", (0.020, 0.045), (0.020, 0.050)),
]
TOTAL_LABEL = "Tổng cộng"
FOOTER_LABELS = ("Người lập biểu", "Thủ trưởng đơn vị")
HEADER_ROW = 4
FIRST_DATA_ROW = 5


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------
def ascii_fold(text: str) -> str:
    text = text.replace("Đ", "D").replace("đ", "d")
    text = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in text if unicodedata.category(ch) != "Mn")


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", ascii_fold(text).lower()).strip("-")


def allocate(target: int, weights: list[float], caps: list[int]) -> list[int]:
    """Integer allocation of ``target`` proportional to ``weights`` with per-item upper ``caps``.

    Items whose proportional quota reaches their cap are fixed at the cap and the rest is
    re-distributed (iteratively); the remaining quotas are floored and the leftover units go to
    the largest remainders (ties: lower index first). Exact: the result sums to ``target``.
    """
    n = len(weights)
    if len(caps) != n:
        raise ValueError("weights and caps differ in length")
    alloc = [0] * n
    free = [i for i in range(n) if weights[i] > 0 and caps[i] > 0]
    if sum(caps[i] for i in free) < target:
        raise ValueError(f"cannot allocate {target}: caps sum to {sum(caps[i] for i in free)}")
    remaining = target
    while True:
        wsum = math.fsum(weights[i] for i in free)
        quotas = {i: remaining * weights[i] / wsum for i in free}
        over = [i for i in free if quotas[i] >= caps[i]]
        if not over:
            break
        for i in over:
            alloc[i] = caps[i]
            remaining -= caps[i]
        over_set = set(over)
        free = [i for i in free if i not in over_set]
        if remaining == 0:
            return alloc
    floors = {i: math.floor(quotas[i]) for i in free}
    for i in free:
        alloc[i] = floors[i]
    leftover = remaining - sum(floors.values())
    order = sorted(free, key=lambda i: (-(quotas[i] - floors[i]), i))
    for i in order:
        if leftover == 0:
            break
        if alloc[i] < caps[i]:
            alloc[i] += 1
            leftover -= 1
    if leftover:
        raise ValueError("allocation failed to place every unit")
    assert sum(alloc) == target and all(0 <= a <= c for a, c in zip(alloc, caps))
    return alloc


def weighted_order(rng: random.Random, items: list, weights: list[float]) -> list:
    """Weighted random permutation (Efraimidis-Spirakis keys)."""
    keyed = [(rng.random() ** (1.0 / w), k, item) for k, (item, w) in enumerate(zip(items, weights))]
    keyed.sort(key=lambda t: (-t[0], t[1]))
    return [item for _, _, item in keyed]


def num(units: int, scale: int):
    """A fixed-point amount (integer ``units`` of 1/``scale``) as an int or a short float."""
    if units % scale == 0:
        return units // scale
    return round(units / scale, 2)


# ---------------------------------------------------------------------------------------------
# Reference data
# ---------------------------------------------------------------------------------------------
def load_units() -> tuple[dict, list[dict]]:
    districts: dict[str, dict] = {}
    communes: list[dict] = []
    with ADMIN_UNITS.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["province_code"] != PROVINCE_CODE:
                continue
            d = row["district_code"]
            if d not in districts:
                prefix = DISTRICT_TYPE_PREFIX[row["district_type"]]
                districts[d] = {
                    "code": d,
                    "name": row["district_name"],
                    "type": row["district_type"],
                    "full_name": f"{row['district_type']} {row['district_name']}",
                    "prefix": prefix,
                }
            ctype = row["commune_type"]
            cname = row["commune_name"]
            communes.append({
                "code": row["commune_code"],
                "name": cname,
                "type": ctype,
                "full_name": f"{ctype} {cname}",
                "district": d,
            })
    # Slugs: huyện without prefix unless the bare name is shared with another unit.
    name_count: dict[str, int] = {}
    for info in districts.values():
        name_count[info["name"]] = name_count.get(info["name"], 0) + 1
    for info in districts.values():
        bare = slugify(info["name"])
        if info["type"] == "Huyện" and name_count[info["name"]] == 1:
            info["slug"] = bare
        else:
            info["slug"] = f"{info['prefix']}-{bare}"

    type_rank = {"Phường": 0, "Thị trấn": 1, "Xã": 2}

    def sort_key(c):
        n = c["name"]
        numeric = int(n) if n.isdigit() else 10**6
        return (c["district"], type_rank[c["type"]], numeric, ascii_fold(n).lower(), c["code"])

    communes.sort(key=sort_key)
    if set(districts) != set(DISTRICT_PROFILE):
        raise RuntimeError(f"unexpected districts in reference: {sorted(districts)}")
    return districts, communes


# ---------------------------------------------------------------------------------------------
# Synthetic data
# ---------------------------------------------------------------------------------------------
def make_poverty(rng: random.Random, communes: list[dict]) -> dict[int, list[dict]]:
    n = len(communes)
    urban = {"Phường": 1.15, "Thị trấn": 1.3, "Xã": 1.0}
    rel = [urban[c["type"]] * rng.uniform(0.65, 1.35) for c in communes]
    dist_rel: dict[str, float] = {}
    for c, r in zip(communes, rel):
        dist_rel[c["district"]] = dist_rel.get(c["district"], 0.0) + r
    base = [DISTRICT_PROFILE[c["district"]][0] * r / dist_rel[c["district"]]
            for c, r in zip(communes, rel)]

    em_urban = {"Phường": 0.6, "Thị trấn": 0.75, "Xã": 1.0}
    em_share = [min(0.92, max(0.004, DISTRICT_PROFILE[c["district"]][1] * em_urban[c["type"]]
                              * math.exp(rng.gauss(0.0, 0.45))))
                for c in communes]
    pov_urban = {"Phường": 0.45, "Thị trấn": 0.7, "Xã": 1.0}
    pov_factor = [DISTRICT_PROFILE[c["district"]][2] * pov_urban[c["type"]] * rng.uniform(0.7, 1.35)
                  for c in communes]
    # EM poverty is concentrated where EM households are many (remote Khmer hamlets).
    em_pov_factor = [pf * (0.6 + em_share[i]) for i, pf in enumerate(pov_factor)]
    near_factor = [pf ** 0.7 * rng.uniform(0.85, 1.15) for pf in pov_factor]
    em_near_factor = [nf * (0.7 + em_share[i]) for i, nf in enumerate(near_factor)]

    growth = [1.0] * n
    result: dict[int, list[dict]] = {}
    for year in YEARS:
        if year != YEARS[0]:
            growth = [g * (1.0 + rng.uniform(-0.0015, 0.004)) for g in growth]
        tot_t, poor_t, near_t, em_t, em_poor_t, em_near_t = POVERTY_TARGETS[year]
        big = [10**9] * n
        total = allocate(tot_t, [b * g for b, g in zip(base, growth)], big)
        em = allocate(em_t, [t * s for t, s in zip(total, em_share)], total)
        non_em = [t - e for t, e in zip(total, em)]
        jitter = [rng.uniform(0.92, 1.08) for _ in range(n)]
        em_poor = allocate(em_poor_t, [e * f * j for e, f, j in zip(em, em_pov_factor, jitter)], em)
        ne_poor = allocate(poor_t - em_poor_t,
                           [x * f * j for x, f, j in zip(non_em, pov_factor, jitter)], non_em)
        jitter = [rng.uniform(0.92, 1.08) for _ in range(n)]
        em_near = allocate(em_near_t, [e * f * j for e, f, j in zip(em, em_near_factor, jitter)],
                           [e - p for e, p in zip(em, em_poor)])
        ne_near = allocate(near_t - em_near_t,
                           [x * f * j for x, f, j in zip(non_em, near_factor, jitter)],
                           [x - p for x, p in zip(non_em, ne_poor)])
        rows = []
        for i, c in enumerate(communes):
            rows.append({
                "code": c["code"],
                "total": total[i],
                "poor": em_poor[i] + ne_poor[i],
                "near_poor": em_near[i] + ne_near[i],
                "em": em[i],
                "em_poor": em_poor[i],
                "em_near_poor": em_near[i],
            })
        result[year] = rows
    return result


def plant_integrity_case(poverty: dict[int, list[dict]], communes: list[dict]) -> int:
    """PLANTED_CASE: the commune's near-poor households of the year become last year's plus exactly the number of
    poor households it lost (P); the other communes of its district give up as many non-minority near-poor households
    (allocated like every other figure), so the district's totals do not change. Returns P (in place)."""
    d, code, year = PLANTED_CASE
    idx = [i for i, c in enumerate(communes) if c["district"] == d]
    a = next(i for i in idx if communes[i]["code"] == code)
    prev, row = poverty[year - 1][a], poverty[year][a]
    moved = prev["poor"] - row["poor"]
    extra = prev["near_poor"] + moved - row["near_poor"]
    if moved < 10 or extra <= 0 or row["poor"] + prev["near_poor"] + moved > row["total"]:
        raise RuntimeError(f"planted case {PLANTED_CASE}: does not fit ({moved}, {extra})")
    others = [i for i in idx if i != a]
    free = [poverty[year][i]["near_poor"] - poverty[year][i]["em_near_poor"] for i in others]
    take = allocate(extra, [float(f) for f in free], [max(0, f - 1) for f in free])
    row["near_poor"] += extra
    for i, t in zip(others, take):
        poverty[year][i]["near_poor"] -= t
    return moved


def first_quarter_reaching(cum: list[int], k: int) -> int | None:
    for qi, c in enumerate(cum):
        if c > k:
            return qi
    return None


def make_infrastructure(rng: random.Random, communes: list[dict]) -> dict[tuple, list[dict]]:
    n = len(communes)
    nq = len(QUARTERS)
    xa = [i for i, c in enumerate(communes) if c["type"] == "Xã"]
    if len(xa) != 85:
        raise RuntimeError(f"expected 85 xã, found {len(xa)}")

    # --- NTM: certification quarter index per level (None = not within the sample) -----------
    lead = [DISTRICT_PROFILE[communes[i]["district"]][3] * rng.uniform(0.5, 1.5) for i in xa]
    order = weighted_order(rng, xa, lead)
    std_cum = [INFRA_TARGETS[q][0] for q in QUARTERS]
    adv_cum = [INFRA_TARGETS[q][1] for q in QUARTERS]
    mod_cum = [INFRA_TARGETS[q][2] for q in QUARTERS]
    std_q: dict[int, int | None] = {}
    adv_q: dict[int, int | None] = {}
    mod_q: dict[int, int | None] = {}
    # the last communes of the order are the ones that reach the basic standard late
    late = order[::-1][: 85 - std_cum[0]]  # last first: reaches the standard latest
    late = late[::-1]
    for i in order:
        std_q[i] = 0
    for k, i in enumerate(late):
        std_q[i] = first_quarter_reaching(std_cum, std_cum[0] + k)
    for k, i in enumerate(order):
        adv_q[i] = first_quarter_reaching(adv_cum, k)
    first_adv = order[: adv_cum[0]]
    model_order = weighted_order(rng, first_adv, [1.0] * len(first_adv))
    for i in xa:
        mod_q[i] = None
    for k, i in enumerate(model_order):
        mod_q[i] = first_quarter_reaching(mod_cum, k)

    # --- OCOP: cumulative stock ---------------------------------------------------------------
    ocop_type = {"Phường": 1.6, "Thị trấn": 1.5, "Xã": 1.0}
    ocop_w = [DISTRICT_PROFILE[c["district"]][4] * ocop_type[c["type"]] * (0.05 + rng.random() ** 2)
              for c in communes]
    stock = allocate(INFRA_TARGETS[QUARTERS[0]][3], ocop_w, [10**6] * n)
    ocop = [list(stock)]
    for qi in range(1, nq):
        inc = [0] * n
        if QUARTERS[qi] == (2022, 4):
            for d, batch in sorted(OCOP_BATCH_2022Q4.items()):
                idx = [i for i, c in enumerate(communes) if c["district"] == d]
                for i in rng.choices(idx, weights=[ocop_w[i] for i in idx], k=batch):
                    inc[i] += 1
        else:
            k = INFRA_TARGETS[QUARTERS[qi]][3] - INFRA_TARGETS[QUARTERS[qi - 1]][3]
            for i in rng.choices(range(n), weights=ocop_w, k=k):
                inc[i] += 1
        stock = [s + d for s, d in zip(stock, inc)]
        ocop.append(list(stock))

    # --- flows --------------------------------------------------------------------------------
    result: dict[tuple, list[dict]] = {}
    for qi, yq in enumerate(QUARTERS):
        rows = []
        for i, c in enumerate(communes):
            rows.append({
                "code": c["code"],
                **infrastructure_flows(rng, ward=c["type"] == "Phường"),
                "ntm": (c["type"] == "Xã" and std_q[i] is not None and std_q[i] <= qi),
                "ntm_adv": (c["type"] == "Xã" and adv_q[i] is not None and adv_q[i] <= qi),
                "ntm_mod": (c["type"] == "Xã" and mod_q[i] is not None and mod_q[i] <= qi),
                "ocop": ocop[qi][i],
            })
        result[yq] = rows
    return result


def infrastructure_flows(rng: random.Random, ward: bool) -> dict[str, int]:
    """One commune's road works and investment in a quarter (also drawn so by benchmarks/generate.py)."""
    rural = 0 if rng.random() < (0.45 if ward else 0.18) else rng.randint(10, 100 if ward else 300)
    green = 0 if rng.random() < 0.35 else rng.randint(5, 150)
    lit = 0 if rng.random() < 0.30 else rng.randint(5, 200)
    if rural + green + lit == 0:
        invest = 0
    else:
        km = (rural + 0.4 * green + 0.3 * lit) / 100.0
        invest = int(round(min(6000.0, max(200.0, 200 + km * rng.uniform(900, 1900))) * 10))
    contrib = int(round(invest * rng.uniform(0.05, 0.30))) if invest else 0
    return {"rural_h": rural, "green_h": green, "lit_h": lit,  # hundredths of km
            "invest_t": invest, "contrib_t": contrib}          # tenths of triệu đồng


def make_savings(rng: random.Random, districts: dict) -> dict[tuple, list[dict]]:
    result: dict[tuple, list[dict]] = {}
    for d in sorted(districts):
        hh = DISTRICT_PROFILE[d][0]
        budget = 330_000 + (hh - 13_000) / (45_500 - 13_000) * 430_000
        if districts[d]["type"] == "Thành phố":
            budget *= 1.25
        budget *= rng.uniform(0.93, 1.07)
        for year in YEARS:
            if year != YEARS[0]:
                budget *= rng.uniform(1.02, 1.08)
            budget = min(max(budget, 360_000.0), 880_000.0)
            result[(d, year)] = savings_rows(rng, budget)
    return result


def make_headers(rng: random.Random, districts: dict) -> dict[tuple, dict]:
    """Preparer and date of every file: key (district, year, quarter or None)."""
    out = {}
    for d in sorted(districts):
        names = rng.sample(PREPARERS, 2)
        for year in YEARS:
            made = dt.date(year + 1, 1, rng.randint(5, 12))
            out[(d, year, None)] = {"by": names[0], "date": made}
        for year, q in QUARTERS:
            end = quarter_end(year, q)
            made = end + dt.timedelta(days=rng.randint(3, 8))
            out[(d, year, q)] = {"by": names[1], "date": made}
    return out


def quarter_end(year: int, q: int) -> dt.date:
    nxt = dt.date(year + 1, 1, 1) if q == 4 else dt.date(year, 3 * q + 1, 1)
    return nxt - dt.timedelta(days=1)


# ---------------------------------------------------------------------------------------------
# Workbook writing
# ---------------------------------------------------------------------------------------------
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="center", horizontal="center")


def write_info(wb: Workbook, district: dict, period_label: str, header: dict) -> None:
    ws = wb.create_sheet("Thông tin")
    rows = [
        ("Đơn vị", district["full_name"]),
        ("Mã đơn vị", district["code"]),
        ("Kỳ báo cáo", period_label),
        ("Ngày lập", header["date"]),
        ("Người lập", header["by"]),
    ]
    for r, (k, v) in enumerate(rows, start=1):
        ws.cell(row=r, column=1, value=k).font = BOLD
        cell = ws.cell(row=r, column=2, value=v)
        if k == "Mã đơn vị":
            cell.number_format = "@"
        if isinstance(v, dt.date):
            cell.number_format = "dd/mm/yyyy"
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 28


def start_data_sheet(wb: Workbook, name: str, title: str, district: dict, header: list[str]):
    ws = wb.create_sheet(name)
    ws.cell(row=1, column=1, value=title).font = BOLD
    ws.cell(row=2, column=1, value=f"Đơn vị: {district['full_name']}")
    for col, label in enumerate(header, start=1):
        cell = ws.cell(row=HEADER_ROW, column=col, value=label)
        cell.font = BOLD
        cell.alignment = WRAP
    ws.row_dimensions[HEADER_ROW].height = 45
    ws.column_dimensions["A"].width = 5
    ws.column_dimensions["B"].width = 26
    for col in range(3, len(header) + 1):
        ws.column_dimensions[chr(ord("A") + col - 1)].width = 14
    return ws


def write_footer(ws, total_row: int) -> None:
    # total_row + 1 stays blank
    for k, label in enumerate(FOOTER_LABELS):
        ws.cell(row=total_row + 2 + k, column=2, value=label).font = BOLD


def write_poverty(wb, district, communes, rows, year) -> None:
    ws = start_data_sheet(wb, "Giảm nghèo",
                          f"BÁO CÁO KẾT QUẢ RÀ SOÁT HỘ NGHÈO, HỘ CẬN NGHÈO NĂM {year}",
                          district, POVERTY_HEADER)
    keys = ("total", "poor", "near_poor", "em", "em_poor", "em_near_poor")
    sums = dict.fromkeys(keys, 0)
    r = FIRST_DATA_ROW
    for k, (c, row) in enumerate(zip(communes, rows), start=1):
        ws.cell(row=r, column=1, value=k)
        ws.cell(row=r, column=2, value=c["full_name"])
        ws.cell(row=r, column=3, value=c["code"]).number_format = "@"
        for col, key in enumerate(keys, start=4):
            ws.cell(row=r, column=col, value=row[key])
            sums[key] += row[key]
        r += 1
    ws.cell(row=r, column=2, value=TOTAL_LABEL).font = BOLD
    for col, key in enumerate(keys, start=4):
        ws.cell(row=r, column=col, value=sums[key]).font = BOLD
    write_footer(ws, r)


def write_infra(wb, district, communes, rows, year, q) -> None:
    ws = start_data_sheet(
        wb, "Hạ tầng",
        f"BÁO CÁO KẾT QUẢ XÂY DỰNG NÔNG THÔN MỚI, KẾT CẤU HẠ TẦNG QUÝ {ROMAN[q]}/{year}",
        district, INFRA_HEADER)
    fixed = (("rural_h", 100), ("green_h", 100), ("lit_h", 100), ("invest_t", 10), ("contrib_t", 10))
    flags = ("ntm", "ntm_adv", "ntm_mod")
    sums = {k: 0 for k, _ in fixed} | {k: 0 for k in flags} | {"ocop": 0}
    r = FIRST_DATA_ROW
    for k, (c, row) in enumerate(zip(communes, rows), start=1):
        ws.cell(row=r, column=1, value=k)
        ws.cell(row=r, column=2, value=c["full_name"])
        ws.cell(row=r, column=3, value=c["code"]).number_format = "@"
        col = 4
        for key, scale in fixed:
            ws.cell(row=r, column=col, value=num(row[key], scale))
            sums[key] += row[key]
            col += 1
        for key in flags:
            if row[key]:
                ws.cell(row=r, column=col, value="x").alignment = Alignment(horizontal="center")
                sums[key] += 1
            col += 1
        ws.cell(row=r, column=col, value=row["ocop"])
        sums["ocop"] += row["ocop"]
        r += 1
    ws.cell(row=r, column=2, value=TOTAL_LABEL).font = BOLD
    col = 4
    for key, scale in fixed:
        ws.cell(row=r, column=col, value=num(sums[key], scale)).font = BOLD
        col += 1
    for key in flags:
        ws.cell(row=r, column=col, value=sums[key]).font = BOLD
        col += 1
    ws.cell(row=r, column=col, value=sums["ocop"]).font = BOLD
    write_footer(ws, r)


def write_savings(wb, district, rows, year) -> None:
    ws = start_data_sheet(wb, "Tiết kiệm",
                          f"BÁO CÁO KẾT QUẢ THỰC HÀNH TIẾT KIỆM, CHỐNG LÃNG PHÍ NĂM {year}",
                          district, SAVINGS_HEADER)
    ws.column_dimensions["B"].width = 34
    keys = ("budget_t", "plan_t", "ach_t")
    sums = dict.fromkeys(keys, 0)
    r = FIRST_DATA_ROW
    for k, row in enumerate(rows, start=1):
        ws.cell(row=r, column=1, value=k)
        ws.cell(row=r, column=2, value=row["label"])
        for col, key in enumerate(keys, start=3):
            ws.cell(row=r, column=col, value=num(row[key], 10))
            sums[key] += row[key]
        r += 1
    ws.cell(row=r, column=2, value=TOTAL_LABEL).font = BOLD
    for col, key in enumerate(keys, start=3):
        ws.cell(row=r, column=col, value=num(sums[key], 10)).font = BOLD
    write_footer(ws, r)


_MODIFIED_RE = re.compile(rb"<dcterms:modified([^>]*)>[^<]*</dcterms:modified>")
_CREATED_RE = re.compile(rb"<dcterms:created([^>]*)>[^<]*</dcterms:created>")


def savings_rows(rng: random.Random, budget: float) -> list[dict]:
    """One row per savings category of a district budget (triệu đồng): budget, planned and achieved savings, in
    tenths of triệu đồng so that they have at most one decimal."""
    shares = [rng.uniform(*s) for _, s, _ in SAVINGS_CATEGORIES]
    ssum = sum(shares)
    rows = []
    for (label, _, rate), share in zip(SAVINGS_CATEGORIES, shares):
        b = int(round(budget * share / ssum * 10))
        plan = int(round(b * rng.uniform(*rate)))
        ach = int(round(plan * rng.uniform(0.86, 1.14)))
        rows.append({"label": label, "budget_t": b, "plan_t": plan, "ach_t": ach})
    return rows


def deterministic_bytes(wb: Workbook, rewrite=None) -> bytes:
    """The .xlsx bytes of ``wb``, depending only on its content (fixed timestamps, member order and dates).

    ``rewrite(name, data)``, when given, may change a member's bytes before they are zipped.
    """
    wb.properties.created = FIXED_TS
    wb.properties.modified = FIXED_TS
    wb.properties.lastModifiedBy = None
    buf = io.BytesIO()
    wb.save(buf)  # openpyxl stamps `modified` with the current time: fixed below
    stamp = FIXED_TS.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    members = {}
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src:
        for name in src.namelist():
            data = src.read(name)
            if name == "docProps/core.xml":
                data = _MODIFIED_RE.sub(rb"<dcterms:modified\1>" + stamp + rb"</dcterms:modified>", data)
                data = _CREATED_RE.sub(rb"<dcterms:created\1>" + stamp + rb"</dcterms:created>", data)
            members[name] = rewrite(name, data) if rewrite else data
    return zip_bytes(members)


def zip_bytes(members: dict[str, bytes]) -> bytes:
    """A zip of these members, in this order, with fixed dates and attributes: the same bytes every time."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            dst.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)
    return out.getvalue()


def save_deterministic(wb: Workbook, path: Path, made: dt.date | None = None) -> None:
    """Save ``wb`` so that the bytes depend only on its content; with ``made``, the file's modification time
    (when the pipeline takes it to have been received) is 09:00 Viet Nam time that day."""
    path.write_bytes(deterministic_bytes(wb))
    if made is not None:
        received = dt.datetime(made.year, made.month, made.day, RECEIVED_HOUR, tzinfo=VIETNAM_TZ).timestamp()
        os.utime(path, (received, received))


def new_workbook(author: str) -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.creator = author
    return wb


def build(out_dir: Path = OUT_DIR) -> list[Path]:
    rng = random.Random(SEED)
    districts, communes = load_units()
    poverty = make_poverty(rng, communes)
    plant_integrity_case(poverty, communes)  # no draw from rng: every other figure stays as it was
    infra = make_infrastructure(rng, communes)
    savings = make_savings(rng, districts)
    headers = make_headers(rng, districts)
    headers[LATE_REPORT]["date"] = LATE_DATE  # after drawing every date: the other files keep theirs

    out_dir.mkdir(parents=True, exist_ok=True)
    for old in sorted(out_dir.glob("*.xlsx")):
        if not is_plan_file(old):  # the emulation plans are seeds/make_plans.py's
            old.unlink()

    written = []
    for d in sorted(districts):
        info = districts[d]
        idx = [i for i, c in enumerate(communes) if c["district"] == d]
        dcommunes = [communes[i] for i in idx]
        for year in YEARS:
            head = headers[(d, year, None)]
            wb = new_workbook(head["by"])
            write_info(wb, info, f"Năm {year}", head)
            write_poverty(wb, info, dcommunes, [poverty[year][i] for i in idx], year)
            write_savings(wb, info, savings[(d, year)], year)
            path = out_dir / f"{d}_{info['slug']}_{year}.xlsx"
            save_deterministic(wb, path, head["date"])
            written.append(path)
        for year, q in QUARTERS:
            head = headers[(d, year, q)]
            wb = new_workbook(head["by"])
            write_info(wb, info, f"Quý {ROMAN[q]}/{year}", head)
            write_infra(wb, info, dcommunes, [infra[(year, q)][i] for i in idx], year, q)
            path = out_dir / f"{d}_{info['slug']}_{year}-Q{q}.xlsx"
            save_deterministic(wb, path, head["date"])
            written.append(path)

    # the draft and the rejected resubmission: poverty sheet only, from the regular file's rows
    for (d, year), suffix, date, rows_of in (
            (DRAFT_REPORT, DRAFT_SUFFIX, headers[(*DRAFT_REPORT, None)]["date"] - dt.timedelta(days=DRAFT_DAYS_BEFORE),
             draft_rows),
            (REJECTED_REPORT, REJECTED_SUFFIX, REJECTED_DATE, rejected_rows)):
        info = districts[d]
        idx = [i for i, c in enumerate(communes) if c["district"] == d]
        head = {"by": headers[(d, year, None)]["by"], "date": date}
        wb = new_workbook(head["by"])
        write_info(wb, info, f"Năm {year}", head)
        write_poverty(wb, info, [communes[i] for i in idx], rows_of([poverty[year][i] for i in idx]), year)
        path = out_dir / extra_file_name(d, info, year, suffix)
        save_deterministic(wb, path, date)
        written.append(path)

    # 2024 to 2026-Q3, across the reorganisation (seeds/make_sample_later.py; its own generator)
    from make_sample_later import build_later

    written += build_later(out_dir, districts, communes, poverty, infra, savings)
    return written


def is_plan_file(path: Path) -> bool:
    """An emulation plan workbook of the sample (``seeds/make_plans.py``: ``84_ke-hoach-thi-dua_{year}.xlsx``, and
    from 2025 ``86_ke-hoach-thi-dua_2025.xlsx``, on the communes of Tỉnh Vĩnh Long)."""
    return path.name.startswith(PLAN_PREFIX) or "_ke-hoach-thi-dua_" in path.name


def extra_file_name(d: str, info: dict, year: int, suffix: str) -> str:
    return f"{d}_{info['slug']}_{year}_{suffix}.xlsx"


def draft_rows(final: list[dict]) -> list[dict]:
    """The draft: in a few communes (fixed choice) some households counted as poor that the final review
    counts as near-poor (non-minority households, so every consistency rule still holds)."""
    rng = random.Random(SEED + 1)  # its own generator: the main stream, and so every regular file, is unchanged
    rows = [dict(r) for r in final]
    movable = [k for k, r in enumerate(rows) if r["near_poor"] - r["em_near_poor"] >= 2]
    for k in sorted(rng.sample(movable, DRAFT_COMMUNES)):
        r = rows[k]
        moved = rng.randint(1, min(6, r["near_poor"] - r["em_near_poor"]))
        r["poor"] += moved
        r["near_poor"] -= moved
    return rows


def rejected_rows(accepted: list[dict]) -> list[dict]:
    """The resubmission: the same figures, but the commune with the most poor households has its poor
    households typed twice over ('85' -> '8585'), more than its total households."""
    rows = [dict(r) for r in accepted]
    k = max(range(len(rows)), key=lambda i: (rows[i]["poor"], -i))
    bad = int(str(rows[k]["poor"]) * 2)
    if bad <= rows[k]["total"]:
        bad = rows[k]["total"] + rows[k]["poor"]
    rows[k]["poor"] = bad
    return rows


# ---------------------------------------------------------------------------------------------
# Verification
# ---------------------------------------------------------------------------------------------
def _check(cond: bool, msg: str) -> None:
    if not cond:
        raise AssertionError(msg)


def _decimals(text: str) -> int:
    return len(text.split(".", 1)[1]) if "." in text else 0


def _read_sheet(path: Path, sheet: str) -> list[list[str | None]]:
    import fastexcel

    df = fastexcel.read_excel(str(path)).load_sheet(sheet, header_row=None, dtypes="string").to_polars()
    return [list(r) for r in df.rows()]


def _parse_data(rows: list[list], header: list[str], where: str):
    """Return (data rows, total row) of a data sheet read as strings."""
    hdr = [(v or "").strip() for v in rows[HEADER_ROW - 1][: len(header)]]
    _check(hdr == header, f"{where}: header {hdr}")
    _check(rows[0][0] and rows[0][0].startswith("BÁO CÁO"), f"{where}: title row")
    _check((rows[1][0] or "").startswith("Đơn vị: "), f"{where}: district line")
    data, total, r = [], None, HEADER_ROW
    while r < len(rows):
        row = rows[r]
        if row[1] == TOTAL_LABEL:
            total = row
            break
        data.append(row)
        r += 1
    _check(total is not None, f"{where}: no total row")
    _check(all(v is None for v in rows[r + 1]), f"{where}: row after total not blank")
    footer = [row[1] for row in rows[r + 2:]]
    _check(footer == list(FOOTER_LABELS), f"{where}: footer {footer}")
    for row in rows[r + 2:]:
        _check(all(v is None for k, v in enumerate(row) if k != 1), f"{where}: footer cells")
    for k, row in enumerate(data, start=1):
        _check(row[0] is not None and int(float(row[0])) == k, f"{where}: STT {row[0]} != {k}")
    return data, total


def verify(out_dir: Path | str = OUT_DIR) -> dict:
    """Re-read every workbook in ``out_dir``; check published totals and per-commune rules.

    Returns a summary (per-year poverty totals, per-district 2022 poverty, file count).
    Raises ``AssertionError`` when anything does not add up.
    """
    from openpyxl import load_workbook

    out_dir = Path(out_dir)
    districts, communes = load_units()
    by_district: dict[str, dict[str, dict]] = {}
    for c in communes:
        by_district.setdefault(c["district"], {})[c["code"]] = c

    from make_sample_later import later_files, load_new_units, verify_later

    files = sorted(f for f in out_dir.glob("*.xlsx") if not is_plan_file(f))
    later = later_files(districts, load_new_units(communes)[0])
    all_files, files = files, [f for f in files if f.name not in later]
    expected = set()
    for d, info in districts.items():
        for y in YEARS:
            expected.add(f"{d}_{info['slug']}_{y}.xlsx")
        for y, q in QUARTERS:
            expected.add(f"{d}_{info['slug']}_{y}-Q{q}.xlsx")
    regular = len(expected)
    for (d, year), suffix in ((DRAFT_REPORT, DRAFT_SUFFIX), (REJECTED_REPORT, REJECTED_SUFFIX)):
        expected.add(extra_file_name(d, districts[d], year, suffix))
    _check({f.name for f in files} == expected, "unexpected set of files")
    _check(regular == 99 and len(files) == 101, f"expected 99 + 2 files, found {len(files)}")

    pov_tot = {y: [0] * 6 for y in YEARS}
    pov_dist = {y: {} for y in YEARS}
    prev_total: dict[str, int] = {}
    poor_near: dict[tuple, tuple[int, int]] = {}
    infra_tot = {yq: [0, 0, 0, 0] for yq in QUARTERS}
    ocop_by_commune: dict[tuple, int] = {}
    ntm_by_commune: dict[tuple, tuple] = {}

    for d, info in sorted(districts.items()):
        dcodes = by_district[d]
        for period in [(y, None) for y in YEARS] + list(QUARTERS):
            year, q = period
            suffix = f"{year}" if q is None else f"{year}-Q{q}"
            path = out_dir / f"{d}_{info['slug']}_{suffix}.xlsx"
            where = path.name
            # --- header sheet and cell types via openpyxl ---------------------------------
            wb = load_workbook(path)
            want_sheets = ["Thông tin"] + (["Giảm nghèo", "Tiết kiệm"] if q is None else ["Hạ tầng"])
            _check(wb.sheetnames == want_sheets, f"{where}: sheets {wb.sheetnames}")
            kv = {r[0]: r[1] for r in wb["Thông tin"].iter_rows(values_only=True)}
            _check(kv["Đơn vị"] == info["full_name"], f"{where}: Đơn vị")
            _check(kv["Mã đơn vị"] == d and isinstance(kv["Mã đơn vị"], str), f"{where}: Mã đơn vị")
            period_label = f"Năm {year}" if q is None else f"Quý {ROMAN[q]}/{year}"
            _check(kv["Kỳ báo cáo"] == period_label, f"{where}: Kỳ báo cáo")
            made = kv["Ngày lập"]
            _check(isinstance(made, dt.datetime), f"{where}: Ngày lập is not a date")
            made = made.date()
            _check(received_date(path) == made, f"{where}: modification time is not the day it was made")
            if (d, year, q) == LATE_REPORT:
                _check(made == LATE_DATE and made > quarter_end(year, q) + dt.timedelta(days=10), f"{where}: late")
            elif q is None:
                _check(dt.date(year + 1, 1, 1) < made < dt.date(year + 1, 1, 15), f"{where}: date")
            else:
                end = quarter_end(year, q)
                _check(end + dt.timedelta(days=3) <= made <= end + dt.timedelta(days=8), f"{where}: date")
            _check(bool(kv.get("Người lập")), f"{where}: Người lập")
            for sheet in want_sheets[1:]:
                ws = wb[sheet]
                for row in ws.iter_rows(min_row=FIRST_DATA_ROW):
                    if row[1].value in (TOTAL_LABEL, None) or row[1].value in FOOTER_LABELS:
                        continue
                    _check(isinstance(row[0].value, int), f"{where}/{sheet}: STT type")
                    if sheet != "Tiết kiệm":
                        _check(isinstance(row[2].value, str), f"{where}/{sheet}: code not text")
                    first_num = 2 if sheet == "Tiết kiệm" else 3
                    for cell in row[first_num:]:
                        v = cell.value
                        _check(v is None or v == "x" or isinstance(v, (int, float)),
                               f"{where}/{sheet}!{cell.coordinate}: {v!r}")
            wb.close()

            # --- data via fastexcel -------------------------------------------------------
            if q is None:
                rows = _read_sheet(path, "Giảm nghèo")
                data, total = _parse_data(rows, POVERTY_HEADER, f"{where}/Giảm nghèo")
                seen = []
                sums = [0] * 6
                for row in data:
                    code = row[2]
                    _check(code in dcodes, f"{where}: commune {code} not in district {d}")
                    c = dcodes[code]
                    _check(row[1] == c["full_name"], f"{where}: name {row[1]} for {code}")
                    seen.append(code)
                    t, p, n, e, ep, en = (int(v) for v in row[3:9])
                    _check(all(x >= 0 for x in (t, p, n, e, ep, en)), f"{where}: negative {code}")
                    _check(p <= t and n <= t and p + n <= t, f"{where}: poor/near > total {code}")
                    _check(e <= t and ep <= e and en <= e and ep + en <= e, f"{where}: em {code}")
                    _check(ep <= p and en <= n, f"{where}: em_* > total {code}")
                    if (code, year - 1) in prev_total:
                        prev = prev_total[(code, year - 1)]
                        _check(abs(t - prev) <= max(3, 0.015 * prev), f"{where}: {code} jumps {prev}->{t}")
                    prev_total[(code, year)] = t
                    poor_near[(code, year)] = (p, n)
                    for k, x in enumerate((t, p, n, e, ep, en)):
                        sums[k] += x
                _check(sorted(seen) == sorted(dcodes), f"{where}: communes missing or repeated")
                _check([int(v) for v in total[3:9]] == sums, f"{where}: total row")
                pov_dist[year][d] = sums
                for k in range(6):
                    pov_tot[year][k] += sums[k]

                rows = _read_sheet(path, "Tiết kiệm")
                data, total = _parse_data(rows, SAVINGS_HEADER, f"{where}/Tiết kiệm")
                _check([r[1] for r in data] == [c[0] for c in SAVINGS_CATEGORIES], f"{where}: categories")
                sums = [0, 0, 0]
                for row in data:
                    vals = [row[2], row[3], row[4]]
                    _check(all(_decimals(v) <= 1 for v in vals), f"{where}: savings decimals {vals}")
                    b, pl, a = (int(round(float(v) * 10)) for v in vals)
                    _check(0 < pl < 0.1 * b, f"{where}: plan share")
                    _check(0.85 * pl <= a <= 1.15 * pl, f"{where}: achieved/plan")
                    sums = [s + x for s, x in zip(sums, (b, pl, a))]
                _check([int(round(float(v) * 10)) for v in total[2:5]] == sums, f"{where}: savings total")
                _check(350_000 * 10 <= sums[0] <= 900_000 * 10, f"{where}: budget size {sums[0] / 10}")
            else:
                rows = _read_sheet(path, "Hạ tầng")
                data, total = _parse_data(rows, INFRA_HEADER, f"{where}/Hạ tầng")
                seen = []
                sums = [0] * 9
                for row in data:
                    code = row[2]
                    _check(code in dcodes, f"{where}: commune {code} not in district {d}")
                    c = dcodes[code]
                    _check(row[1] == c["full_name"], f"{where}: name {row[1]} for {code}")
                    seen.append(code)
                    kms, money = row[3:6], row[6:8]
                    _check(all(v is not None and _decimals(v) <= 2 for v in kms), f"{where}: km {kms}")
                    _check(all(v is not None and _decimals(v) <= 1 for v in money), f"{where}: money")
                    rk, gk, lk = (int(round(float(v) * 100)) for v in kms)
                    inv, con = (int(round(float(v) * 10)) for v in money)
                    _check(0 <= rk <= 300 and 0 <= gk <= 150 and 0 <= lk <= 200, f"{where}: km range")
                    _check(inv == 0 or 2000 <= inv <= 60000, f"{where}: investment range {inv}")
                    _check((inv == 0 and con == 0) or 0.05 * inv - 1 <= con <= 0.30 * inv + 1,
                           f"{where}: contribution {con} of {inv}")
                    flags = tuple(v is not None for v in row[8:11])
                    _check(all(v in (None, "x") for v in row[8:11]), f"{where}: NTM cell")
                    if c["type"] != "Xã":
                        _check(flags == (False, False, False), f"{where}: NTM on non-xã {code}")
                    _check(flags[0] or not flags[1], f"{where}: advanced without standard {code}")
                    _check(flags[1] or not flags[2], f"{where}: model without advanced {code}")
                    ocop = int(row[11])
                    key_prev = QUARTERS[QUARTERS.index((year, q)) - 1] if (year, q) != QUARTERS[0] else None
                    if key_prev:
                        pf = ntm_by_commune[(code, key_prev)]
                        _check(all(a <= b for a, b in zip(pf, flags)), f"{where}: NTM lost {code}")
                        _check(ocop >= ocop_by_commune[(code, key_prev)], f"{where}: OCOP down {code}")
                    ntm_by_commune[(code, (year, q))] = flags
                    ocop_by_commune[(code, (year, q))] = ocop
                    vals = [rk, gk, lk, inv, con, *(int(f) for f in flags), ocop]
                    sums = [s + v for s, v in zip(sums, vals)]
                _check(sorted(seen) == sorted(dcodes), f"{where}: communes missing or repeated")
                tot = [int(round(float(v) * 100)) for v in total[3:6]] \
                    + [int(round(float(v) * 10)) for v in total[6:8]] + [int(v) for v in total[8:12]]
                _check(all(_decimals(v) <= 2 for v in total[3:6]), f"{where}: total km decimals")
                _check(all(_decimals(v) <= 1 for v in total[6:8]), f"{where}: total money decimals")
                _check(tot == sums, f"{where}: infrastructure total row {tot} != {sums}")
                for k in range(3):
                    infra_tot[(year, q)][k] += sums[5 + k]
                infra_tot[(year, q)][3] += sums[8]
                if (year, q) == (2022, 4):
                    inc = sums[8] - sum(ocop_by_commune[(cc, (2022, 3))] for cc in dcodes)
                    _check(inc == OCOP_BATCH_2022Q4[d], f"{where}: OCOP Q4-2022 increase {inc}")

    verify_extras(out_dir, districts, by_district)
    later_summary = verify_later(out_dir, districts, communes, all_files, {
        "prev_total": prev_total, "poor_near": poor_near, "ntm": ntm_by_commune, "ocop": ocop_by_commune})
    # the planted integrity case is the sample's only commune whose poor households fell by P >= 10 while its
    # near-poor rose by at least 0.8 P; there the near-poor rose by exactly P
    moved = {(code, y): (poor_near[(code, y - 1)][0] - p, n - poor_near[(code, y - 1)][1])
             for (code, y), (p, n) in poor_near.items() if (code, y - 1) in poor_near}
    flagged = sorted(k for k, (fell, rose) in moved.items() if fell >= 10 and rose >= 0.8 * fell)
    _, code, year = PLANTED_CASE
    _check(flagged == [(code, year)], f"poor moved to near-poor: {flagged}")
    fell, rose = moved[(code, year)]
    _check(fell == rose >= 10, f"planted case {code}: poor fell {fell}, near-poor rose {rose}")
    for y in YEARS:
        _check(tuple(pov_tot[y]) == POVERTY_TARGETS[y], f"poverty {y}: {pov_tot[y]} != {POVERTY_TARGETS[y]}")
        total, poor, near = pov_tot[y][:3]
        pr, nr = POVERTY_RATES[y]
        _check(f"{100 * poor / total:.2f}" == pr, f"poverty rate {y}: {100 * poor / total:.4f}")
        if nr:
            _check(f"{100 * near / total:.2f}" == nr, f"near-poverty rate {y}: {100 * near / total:.4f}")
    # Published changes 2021 -> 2022
    p21, p22 = POVERTY_TARGETS[2021], POVERTY_TARGETS[2022]
    _check(p21[1] - p22[1] == 4803, "poor households change")
    _check(f"{100 * p21[1] / p21[0] - 100 * p22[1] / p22[0]:.2f}" == "1.68", "poverty rate change")
    _check(p21[4] - p22[4] == 3240, "EM poor households change")
    _check(f"{100 * p21[4] / p21[3] - 100 * p22[4] / p22[3]:.2f}" == "3.50", "EM poverty rate change")
    for yq in QUARTERS:
        _check(tuple(infra_tot[yq]) == INFRA_TARGETS[yq], f"infrastructure {yq}: {infra_tot[yq]}")
    _check(f"{100 * 35 / 85:.2f}" == "41.18", "advanced share")
    return {"files": len(all_files), "later": later_summary, "planted_case": (*PLANTED_CASE, fell), "poverty": pov_tot, "poverty_by_district": pov_dist,
            "infrastructure": infra_tot, "districts": districts}


def received_date(path: Path) -> dt.date:
    return dt.datetime.fromtimestamp(path.stat().st_mtime, VIETNAM_TZ).date()


def _poverty_values(path: Path) -> tuple[dict, list[list[int]], dt.date]:
    """(header key/values, the commune rows as [total, poor, near, em, em_poor, em_near], Ngày lập) of a
    poverty sheet."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    kv = {r[0]: r[1] for r in wb["Thông tin"].iter_rows(values_only=True)}
    wb.close()
    data, total = _parse_data(_read_sheet(path, "Giảm nghèo"), POVERTY_HEADER, f"{path.name}/Giảm nghèo")
    rows = [[int(v) for v in row[3:9]] for row in data]
    _check([int(v) for v in total[3:9]] == [sum(col) for col in zip(*rows)], f"{path.name}: total row")
    return kv, rows, kv["Ngày lập"].date()


def verify_extras(out_dir: Path, districts: dict, by_district: dict) -> None:
    """The draft differs from the final report only by households moved from near-poor to poor, and is made
    earlier; the rejected resubmission differs only by one poor-households cell above its total, made later."""
    from openpyxl import load_workbook

    for (d, year), suffix in ((DRAFT_REPORT, DRAFT_SUFFIX), (REJECTED_REPORT, REJECTED_SUFFIX)):
        info = districts[d]
        path = out_dir / extra_file_name(d, info, year, suffix)
        where = path.name
        wb = load_workbook(path)
        _check(wb.sheetnames == ["Thông tin", "Giảm nghèo"], f"{where}: sheets {wb.sheetnames}")
        wb.close()
        kv, rows, made = _poverty_values(path)
        _, final, final_made = _poverty_values(out_dir / f"{d}_{info['slug']}_{year}.xlsx")
        _check((kv["Mã đơn vị"], kv["Kỳ báo cáo"]) == (d, f"Năm {year}"), f"{where}: district or period")
        _check(received_date(path) == made, f"{where}: modification time is not the day it was made")
        _check(len(rows) == len(final) == len(by_district[d]), f"{where}: communes")
        changed = [(a, b) for a, b in zip(rows, final) if a != b]
        if suffix == DRAFT_SUFFIX:
            _check(dt.date(year + 1, 1, 1) < made < final_made, f"{where}: draft not made before the final report")
            _check(len(changed) == DRAFT_COMMUNES, f"{where}: {len(changed)} communes changed")
            for a, b in changed:
                moved = a[1] - b[1]
                _check(moved > 0 and a[2] == b[2] - moved and a[0::3] == b[0::3] and a[4:] == b[4:],
                       f"{where}: draft change {a} vs {b}")
                _check(a[5] <= a[2] and a[1] + a[2] <= a[0], f"{where}: draft rules {a}")
        else:
            _check(made > final_made and made > dt.date(year + 1, 1, 15), f"{where}: not a later resubmission")
            _check(len(changed) == 1, f"{where}: {len(changed)} communes changed")
            (a, b), = changed
            _check(a[1] > a[0] and a[0] == b[0] and a[2:] == b[2:], f"{where}: bad cell {a} vs {b}")


def main() -> None:
    written = build(OUT_DIR)
    summary = verify(OUT_DIR)
    print(f"wrote {len(written)} workbooks to {OUT_DIR}")
    for y in YEARS:
        print(f"  poverty {y}: {summary['poverty'][y]}")
    for yq in QUARTERS:
        print(f"  infrastructure {yq[0]}-Q{yq[1]}: {summary['infrastructure'][yq]}")
    later = summary["later"]
    for y, totals in later["poverty"].items():
        print(f"  poverty {y} (in force): {totals}")
    for (y, q), totals in later["infrastructure"].items():
        print(f"  infrastructure {y}-Q{q} (NTM, advanced, model, OCOP): {list(totals)}")


if __name__ == "__main__":
    main()
