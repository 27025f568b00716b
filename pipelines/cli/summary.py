"""`emulation summary`: what a published warehouse holds (reports, rejected ones, province poverty)."""

from __future__ import annotations

import sys
from pathlib import Path

from .exits import EXIT_OK, EXIT_USAGE


def summary_text(published: Path, elapsed: float | None = None) -> str:
    """Reports accepted/rejected, the rejected ones with their first error, the province poverty table."""
    import duckdb

    con = duckdb.connect(str(published), read_only=True)
    try:
        statuses = dict(con.execute(
            "SELECT status, count(*) FROM marts.mart_report_submissions GROUP BY status").fetchall())
        rejected = con.execute(
            "SELECT s.file_name, coalesce(s.sheet, ''), any_value(i.rule ORDER BY i.row_number NULLS FIRST), "
            "any_value(i.message ORDER BY i.row_number NULLS FIRST), count(i.rule) "
            "FROM marts.mart_report_submissions s LEFT JOIN marts.mart_report_issues i "
            "ON i.file_name = s.file_name AND coalesce(i.sheet, '') = coalesce(s.sheet, '') "
            "AND i.severity = 'error' WHERE s.status = 'rejected' GROUP BY 1, 2 ORDER BY 1, 2").fetchall()
        poverty = con.execute(
            "SELECT year, total_households, poor_households, poverty_rate_pct, near_poor_households, "
            "near_poverty_rate_pct, poor_households_change, poverty_rate_change_pp, "
            "units_reported, units_expected, complete, unit_name, unit_code "
            "FROM marts.mart_poverty WHERE unit_level = 'province' ORDER BY year, unit_code").fetchall()
        today_map = con.execute(
            "SELECT unit_name, min(year), max(year), min(coverage_pct), max(coverage_pct) "
            "FROM marts.mart_poverty_2025_units WHERE unit_level = 'province' GROUP BY unit_name "
            "ORDER BY unit_name").fetchall()
    finally:
        con.close()
    lines = []
    took = f" in {elapsed:.1f}s" if elapsed is not None else ""
    lines.append(f"Warehouse {published}{took}")
    shown = ("accepted", "partially_superseded", "superseded", "duplicate", "rejected")
    lines.append("Reports: " + ", ".join(f"{statuses.get(s, 0)} {s.replace('_', ' ')}" for s in shown
                                         if s != "partially_superseded" or statuses.get(s)))
    for file_name, sheet, rule, message, count in rejected:
        where = file_name + (f" [{sheet}]" if sheet else "")
        lines.append(f"  rejected {where}: {count} error(s), first {rule}: {message}")
    if rejected:
        lines.append("  (all issues: SELECT * FROM marts.mart_report_issues)")
    lines.append("")
    lines.append("Province poverty (mart_poverty):")
    lines.append(f"  {'year':>4} {'units':>6} {'households':>10} {'poor':>7} {'rate %':>6} {'near-poor':>9}"
                 f" {'rate %':>6} {'Δ poor':>7} {'Δ pp':>6}")
    incomplete = False
    province = None
    for (year, total, poor, rate, near, near_rate, change, change_pp,
         reported, expected, complete, name, code) in poverty:
        if (name, code) != province:  # Tỉnh Trà Vinh (84) up to 2024, Tỉnh Vĩnh Long (86) from 2025
            province = (name, code)
            lines.append(f"  {name} ({code})")
        # an incomplete year (not every district expected reported) is marked `*`: its figures are the sum of
        # the districts that reported, not the province, and it has no change (mart_poverty leaves it NULL);
        # a year with no households has no rate (NULL): shown as '-', never a crash
        units = f"{reported}/{'?' if expected is None else expected}" + ("" if complete else "*")
        incomplete = incomplete or not complete
        lines.append(f"  {year:>4} {units:>6} {_num(total):>10} {_num(poor):>7} {_num(rate, '.2f'):>6}"
                     f" {_num(near):>9} {_num(near_rate, '.2f'):>6} {_signed(change):>7} {_signed(change_pp, '.2f'):>6}")
    if incomplete:
        lines.append("  * incomplete: not every district expected has reported; the figures are the sum of the "
                     "districts that did (units = reported/expected), without change")
    for name, first, last, low, high in today_map:
        cover = f"{_num(low, '.2f')} %" if low == high else f"{_num(low, '.2f')}–{_num(high, '.2f')} %"
        lines.append(f"  On today's map ({name}, mart_poverty_2025_units): {first}–{last}, "
                     f"covering {cover} of its communes")
    lines.extend(_serving_lines(published))
    site = published.parent / "site" / "index.html"
    if site.exists():
        lines += ["", f"Scoreboard (bảng xếp hạng thi đua): {site}"]
    return "\n".join(lines)


def _serving_lines(published: Path) -> list[str]:
    """What the Parquet set and the PostgreSQL mirror serve, when it is not the published warehouse."""
    from ..serving.status import out_of_step

    problems = out_of_step(published)
    if not problems:
        return []
    return ["", "Serving: OUT OF STEP with the published warehouse"] + [f"  ! {why}" for _, why in problems] + [
        "  (`emulation refresh --force` exports again)"]


def _num(value, fmt: str = ",") -> str:
    return "-" if value is None else format(value, fmt)


def _signed(value, fmt: str = ",") -> str:
    return "" if value is None else format(value, "+" + fmt)


def main_summary(published: Path) -> int:
    import duckdb

    if not published.is_file():
        state = "is a folder, not a warehouse file" if published.is_dir() else "does not exist"
        print(f"error: {published} {state}; run `emulation refresh` first", file=sys.stderr)
        return EXIT_USAGE
    try:
        text = summary_text(published)
    except duckdb.Error as err:
        first_line = str(err).splitlines()[0] if str(err) else type(err).__name__
        print(f"error: {published} is not a published warehouse ({first_line})", file=sys.stderr)
        return EXIT_USAGE
    print(text)
    return EXIT_OK
