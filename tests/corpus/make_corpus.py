"""Generate the test corpus of district reports: one quirk per file, so a failing test names its cause.

Run from anywhere (paths are relative to this file)::

    python tests/corpus/make_corpus.py

What it writes (deterministic: fixed workbook timestamps, fixed zip member dates and order):

* ``valid/``   reports as clerks really send them — title rows, headers without diacritics, ``Hoà``/``Hòa``,
  NFD text, numbers typed as ``4.803`` or ``12,5``, ward numbers, money in ``tỷ đồng``, formula cells with
  cached values, CSV in UTF-8 or Windows-1258 … Every one must be accepted (some with a warning).
* ``units_2025/`` reports from the units of 2025-07-01 (a new commune's own, a new province's compiled), every one
  accepted. Apart from ``valid/`` so that the mixed inbox (tests/integration/test_mixed_inbox.py) leaves them out
  until dbt reads the new units' rows (``district_code`` NULL, ``unit_code``): the dbt side of the change.
* ``invalid/`` reports that each break exactly one rule (unknown district, poor > total, ``#DIV/0!`` …).
* ``corrections/`` a correction of a sample report (Trà Cú's 2023 poverty report, two communes), made after
  the sample's report: with the sample, it replaces those two communes' rows and the others stay in force.
* ``hostile/`` files with odd names (quotes, spaces, Vietnamese letters, a leading dash, SQL), a workbook
  whose XML is a billion-laughs entity bomb, one whose single stray cell at XFD1 makes its used range
  3,000 × 16,384 cells, and a CSV whose every line breaks a rule. Big hostile files (zip bombs, a sheet of a million rows) are not
  committed: ``tests/test_hostile.py`` makes them at test time with ``zip_bomb`` and ``million_row_workbook``
  below.

``tests/test_corpus.py`` holds what each file must give: the exact landed values, or the exact rule, Excel row
and column. All reports are for Trà Vinh province; yearly reports are for 2022 and made on 02/01/2023,
quarterly ones for Q3/2023 made on 02/10/2023 — earlier than the embedded sample's, so in an inbox together
with the sample the sample's reports stay in force (the corpus ones are superseded).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
import struct
import sys
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook

# the sample's canonical headers and its deterministic zip writer
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "seeds"))
from make_sample import (INFRA_HEADER, POVERTY_HEADER, SAVINGS_HEADER, deterministic_bytes,  # noqa: E402
                         zip_bytes)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
ADMIN_UNITS = ROOT / "seeds" / "reference" / "admin_units.csv"
ADMIN_UNITS_2025 = ROOT / "seeds" / "reference" / "admin_units_2025-07-01.csv"
CROSSWALK = ROOT / "seeds" / "reference" / "commune_crosswalk_2025-07-01.csv"
VALID, INVALID, HOSTILE = HERE / "valid", HERE / "invalid", HERE / "hostile"
CORRECTIONS = HERE / "corrections"

YEAR_DATE = "02/01/2023"  # Ngày lập of the 2022 reports (due 15/01/2023 and 31/01/2023)
QUARTER_DATE = "02/10/2023"  # Ngày lập of the Q3/2023 reports (due 10/10/2023)
PREPARED_BY = "Nguyễn Thị Lan"

# label, budget, planned, achieved (million VND)
SAVINGS_ROWS = [("Chi thường xuyên", 250000, 12500, 13100.5), ("Đầu tư công", 150000, 4500, 4200),
                ("Mua sắm tài sản công", 30000, 1500, 1620.25), ("Hội nghị, hội thảo, công tác phí", 8000, 800, 910),
                ("Khác", 12000, 600, 540)]
SAVINGS_CODES = ["regular_spending", "public_investment", "public_procurement", "meetings_travel", "other"]
FOOTER = ["Người lập biểu", "Thủ trưởng đơn vị"]
HEADER_ROW, FIRST_DATA_ROW = 4, 5  # of the standard layout: title, district line, blank, header


# ---------------------------------------------------------------------------------------------- reference

@dataclass(frozen=True)
class Commune:
    code: str
    name: str
    type: str
    district: str

    @property
    def full_name(self) -> str:
        return f"{self.type} {self.name}"


def load_communes() -> dict[str, list[Commune]]:
    """Communes of Trà Vinh (province 84) by district code, in the reference file's order."""
    out: dict[str, list[Commune]] = {}
    with open(ADMIN_UNITS, encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            if row["province_code"] == "84":
                out.setdefault(row["district_code"], []).append(
                    Commune(row["commune_code"], row["commune_name"], row["commune_type"], row["district_code"]))
    return out


COMMUNES = load_communes()


def load_communes_2025() -> list[Commune]:
    """The new communes (units of 2025-07-01) that took in Trà Vinh's communes, in the reference file's order:
    the 41 of Tỉnh Vĩnh Long (86) the calendar expects after 30 June 2025 (bare names; `district` is 86)."""
    old = {c.code for communes in COMMUNES.values() for c in communes}
    with open(CROSSWALK, encoding="utf-8-sig", newline="") as f:
        became = {row["new_commune_code"] for row in csv.DictReader(f) if row["old_commune_code"] in old}
    with open(ADMIN_UNITS_2025, encoding="utf-8-sig", newline="") as f:
        return [Commune(row["commune_code"], row["commune_name"][len(row["commune_type"]):].strip(),
                        row["commune_type"], row["province_code"])
                for row in csv.DictReader(f) if row["commune_code"] in became]


COMMUNES_2025 = load_communes_2025()


def poverty_values(i: int) -> list[int]:
    """total, poor, near-poor, DTTS, DTTS poor, DTTS near-poor of the i-th commune of a district."""
    return [2000 + 37 * i, 20 + 3 * i, 40 + 2 * i, 300 + 11 * i, 5 + i, 7 + i]


def infra_values(i: int, commune: Commune) -> list:
    """rural, green, lit km; investment, contribution (million VND); NTM standard, advanced, model; OCOP."""
    xa = commune.type == "Xã"
    return [(125 + 50 * i) / 100, (50 + 25 * i) / 100, (75 + 10 * i) / 100, 1200 + 100 * i, 120 + 10 * i,
            "x" if xa else None, "x" if xa and i % 3 == 0 else None, "x" if xa and i % 6 == 0 else None, i % 4]


# ---------------------------------------------------------------------------------------------- workbooks

@dataclass
class Sheet:
    name: str
    rows: list[list]
    merges: tuple[str, ...] = ()
    cached: dict[str, object] = field(default_factory=dict)  # formula cell -> the value Excel computed
    text_columns: tuple[int, ...] = ()  # 1-based columns whose cells are formatted as text ('@')
    state: str = "visible"  # or 'hidden', 'veryHidden'


def info_sheet(district: str | None = "Huyện Càng Long", code: str | None = None, period: object = "Năm 2022",
               date: object = YEAR_DATE, by: str | None = PREPARED_BY) -> Sheet:
    rows = []
    for key, value in (("Đơn vị", district), ("Mã đơn vị", code), ("Kỳ báo cáo", period), ("Ngày lập", date),
                       ("Người lập", by)):
        if value is not None:
            rows.append([key, value])
    return Sheet("Thông tin", rows, text_columns=(2,) if code else ())


def report_sheet(name: str, title: str, header: list, data: list[list], *, total_label: str | None = "Tổng cộng",
                 total: list | None = None, footer: bool = True, district_line: str | None = None,
                 first_number_col: int = 3) -> Sheet:
    """Title row, district line, blank row, header (row 4), data (from row 5), total row, blank, footer."""
    rows: list[list] = [[title], [district_line or ""], [], list(header)]
    rows += [list(r) for r in data]
    if total_label is not None:
        if total is None:
            total = [None] * len(header)
            total[1] = total_label
            for c in range(first_number_col, len(header)):
                values = [r[c] for r in data if c < len(r) and isinstance(r[c], (int, float))]
                if values:
                    s = sum(values)
                    total[c] = round(s, 2) if isinstance(s, float) else s
        rows.append(total)
    if footer:
        rows += [[], [None, FOOTER[0], None, None, None, FOOTER[1]], [], [None, "Trần Văn Bình", None, None, None,
                                                                           "Lê Minh Tâm"]]
    return Sheet(name, rows, text_columns=(3,))


def poverty_data(district: str = "844", *, names: str = "full", codes: bool = True,
                 values: dict[str, list] | None = None) -> list[list]:
    """One row per commune: STT, name, code, six counts. values overrides a commune's counts by code."""
    rows = []
    for i, c in enumerate(COMMUNES[district]):
        name = {"full": c.full_name, "bare": c.name, "none": None}[names]
        counts = (values or {}).get(c.code, poverty_values(i))
        rows.append([i + 1, name, c.code if codes else None, *counts])
    return rows


def infra_data(district: str = "844", *, values: dict[str, list] | None = None) -> list[list]:
    rows = []
    for i, c in enumerate(COMMUNES[district]):
        rows.append([i + 1, c.full_name, c.code, *(values or {}).get(c.code, infra_values(i, c))])
    return rows


def savings_data() -> list[list]:
    return [[i + 1, label, budget, planned, achieved] for i, (label, budget, planned, achieved)
            in enumerate(SAVINGS_ROWS)]


def row_of(data: list[list], code: str) -> list:
    return next(r for r in data if r[2] == code)


def poverty_sheet(data: list[list], header: list = POVERTY_HEADER, **kw) -> Sheet:
    return report_sheet("Giảm nghèo", "BÁO CÁO KẾT QUẢ RÀ SOÁT HỘ NGHÈO, HỘ CẬN NGHÈO NĂM 2022", header, data, **kw)


def infra_sheet(data: list[list], header: list = INFRA_HEADER, **kw) -> Sheet:
    return report_sheet("Hạ tầng", "BÁO CÁO KẾT QUẢ XÂY DỰNG NÔNG THÔN MỚI QUÝ III/2023", header, data, **kw)


def savings_sheet(data: list[list], header: list = SAVINGS_HEADER, **kw) -> Sheet:
    return report_sheet("Tiết kiệm", "BÁO CÁO KẾT QUẢ THỰC HÀNH TIẾT KIỆM, CHỐNG LÃNG PHÍ NĂM 2022", header, data,
                        first_number_col=2, **kw)


def quarter_info(district: str | None = "Huyện Càng Long", period: object = "Quý III/2023", **kw) -> Sheet:
    return info_sheet(district, period=period, date=kw.pop("date", QUARTER_DATE), **kw)


def workbook_bytes(sheets: list[Sheet]) -> bytes:
    """The sheets as a deterministic .xlsx: fixed timestamps, cached values written into formula cells."""
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.creator = PREPARED_BY
    for sheet in sheets:
        ws = wb.create_sheet(sheet.name)
        ws.sheet_state = sheet.state
        for r, row in enumerate(sheet.rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is None:
                    continue
                cell = ws.cell(row=r, column=c, value=value)
                if c in sheet.text_columns and isinstance(value, str):
                    cell.number_format = "@"
                if isinstance(value, (dt.date, dt.datetime)):
                    cell.number_format = "dd/mm/yyyy"
        for ref in sheet.merges:
            ws.merge_cells(ref)

    def cached_values(name: str, data: bytes) -> bytes:
        m = re.fullmatch(r"xl/worksheets/sheet(\d+)\.xml", name)
        if m and sheets[int(m.group(1)) - 1].cached:
            return _write_cached_values(data, sheets[int(m.group(1)) - 1].cached)
        return data

    return deterministic_bytes(wb, rewrite=cached_values)


def _write_cached_values(xml: bytes, cached: dict[str, object]) -> bytes:
    """openpyxl cannot compute formulas: write the value Excel would have cached into each formula cell."""
    for ref, value in cached.items():
        pattern = re.compile(rb'(<c r="' + ref.encode() + rb'"[^>]*>)(<f>[^<]*</f>)<v\s*/>')
        if isinstance(value, str):
            replacement = lambda m, v=value: (m.group(1).replace(b"<c ", b'<c t="str" ', 1) + m.group(2)
                                              + b"<v>" + v.encode() + b"</v>")
        else:
            replacement = lambda m, v=value: m.group(1) + m.group(2) + b"<v>" + repr(v).encode() + b"</v>"
        xml, n = pattern.subn(replacement, xml)
        assert n == 1, f"formula cell {ref} not found"
    return xml


def book(*sheets: Sheet) -> bytes:
    return workbook_bytes(list(sheets))


# ---------------------------------------------------------------------------------------------- text helpers

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def windows_1258(text: str) -> bytes:
    """Encode as Windows-1258: letters with a tone mark are written as base letter + combining tone mark."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        try:
            out.append(ch.encode("cp1258"))
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
            tones = "".join(c for c in decomposed if c in _TONES)
            out.append(base.encode("cp1258") + tones.encode("cp1258"))
    return b"".join(out)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def csv_text(rows: list[list], sep: str = ",") -> str:
    buf = io.StringIO()
    csv.writer(buf, delimiter=sep, lineterminator="\r\n").writerows(rows)
    return buf.getvalue()


CSV_HEADER = ["district_code", "period", "family", "item", "indicator", "value"]


def poverty_csv_rows(district: str, period: str) -> list[list]:
    names = ["total_households", "poor_households", "near_poor_households", "em_households", "em_poor_households",
             "em_near_poor_households"]
    rows = []
    for i, c in enumerate(COMMUNES[district]):
        rows += [[district, period, "poverty", c.code, n, v] for n, v in zip(names, poverty_values(i))]
    return rows


# ---------------------------------------------------------------------------------------------- valid files

def valid_files() -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    cl = COMMUNES["844"]  # Càng Long: Thị trấn Càng Long and 13 xã

    # --- layout: title rows, merged title cells, the header found below them
    data = poverty_data()
    sheet = poverty_sheet(data)
    sheet.rows = [["ỦY BAN NHÂN DÂN HUYỆN CÀNG LONG", None, None, None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
                  ["PHÒNG LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", None, None, None, None, "Độc lập - Tự do - Hạnh phúc"],
                  [], ["BÁO CÁO KẾT QUẢ RÀ SOÁT HỘ NGHÈO, HỘ CẬN NGHÈO NĂM 2022"],
                  ["(Kèm theo Công văn số 123/LĐTBXH ngày 02/01/2023)"], []] + sheet.rows[3:]
    sheet.merges = ("A1:E1", "F1:I1", "A2:E2", "F2:I2", "A4:I4", "A5:I5")
    files["title_rows_merged.xlsx"] = book(info_sheet(), sheet)  # header on row 7, data from row 8

    # --- header labels
    def relabel(labels: list[str]) -> bytes:
        return book(info_sheet(), poverty_sheet(poverty_data(), header=labels))

    files["header_no_diacritics.xlsx"] = relabel(
        ["STT", "Xa, phuong, thi tran", "Ma xa", "Tong so ho", "So ho ngheo", "So ho can ngheo", "So ho DTTS",
         "So ho ngheo DTTS", "So ho can ngheo DTTS"])
    files["header_line_breaks.xlsx"] = relabel(
        ["STT", "Xã, phường,\nthị trấn", "Mã\nxã", "Tổng số\nhộ", "Số hộ\r\nnghèo", "Số hộ\ncận nghèo",
         "Số hộ\nDTTS", "Số hộ nghèo\nDTTS", "Số hộ cận\nnghèo DTTS"])
    files["header_repeated_spaces.xlsx"] = relabel(
        ["STT", "  Xã,  phường,   thị trấn ", "Mã  xã", "Tổng   số hộ", " Số hộ  nghèo", "Số hộ cận  nghèo ",
         "Số hộ\u00a0DTTS", "Số hộ nghèo   DTTS", "Số  hộ cận nghèo DTTS"])
    files["header_upper_case.xlsx"] = relabel(
        ["STT", "XÃ, PHƯỜNG, THỊ TRẤN", "MÃ XÃ", "TỔNG SỐ HỘ", "SỐ HỘ NGHÈO", "SỐ HỘ CẬN NGHÈO", "SỐ HỘ DTTS",
         "SỐ HỘ NGHÈO DTTS", "SỐ HỘ CẬN NGHÈO DTTS"])
    files["header_alternative_labels.xlsx"] = relabel(
        ["STT", "Tên đơn vị", "Mã đơn vị", "Tổng số hộ dân cư", "Hộ nghèo", "Hộ cận nghèo",
         "Tổng số hộ dân tộc thiểu số", "Hộ nghèo dân tộc thiểu số", "Hộ cận nghèo dân tộc thiểu số"])
    sheet = poverty_sheet(poverty_data())
    sheet.rows.insert(HEADER_ROW, ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)", "(9)"])
    files["header_column_numbers_row.xlsx"] = book(info_sheet(), sheet)  # data from row 6
    sheet = poverty_sheet(poverty_data())
    sheet.name = "GIAM NGHEO"
    files["sheet_name_no_diacritics.xlsx"] = book(info_sheet(), sheet)

    # --- commune names: tone-mark placement, NFD, type prefixes, code only, ward numbers
    ck = COMMUNES["845"]  # Cầu Kè: reference has 'Hòa Ân' and 'Hoà Tân'
    data = poverty_data("845")
    for r in data:
        r[2] = None  # match by name only
        r[1] = {"29311": "Xã Hoà Ân", "29320": "Xã Hòa Tân", "29335": "Thông Hoà"}.get(ck[r[0] - 1].code, r[1])
    files["name_tone_placement.xlsx"] = book(info_sheet("Huyện Cầu Kè"), poverty_sheet(data))

    data = poverty_data("845", codes=False)
    for r in data:
        r[1] = nfd(r[1])
    sheet = poverty_sheet(data, header=[nfd(h) for h in POVERTY_HEADER])
    files["name_nfd.xlsx"] = book(info_sheet(nfd("Huyện Cầu Kè"), period=nfd("Năm 2022")), sheet)

    data = poverty_data(codes=False)
    prefixes = {"29266": "TT. Càng Long", "29293": "Đại Phúc", "29296": "X. Đại Phước", "29305": "xã đức mỹ",
                "29269": "XÃ MỸ CẨM"}
    for r, c in zip(data, cl):
        r[1] = prefixes.get(c.code, r[1])
    files["name_type_prefixes.xlsx"] = book(info_sheet(), poverty_sheet(data))

    data = poverty_data(names="none")
    files["commune_code_only.xlsx"] = book(info_sheet(), poverty_sheet(data))

    data = poverty_data("849", codes=False)
    for r in data:
        r[1] = {"Thị trấn Định An": "TT Định An", "Xã Định An": "Xã Định An"}.get(r[1], r[1])
    files["name_ambiguity_settled_by_type.xlsx"] = book(info_sheet("Huyện Trà Cú"), poverty_sheet(data))

    data = poverty_data("842", codes=False)  # TP. Trà Vinh: Phường 1, 3, 4, 5, 7, 8, 9 and Xã Long Đức
    wards = {"Phường 1": "P.1", "Phường 3": "Phường 3", "Phường 4": "4", "Phường 5": "P5", "Phường 7": "Phường 07",
             "Phường 8": "phường 8", "Phường 9": "P. 9"}
    for r in data:
        r[1] = wards.get(r[1], r[1])
    files["ward_numbers.xlsx"] = book(info_sheet("Thành phố Trà Vinh"), poverty_sheet(data))

    # --- the district: by code, by name with an abbreviated type
    files["district_by_code.xlsx"] = book(info_sheet(None, code="844"), poverty_sheet(poverty_data()))
    files["district_code_wins_over_name.xlsx"] = book(info_sheet("Càng Long", code="844"),
                                                      poverty_sheet(poverty_data()))
    files["district_code_number_cell.xlsx"] = book(info_sheet(None, code=844), poverty_sheet(poverty_data()))
    files["district_tx_duyen_hai.xlsx"] = book(info_sheet("TX Duyên Hải"), poverty_sheet(poverty_data("851")))
    files["district_h_cau_ngang.xlsx"] = book(info_sheet("H. Cầu Ngang"), poverty_sheet(poverty_data("848")))
    files["district_tp_tra_vinh.xlsx"] = book(info_sheet("TP. Trà Vinh"), poverty_sheet(poverty_data("842")))
    files["district_bare_name.xlsx"] = book(info_sheet("Càng Long"), poverty_sheet(poverty_data()))
    files["district_ubnd_and_province.xlsx"] = book(info_sheet("UBND huyện Càng Long, tỉnh Trà Vinh"),
                                                    poverty_sheet(poverty_data()))

    # --- numbers typed as text
    def with_cells(cells: dict[tuple[str, int], object], district: str = "844") -> list[list]:
        data = poverty_data(district)
        for (code, col), value in cells.items():
            row_of(data, code)[col] = value
        return data

    # Đại Phúc 29293 (row 9 of the sheet); Thị trấn Càng Long 29266 (row 8)
    data = with_cells({("29293", 3): "4.803", ("29266", 3): "12.345"})
    sheet = poverty_sheet(data)
    _set_total(sheet, 3, sum(r[3] if isinstance(r[3], int) else 0 for r in data) + 4803 + 12345)
    files["number_text_thousands.xlsx"] = book(info_sheet(), sheet)
    data = with_cells({("29293", 3): "4 803", ("29266", 3): "12\u00a0345", ("29269", 4): " 31 "})
    sheet = poverty_sheet(data)
    _set_total(sheet, 3, sum(r[3] if isinstance(r[3], int) else 0 for r in data) + 4803 + 12345)
    _set_total(sheet, 4, sum(r[4] if isinstance(r[4], int) else 0 for r in data) + 31)
    files["number_text_spaces.xlsx"] = book(info_sheet(), sheet)
    data = with_cells({("29293", 4): "-", ("29293", 5): "–", ("29293", 7): "-", ("29293", 8): "—"})
    sheet = poverty_sheet(data)
    files["dash_as_zero.xlsx"] = book(info_sheet(), sheet)
    data = poverty_data()
    for r in data:
        if r[2] in ("29293", "29296"):
            r[6:9] = [None, None, None]
    files["empty_optional_is_null.xlsx"] = book(info_sheet(), poverty_sheet(data))

    data = infra_data()
    row_of(data, "29293")[3:8] = ["12,5", "1.234,5", " 0,75 ", "1.234,5", "12,5"]
    files["number_text_decimal_comma.xlsx"] = book(quarter_info(), infra_sheet(data, total_label=None))
    data = infra_data()
    row_of(data, "29293")[3] = 4.803  # a number cell: 4.803 km, not 4803
    row_of(data, "29296")[3] = "4.803"  # text: 4803
    files["number_cell_vs_text_thousands.xlsx"] = book(quarter_info(), infra_sheet(data, total_label=None))

    # --- money units (savings)
    def savings_units(unit: str | None, factor: float) -> bytes:
        header = [h if "(" not in h else h.replace("(triệu đồng)", f"({unit})" if unit else "").strip()
                  for h in SAVINGS_HEADER]
        data = [[i, label, *(v * factor for v in values)] for i, label, *values in savings_data()]
        data = [[r[0], r[1], *(int(v) if float(v).is_integer() else v for v in r[2:])] for r in data]
        return book(info_sheet(), savings_sheet(data, header=header))

    files["money_dong.xlsx"] = savings_units("đồng", 1_000_000)
    files["money_nghin_dong.xlsx"] = savings_units("nghìn đồng", 1_000)
    files["money_trieu_dong.xlsx"] = savings_units("triệu đồng", 1)
    files["money_ty_dong.xlsx"] = savings_units("tỷ đồng", 0.001)
    files["money_no_unit.xlsx"] = savings_units(None, 1)  # warning money_unit_missing, read as triệu đồng
    files["money_unit_abbreviated.xlsx"] = savings_units("tr.đồng", 1)

    # --- yes/no cells (infrastructure, Càng Long: row 5 is the thị trấn, rows 6-18 are xã)
    data = infra_data()
    yes = ["x", "X", "Có", "Đạt", 1, True]
    no = ["Không", "Chưa đạt", 0, False, None, "không"]
    xa = [r for r in data if r[2] != "29266"]
    for r, value in zip(xa, yes + no):
        r[8:11] = [value, None, None]
    xa[-1][8:11] = ["TRUE", "x", None]  # text TRUE, NTM nâng cao
    files["yes_no_cells.xlsx"] = book(quarter_info(), infra_sheet(data, total_label=None))
    data = infra_data()
    row_of(data, "29266")[8] = "x"  # NTM on a thị trấn: ignored, with a warning
    files["ntm_on_township.xlsx"] = book(quarter_info(), infra_sheet(data, total_label=None))

    # --- total rows and footers
    for name, label in (("total_row_tong.xlsx", "Tổng"), ("total_row_cong.xlsx", "Cộng"),
                        ("total_row_toan_huyen.xlsx", "Toàn huyện"), ("total_row_upper_colon.xlsx", "TỔNG CỘNG:")):
        files[name] = book(info_sheet(), poverty_sheet(poverty_data(), total_label=label))
    sheet = poverty_sheet(poverty_data())
    total_row = len(sheet.rows) - 5  # index of the total row in sheet.rows (the footer takes 4)
    sheet.rows[total_row][0], sheet.rows[total_row][1] = "Tổng cộng", None
    sheet.merges = (f"A{total_row + 1}:B{total_row + 1}",)
    files["total_row_merged_label.xlsx"] = book(info_sheet(), sheet)
    sheet = poverty_sheet(poverty_data(), total_label=None)
    sheet.rows += [[None, "Ghi chú: số liệu chốt đến ngày 31/12/2022.", None, None, None, None],
                   [None, "Càng Long, ngày 02 tháng 01 năm 2023", None, None, None, "Thủ trưởng đơn vị"]]
    files["footer_without_total_row.xlsx"] = book(info_sheet(), sheet)
    sheet = poverty_sheet(poverty_data())
    sheet.rows[total_row][3] += 5
    files["total_row_mismatch.xlsx"] = book(info_sheet(), sheet)  # warning total_row_mismatch

    # --- formulas: the cached value counts
    data = poverty_data()
    sheet = poverty_sheet(data)
    first, last = FIRST_DATA_ROW, FIRST_DATA_ROW + len(data) - 1
    total_excel_row = last + 1
    for c in range(3, 9):
        letter = "ABCDEFGHI"[c]
        sheet.rows[total_excel_row - 1][c] = f"=SUM({letter}{first}:{letter}{last})"
        sheet.cached[f"{letter}{total_excel_row}"] = sum(r[c] for r in data)
    # Đại Phúc (row 9): near-poor households computed from two groups
    sheet.rows[8][5] = "=30+16"
    sheet.cached["F9"] = 46
    sheet.cached[f"F{total_excel_row}"] = sum(r[5] for r in data) - row_of(data, "29293")[5] + 46
    files["formula_cached_values.xlsx"] = book(info_sheet(), sheet)

    # --- periods
    for name, period in (("period_quy_iii_nam_2023.xlsx", "Quý III năm 2023"), ("period_2023-q3.xlsx", "2023-Q3"),
                         ("period_q3_slash_2023.xlsx", "Q3/2023"), ("period_quy_3_slash_2023.xlsx", "Quý 3/2023"),
                         ("period_lower_case_roman.xlsx", "quý iii/2023")):
        files[name] = book(quarter_info(period=period), infra_sheet(infra_data(), total_label=None))
    files["period_year_number_cell.xlsx"] = book(info_sheet(period=2022), poverty_sheet(poverty_data()))
    files["period_year_only.xlsx"] = book(info_sheet(period="2022"), poverty_sheet(poverty_data()))

    # --- the report header
    files["report_date_excel_date.xlsx"] = book(info_sheet(date=dt.datetime(2023, 1, 2)),
                                                poverty_sheet(poverty_data()))
    info = info_sheet()
    info.rows = [["THÔNG TIN BÁO CÁO"], [], [1, "Đơn vị:", "Huyện Càng Long"], [2, "Kỳ báo cáo:", "Năm 2022"],
                 [3, "Ngày lập:", YEAR_DATE], [4, "Người lập:", PREPARED_BY]]
    files["info_sheet_shifted.xlsx"] = book(info, poverty_sheet(poverty_data()))
    files["report_late.xlsx"] = book(info_sheet(date="20/02/2023"), poverty_sheet(poverty_data()))
    files["report_date_unreadable.xlsx"] = book(info_sheet(date="đầu tháng 1"), poverty_sheet(poverty_data()))

    # --- missing communes (a warning)
    data = [r for r in poverty_data() if r[2] not in ("29305", "29284")]
    files["commune_missing.xlsx"] = book(info_sheet(), poverty_sheet(data))

    # --- subtotals (spec v2): a 'Cộng' row in the middle of the table; the rows after it are data, and only the
    # last total row ('Tổng cộng', the sum of every commune) is checked
    sheet = poverty_sheet(poverty_data())
    first7 = poverty_data()[:7]
    sheet.rows.insert(HEADER_ROW + 7, [None, "Cộng", None] + [sum(r[c] for r in first7) for c in range(3, 9)])
    files["subtotal_cong_mid_table.xlsx"] = book(info_sheet(), sheet)

    # --- a header spanning two rows: a group label merged over three sub-labels, the others merged down
    top = ["STT", "Xã, phường, thị trấn", "Mã xã", "Tổng số hộ", "Số hộ nghèo", "Số hộ cận nghèo",
           "Hộ dân tộc thiểu số", None, None]
    sheet = poverty_sheet(poverty_data(), header=top)
    sheet.rows.insert(HEADER_ROW, [None] * 6 + ["Tổng số hộ", "Hộ nghèo", "Hộ cận nghèo"])
    sheet.merges = ("A4:A5", "B4:B5", "C4:C5", "D4:D5", "E4:E5", "F4:F5", "G4:I4")
    files["header_two_rows.xlsx"] = book(info_sheet(), sheet)  # data from row 6

    # --- which sheet (spec v2): a hidden stale 'Giảm nghèo' is never read, the visible 'Giảm nghèo (2)' is
    stale = poverty_sheet([r[:3] + [r[3] + 100] + r[4:] for r in poverty_data()])
    stale.state = "hidden"
    current = poverty_sheet(poverty_data())
    current.name = "Giảm nghèo (2)"
    files["sheet_hidden_stale.xlsx"] = book(info_sheet(), stale, current)
    stale = poverty_sheet([r[:3] + [r[3] + 100] + r[4:] for r in poverty_data()])
    files["sheet_version_suffix.xlsx"] = book(info_sheet(), stale, current)  # both visible: the last counts

    # --- several family sheets, extra sheets and columns
    pov = poverty_sheet(poverty_data())
    pov.rows = [r + ["Ghi chú"] if i == HEADER_ROW - 1 else r for i, r in enumerate(pov.rows)]
    files["two_families_extra_sheet.xlsx"] = book(info_sheet(), Sheet("Hướng dẫn", [["Điền số liệu vào các trang"]]),
                                                  pov, savings_sheet(savings_data()))

    # --- CSV, long format
    rows = [CSV_HEADER] + poverty_csv_rows("844", "Năm 2022")
    files["csv_utf8_bom.csv"] = ("\ufeff" + csv_text(rows)).encode("utf-8")
    rows = [CSV_HEADER]
    for i, c in enumerate(COMMUNES["848"]):
        values = infra_values(i, c)
        rows += [["848", "Quý III/2023", "infrastructure", c.code, "rural_road_km", values[0]],
                 ["848", "Quý III/2023", "infrastructure", c.code, "investment_vnd", values[3] * 1_000_000],
                 ["848", "Quý III/2023", "infrastructure", c.code, "ntm_standard", 1 if values[5] else 0],
                 ["848", "Quý III/2023", "infrastructure", c.code, "ocop_products", values[8]]]
    files["csv_utf8_no_bom.csv"] = csv_text(rows).encode("utf-8")
    # family and period spelled differently from line to line: still one report (keys normalised, spec v2)
    rows = [CSV_HEADER]
    for i, row in enumerate(poverty_csv_rows("844", "Năm 2022")):
        row[1] = ("Năm 2022", "2022", "năm  2022")[i % 3]
        row[2] = ("poverty", "Poverty", "Giảm nghèo", "POVERTY ")[i % 4]
        rows.append(row)
    files["csv_mixed_key_spelling.csv"] = csv_text(rows).encode("utf-8")
    rows = [CSV_HEADER]
    for i, c in enumerate(COMMUNES["842"]):
        values = infra_values(i, c)
        rows += [["842", "Quý III/2023", "infrastructure", c.code, "rural_road_km", str(values[0]).replace(".", ",")],
                 ["842", "Quý III/2023", "infrastructure", c.code, "lit_road_km", str(values[2]).replace(".", ",")]]
    files["csv_cp1258_semicolon.csv"] = windows_1258(csv_text(rows, ";"))
    rows = [CSV_HEADER]
    for code, (label, budget, planned, achieved) in zip(SAVINGS_CODES, SAVINGS_ROWS):
        rows += [["844", "Năm 2022", "savings", code, "budget_vnd", int(budget * 1_000_000)],
                 ["844", "Năm 2022", "savings", code, "planned_savings_vnd", int(planned * 1_000_000)],
                 ["844", "Năm 2022", "savings", code, "achieved_savings_vnd", int(achieved * 1_000_000)]]
    files["csv_cp1258_comma.csv"] = windows_1258(csv_text(rows, ","))
    return files


def _set_total(sheet: Sheet, col: int, value: object) -> None:
    for row in sheet.rows:
        if len(row) > 1 and row[1] == "Tổng cộng":
            row[col] = value
            return


def units_2025_files() -> dict[str, bytes]:
    """Accepted reports from the units of 2025-07-01 (docs/reorganisation.md): a new commune's own report, a new
    province's compiled one (its 41 communes of the former Trà Vinh, names full or bare and decomposed, codes or
    not)."""
    files: dict[str, bytes] = {}
    own = [[1, "Phường Trà Vinh", "29242", *poverty_values(0)]]
    files["unit_2025_commune_own_report.xlsx"] = book(
        info_sheet("UBND phường Trà Vinh, tỉnh Vĩnh Long", period="Năm 2025", date="10/01/2026"), poverty_sheet(own))
    compiled = [[i + 1, nfd(c.name) if i % 2 else c.full_name, None if i % 3 == 2 else c.code,
                 *infra_values(i, c)] for i, c in enumerate(COMMUNES_2025)]
    files["unit_2025_province_compiled.xlsx"] = book(
        quarter_info("Tỉnh Vĩnh Long", code="86", period="Quý III/2025", date="05/10/2025"), infra_sheet(compiled))

    return files


# ---------------------------------------------------------------------------------------------- invalid files

def invalid_files() -> dict[str, bytes]:
    files: dict[str, bytes] = {}

    def pov(info: Sheet | None = None, data: list[list] | None = None, **kw) -> bytes:
        sheets = [info or info_sheet(), poverty_sheet(data if data is not None else poverty_data(), **kw)]
        return book(*sheets)

    # --- the district and the period
    files["district_unknown.xlsx"] = pov(info_sheet("Huyện Bình Tân"))
    files["district_code_of_other_province.xlsx"] = pov(info_sheet(None, code="886"))
    files["district_ambiguous.xlsx"] = pov(info_sheet("Duyên Hải"), poverty_data("851"))
    files["district_missing.xlsx"] = pov(info_sheet(None))
    files["period_invalid.xlsx"] = pov(info_sheet(period="Năm ngoái"))
    files["period_missing.xlsx"] = pov(info_sheet(period=None))
    files["period_wrong_type.xlsx"] = pov(info_sheet(period="Quý 3/2022"))  # a quarter on a poverty sheet
    files["period_wrong_type_year_on_infrastructure.xlsx"] = book(quarter_info(period="Năm 2023"),
                                                                   infra_sheet(infra_data(), total_label=None))
    files["period_in_future.xlsx"] = pov(info_sheet(period="Năm 2099"))
    files["info_sheet_missing.xlsx"] = book(poverty_sheet(poverty_data()))
    files["no_report_sheet.xlsx"] = book(info_sheet(), Sheet("Sheet1", poverty_sheet(poverty_data()).rows))

    # --- the layout
    header = [h for h in POVERTY_HEADER if h != "Số hộ cận nghèo"]
    data = [r[:5] + r[6:] for r in poverty_data()]
    files["required_column_missing.xlsx"] = pov(data=data, header=header)
    files["no_data_rows.xlsx"] = pov(data=[], total_label=None)

    # --- communes (rows 5..18 are Càng Long's 14 communes in reference order)
    data = poverty_data()
    data.insert(3, [4, "Xã Bình Minh", None, 1000, 10, 10, 100, 1, 1])  # row 8
    files["commune_unknown.xlsx"] = pov(data=data, total_label=None)
    data = poverty_data("849")
    row_of(data, "29462")[1:3] = ["Định An", None]  # Thị trấn or Xã Định An? (row 7)
    files["commune_ambiguous.xlsx"] = pov(info_sheet("Huyện Trà Cú"), data, total_label=None)
    data = poverty_data()
    data.append([15, "Xã Hòa Ân", None, 1000, 10, 10, 100, 1, 1])  # of Cầu Kè (row 19)
    files["commune_other_district.xlsx"] = pov(data=data, total_label=None)
    data = poverty_data()
    data.append([15, "Xã Hòa Ân", "29311", 1000, 10, 10, 100, 1, 1])  # by code (row 19)
    files["commune_other_district_by_code.xlsx"] = pov(data=data, total_label=None)
    data = poverty_data()
    data.append([15, "Đại Phúc", None, 1000, 10, 10, 100, 1, 1])  # row 19; first at row 9
    files["commune_duplicate.xlsx"] = pov(data=data, total_label=None)

    # --- values (Đại Phúc 29293 is row 9)
    def one_cell(col: int, value: object, district: str = "844") -> list[list]:
        data = poverty_data(district)
        row_of(data, "29293")[col] = value
        return data

    files["value_not_number.xlsx"] = pov(data=one_cell(4, "mười hai"), total_label=None)
    files["value_negative.xlsx"] = pov(data=one_cell(5, -5), total_label=None)
    files["value_negative_text.xlsx"] = pov(data=one_cell(3, "-2.500"), total_label=None)
    files["value_missing.xlsx"] = pov(data=one_cell(3, None), total_label=None)
    files["value_not_integer.xlsx"] = pov(data=one_cell(3, "2500,5"), total_label=None)
    files["cell_error_div0.xlsx"] = pov(data=one_cell(4, "#DIV/0!"), total_label=None)
    files["poor_exceeds_total.xlsx"] = pov(data=one_cell(4, 2500), total_label=None)  # total 2148
    files["near_poor_exceeds_total.xlsx"] = pov(data=one_cell(5, 3000), total_label=None)
    files["em_exceeds_total.xlsx"] = pov(data=one_cell(6, 2200), total_label=None)  # DTTS > total
    files["em_poor_exceeds_poor.xlsx"] = pov(data=one_cell(7, 40), total_label=None)  # DTTS poor 40 > poor 32

    # --- infrastructure (Càng Long: row 5 thị trấn; Đại Phúc row 9 has index 4: standard x, advanced -)
    def infra_cell(col: int, value: object, code: str = "29293") -> bytes:
        data = infra_data()
        row_of(data, code)[col] = value
        return book(quarter_info(), infra_sheet(data, total_label=None))

    files["ntm_advanced_without_standard.xlsx"] = _infra_flags({"29302": [None, "x", None]})  # Nhị Long, row 14
    files["ntm_model_without_standard.xlsx"] = _infra_flags({"29293": [None, None, "x"]})
    files["value_not_yes_no.xlsx"] = infra_cell(8, "chưa rõ")
    files["value_negative_km.xlsx"] = infra_cell(3, "-1,5")
    data = infra_data()
    header = [h.replace("(triệu đồng)", "(USD)") if h.startswith("Vốn") else h for h in INFRA_HEADER]
    files["money_unit_unknown.xlsx"] = book(quarter_info(), infra_sheet(data, header=header, total_label=None))

    # --- savings (rows 5..9)
    data = savings_data()
    data[0][4] = -1500
    files["savings_achieved_negative.xlsx"] = book(info_sheet(), savings_sheet(data, total_label=None))
    data = savings_data()
    data[1][3] = "-4.500"
    files["savings_planned_negative.xlsx"] = book(info_sheet(), savings_sheet(data, total_label=None))
    data = savings_data()
    data[2][1] = "Chi tiếp khách"
    files["savings_category_unknown.xlsx"] = book(info_sheet(), savings_sheet(data, total_label=None))
    data = savings_data()
    data[4][1] = "Chi thường xuyên"
    files["savings_category_duplicate.xlsx"] = book(info_sheet(), savings_sheet(data, total_label=None))

    # --- files that are not reports
    files["not_a_workbook.xlsx"] = "Đây là ghi chú, không phải báo cáo.\n".encode("utf-8")
    files["old_format.xls"] = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff"
                               + b"\x00" * 482)
    files["empty.xlsx"] = b""
    files["empty.csv"] = b""
    files["zip_not_workbook.xlsx"] = zip_bytes({"readme.txt": b"not a workbook"})
    valid = book(info_sheet(), poverty_sheet(poverty_data()))
    files["truncated.xlsx"] = valid[: len(valid) // 2]
    files["csv_columns_missing.csv"] = csv_text([["district", "period", "value"], ["844", "2022", "1"]]).encode()
    rows = [CSV_HEADER] + [[d, p, "ngheo" if f == "poverty" else f, i, n, v]
                           for d, p, f, i, n, v in poverty_csv_rows("844", "2022")]
    files["csv_family_unknown.csv"] = csv_text(rows).encode()
    rows = [CSV_HEADER] + poverty_csv_rows("844", "2022") + [["844", "2022", "poverty", "29293", "so_ho", "1"]]
    files["csv_indicator_unknown.csv"] = csv_text(rows).encode()
    rows = [CSV_HEADER] + poverty_csv_rows("844", "2022")
    rows[2][5] = "nhiều"  # line 3: poor_households of Đại Phúc... of the first commune (An Trường)
    files["csv_value_not_number.csv"] = csv_text(rows).encode()
    rows = [CSV_HEADER] + poverty_csv_rows("844", "2022")
    rows.append(["844", "2022", "poverty", rows[1][3], "total_households", "2100"])  # line 86, first on line 2
    files["csv_value_duplicate.csv"] = csv_text(rows).encode()
    rows = [CSV_HEADER] + [["899", *r[1:]] for r in poverty_csv_rows("844", "2022")]
    files["csv_district_unknown.csv"] = csv_text(rows).encode()
    # --- spec v2: a commune code and a name that disagree; two sheets of one family; a two-row header not understood
    data = poverty_data()
    data[3][2] = data[4][2]  # row 9: the code of the next commune under the name of this one
    files["commune_code_name_mismatch.xlsx"] = book(info_sheet(), poverty_sheet(data))
    other = poverty_sheet(poverty_data())
    other.name = "Giam ngheo"
    files["report_sheet_duplicate.xlsx"] = book(info_sheet(), poverty_sheet(poverty_data()), other)
    top = ["STT", "Xã, phường, thị trấn", "Mã xã", "Tổng số hộ", "Số hộ nghèo", "Số hộ cận nghèo",
           "Hộ dân tộc thiểu số", None, None]
    sheet = poverty_sheet(poverty_data(), header=top)
    sheet.rows.insert(HEADER_ROW, [None] * 6 + ["Tổng số", "Nghèo", "Cận nghèo"])
    sheet.merges = ("A4:A5", "B4:B5", "C4:C5", "D4:D5", "E4:E5", "F4:F5", "G4:I4")
    files["header_not_understood.xlsx"] = book(info_sheet(), sheet)

    # --- implausible magnitudes (value_out_of_range) and a report dated after it was received
    files["value_1e19_households.xlsx"] = pov(data=one_cell(3, 1e19), total_label=None)  # a number cell, D9
    files["value_1e400.xlsx"] = pov(data=one_cell(4, "1e400"), total_label=None)  # text: not finite, E9
    data = [[n, label, *(v / 1000 for v in amounts)] for n, label, *amounts in savings_data()]  # in tỷ đồng
    data[0][2] = 250_000_000_000  # 250 tỷ typed in đồng under the (tỷ đồng) header: 2,5 × 10^20 VND (C5)
    header = [h.replace("(triệu đồng)", "(tỷ đồng)") for h in SAVINGS_HEADER]
    files["money_dong_under_ty_dong_header.xlsx"] = book(info_sheet(), savings_sheet(data, header=header,
                                                                                     total_label=None))
    files["value_km_out_of_range.xlsx"] = infra_cell(3, 25_000)  # 25.000 km of road in one commune (D9)
    rows = [CSV_HEADER] + poverty_csv_rows("844", "2022")
    rows[2][5] = "inf"  # line 3: poor_households of the first commune
    files["csv_value_not_finite.csv"] = csv_text(rows).encode()
    files["report_date_after_received.xlsx"] = pov(info_sheet(date="02/01/2032"))  # typed 2032 for 2023
    # --- the units of 2025-07-01: the period decides who reports (docs/reorganisation.md)
    files["unit_not_valid_district_2025_q3.xlsx"] = book(quarter_info(period="Quý III/2025", date="05/10/2025"),
                                                         infra_sheet(infra_data()))
    files["unit_not_valid_new_commune_2024.xlsx"] = pov(info_sheet("Phường Trà Vinh", period="Năm 2024"),
                                                        [[1, "Phường Trà Vinh", "29242", *poverty_values(0)]])
    files["unit_unknown_2025.xlsx"] = pov(info_sheet("Xã Bình Tân", period="Năm 2025", date="10/01/2026"),
                                          [[1, "Xã Bình Tân", None, *poverty_values(0)]])
    files["commune_not_reporting_unit.xlsx"] = pov(
        info_sheet("Phường Trà Vinh", period="Năm 2025", date="10/01/2026"),
        [[1, "Phường Trà Vinh", "29242", *poverty_values(0)], [2, "Xã Càng Long", None, *poverty_values(1)]],
        total_label=None)
    files["savings_from_province.xlsx"] = book(info_sheet(None, code="86", period="Năm 2025", date="20/01/2026"),
                                               savings_sheet(savings_data()))

    return files


def _infra_flags(flags: dict[str, list]) -> bytes:
    data = infra_data()
    for code, values in flags.items():
        row_of(data, code)[8:11] = values
    return book(quarter_info(), infra_sheet(data, total_label=None))


# ---------------------------------------------------------------------------------------------- hostile files

ODD_NAMES = ["'; DROP TABLE x; --.xlsx", "-leading-dash.xlsx", "báo cáo huyện Càng Long năm 2022.xlsx",
             "it's the report.xlsx", "  spaces  around  .xlsx", "Robert'); DROP TABLE report_submissions;--.csv"]


def hostile_files() -> dict[str, bytes]:
    files = {}
    workbook = book(info_sheet(), poverty_sheet(poverty_data()))
    csv_bytes = csv_text([CSV_HEADER] + poverty_csv_rows("844", "2022")).encode()
    for name in ODD_NAMES:
        files[name] = csv_bytes if name.endswith(".csv") else workbook
    files["billion_laughs.xlsx"] = billion_laughs_workbook()
    files["column_xfd_bomb.xlsx"] = wide_range_workbook(3_000)
    files["issue_heavy.csv"] = issue_heavy_csv(2_000)
    return files


def wide_range_workbook(rows: int, stray: str = "XFD1") -> bytes:
    """A poverty workbook of `rows` short rows and one stray cell far out (XFD1): a few KB on disk, but its used
    range is rows × 16,384 cells, which a reader allocates whole (2.7 GB at 3,000 rows before the guard)."""
    header = ["Xã, phường, thị trấn", "Tổng số hộ", "Số hộ nghèo", "Số hộ cận nghèo"]
    xml = [b'<row r="1">' + b"".join(f'<c r="{"ABCD"[i]}1" t="inlineStr"><is><t>{h}</t></is></c>'.encode()
                                     for i, h in enumerate(header))
           + f'<c r="{stray}" t="inlineStr"><is><t>x</t></is></c>'.encode() + b"</row>"]
    xml += [f'<row r="{r}"><c r="B{r}"><v>1</v></c></row>'.encode() for r in range(2, rows + 1)]
    return raw_workbook({"Thông tin": _info_sheet_data(), "Giảm nghèo": b"<sheetData>" + b"".join(xml)
                         + b"</sheetData>"})


def issue_heavy_csv(lines: int) -> bytes:
    """A poverty CSV whose every line breaks a rule: alternately an unknown indicator and a commune that is not
    Càng Long's (each issue message is a few hundred bytes: without a cap, 500,000 lines held ~0.9 GB)."""
    rows = [CSV_HEADER]
    for i in range(lines - 1):
        if i % 2:
            rows.append(["844", "2022", "poverty", "29293", f"chi_tieu_{i}", "1"])
        else:
            rows.append(["844", "2022", "poverty", f"9{i:05d}", "total_households", "1"])
    return csv_text(rows).encode()


def billion_laughs_workbook() -> bytes:
    """A workbook whose workbook.xml defines nested entities that would expand to gigabytes."""
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    workbook_xml = (f'<?xml version="1.0"?><!DOCTYPE workbook [{entities}]>'
                    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                    '<sheets><sheet name="Giảm nghèo &lol9;" sheetId="1" r:id="rId1"/></sheets></workbook>')
    return raw_workbook({"Giảm nghèo": b'<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData>'},
                        workbook_xml=workbook_xml.encode())


# ---------------------------------------------------------------------------------------------- raw xlsx

_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships'
    '+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>{sheets}</Types>')
