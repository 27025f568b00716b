"""A national-scale inbox of synthetic, valid district reports for the benchmark (cached, deterministic).

Usage::

    .venv/bin/python benchmarks/generate.py [--fraction 1|0.5|0.25] [--cache DIR] [--force]

For every district-level unit of Viet Nam in ``seeds/reference/admin_units.csv`` (691 units, 10,047 communes)
it writes one year (2023) of reports in the district report format (version 1), laid out like the embedded
sample (``seeds/make_sample.py``): a ``Thông tin`` header sheet (``Đơn vị``, ``Mã đơn vị`` as text,
``Kỳ báo cáo``, ``Ngày lập`` before the due date, ``Người lập``) and one data sheet with title rows, the header
on row 4, one row per commune (name with its type, commune code as text) or per savings category, a
``Tổng cộng`` row equal to the sums, a blank row and the signature footer. Six workbooks per district:

* ``<province>/<district>_<slug>_2023_giam-ngheo.xlsx``  (``Giảm nghèo``, Năm 2023)
* ``<province>/<district>_<slug>_2023_tiet-kiem.xlsx``   (``Tiết kiệm``, Năm 2023)
* ``<province>/<district>_<slug>_2023-Q1.xlsx`` … ``-Q4`` (``Hạ tầng``, Quý I…IV/2023)

so ``6 × 691 = 4,146`` files. Beside the inbox: ``reference/`` (admin_units.csv, savings_categories.csv and the
units and commune crosswalk of 2025-07-01 copied, and a reporting_calendar.csv for every province of the selected districts: poverty 2023 due 2024-01-15,
savings 2023 due 2024-01-31, infrastructure 2023-Q1..Q4 due the 10th day after the quarter) and
``totals.json`` (the generator's national totals, for the benchmark's correctness line).

Determinism: every district draws from its own ``random.Random`` seeded by (SEED, district code), workbook
properties and zip members carry fixed timestamps, and every file's modification time is set to its
``Ngày lập`` (16:00 Viet Nam time), so the same version writes the same bytes and the warehouse gets the same
``received_at``. ``--fraction`` keeps the first N districts by code (N = round(fraction × 691)); a district's
files are the same at every fraction, so a smaller inbox is a subset of the full one (and is made of hard links
to it when the full inbox is already cached).

Cache: ``benchmarks/.cache/gen-v<VERSION>-f<fraction>-<key>/`` where the key hashes the generator version, the
fraction and the reference CSVs; a directory is only used once its ``.complete`` marker exists (it is built
under a temporary name and renamed into place).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import json
import math
import multiprocessing
import os
import random
import re
import shutil
import sys
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SEED_REFERENCE = ROOT / "seeds" / "reference"
DEFAULT_CACHE = HERE / ".cache"

REFERENCE_2025 = ("admin_units_2025-07-01.csv", "commune_crosswalk_2025-07-01.csv")
GENERATOR_VERSION = 3  # 2: workbooks saved with the sample's deterministic_bytes; 3: the 2025-07-01 reference
# files copied, the calendar with reporting_level and old_province_code
SEED = 20231231
YEAR = 2023
QUARTERS = (1, 2, 3, 4)
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
VIETNAM = dt.timezone(dt.timedelta(hours=7))

POVERTY_DUE = dt.date(YEAR + 1, 1, 15)
SAVINGS_DUE = dt.date(YEAR + 1, 1, 31)

# Same labels, layout and categories as the embedded sample (the spec's canonical labels).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "seeds"))
from make_sample import (FOOTER_LABELS, INFRA_HEADER, POVERTY_HEADER, SAVINGS_CATEGORIES,  # noqa: E402
                         SAVINGS_HEADER, TOTAL_LABEL, deterministic_bytes, infrastructure_flows,
                         savings_rows)

PREPARERS = [
    "Nguyễn Thị Thu Hà", "Trần Văn Phúc", "Lê Minh Tâm", "Phạm Quốc Bảo", "Huỳnh Thị Mỹ Linh",
    "Võ Thanh Tùng", "Dương Thị Kim Loan", "Nguyễn Hoàng Nam", "Trương Thị Bích Ngọc", "Đặng Văn Hiếu",
    "Lý Thị Hồng Nhung", "Châu Văn Thành", "Hoàng Văn Đức", "Bùi Thị Lan", "Đỗ Minh Khoa",
]
TOTAL_KEYS = ("total_households", "poor_households", "near_poor_households", "em_households",
              "em_poor_households", "em_near_poor_households", "ntm_communes_q4", "ntm_advanced_communes_q4",
              "ntm_model_communes_q4", "ocop_products_q4", "investment_vnd", "people_contribution_vnd",
              "budget_vnd", "planned_savings_vnd", "achieved_savings_vnd", "communes", "districts", "files")


# ---------------------------------------------------------------------------------------------- helpers

def ascii_fold(text: str) -> str:
    text = text.replace("Đ", "D").replace("đ", "d")
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if unicodedata.category(ch) != "Mn")


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", ascii_fold(text).lower()).strip("-")


def num(units: int, scale: int):
    """A fixed-point amount (integer ``units`` of 1/``scale``) as an int or a short float."""
    if units % scale == 0:
        return units // scale
    return round(units / scale, 2)


def quarter_end(year: int, q: int) -> dt.date:
    nxt = dt.date(year + 1, 1, 1) if q == 4 else dt.date(year, 3 * q + 1, 1)
    return nxt - dt.timedelta(days=1)


def quarter_due(year: int, q: int) -> dt.date:
    return quarter_end(year, q) + dt.timedelta(days=10)


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ---------------------------------------------------------------------------------------------- reference

@dataclass(frozen=True)
class Commune:
    code: str
    name: str
    type: str  # as in admin_units.csv ('Xã', 'Phường', 'Thị trấn', sometimes 'Thị Trấn')

    @property
    def full_name(self) -> str:
        return f"{self.type} {self.name}"

    @property
    def is_xa(self) -> bool:  # NTM applies to xã only
        return ascii_fold(self.type).lower() == "xa"


@dataclass(frozen=True)
class District:
    code: str
    name: str
    type: str
    province_code: str
    province_name: str
    communes: tuple[Commune, ...]

    @property
    def full_name(self) -> str:
        return f"{self.type} {self.name}"

    @property
    def slug(self) -> str:
        return slugify(self.name)

    @property
    def folder(self) -> str:
        return f"{self.province_code}-{slugify(self.province_name)}"


def load_districts(reference: Path = SEED_REFERENCE) -> list[District]:
    """Every district-level unit with its communes (file order), sorted by district code."""
    rows: dict[str, dict] = {}
    with open(reference / "admin_units.csv", encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            d = rows.setdefault(row["district_code"], {"row": row, "communes": []})
            d["communes"].append(Commune(row["commune_code"], row["commune_name"], row["commune_type"]))
    return [District(code, v["row"]["district_name"], v["row"]["district_type"], v["row"]["province_code"],
                     v["row"]["province_name"], tuple(v["communes"])) for code, v in sorted(rows.items())]


def select(districts: list[District], fraction: float) -> list[District]:
    if not 0 < fraction <= 1:
        raise ValueError(f"fraction must be in (0, 1], not {fraction}")
    n = max(1, round(len(districts) * fraction))
    return districts[:n]


# ---------------------------------------------------------------------------------------------- data

def _province_profile(province_code: str) -> dict:
    rng = random.Random(f"{SEED}:province:{province_code}")
    return {
        "poverty": rng.uniform(0.006, 0.11),   # poor households / households
        "em_share": rng.choice([0.01, 0.03, 0.08, 0.2, 0.45, 0.75, 0.9]) * rng.uniform(0.6, 1.1),
        "ntm": rng.uniform(0.45, 0.97),         # share of xã meeting the NTM standard
        "ocop": rng.uniform(0.2, 2.5),
    }


def district_data(district: District, *, correction: bool = False) -> dict:
    """Every figure of one district's six reports (pure: depends only on SEED and the district)."""
    rng = random.Random(f"{SEED}:district:{district.code}")
    prof = _province_profile(district.province_code)
    communes = district.communes

    # --- poverty (households as of year end) ---------------------------------------------------
    poverty = []
    for c in communes:
        t = c.type.lower()
        if t == "phường":
            total = rng.randint(1_800, 9_000)
            pf = 0.35
        elif t == "thị trấn":
            total = rng.randint(1_500, 6_000)
            pf = 0.6
        else:
            total = rng.randint(700, 4_500)
            pf = 1.0
        rate = min(0.45, prof["poverty"] * pf * rng.uniform(0.5, 1.7))
        poor = round(total * rate)
        near = min(total - poor, round(total * rate * rng.uniform(0.8, 1.6)))
        share = min(0.98, prof["em_share"] * rng.uniform(0.5, 1.5))
        em = round(total * share)
        em_tilt = min(1.0, share * rng.uniform(1.0, 1.4))
        em_poor = min(em, poor, round(poor * em_tilt))
        em_near = min(em - em_poor, near, round(near * em_tilt))
        poverty.append({"total": total, "poor": poor, "near": near, "em": em, "em_poor": em_poor,
                        "em_near": em_near})

    # --- infrastructure: NTM certification quarter per level (0 = before 2023, 5 = not in 2023) ---
    ntm_q, adv_q, mod_q, ocop0 = [], [], [], []
    for c in communes:
        if c.is_xa:
            u = rng.random()
            if u < prof["ntm"]:
                s = 0
            elif u < prof["ntm"] + 0.06:
                s = rng.randint(1, 4)
            else:
                s = 5
            a = max(s, 0 if rng.random() < 0.6 else rng.randint(1, 5)) if s < 5 and rng.random() < 0.4 else 5
            m = max(a, rng.randint(0, 5)) if a < 5 and rng.random() < 0.25 else 5
        else:
            s = a = m = 5
        ntm_q.append(s)
        adv_q.append(a)
        mod_q.append(m)
        ocop0.append(min(12, int(rng.expovariate(1.0 / prof["ocop"]))))
    infra: dict[int, list[dict]] = {}
    ocop = list(ocop0)
    for q in QUARTERS:
        rows = []
        for i, c in enumerate(communes):
            flows = infrastructure_flows(rng, ward=c.type.lower() == "phường")
            if rng.random() < 0.12:
                ocop[i] += 1
            rows.append({
                **flows,
                "ntm": ntm_q[i] <= q, "ntm_adv": adv_q[i] <= q, "ntm_mod": mod_q[i] <= q,
                "ocop": ocop[i],
            })
        infra[q] = rows

    # --- savings (tenths of triệu đồng) ---------------------------------------------------------
    hh = sum(p["total"] for p in poverty)
    budget = min(2_500_000.0, max(250_000.0, hh * rng.uniform(6.0, 12.0)))
    savings = savings_rows(rng, budget)

    # --- headers ---------------------------------------------------------------------------------
    preparers = rng.sample(PREPARERS, 2)
    dates = {
        "poverty": dt.date(YEAR + 1, 1, rng.randint(3, 11)),
        "savings": dt.date(YEAR + 1, 1, rng.randint(5, 25)),
        **{q: quarter_end(YEAR, q) + dt.timedelta(days=rng.randint(2, 8)) for q in QUARTERS},
    }
    data = {"poverty": poverty, "infra": infra, "savings": savings, "preparers": preparers, "dates": dates}
    if correction:
        data = corrected(data)
    return data


