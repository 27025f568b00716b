"""The embedded sample after 2023: 2024 to 2026-Q3, across the reorganisation of 1 July 2025.

``seeds/make_sample.py`` calls ``build_later`` after writing the 2021-2023 files and ``verify_later`` from its
``verify``; this module is not run on its own. It draws from its own generator (``SEED_LATER``), so the 2021-2023
files stay byte-for-byte what they were.

What it adds to ``seeds/reports/`` (docs/reorganisation.md says which unit reports which period):

* by the nine districts of Trà Vinh (84), as in 2023: ``{district}_{slug}_2024.xlsx`` (``Giảm nghèo`` +
  ``Tiết kiệm``) and ``{district}_{slug}_{2024-Q1..2025-Q2}.xlsx`` (``Hạ tầng``): 9 x (1 + 6) = 63 files;
* by the new units of Tỉnh Vĩnh Long (86) that took in Trà Vinh's communes (the 41 new communes, 35 xã and 6
  phường), for the periods after 30 June 2025:

  - compiled workbooks of the new province (``Đơn vị`` 'Tỉnh Vĩnh Long', ``Mã đơn vị`` '86', one data row per
    new commune): ``86_tinh-vinh-long_{2025-Q3, 2025-Q4, 2026-Q1, 2026-Q2, 2026-Q3}.xlsx`` (``Hạ tầng``) and
    ``86_tinh-vinh-long_2025.xlsx`` (``Giảm nghèo`` only: savings are each unit's own budget, so the province
    does not compile them);
  - communes' own reports (``Đơn vị`` the new commune, ``Mã đơn vị`` its 5-digit code, one data row naming
    itself): infrastructure of a commune the compiled workbook leaves out (OWN_INFRA), and the savings 2025 of
    every new commune but SAVINGS_MISSING (``{code}_{slug}_2025.xlsx``, ``Tiết kiệm``);
  - the realistic few: a late report (LATE_OWN: Xã Đông Hải's own 2026-Q2 infrastructure, made 4 Aug 2026,
    after its due date of 10 Jul; the compiled 2026-Q2 workbook leaves Đông Hải out), a correction
    (CORRECTION: Xã Càng Long's own 2025 workbook, ``Giảm nghèo`` + ``Tiết kiệm``, made after the compiled
    poverty workbook, with 4 fewer near-poor households than the compiled row: its row replaces the compiled
    one, with an ``overlapping_reports`` warning), and two communes that have not sent their savings 2025
    (SAVINGS_MISSING: completeness of savings 2025 is 39 of 41, both overdue since 31 Jan 2026).

The figures are SYNTHETIC AND PLAUSIBLE, not published: nothing was published for these periods when the sample
was made. They continue each commune's 2023 trajectory: poor and near-poor households never rise (poverty keeps
falling, so no commune trips the ``poor_moved_to_near_poor`` flag), total households grow slowly, NTM advanced and
model statuses are only gained, OCOP products are cumulative, roads keep being built. A new commune's 2025
households are the sum of its old communes' 2024 households with a small change, its OCOP stock at 2025-Q3 the sum
of theirs at 2025-Q2 plus the quarter's new products. Its NTM statuses are its own (spec: statuses cannot be
summed): a new xã meets the standard from 2025-Q3 when none of its parts was a township (thị trấn, never assessed
for NTM), the others reach it during 2025-Q4..2026-Q3; it is advanced (model) when every old xã it took in was;
a few more gain a status each quarter. Phường leave the NTM columns blank.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

import make_sample as ms

SEED_LATER = ms.SEED + 2024  # its own generator: the 2021-2023 files do not change
NEW_PROVINCE = {"code": "86", "full_name": "Tỉnh Vĩnh Long", "slug": "tinh-vinh-long"}
ADMIN_UNITS_NEW = ms.HERE / "reference" / "admin_units_2025-07-01.csv"
CROSSWALK = ms.HERE / "reference" / "commune_crosswalk_2025-07-01.csv"

DISTRICT_YEARS = (2024,)
DISTRICT_QUARTERS = ((2024, 1), (2024, 2), (2024, 3), (2024, 4), (2025, 1), (2025, 2))
NEW_YEARS = (2025,)
NEW_QUARTERS = ((2025, 3), (2025, 4), (2026, 1), (2026, 2), (2026, 3))

# Province totals the later files add up to (synthetic: (total, poor, near-poor, EM, EM poor, EM near-poor)).
POVERTY_TARGETS_LATER = {
    2024: (288_400, 2_310, 5_650, 92_700, 1_420, 3_760),  # 0.80 % poor, 1.96 % near-poor
    2025: (289_050, 1_520, 4_620, 92_800, 930, 3_050),    # 0.53 %, 1.60 % (the 41 new communes, in force)
}
# District quarters, old communes: (NTM standard, advanced, model, OCOP cumulative); all 85 xã stay NTM.
INFRA_TARGETS_LATER = {
    (2024, 1): (85, 41, 4, 308),
    (2024, 2): (85, 43, 5, 313),
    (2024, 3): (85, 44, 5, 317),
    (2024, 4): (85, 46, 6, 330),
    (2025, 1): (85, 47, 6, 333),
    (2025, 2): (85, 48, 7, 337),
}
# New communes: statuses gained in the quarter (standard, advanced, model) beyond the rule of 2025-Q3, and the
# OCOP products certified in the quarter.
NEW_STATUS_GAINS = {(2025, 3): (0, 0, 0), (2025, 4): (2, 1, 0), (2026, 1): (2, 1, 0), (2026, 2): (3, 1, 1),
                    (2026, 3): (1, 1, 0)}
NEW_OCOP_GAINS = {(2025, 3): 4, (2025, 4): 12, (2026, 1): 3, (2026, 2): 4, (2026, 3): 5}

# Who reports what outside the compiled workbooks.
OWN_INFRA = {(2025, 3): "29242", (2025, 4): "29518", (2026, 3): "29242"}  # Phường Trà Vinh, Xã Long Hữu
LATE_OWN = ((2026, 2), "29536", dt.date(2026, 8, 4))                     # Xã Đông Hải, late
CORRECTION = ("29266", 2025, 4, dt.date(2026, 1, 21))  # Xã Càng Long: 4 near-poor fewer than the compiled row
SAVINGS_MISSING = ("29410", "29533")                   # Xã Hòa Minh, Xã Long Vĩnh: not sent (overdue)


# ---------------------------------------------------------------------------------------------
# Reference data
# ---------------------------------------------------------------------------------------------
def load_new_units(old_communes: list[dict]) -> tuple[list[dict], dict[str, str]]:
    """The new communes that took in old province 84's communes (sorted by code) and old code -> new code."""
    old_codes = {c["code"] for c in old_communes}
    parent: dict[str, str] = {}
    with CROSSWALK.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["old_commune_code"] in old_codes:
                if row["merge_type"] != "full" or row["old_commune_code"] in parent:
                    raise RuntimeError(f"expected whole old communes: {row}")
                parent[row["old_commune_code"]] = row["new_commune_code"]
    new_codes = set(parent.values())
    units = []
    with ADMIN_UNITS_NEW.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["province_code"] == NEW_PROVINCE["code"] and row["commune_code"] in new_codes:
                units.append({"code": row["commune_code"], "full_name": row["commune_name"],
                              "type": row["commune_type"]})
    units.sort(key=lambda u: u["code"])
    if len(units) != 41 or sum(u["type"] == "Phường" for u in units) != 6 or set(parent) != old_codes:
        raise RuntimeError(f"expected 41 new communes (6 phường), found {len(units)}")
    for u in units:
        u["slug"] = ms.slugify(u["full_name"])
        u["parts"] = sorted(o for o, n in parent.items() if n == u["code"])
    return units, parent