_SHEET_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml'
_ROOT_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')


def raw_parts(sheet_names: list[str], workbook_xml: bytes | None = None) -> dict[str, bytes]:
    """The parts of a minimal workbook with these sheets, except the sheets' own XML."""
    sheets = "".join(f'<sheet name="{n}" sheetId="{i}" r:id="rId{i}"/>' for i, n in enumerate(sheet_names, 1))
    rels = "".join(f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                   f'relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
                   for i in range(1, len(sheet_names) + 1))
    overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{_SHEET_TYPE}"/>'
                        for i in range(1, len(sheet_names) + 1))
    return {
        "[Content_Types].xml": _CONTENT_TYPES.format(sheets=overrides).encode(),
        "_rels/.rels": _ROOT_RELS,
        "xl/workbook.xml": workbook_xml or (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_MAIN_NS}" xmlns:r="http://schemas.'
            f'openxmlformats.org/officeDocument/2006/relationships"><sheets>{sheets}</sheets></workbook>').encode(),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            f'package/2006/relationships">{rels}</Relationships>').encode(),
    }


def sheet_xml(sheet_data: bytes) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN_NS}">'.encode() + sheet_data
            + b"</worksheet>")


def raw_workbook(sheets: dict[str, bytes], workbook_xml: bytes | None = None) -> bytes:
    parts = raw_parts(list(sheets), workbook_xml)
    for i, data in enumerate(sheets.values(), 1):
        parts[f"xl/worksheets/sheet{i}.xml"] = sheet_xml(data)
    return zip_bytes(parts)


