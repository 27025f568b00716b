"""What the scoreboard shows, read from a published warehouse (opened read-only)."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .fmt import natural_key

# the columns the site reads, per mart (schema `marts`); a warehouse lacking one cannot be rendered
COLUMNS = {
    "mart_emulation_ranking": (
        "year", "cluster", "unit_code", "unit_name", "points", "bonus_points", "penalty_points", "total_points",
        "max_points", "score_pct", "classification", "rank_in_cluster", "proposed_commendation", "eligible",
        "not_eligible_reason", "open_flags", "late_reports", "missing_reports"),
    "mart_emulation_scores": (
        "year", "cluster", "unit_code", "unit_name", "criterion_code", "criterion_name", "indicator", "actual",
        "target", "achievement_pct", "max_points", "points", "bonus_points", "explanation_vi", "evidence"),
    "mart_integrity_flags": (
        "year", "unit_code", "commune_code", "flag", "detail_vi", "file_name", "sheet", "row_number", "cleared",
        "cleared_note"),
    "mart_poverty": ("year", "unit_code", "unit_level", "poverty_rate_pct"),
    "mart_infrastructure": ("year", "period_type", "unit_code", "unit_level", "ntm_communes", "ocop_products"),
    # a new commune's history (plans from 2025) is read on today's map: the same new unit across the change
    "mart_poverty_2025_units": ("year", "unit_code", "unit_level", "poverty_rate_pct"),
    "mart_infrastructure_2025_units": ("year", "period_type", "unit_code", "unit_level", "ntm_communes",
                                       "ocop_products"),
    "mart_report_submissions": (
        "file_name", "sheet", "family", "period", "district_name", "unit_name", "received_at", "report_date",
        "status"),
}


class SiteError(RuntimeError):
    """The warehouse cannot be rendered (missing, or without the marts the scoreboard reads)."""


@dataclass
class SiteData:
    ranking: list[dict]  # mart_emulation_ranking rows, by year (newest first), cluster, rank
    scores: dict[tuple, list[dict]]  # (year, unit_code) -> its criteria, evidence parsed to a list of dicts
    flags: list[dict]  # mart_integrity_flags rows, by year (newest first), unit, commune, flag
    poverty: dict[str, list[dict]]  # unit_code -> [{year, poverty_rate_pct}] by year
    infrastructure: dict[str, list[dict]]  # unit_code -> [{year, ntm_communes, ocop_products}] by year
    rejected_plans: dict[int, list[str]]  # year -> files of its rejected emulation plans
    reports: dict[tuple, dict] = field(default_factory=dict)  # (file_name, sheet) -> submission, cited ones only
    published_at: float | None = None  # the warehouse file's modification time (epoch seconds)

    @property
    def years(self) -> list[int]:
        """Years with a ranking or a rejected plan, newest first."""
        return sorted({r["year"] for r in self.ranking} | set(self.rejected_plans), reverse=True)

    def unit_names(self) -> dict[tuple, str]:
        """(year, unit_code) -> unit name, and (None, unit_code) -> its latest name."""
        names: dict[tuple, str] = {}
        for row in sorted(self.ranking, key=lambda r: r["year"]):
            names[(row["year"], row["unit_code"])] = row["unit_name"]
            names[(None, row["unit_code"])] = row["unit_name"]
        return names


def _rows(con, sql: str, params=None) -> list[dict]:
    cursor = con.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _check_columns(con, published: Path) -> None:
    have: dict[str, set[str]] = defaultdict(set)
    for table, column in con.execute(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'marts'").fetchall():
        have[table].add(column)
    problems = []
    for table, columns in COLUMNS.items():
        if table not in have:
            problems.append(f"marts.{table} is missing")
        elif missing := [c for c in columns if c not in have[table]]:
            problems.append(f"marts.{table} lacks {', '.join(missing)}")
    if problems:
        raise SiteError(f"{published} cannot be rendered as a scoreboard: {'; '.join(problems)} "
                        "(refresh it with this version: emulation refresh --force)")


def parse_evidence(text) -> list[dict]:
    """The `evidence` JSON array as a list of {file_name, sheet, row_number, family, period}; a value that is not
    such an array gives one entry holding the raw text, so nothing is silently dropped."""
    if text is None or text == "":
        return []
    try:
        items = json.loads(text) if isinstance(text, str) else text
    except ValueError:
        return [{"raw": str(text)}]
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        return [{"raw": str(text)}]
    return items


def load(published: Path) -> SiteData:
    """Everything the site shows, from the published warehouse `published`."""
    import duckdb

    if not published.is_file():
        raise SiteError(f"{published} does not exist; run `emulation refresh` first")
    con = duckdb.connect(str(published), read_only=True)
    try:
        _check_columns(con, published)
        cols = ", ".join(COLUMNS["mart_emulation_ranking"])
        ranking = _rows(con, f"SELECT {cols} FROM marts.mart_emulation_ranking")
        cols = ", ".join(COLUMNS["mart_emulation_scores"])
        score_rows = _rows(con, f"SELECT {cols} FROM marts.mart_emulation_scores")
        cols = ", ".join(COLUMNS["mart_integrity_flags"])
        flags = _rows(con, f"SELECT {cols} FROM marts.mart_integrity_flags")
        # districts as reported, new communes on today's map (3-digit and 5-digit codes: no overlap)
        poverty_rows = _rows(con, "SELECT unit_code, year, poverty_rate_pct FROM marts.mart_poverty "
                                  "WHERE unit_level = 'district' UNION ALL "
                                  "SELECT unit_code, year, poverty_rate_pct FROM marts.mart_poverty_2025_units "
                                  "WHERE unit_level = 'commune' ORDER BY unit_code, year")
        infra_rows = _rows(con, "SELECT unit_code, year, ntm_communes, ocop_products FROM marts.mart_infrastructure "
                                "WHERE period_type = 'year' AND unit_level = 'district' UNION ALL "
                                "SELECT unit_code, year, ntm_communes, ocop_products "
                                "FROM marts.mart_infrastructure_2025_units "
                                "WHERE period_type = 'year' AND unit_level = 'commune' ORDER BY unit_code, year")
        plans = con.execute("SELECT DISTINCT period, file_name FROM marts.mart_report_submissions "
                            "WHERE family = 'emulation_plan' AND status = 'rejected' ORDER BY 1, 2").fetchall()
        cols = ", ".join(COLUMNS["mart_report_submissions"])
        submissions = _rows(con, f"SELECT {cols} FROM marts.mart_report_submissions")
    finally:
        con.close()

    ranking.sort(key=lambda r: (-r["year"], natural_key(r["cluster"]), r["rank_in_cluster"] is None,
                                r["rank_in_cluster"] or 0, natural_key(r["unit_name"]), r["unit_code"]))
    scores: dict[tuple, list[dict]] = defaultdict(list)
    for row in score_rows:
        row["evidence"] = parse_evidence(row["evidence"])
        scores[(row["year"], row["unit_code"])].append(row)
    for rows in scores.values():  # the mart has no plan order column: criterion codes in natural order
        rows.sort(key=lambda r: natural_key(r["criterion_code"]))
    flags.sort(key=lambda f: (-f["year"], f["unit_code"], natural_key(f["commune_code"]), f["flag"],
                              f["file_name"] or "", f["row_number"] or 0))
    units = {r["unit_code"] for r in ranking}
    poverty: dict[str, list[dict]] = defaultdict(list)
    for row in poverty_rows:
        if (unit := row.pop("unit_code")) in units:
            poverty[unit].append(row)
    infrastructure: dict[str, list[dict]] = defaultdict(list)
    for row in infra_rows:
        if (unit := row.pop("unit_code")) in units:
            infrastructure[unit].append(row)
    ranked_years = {r["year"] for r in ranking}
    rejected: dict[int, list[str]] = defaultdict(list)
    for period, file_name in plans:
        if str(period).strip().isdigit() and int(period) not in ranked_years:
            rejected[int(period)].append(file_name)

    cited = {(e.get("file_name"), e.get("sheet")) for rows in scores.values() for r in rows for e in r["evidence"]
             if "raw" not in e}
    cited |= {(f["file_name"], f["sheet"]) for f in flags if f["file_name"]}
    reports = {(s["file_name"], s["sheet"]): s for s in submissions if (s["file_name"], s["sheet"]) in cited}
    for key in cited - set(reports):  # cited but not (or no longer) listed: still shown, without details
        reports[key] = {"file_name": key[0], "sheet": key[1]}
    return SiteData(ranking=ranking, scores=dict(scores), flags=flags, poverty=dict(poverty),
                    infrastructure=dict(infrastructure), rejected_plans=dict(rejected), reports=reports,
                    published_at=published.stat().st_mtime)
