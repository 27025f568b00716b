"""Landing parsed reports and reference data in the build database, schema `raw` (see docs/raw-tables.md).

Values travel as Arrow data through DuckDB's replacement scans, never as SQL text: nothing read from a file
is ever spliced into a statement.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

from ..parsing.families import FAMILIES, Family
from ..parsing.plan import ParsedPlan
from ..parsing.units import province_of
from ..parsing.results import ParsedReport
from ..parsing.rules import ERROR, RULES, WARNING
from .plan_landing import PLAN_DESCRIPTIONS, PLAN_SCHEMAS, plan_records

_LINEAGE = {
    "report_id": pl.String, "file_name": pl.String, "sheet": pl.String, "row_number": pl.Int32,
    "sha256": pl.String, "received_at": pl.Datetime("us"), "district_code": pl.String, "unit_code": pl.String,
    "period": pl.String, "year": pl.Int32,
}
_KIND_TYPES = {"name": pl.String, "code": pl.String, "category": pl.String, "count": pl.Int64, "money": pl.Int64,
               "km": pl.Float64, "yesno": pl.Boolean}


def _rows_schema(family: Family) -> dict[str, pl.DataType]:
    """raw.<family>_rows: the lineage columns, then the family's own columns typed by their kind."""
    schema = {**_LINEAGE, **({"quarter": pl.Int32} if family.period_type == "quarter" else {})}
    for column in family.columns:
        schema[column.name] = _KIND_TYPES[column.kind]
        if column.kind == "category":
            schema["category_label"] = pl.String  # the category as written in the report
    return schema


SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    "report_submissions": {
        "report_id": pl.String, "file_name": pl.String, "sheet": pl.String, "sha256": pl.String,
        "family": pl.String, "period": pl.String, "period_type": pl.String, "year": pl.Int32,
        "quarter": pl.Int32, "district_code": pl.String, "unit_code": pl.String, "unit_level": pl.String,
        "province_code": pl.String, "report_date": pl.Date, "prepared_by": pl.String,
        "received_at": pl.Datetime("us"), "parse_status": pl.String, "errors": pl.Int32, "warnings": pl.Int32,
        "row_count": pl.Int32,
    },
    "report_issues": {
        "report_id": pl.String, "file_name": pl.String, "sheet": pl.String, "row_number": pl.Int32,
        "column_name": pl.String, "family": pl.String, "period": pl.String, "district_code": pl.String,
        "unit_code": pl.String, "severity": pl.String, "rule": pl.String, "message": pl.String,
    },
    **{f"{name}_rows": _rows_schema(family) for name, family in FAMILIES.items()},
    **PLAN_SCHEMAS,
}
DESCRIPTIONS = {
    "report_submissions": "One row per report found in the inbox, accepted or rejected, with lineage.",
    "report_issues": "One row per rule a report broke (errors and warnings).",
    **{f"{name}_rows": family.description for name, family in FAMILIES.items()},
    **PLAN_DESCRIPTIONS,
}
REPORT_TABLES = tuple(SCHEMAS)


def report_frames(reports: list[ParsedReport]) -> dict[str, pl.DataFrame]:
    """The raw tables' contents for these reports, as typed Polars frames."""
    records: dict[str, list[dict]] = {name: [] for name in SCHEMAS}
    for report in reports:
        period = report.period
        district_code = report.district.code if report.district else None
        # the reporting unit: a district, a new commune or a new province (an emulation plan: its province)
        unit = report.unit or report.district
        accepted = not report.rejected
        common = {"report_id": report.report_id, "file_name": report.file_name, "sheet": report.sheet,
                  "district_code": district_code, "unit_code": unit.code if unit else None,
                  "period": period.code if period else None}
        records["report_submissions"].append({
            **common, "sha256": report.sha256, "family": report.family,
            "unit_level": unit.level if unit else None, "province_code": province_of(unit) if unit else None,
            "period_type": period.type if period else None, "year": period.year if period else None,
            "quarter": period.quarter if period else None, "report_date": report.report_date,
            "prepared_by": report.prepared_by, "received_at": report.received_at,
            "parse_status": report.status, "errors": report.count(ERROR), "warnings": report.count(WARNING),
            "row_count": (report.row_count if isinstance(report, ParsedPlan) else len(report.rows))
            if accepted else 0,
        })
        for found in report.issues:
            records["report_issues"].append({
                **common, "family": report.family, "row_number": found.row_number,
                "column_name": found.column_name, "severity": found.severity, "rule": found.rule,
                "message": found.message,
            })
        if not accepted:
            continue
        if isinstance(report, ParsedPlan):  # the emulation plan: its own tables
            for table, rows in plan_records(report).items():
                records[table].extend(rows)
            continue
        lineage = {**common, "sha256": report.sha256, "received_at": report.received_at,
                   "year": period.year if period else None}
        table = f"{report.family}_rows"
        extra = {"quarter": period.quarter} if period.type == "quarter" else {}
        records[table].extend({**lineage, **extra, **row} for row in report.rows)
    return {name: pl.DataFrame(rows, schema=SCHEMAS[name], orient="row") if rows
            else pl.DataFrame(schema=SCHEMAS[name]) for name, rows in records.items()}