def _info_sheet_data(code: str = "844", period: str = "Năm 2022") -> bytes:
    rows = [("Mã đơn vị", code), ("Kỳ báo cáo", period), ("Ngày lập", YEAR_DATE)]
    return b"<sheetData>" + b"".join(
        f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>{k}</t></is></c>'
        f'<c r="B{r}" t="inlineStr"><is><t>{v}</t></is></c></row>'.encode() for r, (k, v) in enumerate(rows, 1)
    ) + b"</sheetData>"


def _write_zip(path: Path, members: list[tuple[str, bytes | None, bytes, int, int]]) -> None:
    """A zip from (name, raw deflate data or None to compress `data`, data, crc, size) with sizes as declared."""
    with open(path, "wb") as out:
        central = []
        for name, raw, data, crc, size in members:
            if raw is None:
                compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
                raw = compressor.compress(data) + compressor.flush()
                crc, size = zlib.crc32(data), len(data)
            offset = out.tell()
            encoded = name.encode()
            out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0x800, 8, 0, 0x5821, crc, len(raw), size,
                                  len(encoded), 0) + encoded)
            out.write(raw)
            central.append(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0x800, 8, 0, 0x5821, crc, len(raw),
                                       size, len(encoded), 0, 0, 0, 0, 0, offset) + encoded)
        start = out.tell()
        directory = b"".join(central)
        out.write(directory)
        out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(central), len(central), len(directory), start,
                              0))


