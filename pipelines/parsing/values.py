"""One cell's value in canonical units (households, km, whole VND, yes/no), or the rule it breaks."""

from __future__ import annotations

import re

from .families import Column
from .results import Cell
from .text import NumberError, number_vi, parse_number, parse_yes_no

EXCEL_ERRORS = {"#div/0!", "#ref!", "#n/a", "#value!", "#name?", "#num!", "#null!", "#getting_data", "#spill!"}


def convert(cell: Cell, column: Column, multiplier: int, csv_values: bool, flag) -> object:
    """A cell's value in canonical units, or None (flagging the rule it breaks)."""
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
    if text.lower() in EXCEL_ERRORS:
        flag("cell_error", column.name, value=text)
        return None
    if column.kind == "yesno":
        try:
            return parse_yes_no(text)
        except ValueError:
            flag("value_not_yes_no", column.name, value=text)
            return None
    try:
        if cell.numeric or csv_values:
            value = float(text) if re.fullmatch(r"-?\d+(\.\d+)?([eE][-+]?\d+)?", text) else parse_number(text)
        elif re.fullmatch(r"-?\d+(\.\d+)?[eE][-+]?\d+", text):
            value = float(text)
        else:
            value = parse_number(text)
    except NumberError:
        flag("value_not_number", column.name, value=text)
        return None
    if value < 0:
        flag("value_negative", column.name, value=number_vi(value))
        return None
    if column.kind == "count":
        if abs(value - round(value)) > 1e-9:
            flag("value_not_integer", column.name, value=number_vi(value))
            return None
        return int(round(value))
    if column.kind == "money":
        return int(round(value * multiplier))
    return round(value, 6)