def corrected(data: dict) -> dict:
    """The same district's poverty report as corrected: a few household counts changed, made 3 days later
    (still before the due date)."""
    poverty = [dict(p) for p in data["poverty"]]
    n = len(poverty)
    for i in range(min(3, n)):          # three communes counted again: a few more households
        poverty[i]["total"] += 5 + i
    for i in range(min(2, n)):          # two households moved from poor to near-poor
        p = poverty[n - 1 - i]
        if p["poor"] > p["em_poor"]:
            p["poor"] -= 1
            p["near"] += 1
    dates = dict(data["dates"])
    dates["poverty"] = min(POVERTY_DUE - dt.timedelta(days=1), dates["poverty"] + dt.timedelta(days=3))
    return {**data, "poverty": poverty, "dates": dates}


def district_totals(data: dict) -> dict[str, int]:
    """The district's contribution to the national totals (canonical units: households, VND)."""
    pov = data["poverty"]
    q4 = data["infra"][4]
    return {
        "total_households": sum(p["total"] for p in pov),
        "poor_households": sum(p["poor"] for p in pov),
        "near_poor_households": sum(p["near"] for p in pov),
        "em_households": sum(p["em"] for p in pov),
        "em_poor_households": sum(p["em_poor"] for p in pov),
        "em_near_poor_households": sum(p["em_near"] for p in pov),
        "ntm_communes_q4": sum(1 for r in q4 if r["ntm"]),
        "ntm_advanced_communes_q4": sum(1 for r in q4 if r["ntm_adv"]),
        "ntm_model_communes_q4": sum(1 for r in q4 if r["ntm_mod"]),
        "ocop_products_q4": sum(r["ocop"] for r in q4),
        "investment_vnd": sum(r["invest_t"] for q in QUARTERS for r in data["infra"][q]) * 100_000,
        "people_contribution_vnd": sum(r["contrib_t"] for q in QUARTERS for r in data["infra"][q]) * 100_000,
        "budget_vnd": sum(s["budget_t"] for s in data["savings"]) * 100_000,
        "planned_savings_vnd": sum(s["plan_t"] for s in data["savings"]) * 100_000,
        "achieved_savings_vnd": sum(s["ach_t"] for s in data["savings"]) * 100_000,
    }