# ---------------------------------------------------------------------------------------------
# Synthetic data
# ---------------------------------------------------------------------------------------------
POV_KEYS = ("total", "poor", "near_poor", "em", "em_poor", "em_near_poor")


def step_poverty(rng: random.Random, prev: list[dict], target: tuple) -> list[dict]:
    """Next year's review of these units from last year's: totals grow a little, poor and near-poor households
    (minority and not) never rise in a unit; the units add up to ``target``."""
    n = len(prev)
    tot_t, poor_t, near_t, em_t, em_poor_t, em_near_t = target
    total = ms.allocate(tot_t, [p["total"] * (1 + rng.uniform(-0.001, 0.004)) for p in prev], [10**9] * n)
    em = ms.allocate(em_t, [p["em"] * rng.uniform(0.995, 1.005) for p in prev], total)
    non_em = [t - e for t, e in zip(total, em)]
    jit = [rng.uniform(0.75, 1.25) for _ in range(n)]
    em_poor = ms.allocate(em_poor_t, [p["em_poor"] * j for p, j in zip(prev, jit)],
                          [min(p["em_poor"], e) for p, e in zip(prev, em)])
    ne_prev = [p["poor"] - p["em_poor"] for p in prev]
    ne_poor = ms.allocate(poor_t - em_poor_t, [x * j for x, j in zip(ne_prev, jit)],
                          [min(x, ne) for x, ne in zip(ne_prev, non_em)])
    jit = [rng.uniform(0.8, 1.2) for _ in range(n)]
    em_near = ms.allocate(em_near_t, [p["em_near_poor"] * j for p, j in zip(prev, jit)],
                          [min(p["em_near_poor"], e - ep) for p, e, ep in zip(prev, em, em_poor)])
    nn_prev = [p["near_poor"] - p["em_near_poor"] for p in prev]
    ne_near = ms.allocate(near_t - em_near_t, [x * j for x, j in zip(nn_prev, jit)],
                          [min(x, ne - np_) for x, ne, np_ in zip(nn_prev, non_em, ne_poor)])
    return [{"code": p["code"], "total": total[i], "poor": em_poor[i] + ne_poor[i],
             "near_poor": em_near[i] + ne_near[i], "em": em[i], "em_poor": em_poor[i],
             "em_near_poor": em_near[i]} for i, p in enumerate(prev)]


