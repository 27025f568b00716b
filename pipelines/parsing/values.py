"""One cell's value in canonical units (households, km, whole VND, yes/no), or the rule it breaks."""

from __future__ import annotations

import math
import re

from .families import Column
from .results import Cell, Limits
from .text import NumberError, count_vi, number_vi, parse_number, parse_yes_no

_DEFAULT_LIMITS = Limits()
_MONEY_HINT = (" và đơn vị tiền ở tiêu đề cột: số tiền tính bằng đồng thì tiêu đề phải ghi '(đồng)', không phải "
               "'(triệu đồng)' hay '(tỷ đồng)'")
_NOT_FINITE = re.compile(r"[-+]?(inf|infinity|nan|∞)", re.IGNORECASE)
PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")  # as a computer writes it: 4803, 4.803, 1e400
_EXPONENT_NUMBER = re.compile(r"-?\d+(\.\d+)?[eE][-+]?\d+")

EXCEL_ERRORS = {"#div/0!", "#ref!", "#n/a", "#value!", "#name?", "#num!", "#null!", "#getting_data", "#spill!"}


def convert(cell: Cell, column: Column, multiplier: int, csv_values: bool, flag,
            limits: Limits | None = None) -> object:
    """A cell's value in canonical units, or None (flagging the rule it breaks).

    A value beyond the plausible magnitudes of `limits` (or not finite: `1e400`, `inf`) is `value_out_of_range`:
    whatever a clerk types, what comes out fits the raw tables' BIGINT and DOUBLE columns.
    """
    if cell.error:
        flag("cell_error", column.name, value=cell.error)
        return None
    text = cell.text
    if text is None or text == "":
        if column.kind == "yesno":
            return False
        if column.required:
            flag("value_missing", column.name)
        return None
    if text[0] == "#" and text.lower() in EXCEL_ERRORS:  # every Excel error starts with "#"
        flag("cell_error", column.name, value=text)
        return None
    if column.kind == "yesno":
        try:
            return parse_yes_no(text)
        except ValueError:
            flag("value_not_yes_no", column.name, value=text)
            return None
    if not text[0].isdigit() and _NOT_FINITE.fullmatch(text):  # 'inf', 'nan', '∞' never start with a digit
        flag("value_out_of_range", column.name, value=text, detail="không phải là một số hữu hạn", hint="")
        return None
    try:
        if cell.numeric or csv_values:
            value = float(text) if PLAIN_NUMBER.fullmatch(text) else parse_number(text)
        elif ("e" in text or "E" in text) and _EXPONENT_NUMBER.fullmatch(text):
            value = float(text)
        else:
            value = parse_number(text)
    except NumberError:
        flag("value_not_number", column.name, value=text)
        return None
    if not math.isfinite(value):
        flag("value_out_of_range", column.name, value=text, detail="không phải là một số hữu hạn", hint="")
        return None
    if value < 0:
        flag("value_negative", column.name, value=number_vi(value))
        return None
    limits = limits or _DEFAULT_LIMITS
    if column.kind == "count":
        if value > limits.max_count:
            flag("value_out_of_range", column.name, value=text,
                 detail=f"lớn hơn mức tối đa {count_vi(limits.max_count)} cho một dòng", hint="")
            return None
        if abs(value - round(value)) > 1e-9:
            flag("value_not_integer", column.name, value=number_vi(value))
            return None
        return int(round(value))
    if column.kind == "money":
        amount = value * multiplier
        if not amount <= limits.max_money_vnd:  # also catches an amount that overflows to inf
            detail = f"lớn hơn mức tối đa {_big_vi(limits.max_money_vnd)} đồng cho một dòng"
            if multiplier != 1:  # the header's unit multiplies what was typed: say what it came to
                detail = f"tức {_big_vi(amount)} đồng, {detail}"
            flag("value_out_of_range", column.name, value=text, detail=detail, hint=_MONEY_HINT)
            return None
        return int(round(amount))
    if value > limits.max_km:
        flag("value_out_of_range", column.name, value=text,
             detail=f"lớn hơn mức tối đa {number_vi(limits.max_km)} km cho một dòng", hint=" (tính bằng km, không phải m)")
        return None
    return round(value, 6)


def _big_vi(amount: float) -> str:
    """A large amount for a message: '1.000.000.000.000.000', or '2,5 × 10^20' beyond 10^18."""
    if not math.isfinite(amount):
        return "vô cùng"
    if amount < 1e18:
        return count_vi(int(round(amount)))
    exponent = int(math.floor(math.log10(amount)))
    return f"{number_vi(amount / 10**exponent, 2)} × 10^{exponent}"