# ---------------------------------------------------------------------------------------------- workbooks

BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="center", horizontal="center")
CENTER = Alignment(horizontal="center")


class _Book:
    """A write-only openpyxl workbook with the sample's layout helpers."""

    def __init__(self, author: str):
        self.wb = Workbook(write_only=True)
        self.wb.properties.creator = author

    def _cell(self, ws, value, *, font=None, number_format=None, alignment=None):
        cell = WriteOnlyCell(ws, value=value)
        if font is not None:
            cell.font = font
        if number_format is not None:
            cell.number_format = number_format
        if alignment is not None:
            cell.alignment = alignment
        return cell

    def info(self, district: District, period_label: str, made: dt.date, by: str) -> None:
        ws = self.wb.create_sheet("Thông tin")
        ws.column_dimensions["A"].width = 16
        ws.column_dimensions["B"].width = 28
        for key, value in (("Đơn vị", district.full_name), ("Mã đơn vị", district.code),
                           ("Kỳ báo cáo", period_label), ("Ngày lập", made), ("Người lập", by)):
            fmt = "@" if key == "Mã đơn vị" else "dd/mm/yyyy" if key == "Ngày lập" else None
            ws.append([self._cell(ws, key, font=BOLD), self._cell(ws, value, number_format=fmt)])

    def data_sheet(self, name: str, title: str, district: District, header: list[str], rows: list[list],
                   total: list, code_column: int | None = 2):
        """Title rows, header on row 4, data rows, the total row, a blank row, the footer."""
        ws = self.wb.create_sheet(name)
        ws.column_dimensions["A"].width = 5
        ws.column_dimensions["B"].width = 30
        ws.append([self._cell(ws, title, font=BOLD)])
        ws.append([f"Đơn vị: {district.full_name}"])
        ws.append([])
        ws.append([self._cell(ws, label, font=BOLD, alignment=WRAP) for label in header])
        for row in rows:
            if code_column is not None:
                row = list(row)
                row[code_column] = self._cell(ws, row[code_column], number_format="@")
            ws.append(row)
        ws.append([None, self._cell(ws, TOTAL_LABEL, font=BOLD)]
                  + [self._cell(ws, v, font=BOLD) for v in total])
        ws.append([])
        for label in FOOTER_LABELS:
            ws.append([None, self._cell(ws, label, font=BOLD)])

    def save(self, path: Path, made: dt.date) -> None:
        """Bytes that depend only on the content (fixed timestamps), mtime = the report date 16:00 (VN)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_bytes(deterministic_bytes(self.wb))
        stamp_time = dt.datetime.combine(made, dt.time(16, 0), VIETNAM).timestamp()
        os.utime(tmp, (stamp_time, stamp_time))
        os.replace(tmp, path)


def poverty_path(inbox: Path, d: District) -> Path:
    return inbox / d.folder / f"{d.code}_{d.slug}_{YEAR}_giam-ngheo.xlsx"


def write_poverty(inbox: Path, d: District, data: dict) -> Path:
    book = _Book(data["preparers"][0])
    made = data["dates"]["poverty"]
    book.info(d, f"Năm {YEAR}", made, data["preparers"][0])
    keys = ("total", "poor", "near", "em", "em_poor", "em_near")
    rows = [[k, c.full_name, c.code] + [p[key] for key in keys]
            for k, (c, p) in enumerate(zip(d.communes, data["poverty"]), start=1)]
    total = [None] + [sum(p[key] for p in data["poverty"]) for key in keys]
    book.data_sheet("Giảm nghèo", f"BÁO CÁO KẾT QUẢ RÀ SOÁT HỘ NGHÈO, HỘ CẬN NGHÈO NĂM {YEAR}", d,
                    POVERTY_HEADER, rows, total)
    path = poverty_path(inbox, d)
    book.save(path, made)
    return path


def write_infra(inbox: Path, d: District, data: dict, q: int) -> Path:
    by = data["preparers"][1]
    made = data["dates"][q]
    book = _Book(by)
    book.info(d, f"Quý {ROMAN[q]}/{YEAR}", made, by)
    fixed = (("rural_h", 100), ("green_h", 100), ("lit_h", 100), ("invest_t", 10), ("contrib_t", 10))
    flags = ("ntm", "ntm_adv", "ntm_mod")
    rows = []
    for k, (c, r) in enumerate(zip(d.communes, data["infra"][q]), start=1):
        rows.append([k, c.full_name, c.code] + [num(r[key], scale) for key, scale in fixed]
                    + ["x" if r[key] else None for key in flags] + [r["ocop"]])
    qrows = data["infra"][q]
    total = ([None] + [num(sum(r[key] for r in qrows), scale) for key, scale in fixed]
             + [sum(1 for r in qrows if r[key]) for key in flags] + [sum(r["ocop"] for r in qrows)])
    book.data_sheet("Hạ tầng",
                    f"BÁO CÁO KẾT QUẢ XÂY DỰNG NÔNG THÔN MỚI, KẾT CẤU HẠ TẦNG QUÝ {ROMAN[q]}/{YEAR}",
                    d, INFRA_HEADER, rows, total)
    path = inbox / d.folder / f"{d.code}_{d.slug}_{YEAR}-Q{q}.xlsx"
    book.save(path, made)
    return path


def write_savings(inbox: Path, d: District, data: dict) -> Path:
    by = data["preparers"][0]
    made = data["dates"]["savings"]
    book = _Book(by)
    book.info(d, f"Năm {YEAR}", made, by)
    keys = ("budget_t", "plan_t", "ach_t")
    rows = [[k, s["label"]] + [num(s[key], 10) for key in keys]
            for k, s in enumerate(data["savings"], start=1)]
    total = [num(sum(s[key] for s in data["savings"]), 10) for key in keys]
    book.data_sheet("Tiết kiệm", f"BÁO CÁO KẾT QUẢ THỰC HÀNH TIẾT KIỆM, CHỐNG LÃNG PHÍ NĂM {YEAR}", d,
                    SAVINGS_HEADER, rows, total, code_column=None)
    path = inbox / d.folder / f"{d.code}_{d.slug}_{YEAR}_tiet-kiem.xlsx"
    book.save(path, made)
    return path


def write_district(inbox: Path, d: District, data: dict) -> list[Path]:
    return ([write_poverty(inbox, d, data)] + [write_infra(inbox, d, data, q) for q in QUARTERS]
            + [write_savings(inbox, d, data)])


def _district_files(inbox: Path, d: District) -> list[Path]:
    folder = inbox / d.folder
    return sorted(folder.glob(f"{d.code}_*.xlsx"))


def _work(args: tuple[str, District]) -> tuple[str, dict[str, int], int]:
    inbox, d = args
    data = district_data(d)
    files = write_district(Path(inbox), d, data)
    return d.code, district_totals(data), len(files)


def write_corrected_poverty(inbox: Path, district: District) -> tuple[Path, dict[str, int]]:
    """Replace (atomically) a district's poverty workbook with its corrected version; returns the path and
    the change of the national totals it makes."""
    before = district_totals(district_data(district))
    data = district_data(district, correction=True)
    path = write_poverty(inbox, district, data)
    after = district_totals(data)
    return path, {k: after[k] - before[k] for k in after if after[k] != before[k]}


# ---------------------------------------------------------------------------------------------- cache

def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def cache_key(fraction: float) -> str:
    parts = [f"v{GENERATOR_VERSION}", f"f{fraction:g}", f"seed{SEED}",
             *(_file_digest(SEED_REFERENCE / name) for name in ("admin_units.csv", "savings_categories.csv",
                                                               *REFERENCE_2025))]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:12]


@dataclass(frozen=True)
class Generated:
    root: Path
    inbox: Path
    reference: Path
    totals: dict
    cached: bool
    seconds: float
    districts: list[District]

    @property
    def files(self) -> int:
        return self.totals["files"]


def write_reference(out: Path, districts: list[District]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SEED_REFERENCE / "admin_units.csv", out / "admin_units.csv")
    shutil.copyfile(SEED_REFERENCE / "savings_categories.csv", out / "savings_categories.csv")
    for name in REFERENCE_2025:  # the units after 1 July 2025 and the crosswalk, which a refresh also lands
        shutil.copyfile(SEED_REFERENCE / name, out / name)
    provinces = sorted({d.province_code for d in districts})
    with open(out / "reporting_calendar.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["province_code", "family", "period", "period_type", "due_date", "reporting_level",
                    "old_province_code"])
        for p in provinces:  # 2023: district reports, provinces as they were (no old code)
            for q in QUARTERS:
                w.writerow([p, "infrastructure", f"{YEAR}-Q{q}", "quarter", quarter_due(YEAR, q).isoformat(),
                            "district", ""])
            w.writerow([p, "poverty", str(YEAR), "year", POVERTY_DUE.isoformat(), "district", ""])
            w.writerow([p, "savings", str(YEAR), "year", SAVINGS_DUE.isoformat(), "district", ""])


def link_or_copy(src: Path, dst: Path) -> None:
    """`dst` as a hard link to `src` (no second copy of the bytes), or a copy across file systems."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def generate(fraction: float = 1.0, cache: Path = DEFAULT_CACHE, *, force: bool = False, workers: int = 2,
             log=print) -> Generated:
    """The cached inbox for this fraction, generating it (or linking it from the full one) when missing."""
    fraction = float(fraction)
    all_districts = load_districts()
    chosen = select(all_districts, fraction)
    root = cache / f"gen-v{GENERATOR_VERSION}-f{fraction:g}-{cache_key(fraction)}"
    marker = root / ".complete"
    if marker.exists() and not force:
        totals = json.loads((root / "totals.json").read_text())
        return Generated(root, root / "inbox", root / "reference", totals, True, 0.0, chosen)

    started = time.perf_counter()
    cache.mkdir(parents=True, exist_ok=True)
    tmp = cache / f".tmp-{root.name}-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    inbox = tmp / "inbox"
    inbox.mkdir(parents=True)
    full = None if fraction == 1.0 else cache / f"gen-v{GENERATOR_VERSION}-f1-{cache_key(1.0)}"
    per_district: dict[str, dict[str, int]] = {}
    files = 0
    if full is not None and (full / ".complete").exists() and not force:
        log(f"  linking {len(chosen)} districts from {full.name}")
        for d in chosen:
            for src in _district_files(full / "inbox", d):
                link_or_copy(src, inbox / d.folder / src.name)
                files += 1
            per_district[d.code] = district_totals(district_data(d))
    else:
        log(f"  writing {len(chosen) * 6} workbooks for {len(chosen)} districts ({workers} processes)")
        jobs = [(str(inbox), d) for d in chosen]
        if workers > 1:
            ctx = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
            with ctx.Pool(workers) as pool:
                results = list(pool.imap_unordered(_work, jobs, chunksize=8))
        else:
            results = [_work(job) for job in jobs]
        for code, totals, n in results:
            per_district[code] = totals
            files += n
    write_reference(tmp / "reference", chosen)
    totals = {k: 0 for k in TOTAL_KEYS}
    for code in sorted(per_district):
        for k, v in per_district[code].items():
            totals[k] += v
    totals.update(communes=sum(len(d.communes) for d in chosen), districts=len(chosen), files=files,
                  provinces=len({d.province_code for d in chosen}), year=YEAR, fraction=fraction,
                  generator_version=GENERATOR_VERSION, seed=SEED)
    (tmp / "totals.json").write_text(json.dumps(totals, indent=2, sort_keys=True) + "\n")
    (tmp / ".complete").write_text(json.dumps({"key": cache_key(fraction), "fraction": fraction}) + "\n")
    shutil.rmtree(root, ignore_errors=True)
    os.replace(tmp, root)
    seconds = time.perf_counter() - started
    return Generated(root, root / "inbox", root / "reference", totals, False, seconds, chosen)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--fraction", type=float, default=1.0, help="share of the districts (1, 0.5, 0.25)")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--force", action="store_true", help="regenerate even when cached")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    gen = generate(args.fraction, args.cache, force=args.force, workers=args.workers)
    state = "cached" if gen.cached else f"generated in {gen.seconds:.1f}s"
    print(f"{gen.root}: {gen.files} files, {gen.totals['districts']} districts, "
          f"{gen.totals['communes']} communes ({state})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