def sum_rows(code: str, rows: list[dict]) -> dict:
    return {"code": code, **{k: sum(r[k] for r in rows) for k in POV_KEYS}}


def flows_of(rng: random.Random, ward: bool, parts: int) -> dict:
    """A new commune's quarter of road works: as many draws as old communes it took in, summed."""
    draws = [ms.infrastructure_flows(rng, ward) for _ in range(parts)]
    return {k: sum(d[k] for d in draws) for k in draws[0]}


def gain(rng: random.Random, candidates: list[int], k: int, weights: list[float] | None = None) -> list[int]:
    if k > len(candidates):
        raise RuntimeError(f"cannot gain {k} statuses among {len(candidates)} candidates")
    return ms.weighted_order(rng, candidates, weights or [1.0] * len(candidates))[:k]


def make_later(rng, communes, last_poverty, last_infra, last_budget, new_units):
    """All later figures. ``last_*``: the 2023 rows of the old communes (poverty, 2023-Q4 infrastructure) and
    each district's 2023 budget (triệu đồng)."""
    out: dict = {"poverty": {}, "infra": {}, "savings": {}}
    # --- 2024 poverty, old communes --------------------------------------------------------------
    out["poverty"][2024] = step_poverty(rng, last_poverty, POVERTY_TARGETS_LATER[2024])
    # --- 2024-Q1 .. 2025-Q2 infrastructure, old communes ----------------------------------------
    n = len(communes)
    state = [dict(r) for r in last_infra]
    lead = [ms.DISTRICT_PROFILE[c["district"]][3] for c in communes]
    ocop_w = [1.0 + r["ocop"] for r in state]
    for yq in DISTRICT_QUARTERS:
        std, adv, mod, ocop = INFRA_TARGETS_LATER[yq]
        new_adv = adv - sum(r["ntm_adv"] for r in state)
        cand = [i for i in range(n) if state[i]["ntm"] and not state[i]["ntm_adv"]]
        for i in gain(rng, cand, new_adv, [lead[i] for i in cand]):
            state[i]["ntm_adv"] = True
        new_mod = mod - sum(r["ntm_mod"] for r in state)
        cand = [i for i in range(n) if state[i]["ntm_adv"] and not state[i]["ntm_mod"]]
        for i in gain(rng, cand, new_mod):
            state[i]["ntm_mod"] = True
        for i in rng.choices(range(n), weights=ocop_w, k=ocop - sum(r["ocop"] for r in state)):
            state[i]["ocop"] += 1
        rows = []
        for c, r in zip(communes, state):
            rows.append({"code": c["code"], **ms.infrastructure_flows(rng, ward=c["type"] == "Phường"),
                         "ntm": r["ntm"], "ntm_adv": r["ntm_adv"], "ntm_mod": r["ntm_mod"], "ocop": r["ocop"]})
        out["infra"][yq] = rows
        if sum(r["ntm"] for r in rows) != std:
            raise RuntimeError(f"NTM standard {yq}")
    # --- 2024 savings, districts -------------------------------------------------------------------
    for d in sorted(last_budget):
        budget = min(max(last_budget[d] * rng.uniform(1.02, 1.08), 360_000.0), 880_000.0)
        out["savings"][(d, 2024)] = ms.savings_rows(rng, budget)
    # --- 2025 poverty, new communes (in force; the compiled row of CORRECTION differs) ----------------
    by_old = {r["code"]: r for r in out["poverty"][2024]}
    prev = [sum_rows(u["code"], [by_old[o] for o in u["parts"]]) for u in new_units]
    out["poverty"][2025] = step_poverty(rng, prev, POVERTY_TARGETS_LATER[2025])
    # --- 2025-Q3 .. 2026-Q3 infrastructure, new communes ------------------------------------------
    kind = {c["code"]: c["type"] for c in communes}
    old_state = {c["code"]: r for c, r in zip(communes, state)}  # as of 2025-Q2
    nstate = []
    for u in new_units:
        xa_parts = [o for o in u["parts"] if kind[o] == "Xã"]
        is_xa = u["type"] == "Xã"
        std = is_xa and all(kind[o] != "Thị trấn" for o in u["parts"])
        adv = std and all(old_state[o]["ntm_adv"] for o in xa_parts)
        mod = adv and all(old_state[o]["ntm_mod"] for o in xa_parts)
        nstate.append({"ntm": std, "ntm_adv": adv, "ntm_mod": mod,
                       "ocop": sum(old_state[o]["ocop"] for o in u["parts"])})
    m = len(new_units)
    for yq in NEW_QUARTERS:
        g_std, g_adv, g_mod = NEW_STATUS_GAINS[yq]
        xa = [i for i in range(m) if new_units[i]["type"] == "Xã"]
        for flag, base, k in (("ntm", None, g_std), ("ntm_adv", "ntm", g_adv), ("ntm_mod", "ntm_adv", g_mod)):
            cand = [i for i in xa if not nstate[i][flag] and (base is None or nstate[i][base])]
            for i in gain(rng, cand, k):
                nstate[i][flag] = True
        weights = [1.0 + s["ocop"] for s in nstate]
        for i in rng.choices(range(m), weights=weights, k=NEW_OCOP_GAINS[yq]):
            nstate[i]["ocop"] += 1
        out["infra"][yq] = [{"code": u["code"], **flows_of(rng, u["type"] == "Phường", len(u["parts"])),
                             **dict(s)} for u, s in zip(new_units, nstate)]
    # --- 2025 savings, new communes' own budgets -----------------------------------------------------
    for u, p in zip(new_units, out["poverty"][2025]):
        budget = (20_000 + 5.0 * p["total"]) * rng.uniform(0.9, 1.1)
        out["savings"][(u["code"], 2025)] = ms.savings_rows(rng, budget)
    return out