def _duck_type(dtype: pl.DataType) -> str:
    return {pl.String: "VARCHAR", pl.Int32: "INTEGER", pl.Int64: "BIGINT", pl.Float64: "DOUBLE",
            pl.Boolean: "BOOLEAN", pl.Date: "DATE"}.get(dtype, "TIMESTAMP" if isinstance(dtype, pl.Datetime)
                                                        else "VARCHAR")


def replace_table(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame,
                  schema: dict[str, pl.DataType] | None = None) -> int:
    """Create or replace raw.<table> with exactly these typed columns and rows."""
    schema = schema or dict(frame.schema)
    # column names come from this module's schemas or the reference CSVs' headers, never from a report;
    # quoted all the same
    columns = ", ".join(f'"{name.replace(chr(34), chr(34) * 2)}" {_duck_type(dtype)}' for name, dtype in schema.items())
    con.execute("CREATE SCHEMA IF NOT EXISTS raw")
    con.execute(f"CREATE OR REPLACE TABLE raw.{table} ({columns})")
    if frame.height:
        con.register("_landing", frame.select(list(schema)))
        con.execute(f"INSERT INTO raw.{table} SELECT * FROM _landing")
        con.unregister("_landing")
    return frame.height


def land_reports(db_path: Path, reports: list[ParsedReport], reuse_from: Path | None = None,
                 reuse_files: set[str] | None = None) -> dict[str, int]:
    """Replace the raw report tables with these reports, plus the rows of `reuse_files` copied from the raw
    tables of the published warehouse `reuse_from` (unchanged files, not parsed again); row counts per table."""
    frames = report_frames(reports)
    con = duckdb.connect(str(db_path))
    try:
        con.execute("BEGIN")
        for name in REPORT_TABLES:
            replace_table(con, name, frames[name], SCHEMAS[name])
        if reuse_from is not None and reuse_files:
            con.execute("ATTACH ? AS published (READ_ONLY)", [str(reuse_from)])
            con.register("_reused", pl.DataFrame({"file_name": sorted(reuse_files)}))
            for name in REPORT_TABLES:
                columns = ", ".join(f'"{c}"' for c in SCHEMAS[name])
                con.execute(f"INSERT INTO raw.{name} ({columns}) SELECT {columns} FROM published.raw.{name} "
                            "WHERE file_name IN (SELECT file_name FROM _reused)")
            con.unregister("_reused")
        con.execute("COMMIT")
        if reuse_from is not None and reuse_files:
            con.execute("DETACH published")
        counts = {name: con.execute(f"SELECT count(*) FROM raw.{name}").fetchone()[0] for name in REPORT_TABLES}
    finally:
        con.close()
    return counts


def rule_catalogue() -> pl.DataFrame:
    """The rule catalogue as a table, so that rules checked in dbt (the outlier rule) take their message from it."""
    return pl.DataFrame([{"rule": r.code, "severity": r.severity, "title": r.description,
                          "message_template": r.message} for r in RULES.values()],
                        schema={"rule": pl.String, "severity": pl.String, "title": pl.String,
                                "message_template": pl.String}, orient="row")


SPLIT_SHARES_FILE = "commune_split_shares.csv"  # optional: shares of an old commune split between new ones


def land_reference(db_path: Path, reference_dir: Path) -> dict[str, int]:
    """Load the reference CSVs as raw.admin_units (units of 2025-03-01), raw.admin_units_2025 (units of
    2025-07-01), raw.commune_crosswalk (old commune -> new commune), raw.commune_split_shares (optional file; empty
    table without it), raw.reporting_calendar, raw.savings_categories, and the rule catalogue as
    raw.rule_catalogue."""
    shares = reference_dir / SPLIT_SHARES_FILE
    frames = {
        "rule_catalogue": rule_catalogue(),
        "admin_units": pl.read_csv(reference_dir / "admin_units.csv", infer_schema=False),
        "admin_units_2025": pl.read_csv(reference_dir / "admin_units_2025-07-01.csv", infer_schema=False),
        "commune_crosswalk": pl.read_csv(reference_dir / "commune_crosswalk_2025-07-01.csv", infer_schema=False),
        "commune_split_shares": (pl.read_csv(shares, infer_schema=False) if shares.exists() else
                                 pl.DataFrame(schema={"old_commune_code": pl.String, "new_commune_code": pl.String,
                                                      "share": pl.String}))
        .with_columns(pl.col("share").cast(pl.Float64)),
        "reporting_calendar": pl.read_csv(reference_dir / "reporting_calendar.csv", infer_schema=False)
        .with_columns(pl.col("due_date").str.to_date("%Y-%m-%d")),
        "savings_categories": pl.read_csv(reference_dir / "savings_categories.csv", infer_schema=False)
        .with_columns(pl.col("sort_order").cast(pl.Int32)),
    }
    con = duckdb.connect(str(db_path))
    try:
        con.execute("BEGIN")
        counts = {name: replace_table(con, name, frame) for name, frame in frames.items()}
        con.execute("COMMIT")
    finally:
        con.close()
    return counts

