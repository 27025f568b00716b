"""The tables of a plan workbook: clusters, criteria, targets, parameters, cleared flags (see plan.py)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .info import not_valid_for_period
from .plan_sheets import PlanSheet, as_number, find_plan_header, label_key, match_unit, plan_units, unit_problem
from .plan_spec import (CLUSTER_COLUMNS, CLUSTERS_SHEET, CRITERIA_COLUMNS, CRITERIA_SHEET, FLAGS, INDICATORS,
                        PARAMETER_HEADER, PARAMETER_OF, PARAMETERS, PARAMETERS_SHEET, TARGET_IGNORED, TARGETS_SHEET,
                        UNIT_CODE, UNIT_NAME, VERIFIED_COLUMNS, VERIFIED_SHEET)
from .units import MatchError, Unit
from .results import Context
from .rules import issue
from .text import fold, number_vi

if TYPE_CHECKING:
    from .plan import ParsedPlan

_INDICATOR_OF = {fold(code): code for code in INDICATORS} | {fold(vi): code for code, vi in INDICATORS.items()}
_FLAG_OF = {fold(code): code for code in FLAGS} | {fold(vi): code for code, vi in FLAGS.items()}
_UNIT_LABELS = {fold(label) for label in UNIT_NAME.labels + UNIT_CODE.labels}


class _Plan:
    """What one plan is being read into: the submission, its province, year and units."""

    def __init__(self, plan: "ParsedPlan", ctx: Context):
        self.plan, self.ctx = plan, ctx
        self.province: Unit = plan.district
        self.year: int = plan.period.year
        # districts up to 2024, communes of the 2025-07-01 list from 2025 (plan_sheets.plan_units)
        self.units = plan_units(ctx.reference, self.province, self.year)
        self.names: dict[str, str] = {u.code: u.full_name for u in self.units}
        self.clusters: dict[str, tuple[str, int]] = {}  # unit code -> (cluster, Excel row)
        self.listed: set[str] = set()  # units named in `Cụm thi đua`, with or without a cluster
        self.criteria: dict[str, str] = {}  # folded code -> code as written

    def flag(self, code: str, **params: object) -> None:
        self.plan.issues.append(issue(code, **params))

    def cell(self, code: str, sheet: PlanSheet, c: int, r: int, label: str, **params: object) -> None:
        self.flag(code, row=sheet.excel_row(r), column=label, address=sheet.address(c, r),
                  where=sheet.where(c, r, label), **params)

    def unit(self, sheet: PlanSheet, header, r: int) -> Unit | None:
        """The unit a row names, or None (flagged; a row naming no unit is skipped silently)."""
        name = sheet.text(header.columns.get("unit_name"), r)
        code = sheet.text(header.columns.get("unit_code"), r)
        if not name and not code:
            return None
        key = "unit_code" if code else "unit_name"
        try:
            unit = match_unit(self.ctx.reference, self.province, self.year, name, code)
        except MatchError as err:
            if err.kind == "not_valid_for_period":
                self.plan.issues.append(self._not_valid(err, sheet, header, key, r, code or name))
                return None
            rule, params = unit_problem(err, self.ctx.reference, self.year)
            self.cell(rule, sheet, header.columns[key], r, header.labels[key], value=code or name,
                      province=self.province.full_name, year=self.year, **params)
            return None
        self.names.setdefault(unit.code, unit.full_name)
        return unit

    def _not_valid(self, err: MatchError, sheet: PlanSheet, header, key: str, r: int, value: str):
        """`unit_not_valid_for_period` for a unit of the plan: a district in a plan from 2025, a new commune in a
        plan up to 2024, with the units of the year that cover it."""
        c = header.columns[key]
        if err.found.level == "district":
            who = "các xã, phường sau sắp xếp thi đua"
        else:
            who = "các huyện, thị xã, thành phố (đơn vị trước sắp xếp) thi đua"
        where = sheet.where(c, r, header.labels[key])
        return not_valid_for_period(
            value, err, place=where[0].lower() + where[1:], period_vi=f"năm thi đua {self.year}", who=who,
            candidates_vi=f"Các đơn vị thi đua năm {self.year} trên địa bàn đó",
            fix=f"Ghi các đơn vị thi đua của năm {self.year} (lệnh 'emulation template --family emulation_plan "
                f"--period {self.year}' tạo danh sách đúng), hoặc sửa 'Kỳ báo cáo' ở trang 'Thông tin' nếu ghi "
                f"nhầm năm.", row=sheet.excel_row(r), column=header.labels[key], address=sheet.address(c, r))


def read_tables(plan: "ParsedPlan", sheets: dict[str, PlanSheet], ctx: Context) -> None:
    state = _Plan(plan, ctx)
    _clusters(state, sheets[CLUSTERS_SHEET])
    _criteria(state, sheets[CRITERIA_SHEET])
    _targets(state, sheets[TARGETS_SHEET])
    _parameters(state, sheets.get(PARAMETERS_SHEET))
    if sheets.get(VERIFIED_SHEET) is not None:
        _verified(state, sheets[VERIFIED_SHEET])


def _header(state: _Plan, sheet: PlanSheet, columns, *, unit: bool = False):
    header, missing = find_plan_header(sheet, columns, unit=unit)
    if header is None:
        state.flag("plan_column_missing", sheet=sheet.name, columns=", ".join(missing))
    return header


def _clusters(state: _Plan, sheet: PlanSheet) -> None:
    header = _header(state, sheet, CLUSTER_COLUMNS, unit=True)
    if header is None:
        return
    spelling: dict[str, str] = {}  # folded cluster -> as first written
    rows = sheet.data_rows(header.row + 1)
    for r in rows:
        unit = state.unit(sheet, header, r)
        c = header.columns["cluster"]
        cluster = sheet.text(c, r)
        if unit is None:
            if cluster and not sheet.text(header.columns.get("unit_name"), r) \
                    and not sheet.text(header.columns.get("unit_code"), r):
                key = "unit_name" if "unit_name" in header.columns else "unit_code"
                state.cell("plan_value_missing", sheet, header.columns[key], r, header.labels[key],
                           hint="Ghi tên hoặc mã đơn vị thuộc cụm này, hoặc xoá dòng.")
            continue
        state.listed.add(unit.code)
        if not cluster:
            state.cell("plan_value_missing", sheet, c, r, header.labels["cluster"],
                       hint=f"Ghi cụm thi đua của {unit.full_name}, ví dụ 'Cụm 1'.")
            continue
        cluster = spelling.setdefault(fold(cluster), cluster)
        if unit.code in state.clusters:
            first, first_row = state.clusters[unit.code]
            if first != cluster:
                state.cell("plan_unit_in_two_clusters", sheet, c, r, header.labels["cluster"], unit=unit.full_name,
                           first_cluster=first, first_row=first_row, cluster=cluster)
            continue
        state.clusters[unit.code] = (cluster, sheet.excel_row(r))
        state.plan.tables["plan_clusters"].append({
            "sheet": sheet.name, "row_number": sheet.excel_row(r), "cluster": cluster, "unit_code": unit.code,
            "unit_name": unit.full_name})
    if not rows:
        state.flag("plan_no_rows", sheet=sheet.name, hint="Ghi mỗi đơn vị một dòng: cụm thi đua và đơn vị.")
    left = [u for u in state.units if u.code not in state.listed]
    if rows and left:
        state.flag("plan_unit_without_cluster", count=len(left),
                   units=", ".join(f"{u.full_name} (mã {u.code})" for u in left))


def _criteria(state: _Plan, sheet: PlanSheet) -> None:
    header = _header(state, sheet, CRITERIA_COLUMNS)
    if header is None:
        return
    cols, labels = header.columns, header.labels
    first_rows: dict[str, int] = {}
    rows = sheet.data_rows(header.row + 1)
    for r in rows:
        ok = True
        values: dict[str, object] = {}
        for name, hint in (("criterion_code", "Ghi mã tiêu chí, ví dụ 'TC1'."),
                           ("criterion_name", "Ghi nội dung tiêu chí."),
                           ("indicator", "Chọn chỉ số trong danh sách."),
                           ("max_points", "Ghi điểm tối đa của tiêu chí, ví dụ 10.")):
            values[name] = sheet.text(cols[name], r)
            if not values[name]:
                state.cell("plan_value_missing", sheet, cols[name], r, labels[name], hint=hint)
                ok = False
        code = values["criterion_code"]
        if code:
            if fold(code) in first_rows:
                state.cell("plan_criterion_duplicate", sheet, cols["criterion_code"], r, labels["criterion_code"],
                           value=code, first_row=first_rows[fold(code)])
                ok = False
            else:
                first_rows[fold(code)] = sheet.excel_row(r)
                state.criteria[fold(code)] = code
        indicator = _INDICATOR_OF.get(fold(values["indicator"]).replace(" ", "_")) or \
            _INDICATOR_OF.get(fold(values["indicator"]))
        if values["indicator"] and indicator is None:
            state.cell("plan_indicator_unknown", sheet, cols["indicator"], r, labels["indicator"],
                       value=values["indicator"], indicators=", ".join(INDICATORS))
            ok = False
        max_points = _points(state, sheet, cols["max_points"], r, labels["max_points"]) if values["max_points"] \
            else None
        if max_points is not None and max_points <= 0:
            state.cell("plan_max_points_not_positive", sheet, cols["max_points"], r, labels["max_points"],
                       value=number_vi(max_points))
            max_points = None
        max_bonus = 0.0
        if "max_bonus" in cols and sheet.text(cols["max_bonus"], r):
            max_bonus = _points(state, sheet, cols["max_bonus"], r, labels["max_bonus"])
            if max_bonus is not None and max_bonus < 0:
                state.cell("plan_max_bonus_negative", sheet, cols["max_bonus"], r, labels["max_bonus"],
                           value=number_vi(max_bonus))
                max_bonus = None
        if ok and max_points is not None and max_bonus is not None:
            state.plan.tables["plan_criteria"].append({
                "sheet": sheet.name, "row_number": sheet.excel_row(r), "criterion_code": code,
                "criterion_name": values["criterion_name"], "indicator": indicator, "max_points": max_points,
                "max_bonus": max_bonus, "order": len(state.plan.tables["plan_criteria"]) + 1})
    if not rows:
        state.flag("plan_no_rows", sheet=sheet.name,
                   hint="Ghi mỗi tiêu chí một dòng: mã, nội dung, chỉ số, điểm tối đa.")


def _points(state: _Plan, sheet: PlanSheet, c: int, r: int, label: str) -> float | None:
    value = as_number(sheet, c, r) if not sheet.error(c, r) else None
    if value is None:
        state.cell("plan_value_not_number", sheet, c, r, label, value=sheet.error(c, r) or sheet.text(c, r))
    return value


def _targets(state: _Plan, sheet: PlanSheet) -> None:
    header = _header(state, sheet, (UNIT_NAME, UNIT_CODE), unit=True)
    if header is None:
        return
    columns: dict[str, int] = {}  # criterion code -> grid column
    for c, col in enumerate(sheet.grid.columns):
        text = sheet.text(c, header.row)
        if not text or c in header.columns.values() or label_key(text) in TARGET_IGNORED | _UNIT_LABELS:
            continue
        code = state.criteria.get(fold(text))
        if code is None:
            state.cell("plan_criterion_column_unknown", sheet, c, header.row, text, value=text,
                       criteria=", ".join(state.criteria.values()) or "chưa có tiêu chí")
        elif code not in columns:
            columns[code] = c
    for code in state.criteria.values():
        if code not in columns:
            state.flag("plan_criterion_without_column", value=code)
    targets: dict[str, tuple[int, dict[str, float | None]]] = {}  # unit code -> (Excel row, targets)
    for r in sheet.data_rows(header.row + 1):
        unit = state.unit(sheet, header, r)
        if unit is None:
            continue
        key = "unit_code" if "unit_code" in header.columns else "unit_name"
        where = (sheet, header.columns[key], r, header.labels[key])
        if unit.code in targets:
            state.cell("plan_unit_duplicate", *where, unit=unit.full_name, first_row=targets[unit.code][0])
            continue
        if unit.code not in state.clusters and unit.code not in state.listed:
            state.cell("plan_unit_not_in_cluster", *where, unit=unit.full_name)
            continue
        values: dict[str, float | None] = {}
        for code, c in columns.items():
            text, error = sheet.text(c, r), sheet.error(c, r)
            if not text and not error:
                values[code] = None
                continue
            value = None if error else as_number(sheet, c, r)
            if value is None:
                state.cell("plan_target_not_number", sheet, c, r, sheet.text(c, header.row), value=error or text)
            values[code] = value
        targets[unit.code] = (sheet.excel_row(r), values)
    names = state.names
    without = [code for code in state.clusters if code not in targets]
    if without and state.criteria:
        state.flag("plan_unit_without_targets", count=len(without),
                   units=", ".join(f"{names.get(code, code)} (mã {code})" for code in without))
    for unit_code in state.clusters:
        row, values = targets.get(unit_code, (None, {}))
        for code in state.criteria.values():
            state.plan.tables["plan_targets"].append({
                "sheet": sheet.name, "row_number": row, "unit_code": unit_code, "unit_name": names.get(unit_code),
                "criterion_code": code, "target": values.get(code)})


def _parameters(state: _Plan, sheet: PlanSheet | None) -> None:
    given: dict[str, tuple[float, int]] = {}  # key -> (value, Excel row)
    if sheet is not None:
        rows = sheet.data_rows(0)
        # below the header row ('Tham số | Giá trị') when there is one: title rows above it are no parameters
        header = next((i for i, r in enumerate(rows[:30]) if _first_key(sheet, r) in PARAMETER_HEADER), -1)
        for r in rows[header + 1:]:
            cells = [(c, sheet.text(c, r)) for c in range(len(sheet.grid.columns)) if sheet.text(c, r)]
            c, label = cells[0]
            key = _first_key(sheet, r)
            if key in PARAMETER_HEADER:
                continue
            parameter = PARAMETER_OF.get(key)
            if parameter is None:
                state.cell("plan_parameter_unknown", sheet, c, r, PARAMETERS_SHEET, value=label,
                           parameters=", ".join(f"'{p.label}'" for p in PARAMETERS))
                continue
            if len(cells) < 2:
                continue  # empty: the default
            vc, text = cells[1]
            value, reason = as_number(sheet, vc, r), None
            if value is None:
                reason = "không phải là số"
            elif value < 0:
                reason = "không được âm"
            elif parameter.integer and value != int(value):
                reason = "số lượng phải là số nguyên"
            elif parameter.percent and value > 100:
                reason = "ngưỡng là phần trăm điểm tối đa, từ 0 đến 100"
            if reason:
                state.cell("plan_parameter_invalid", sheet, vc, r, parameter.label, parameter=parameter.label,
                           value=text, reason=reason, default=number_vi(parameter.default))
                continue
            given[parameter.key] = (value, sheet.excel_row(r))
    values = {p.key: given.get(p.key, (p.default, None))[0] for p in PARAMETERS}
    if not values["excellent_from_pct"] >= values["good_from_pct"] >= values["completed_from_pct"]:
        state.flag("plan_parameter_invalid", where=f"Trang '{PARAMETERS_SHEET}'", parameter="Xuất sắc từ / Tốt từ / "
                   "Hoàn thành từ", value=" / ".join(number_vi(values[k]) for k in
                                                      ("excellent_from_pct", "good_from_pct", "completed_from_pct")),
                   reason="ngưỡng Xuất sắc phải ≥ Tốt ≥ Hoàn thành", default="90 / 75 / 50")
    for p in PARAMETERS:
        value, row = given.get(p.key, (p.default, None))
        state.plan.tables["plan_parameters"].append({
            "sheet": sheet.name if sheet is not None and row else None, "row_number": row, "key": p.key,
            "label": p.label, "value": float(value), "is_default": row is None})


def _first_key(sheet: PlanSheet, r: int) -> str:
    """The first non-empty cell of a row as a parameter key: folded, without a note in brackets ('[1]')."""
    label = next(t for c in range(len(sheet.grid.columns)) if (t := sheet.text(c, r)))
    return re.sub(r"\s*[\[(][^\])]*[\])]$", "", label_key(label)).strip()


def _verified(state: _Plan, sheet: PlanSheet) -> None:
    header, missing = find_plan_header(sheet, VERIFIED_COLUMNS, unit=True)
    if header is None:
        if sheet.data_rows(0):  # an empty optional sheet is no error
            state.flag("plan_column_missing", sheet=sheet.name, columns=", ".join(missing))
        return
    c = header.columns["flag_code"]
    for r in sheet.data_rows(header.row + 1):
        unit = state.unit(sheet, header, r)
        text = sheet.text(c, r)
        if unit is None:
            continue
        key = "unit_code" if "unit_code" in header.columns else "unit_name"
        if unit.code not in state.clusters and unit.code not in state.listed:
            state.cell("plan_unit_not_in_cluster", sheet, header.columns[key], r, header.labels[key],
                       unit=unit.full_name)
            continue
        if not text:
            state.cell("plan_value_missing", sheet, c, r, header.labels["flag_code"],
                       hint="Ghi mã dấu hiệu đã xác minh, ví dụ 'households_jump'.")
            continue
        flag = _FLAG_OF.get(fold(text)) or _FLAG_OF.get(fold(text).replace(" ", "_"))
        if flag is None:
            state.cell("plan_flag_unknown", sheet, c, r, header.labels["flag_code"], value=text,
                       flags=", ".join(FLAGS))
            continue
        state.plan.tables["plan_cleared_flags"].append({
            "sheet": sheet.name, "row_number": sheet.excel_row(r), "unit_code": unit.code, "flag_code": flag,
            "note": sheet.text(header.columns.get("note"), r) or None})