def make_headers_later(rng: random.Random, districts: dict, new_units: list[dict]) -> dict:
    """Preparer and date of every later file; key (unit code, year, quarter or None)."""
    out = {}
    for d in sorted(districts):
        names = rng.sample(ms.PREPARERS, 2)
        for year in DISTRICT_YEARS:
            out[(d, year, None)] = {"by": names[0], "date": dt.date(year + 1, 1, rng.randint(5, 12))}
        for year, q in DISTRICT_QUARTERS:
            made = ms.quarter_end(year, q) + dt.timedelta(days=rng.randint(3, 8))
            out[(d, year, q)] = {"by": names[1], "date": made}
    province_by = rng.sample(ms.PREPARERS, 2)
    out[(NEW_PROVINCE["code"], 2025, None)] = {"by": province_by[0], "date": dt.date(2026, 1, rng.randint(8, 12))}
    for year, q in NEW_QUARTERS:
        made = ms.quarter_end(year, q) + dt.timedelta(days=rng.randint(5, 9))
        out[(NEW_PROVINCE["code"], year, q)] = {"by": province_by[1], "date": made}
    for u in new_units:
        by = rng.choice(ms.PREPARERS)
        out[(u["code"], 2025, None)] = {"by": by, "date": dt.date(2026, 1, rng.randint(12, 28))}
        for year, q in NEW_QUARTERS:
            out[(u["code"], year, q)] = {"by": by,
                                         "date": ms.quarter_end(year, q) + dt.timedelta(days=rng.randint(3, 8))}
    code, _, _, made = CORRECTION
    out[(code, 2025, None)]["date"] = made
    (year, q), code, made = LATE_OWN
    out[(code, year, q)]["date"] = made
    return out


# ---------------------------------------------------------------------------------------------
# Which files
# ---------------------------------------------------------------------------------------------
def own_infra() -> dict[tuple, str]:
    """(year, quarter) -> the commune that reports its own infrastructure that quarter."""
    return {**OWN_INFRA, LATE_OWN[0]: LATE_OWN[1]}


