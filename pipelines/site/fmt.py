"""Formatting for the scoreboard: Vietnamese numbers (1.234,5), labels, escaping, file names."""

from __future__ import annotations

import hashlib
import html
import re
from decimal import ROUND_HALF_UP, Decimal

DASH = "—"

FAMILY_LABELS = {
    "poverty": "Giảm nghèo",
    "infrastructure": "Hạ tầng nông thôn mới",
    "savings": "Tiết kiệm",
    "emulation_plan": "Kế hoạch thi đua",
}

FLAG_LABELS = {
    "poor_moved_to_near_poor": "Hộ nghèo chuyển sang hộ cận nghèo",
    "households_jump": "Tổng số hộ thay đổi quá 10 %",
    "stock_decreased": "Số lũy kế giảm",
    "savings_far_above_plan": "Tiết kiệm vượt quá 3 lần kế hoạch",
    "late_correction_raised_score": "Báo cáo sửa sau hạn làm tăng điểm",
}


def esc(value) -> str:
    """Any value as HTML text: None is a dash, everything else escaped (quotes too, safe in attributes)."""
    return DASH if value is None else html.escape(str(value), quote=True)


def vn_number(value, decimals: int = 2, trim: bool = True) -> str:
    """`value` the Vietnamese way: '.' groups thousands, ',' marks decimals, rounded half up to `decimals`
    (1234.5 -> '1.234,5'; trailing zeros dropped unless trim is False); None -> '—'."""
    if value is None:
        return DASH
    number = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if number == 0:
        number = abs(number)  # no '-0'
    sign = "-" if number < 0 else ""
    whole, _, fraction = f"{abs(number):f}".partition(".")
    if trim:
        fraction = fraction.rstrip("0")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + ".".join(groups) + ("," + fraction if fraction else "")


def vn_pct(value, decimals: int = 1) -> str:
    """A percentage: '87,5 %'; None -> '—'."""
    return DASH if value is None else f"{vn_number(value, decimals)} %"


# d3-format locale for the charts (vl_convert), so their axes and labels read 1.234,5 too
D3_LOCALE = {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", " đ"]}


def natural_key(text) -> tuple:
    """Sort 'Cụm 2' before 'Cụm 10' and 'TC2' before 'TC10'."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part.casefold())
                 for part in re.split(r"(\d+)", str(text or "")) if part)


def slug(text) -> str:
    """A file-name-safe form of a unit code: digits and ASCII letters kept; anything else replaced, with a
    short hash so two different codes never share a page."""
    text = str(text)
    safe = re.sub(r"[^0-9A-Za-z_-]", "_", text)
    if safe != text or not safe:
        safe += "-" + hashlib.sha256(text.encode()).hexdigest()[:8]
    return safe


def unit_page(unit_code, year) -> str:
    """Relative file name of a unit's page for a year."""
    return f"don-vi-{slug(unit_code)}-{int(year)}.html"


def report_anchor(file_name, sheet) -> str:
    """Anchor id of a report on the reports page (bao-cao.html)."""
    key = f"{file_name}\x00{sheet or ''}"
    return "r-" + hashlib.sha256(key.encode()).hexdigest()[:12]
