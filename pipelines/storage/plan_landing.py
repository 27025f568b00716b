"""The raw tables of the emulation plan (`raw.plan_*`): their types, descriptions and rows (see landing.py).

Every row carries the lineage of the report rows: the submission's `report_id`, the file, the sheet and Excel row
it came from, the file's sha256 and arrival time, then the plan's province and year. The tables exist (empty) when
the inbox holds no plan, so dbt can always read them.
"""

from __future__ import annotations

import polars as pl

from ..parsing.plan import PLAN_TABLE_NAMES, ParsedPlan

_PLAN_LINEAGE = {
    "report_id": pl.String, "file_name": pl.String, "sheet": pl.String, "row_number": pl.Int32,
    "sha256": pl.String, "received_at": pl.Datetime("us"), "province_code": pl.String, "year": pl.Int32,
}
PLAN_SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    "plan_clusters": {**_PLAN_LINEAGE, "cluster": pl.String, "unit_code": pl.String, "unit_name": pl.String},
    "plan_criteria": {**_PLAN_LINEAGE, "criterion_code": pl.String, "criterion_name": pl.String,
                      "indicator": pl.String, "max_points": pl.Float64, "max_bonus": pl.Float64, "order": pl.Int32},
    "plan_targets": {**_PLAN_LINEAGE, "unit_code": pl.String, "unit_name": pl.String, "criterion_code": pl.String,
                     "target": pl.Float64},
    "plan_parameters": {**_PLAN_LINEAGE, "key": pl.String, "label": pl.String, "value": pl.Float64,
                        "is_default": pl.Boolean},
    "plan_cleared_flags": {**_PLAN_LINEAGE, "unit_code": pl.String, "flag_code": pl.String, "note": pl.String},
}
assert tuple(PLAN_SCHEMAS) == PLAN_TABLE_NAMES
PLAN_DESCRIPTIONS = {
    "plan_clusters": "Emulation plans (accepted): which unit competes in which cluster (cụm thi đua), one row per unit.",
    "plan_criteria": "Emulation plans (accepted): the criteria (tiêu chí), their indicator and points, in tie-break "
                     "order.",
    "plan_targets": "Emulation plans (accepted): the target of every clustered unit for every criterion; NULL when "
                    "the criterion does not apply to the unit.",
    "plan_parameters": "Emulation plans (accepted): the scoring parameters, every one, the defaults filled in.",
    "plan_cleared_flags": "Emulation plans (accepted): integrity flags the council has looked into and cleared.",
}


def plan_records(plan: ParsedPlan) -> dict[str, list[dict]]:
    """The rows of an accepted plan, with their lineage."""
    lineage = {"report_id": plan.report_id, "file_name": plan.file_name, "sha256": plan.sha256,
               "received_at": plan.received_at, "province_code": plan.district.code if plan.district else None,
               "year": plan.period.year if plan.period else None}
    return {table: [{**lineage, **row} for row in rows] for table, rows in plan.tables.items()}