def later_files(districts: dict, new_units: list[dict]) -> dict[str, dict]:
    """File name -> what it holds: unit (dict with code, full_name), kind (district | compiled | own), year,
    quarter, sheets."""
    files = {}

    def add(unit, kind, year, q, sheets):
        suffix = f"{year}" if q is None else f"{year}-Q{q}"
        files[f"{unit['code']}_{unit['slug']}_{suffix}.xlsx"] = {
            "unit": unit, "kind": kind, "year": year, "q": q, "sheets": sheets}

    for d in sorted(districts):
        for year in DISTRICT_YEARS:
            add(districts[d], "district", year, None, ["Giảm nghèo", "Tiết kiệm"])
        for year, q in DISTRICT_QUARTERS:
            add(districts[d], "district", year, q, ["Hạ tầng"])
    add(NEW_PROVINCE, "compiled", 2025, None, ["Giảm nghèo"])
    for year, q in NEW_QUARTERS:
        add(NEW_PROVINCE, "compiled", year, q, ["Hạ tầng"])
    for (year, q), code in own_infra().items():
        add(next(u for u in new_units if u["code"] == code), "own", year, q, ["Hạ tầng"])
    for u in new_units:
        if u["code"] == CORRECTION[0]:
            add(u, "own", 2025, None, ["Giảm nghèo", "Tiết kiệm"])
        elif u["code"] not in SAVINGS_MISSING:
            add(u, "own", 2025, None, ["Tiết kiệm"])
    return files


def compiled_rows(new_units, rows, yq) -> tuple[list[dict], list[dict]]:
    """The communes and rows of the compiled workbook of a period: all but those reporting their own."""
    own = own_infra().get(yq)
    keep = [k for k, u in enumerate(new_units) if u["code"] != own]
    return [new_units[k] for k in keep], [rows[k] for k in keep]


# ---------------------------------------------------------------------------------------------
# Build
# ---------------------------------------------------------------------------------------------
def build_later(out_dir: Path, districts: dict, communes: list[dict], poverty: dict, infra: dict,
                savings: dict) -> list[Path]:
    """Write the later files; the arguments are make_sample.build's (2021-2023) figures, read only."""
    rng = random.Random(SEED_LATER)
    new_units, _ = load_new_units(communes)
    last_budget = {d: sum(r["budget_t"] for r in savings[(d, 2023)]) / 10 for d in districts}
    data = make_later(rng, communes, poverty[2023], infra[(2023, 4)], last_budget, new_units)
    headers = make_headers_later(rng, districts, new_units)
    written = []
    for name, f in later_files(districts, new_units).items():
        unit, year, q = f["unit"], f["year"], f["q"]
        head = headers[(unit["code"], year, q)]
        wb = ms.new_workbook(head["by"])
        ms.write_info(wb, unit, f"Năm {year}" if q is None else f"Quý {ms.ROMAN[q]}/{year}", head)
        if f["kind"] == "district":
            idx = [i for i, c in enumerate(communes) if c["district"] == unit["code"]]
            members = [communes[i] for i in idx]
            if q is None:
                ms.write_poverty(wb, unit, members, [data["poverty"][year][i] for i in idx], year)
                ms.write_savings(wb, unit, data["savings"][(unit["code"], year)], year)
            else:
                ms.write_infra(wb, unit, members, [data["infra"][(year, q)][i] for i in idx], year, q)
        elif f["kind"] == "compiled":
            if q is None:
                rows = [dict(r) for r in data["poverty"][year]]
                k = next(k for k, u in enumerate(new_units) if u["code"] == CORRECTION[0])
                rows[k]["near_poor"] += CORRECTION[2]  # the compiled row the commune's own report corrects
                ms.write_poverty(wb, unit, new_units, rows, year)
            else:
                members, rows = compiled_rows(new_units, data["infra"][(year, q)], (year, q))
                ms.write_infra(wb, unit, members, rows, year, q)
        else:
            k = next(k for k, u in enumerate(new_units) if u["code"] == unit["code"])
            if q is None:
                if "Giảm nghèo" in f["sheets"]:
                    ms.write_poverty(wb, unit, [unit], [data["poverty"][year][k]], year)
                ms.write_savings(wb, unit, data["savings"][(unit["code"], year)], year)
            else:
                ms.write_infra(wb, unit, [unit], [data["infra"][(year, q)][k]], year, q)
        path = out_dir / name
        ms.save_deterministic(wb, path, head["date"])
        written.append(path)
    return written


# ---------------------------------------------------------------------------------------------
# Verification
# ---------------------------------------------------------------------------------------------
def due_date(family: str, year: int, q: int | None) -> dt.date:
    if q is not None:
        return ms.quarter_end(year, q) + dt.timedelta(days=10)
    return dt.date(year + 1, 1, 15 if family == "poverty" else 31)


