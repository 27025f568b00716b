"""Writing small district workbooks for tests, one quirk at a time."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import openpyxl

POVERTY_HEADER = ["STT", "Xã, phường, thị trấn", "Mã xã", "Tổng số hộ", "Số hộ nghèo", "Số hộ cận nghèo"]
CANG_LONG_INFO = {"Đơn vị": "Huyện Càng Long", "Kỳ báo cáo": "Năm 2022", "Ngày lập": "10/01/2023"}


def write_workbook(path: Path, info: dict | None, sheets: dict[str, list[list]]) -> Path:
    """A workbook with a 'Thông tin' sheet (unless info is None) and the given sheets, row by row from A1."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    if info is not None:
        ws = wb.create_sheet("Thông tin")
        for key, value in info.items():
            ws.append([key, value])
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def poverty_sheet(rows: list[list], title_rows: int = 2) -> list[list]:
    """Title rows, a blank row, the header, the given rows."""
    return [["BÁO CÁO KẾT QUẢ RÀ SOÁT HỘ NGHÈO"]] * (title_rows - 1) + [[]] + [POVERTY_HEADER] + rows


CORPUS = Path(__file__).resolve().parent / "corpus"


def corpus_module():
    """tests/corpus/make_corpus.py, imported (it is a script, not a package)."""
    if "make_corpus" not in sys.modules:
        spec = importlib.util.spec_from_file_location("make_corpus", CORPUS / "make_corpus.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules["make_corpus"] = module
        spec.loader.exec_module(module)
    return sys.modules["make_corpus"]


CANG_LONG_COMMUNES = ["29266", "29269", "29272", "29275", "29278", "29281", "29284", "29287", "29290", "29293",
                      "29296", "29299", "29302", "29305"]
CANG_LONG_CORRECTION = "844_cang-long_2022_bổ sung.xlsx"


def write_cang_long_correction(inbox: Path) -> Path:
    """Càng Long resubmits 2022 poverty, made later than the sample's: 3,000 households and 10 poor households
    in every commune (140 poor in all)."""
    rows = [[i + 1, "", code, 3000, 10, 20] for i, code in enumerate(CANG_LONG_COMMUNES)]
    return write_workbook(inbox / CANG_LONG_CORRECTION,
                          {"Mã đơn vị": "844", "Kỳ báo cáo": "Năm 2022", "Ngày lập": "20/02/2023"},
                          {"Giảm nghèo": [POVERTY_HEADER] + rows})