def zip_bomb(path: Path, expanded_bytes: int, *, declared_bytes: int | None = None,
             sheet: str = "Giảm nghèo") -> Path:
    """A workbook whose data sheet XML inflates to `expanded_bytes` (about 1000:1 from a few KB per MB).

    The deflate stream is one flushed block of 1 MiB of whitespace repeated, so making it costs almost nothing.
    `declared_bytes` lies about the inflated size in the zip directory (a bomb that hides its size).
    """
    chunk = 1 << 20
    head = sheet_xml(b"<sheetData>")[: -len(b"</worksheet>")]
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(b" " * chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    count = max(1, (expanded_bytes - len(head)) // chunk)
    tail_data = b"</sheetData></worksheet>"
    tail = compressor.compress(tail_data) + compressor.flush(zlib.Z_FINISH)
    crc = zlib.crc32(head)
    spaces = b" " * chunk
    for _ in range(count):
        crc = zlib.crc32(spaces, crc)
    crc = zlib.crc32(tail_data, crc)
    size = len(head) + count * chunk + len(tail_data)
    raw = first + block * count + tail
    parts = raw_parts(["Thông tin", sheet])
    members = [(name, None, data, 0, 0) for name, data in parts.items()]
    members.append(("xl/worksheets/sheet1.xml", None, sheet_xml(_info_sheet_data()), 0, 0))
    declared = size if declared_bytes is None else declared_bytes
    members.append(("xl/worksheets/sheet2.xml", raw, b"", crc & 0xFFFFFFFF, declared & 0xFFFFFFFF))
    _write_zip(path, members)
    return path


def million_row_workbook(path: Path, rows: int = 1_000_000) -> Path:
    """A poverty workbook with a header and `rows` short data rows (streamed: about 2 MB on disk, 40 MB of XML)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for name, data in raw_parts(["Thông tin", "Giảm nghèo"]).items():
            zf.writestr(name, data)
        zf.writestr("xl/worksheets/sheet1.xml", sheet_xml(_info_sheet_data()))
        with zf.open("xl/worksheets/sheet2.xml", "w", force_zip64=True) as out:
            out.write(sheet_xml(b"<sheetData>")[: -len(b"</worksheet>")])
            header = ["Xã, phường, thị trấn", "Tổng số hộ", "Số hộ nghèo", "Số hộ cận nghèo"]
            out.write(b'<row r="1">' + b"".join(
                f'<c r="{"ABCD"[i]}1" t="inlineStr"><is><t>{h}</t></is></c>'.encode() for i, h in enumerate(header))
                + b"</row>")
            batch = []
            for r in range(2, rows + 2):
                batch.append(f'<row r="{r}"><c r="B{r}"><v>1</v></c></row>')
                if len(batch) == 10_000:
                    out.write("".join(batch).encode())
                    batch = []
            out.write("".join(batch).encode() + b"</sheetData></worksheet>")
    return path


# ---------------------------------------------------------------------------------------------- main

# Trà Cú's 2023 poverty report corrected for two communes, after the sample's report (Ngày lập 07/01/2024)
TRA_CU_CORRECTION = {"29462": ["Thị trấn Định An", 3530, 110, 165, 3170, 61, 159],
                     "29485": ["Xã Thanh Sơn", 3335, 60, 75, 1180, 17, 45]}


def correction_files() -> dict[str, bytes]:
    data = [[i + 1, name, code, *counts] for i, (code, (name, *counts)) in enumerate(TRA_CU_CORRECTION.items())]
    sheet = report_sheet("Giảm nghèo", "BÁO CÁO ĐIỀU CHỈNH KẾT QUẢ RÀ SOÁT HỘ NGHÈO, HỘ CẬN NGHÈO NĂM 2023",
                         POVERTY_HEADER, data)
    info = info_sheet("Huyện Trà Cú", code="849", period="Năm 2023", date="12/01/2024", by="Kiên Thị Sóc Kha")
    return {"849_tra-cu_2023_dieu-chinh-2-xa.xlsx": book(info, sheet)}


def write_all(root: Path = HERE) -> dict[str, list[str]]:
    written = {}
    for folder, files in (("valid", valid_files()), ("units_2025", units_2025_files()), ("invalid", invalid_files()),
                          ("hostile", hostile_files()), ("corrections", correction_files())):
        target = root / folder
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        for name, data in files.items():
            (target / name).write_bytes(data)
        written[folder] = sorted(files)
    return written


def main() -> None:
    written = write_all()
    total = sum(p.stat().st_size for p in HERE.rglob("*") if p.is_file())
    for folder, names in written.items():
        print(f"{folder}: {len(names)} files")
    print(f"corpus size: {total / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