def _header(path: Path, sheets: list[str]) -> dict:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ms._check(wb.sheetnames == ["Thông tin", *sheets], f"{path.name}: sheets {wb.sheetnames}")
    kv = {r[0]: r[1] for r in wb["Thông tin"].iter_rows(values_only=True)}
    for sheet in sheets:  # cell types, as make_sample.verify checks them
        for row in wb[sheet].iter_rows(min_row=ms.FIRST_DATA_ROW):
            if row[1].value in (ms.TOTAL_LABEL, None) or row[1].value in ms.FOOTER_LABELS:
                continue
            ms._check(isinstance(row[0].value, int), f"{path.name}/{sheet}: STT type")
            if sheet != "Tiết kiệm":
                ms._check(isinstance(row[2].value, str), f"{path.name}/{sheet}: code not text")
            for cell in row[2 if sheet == "Tiết kiệm" else 3:]:
                ms._check(cell.value is None or cell.value == "x" or isinstance(cell.value, (int, float)),
                          f"{path.name}/{sheet}!{cell.coordinate}: {cell.value!r}")
    wb.close()
    return kv


def _poverty_rows(path: Path, names: dict[str, str]) -> dict[str, tuple]:
    data, total = ms._parse_data(ms._read_sheet(path, "Giảm nghèo"), ms.POVERTY_HEADER, f"{path.name}/Giảm nghèo")
    out = {}
    for row in data:
        code = row[2]
        ms._check(code in names and row[1] == names[code] and code not in out, f"{path.name}: commune {code}")
        t, p, n, e, ep, en = vals = tuple(int(v) for v in row[3:9])
        ms._check(min(vals) >= 0 and p + n <= t and e <= t and ep + en <= e and ep <= p and en <= n,
                  f"{path.name}: poverty rules {code} {vals}")
        out[code] = vals
    ms._check([int(v) for v in total[3:9]] == [sum(c) for c in zip(*out.values())], f"{path.name}: total row")
    return out


def _infra_rows(path: Path, names: dict[str, str], kinds: dict[str, str], scale: int = 1) -> dict[str, tuple]:
    """code -> (rural, green, lit in hundredths of km, investment, contribution in tenths, std, adv, mod, ocop);
    ``scale``: how many old communes a row may stand for (ranges)."""
    data, total = ms._parse_data(ms._read_sheet(path, "Hạ tầng"), ms.INFRA_HEADER, f"{path.name}/Hạ tầng")
    out = {}
    for row in data:
        code = row[2]
        ms._check(code in names and row[1] == names[code] and code not in out, f"{path.name}: commune {code}")
        ms._check(all(v is not None and ms._decimals(v) <= 2 for v in row[3:6]), f"{path.name}: km {code}")
        ms._check(all(v is not None and ms._decimals(v) <= 1 for v in row[6:8]), f"{path.name}: money {code}")
        rk, gk, lk = (int(round(float(v) * 100)) for v in row[3:6])
        inv, con = (int(round(float(v) * 10)) for v in row[6:8])
        ms._check(0 <= rk <= 300 * scale and 0 <= gk <= 150 * scale and 0 <= lk <= 200 * scale, f"{path.name}: km")
        ms._check(inv == 0 or 2000 <= inv <= 60000 * scale, f"{path.name}: investment {inv}")
        ms._check((inv == 0 and con == 0) or 0.05 * inv - scale <= con <= 0.30 * inv + scale,
                  f"{path.name}: contribution {con} of {inv}")
        ms._check(all(v in (None, "x") for v in row[8:11]), f"{path.name}: NTM cell {code}")
        flags = tuple(int(v is not None) for v in row[8:11])
        ms._check(kinds[code] == "Xã" or flags == (0, 0, 0), f"{path.name}: NTM on non-xã {code}")
        ms._check(flags[0] >= flags[1] >= flags[2], f"{path.name}: NTM levels {code}")
        out[code] = (rk, gk, lk, inv, con, *flags, int(row[11]))
    tot = [int(round(float(v) * 100)) for v in total[3:6]] + [int(round(float(v) * 10)) for v in total[6:8]] \
        + [int(v) for v in total[8:12]]
    ms._check(tot == [sum(c) for c in zip(*out.values())], f"{path.name}: total row")
    return out


def _savings_total(path: Path) -> list[int]:
    data, total = ms._parse_data(ms._read_sheet(path, "Tiết kiệm"), ms.SAVINGS_HEADER, f"{path.name}/Tiết kiệm")
    ms._check([r[1] for r in data] == [c[0] for c in ms.SAVINGS_CATEGORIES], f"{path.name}: categories")
    sums = [0, 0, 0]
    for row in data:
        ms._check(all(ms._decimals(v) <= 1 for v in row[2:5]), f"{path.name}: savings decimals")
        b, pl, a = (int(round(float(v) * 10)) for v in row[2:5])
        ms._check(0 < pl < 0.1 * b and 0.85 * pl <= a <= 1.15 * pl, f"{path.name}: savings plan/achieved")
        sums = [s + x for s, x in zip(sums, (b, pl, a))]
    ms._check([int(round(float(v) * 10)) for v in total[2:5]] == sums, f"{path.name}: savings total")
    return sums


def verify_later(out_dir: Path, districts: dict, communes: list[dict], files: list[Path], early: dict) -> dict:
    """Check the later files (``files``: every non-plan workbook of ``out_dir``). ``early``: make_sample.verify's
    per-commune 2023 figures (``poor_near``, ``prev_total``, ``ntm``, ``ocop`` keyed (code, period))."""
    new_units, parent = load_new_units(communes)
    plan = later_files(districts, new_units)
    early_names = {f.name for f in files} - set(plan)
    ms._check(set(plan) <= {f.name for f in files}, f"later files missing: {sorted(set(plan) - {f.name for f in files})}")
    ms._check(not any(n.startswith(NEW_PROVINCE["code"] + "_") or n[:5].isdigit() for n in early_names),
              "unexpected new-unit files")
    old_names = {c["code"]: c["full_name"] for c in communes}
    old_kind = {c["code"]: c["type"] for c in communes}
    new_names = {u["code"]: u["full_name"] for u in new_units}
    new_kind = {u["code"]: u["type"] for u in new_units}
    by_district = {d: {c["code"]: c["full_name"] for c in communes if c["district"] == d} for d in districts}

    # in force: (family, period) -> code -> (values, Ngày lập, file); versions: every row received
    in_force: dict[tuple, dict] = {}
    versions: dict[tuple, list] = {}
    savings: dict[str, list[int]] = {}
    for name, f in sorted(plan.items()):
        path = out_dir / name
        unit, year, q, kind = f["unit"], f["year"], f["q"], f["kind"]
        kv = _header(path, f["sheets"])
        ms._check(kv["Đơn vị"] == unit["full_name"] and kv["Mã đơn vị"] == unit["code"]
                  and isinstance(kv["Mã đơn vị"], str), f"{name}: unit")
        ms._check(kv["Kỳ báo cáo"] == (f"Năm {year}" if q is None else f"Quý {ms.ROMAN[q]}/{year}"), f"{name}: period")
        ms._check(bool(kv.get("Người lập")), f"{name}: Người lập")
        made = kv["Ngày lập"].date()
        ms._check(ms.received_date(path) == made, f"{name}: modification time is not the day it was made")
        end = dt.date(year, 12, 31) if q is None else ms.quarter_end(year, q)
        ms._check((end <= dt.date(2025, 6, 30)) == (kind == "district"), f"{name}: unit of the wrong generation")
        ms._check(end < made <= dt.date(2026, 12, 3), f"{name}: made {made}")
        fams = ["savings" if s == "Tiết kiệm" else "poverty" for s in f["sheets"]]
        late = made > min(due_date(fam, year, q) for fam in fams)
        is_late = (kind == "own" and ((year, q), unit["code"]) == LATE_OWN[:2])
        is_correction = (kind == "own" and q is None and unit["code"] == CORRECTION[0])
        ms._check(late == (is_late or is_correction), f"{name}: made {made}, due {due_date('poverty', year, q)}")
        names, kinds, scale = (by_district[unit["code"]], old_kind, 1) if kind == "district" else (
            new_names, new_kind, 4)
        if kind == "own":
            names = {unit["code"]: unit["full_name"]}
        for sheet in f["sheets"]:
            if sheet == "Tiết kiệm":
                b, pl, a = savings.setdefault(unit["code"], _savings_total(path))
                lo, hi = (350_000, 900_000) if kind == "district" else (15_000, 150_000)
                ms._check(lo * 10 <= b <= hi * 10, f"{name}: budget size {b / 10}")
                continue
            fam = "poverty" if sheet == "Giảm nghèo" else "infrastructure"
            rows = _poverty_rows(path, names) if fam == "poverty" else _infra_rows(path, names, kinds, scale)
            if kind == "district":
                ms._check(set(rows) == set(names), f"{name}: communes missing")
            elif kind == "own":
                ms._check(list(rows) == [unit["code"]], f"{name}: own report of another unit")
            key = (fam, year, q)
            for code, vals in rows.items():
                versions.setdefault(key, []).append((code, vals, made, name))
                cur = in_force.setdefault(key, {}).get(code)
                if cur is None or made > cur[1]:
                    in_force[key][code] = (vals, made, name)

    # one row in force per expected commune; every overlap is the correction, decided by the later Ngày lập
    for key, got in in_force.items():
        fam, year, q = key
        end = dt.date(year, 12, 31) if q is None else ms.quarter_end(year, q)
        expect = set(old_names) if end <= dt.date(2025, 6, 30) else set(new_names)
        ms._check(set(got) == expect, f"{key}: {len(got)} communes in force of {len(expect)}")
        overlaps = len(versions[key]) - len(got)
        ms._check(overlaps == (1 if key == ("poverty", CORRECTION[1], None) else 0), f"{key}: {overlaps} overlaps")
    want = {("poverty", y, None) for y in (*DISTRICT_YEARS, *NEW_YEARS)} \
        | {("infrastructure", y, q) for y, q in (*DISTRICT_QUARTERS, *NEW_QUARTERS)}
    ms._check(set(in_force) == want, f"periods {sorted(in_force)}")
    code, year, fewer, _ = CORRECTION
    (old_row, new_row) = sorted((v for v in versions[("poverty", year, None)] if v[0] == code), key=lambda v: v[2])
    ms._check(in_force[("poverty", year, None)][code][2] == new_row[3], "correction not in force")
    ms._check([a - b for a, b in zip(old_row[1], new_row[1])] == [0, 0, fewer, 0, 0, 0], "correction: what changed")
    ms._check(set(savings) == set(districts) | (set(new_names) - set(SAVINGS_MISSING)), "savings reports")

    # province totals, and each commune's trajectory
    pov = {y: [sum(c) for c in zip(*(v[0] for v in in_force[("poverty", y, None)].values()))]
           for y in (*DISTRICT_YEARS, *NEW_YEARS)}
    for y, target in POVERTY_TARGETS_LATER.items():
        ms._check(tuple(pov[y]) == target, f"poverty {y}: {pov[y]} != {target}")
    prev = {c: (early["prev_total"][(c, 2023)], *early["poor_near"][(c, 2023)]) for c in old_names}
    p24 = {c: v[0] for c, v in in_force[("poverty", 2024, None)].items()}
    p25 = {c: v[0] for c, v in in_force[("poverty", 2025, None)].items()}
    summed = {n: [sum(p24[o][k] for o in parts) for k in range(6)]
              for n, parts in ((u["code"], u["parts"]) for u in new_units)}
    for a, b in [(prev[c], p24[c][:3]) for c in old_names] + [(summed[c][:3], p25[c][:3]) for c in new_names]:
        ms._check(abs(b[0] - a[0]) <= max(3, 0.015 * a[0]) and b[1] <= a[1] and b[2] <= a[2],
                  f"poverty trajectory {a} -> {b}")
    infra_tot = {}
    last_flags = {c: early["ntm"][(c, (2023, 4))] for c in old_names}
    last_ocop = {c: early["ocop"][(c, (2023, 4))] for c in old_names}
    for yq in (*DISTRICT_QUARTERS, *NEW_QUARTERS):
        rows = {c: v[0] for c, v in in_force[("infrastructure", *yq)].items()}
        if yq == NEW_QUARTERS[0]:  # the new communes: OCOP summed, statuses their own from here on
            last_ocop = {n: sum(last_ocop[o] for o in u["parts"]) for n, u in ((u["code"], u) for u in new_units)}
            last_flags = {c: (False, False, False) for c in new_names}
        for c, v in rows.items():
            ms._check(all(a <= b for a, b in zip(last_flags[c], v[5:8])), f"{yq}: NTM status lost {c}")
            ms._check(v[8] >= last_ocop[c], f"{yq}: OCOP down {c}")
        last_flags = {c: tuple(bool(x) for x in v[5:8]) for c, v in rows.items()}
        last_ocop = {c: v[8] for c, v in rows.items()}
        infra_tot[yq] = tuple(sum(v[k] for v in rows.values()) for k in (5, 6, 7, 8))
        if yq in INFRA_TARGETS_LATER:
            ms._check(infra_tot[yq] == INFRA_TARGETS_LATER[yq], f"infrastructure {yq}: {infra_tot[yq]}")
    ocop_new = [infra_tot[yq][3] for yq in NEW_QUARTERS]
    ms._check([b - a for a, b in zip([infra_tot[DISTRICT_QUARTERS[-1]][3], *ocop_new], ocop_new)]
              == [NEW_OCOP_GAINS[yq] for yq in NEW_QUARTERS], f"OCOP of the new communes {ocop_new}")
    return {"files": len(plan), "poverty": pov, "infrastructure": infra_tot, "savings_reports": len(savings)}
