"""The `emulation` command: `refresh` the warehouse, `summary` of what it holds, `docs` (the data dictionary),
`template` (a blank report workbook for a district), `rules` (the rule catalogue).

Exit codes of `emulation refresh`: 0 the warehouse was published (some reports may have been rejected: they
are listed); 1 it could not be published (the previously published warehouse is untouched); 2 another refresh
of the same warehouse is running; 3 bad arguments (an inbox that does not exist).
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from contextlib import redirect_stdout
from pathlib import Path

EXIT_OK, EXIT_FAILED, EXIT_BUSY, EXIT_USAGE = 0, 1, 2, 3


def _progress_logger():
    """A Dagster logger that prints one line per step and our own asset messages, nothing else."""
    from dagster import logger

    class Progress(logging.Handler):
        def __init__(self) -> None:
            super().__init__()
            self.started: dict[str, float] = {}  # step -> when it started

        def emit(self, record: logging.LogRecord) -> None:
            meta = getattr(record, "dagster_meta", None) or {}
            event = meta.get("dagster_event")
            step = meta.get("step_key") or ""
            if event is not None:
                kind = event.event_type_value
                if kind == "STEP_START":
                    self.started[step] = time.monotonic()
                    line = f"  … {step}"
                elif kind == "STEP_SUCCESS":
                    line = f"  ✓ {step} ({time.monotonic() - self.started.get(step, time.monotonic()):.1f}s)"
                elif kind == "STEP_FAILURE":
                    line = f"  ✗ {step}: {meta.get('orig_message') or record.getMessage()}"
                elif kind == "ASSET_CHECK_EVALUATION" and not event.event_specific_data.passed:
                    line = f"  ! check failed: {event.event_specific_data.check_name}"
                else:
                    return
            elif record.levelno >= logging.INFO and meta.get("orig_message") and step and "dbt" not in step:
                line = f"    {meta['orig_message']}"
            else:
                return
            print(line, file=sys.stderr, flush=True)

    @logger(description="Concise progress for the emulation command.")
    def progress(_init_context):
        log = logging.Logger("emulation", level=logging.DEBUG)  # step events are DEBUG records
        log.addHandler(Progress())
        return log

    return progress


def refresh(inbox: Path | None, warehouse: Path | None, reference: Path | None = None,
            wait_seconds: float = 0, force: bool = False) -> int:
    from .warehouse import default_inbox, default_reference, default_warehouse

    inbox = (inbox or default_inbox()).resolve()
    published = (warehouse or default_warehouse()).resolve()
    reference = (reference or default_reference()).resolve()
    if not inbox.is_dir():
        print(f"error: inbox {inbox} is not a directory (give --inbox DIR or set EMULATION_INBOX)", file=sys.stderr)
        return EXIT_USAGE
    started = time.monotonic()
    if not force:
        import datetime as dt

        from .reports import VIETNAM
        from .state import fingerprint, published_state

        built_from = published_state(published)  # None for a new warehouse: nothing to hash against
        if built_from is not None and built_from == fingerprint(inbox, reference, dt.datetime.now(VIETNAM).date()):
            print(f"Nothing changed since the last refresh: {published} is up to date "
                  "(use --force to rebuild anyway).", file=sys.stderr)
            print(summary(published, time.monotonic() - started))
            return EXIT_OK
    from . import dbt_worker
    from .warehouse import RefreshBusy, WarehousePaths

    paths = WarehousePaths(published)
    try:
        # Wait here while another refresh of this warehouse runs, before touching its build area (the run takes
        # the lock for itself; this only spares a busy refresh starting dbt and overwriting the running one's log)
        with paths.refresh_lock(wait_seconds):
            pass
    except RefreshBusy as busy:
        print(f"error: {busy}", file=sys.stderr)
        return EXIT_BUSY
    print(f"Refreshing {published}\n  inbox: {inbox}", file=sys.stderr)
    dbt_worker.start(paths.build_dir)  # dbt starts up on the other core while Dagster is imported, reports read
    try:
        return _run_refresh(inbox, published, reference, max(0.0, wait_seconds - (time.monotonic() - started)),
                            started)
    finally:
        dbt_worker.stop(paths.build_dir)


def _run_refresh(inbox: Path, published: Path, reference: Path, wait_seconds: float, started: float) -> int:
    from dagster import DagsterInstance, Definitions

    from .definitions import ALL_ASSETS, ALL_CHECKS, resources

    defs = Definitions(assets=ALL_ASSETS, asset_checks=ALL_CHECKS,
                       resources=resources(str(inbox), str(published), str(reference), wait_seconds),
                       loggers={"progress": _progress_logger()})
    job = defs.resolve_implicit_global_asset_job_def()
    # dbt's own output (every model and test) goes to a log file, the console gets one line per step
    log_path = published.parent / ".build" / "refresh.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with DagsterInstance.ephemeral() as instance, open(log_path, "w") as log, redirect_stdout(log):
        result = job.execute_in_process(instance=instance, raise_on_error=False,
                                        run_config={"loggers": {"progress": {}}})
    elapsed = time.monotonic() - started
    if not result.success:
        errors = _errors(result)
        busy = [e for e in errors if "another refresh of" in e]
        if busy:
            print(f"error: {busy[0]}", file=sys.stderr)
            return EXIT_BUSY
        for error in errors:
            print(f"error: {error}", file=sys.stderr)
        print(f"dbt's output: {log_path}", file=sys.stderr)
        state = "untouched" if published.exists() else "not created"
        print(f"Refresh failed after {elapsed:.1f}s; the published warehouse {published} is {state}.",
              file=sys.stderr)
        return EXIT_FAILED
    print(summary(published, elapsed))
    return EXIT_OK


def _errors(result) -> list[str]:
    """The distinct root causes of a failed run, where they happened."""
    messages: list[str] = []
    for event in result.all_events:
        error = getattr(event.event_specific_data, "error", None)
        while error is not None and error.cause is not None:
            error = error.cause
        if error is None:
            continue
        text = error.message.strip()
        if "RetryRequestedFromPolicy" in text or "Exceeded max_retries" in text:
            continue
        line = (f"{event.step_key}: " if event.step_key else "") + text
        if not any(text in m for m in messages):
            messages.append(line)
    return messages


def summary(published: Path, elapsed: float | None = None) -> str:
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
            "near_poverty_rate_pct, poor_households_change, poverty_rate_change_pp "
            "FROM marts.mart_poverty WHERE unit_level = 'province' ORDER BY year").fetchall()
    finally:
        con.close()
    lines = []
    took = f" in {elapsed:.1f}s" if elapsed is not None else ""
    lines.append(f"Warehouse {published}{took}")
    lines.append("Reports: " + ", ".join(f"{statuses.get(s, 0)} {s}"
                                         for s in ("accepted", "superseded", "duplicate", "rejected")))
    for file_name, sheet, rule, message, count in rejected:
        where = file_name + (f" [{sheet}]" if sheet else "")
        lines.append(f"  rejected {where}: {count} error(s), first {rule}: {message}")
    if rejected:
        lines.append("  (all issues: SELECT * FROM marts.mart_report_issues)")
    lines.append("")
    lines.append("Province poverty (mart_poverty):")
    lines.append(f"  {'year':>4} {'households':>10} {'poor':>7} {'rate %':>6} {'near-poor':>9} {'rate %':>6}"
                 f" {'Δ poor':>7} {'Δ pp':>6}")
    for year, total, poor, rate, near, near_rate, change, change_pp in poverty:
        lines.append(f"  {year:>4} {total:>10,} {poor:>7,} {rate:>6.2f} {near:>9,} {near_rate:>6.2f}"
                     f" {_signed(change):>7} {_signed(change_pp, '.2f'):>6}")
    return "\n".join(lines)


def docs(published: Path, out_dir: Path) -> int:
    """The dbt docs site (data dictionary, lineage) as one static HTML file, catalogued from `published`."""
    import os
    import shutil
    import subprocess
    import tempfile

    from .dbt_worker import dbt_executable
    from .warehouse import BUILD_DB_ENV, DBT_PROJECT_DIR

    if not published.exists():
        print(f"error: {published} does not exist; run `emulation refresh` first", file=sys.stderr)
        return EXIT_USAGE
    with tempfile.TemporaryDirectory(prefix="emulation-docs-") as tmp:
        # dbt opens its database for writing: give it a copy, never the published file
        copy = Path(tmp) / "emulation.duckdb"
        shutil.copy(published, copy)
        target = Path(tmp) / "target"
        env = {**os.environ, BUILD_DB_ENV: str(copy), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
        done = subprocess.run([dbt_executable(), "docs", "generate", "--static", "--quiet",
                               "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
                               "--target-path", str(target)], env=env, cwd=DBT_PROJECT_DIR)
        if done.returncode != 0:
            print("error: dbt docs generate failed", file=sys.stderr)
            return EXIT_FAILED
        out_dir.mkdir(parents=True, exist_ok=True)
        shutil.copy(target / "static_index.html", out_dir / "index.html")
    print(f"Data dictionary: {out_dir / 'index.html'} (open it in a browser; it needs no server)")
    return EXIT_OK


def _signed(value, fmt: str = ",") -> str:
    return "" if value is None else format(value, "+" + fmt)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="emulation", description="Warehouse of provincial emulation indicators "
                                     "built from district reports (see README.md).")
    commands = parser.add_subparsers(dest="command", required=True)
    p_refresh = commands.add_parser("refresh", help="ingest the inbox, build every model, run the checks, publish")
    p_refresh.add_argument("--inbox", type=Path, help="folder of district reports (default: EMULATION_INBOX "
                                                      "or seeds/reports)")
    p_refresh.add_argument("--warehouse", type=Path, help="published DuckDB file (default: EMULATION_WAREHOUSE "
                                                          "or warehouse/emulation.duckdb)")
    p_refresh.add_argument("--reference", type=Path, help="reference data folder (default: seeds/reference)")
    p_refresh.add_argument("--wait", type=float, default=0, metavar="SECONDS",
                           help="when another refresh of the same warehouse runs, wait this long for it "
                                "(default 0: exit 2 at once)")
    p_refresh.add_argument("--force", action="store_true",
                           help="rebuild even when nothing changed since the last refresh")
    p_summary = commands.add_parser("summary", help="what the published warehouse holds")
    p_summary.add_argument("--warehouse", type=Path)
    p_docs = commands.add_parser("docs", help="build the data dictionary (dbt docs, one static HTML file)")
    p_docs.add_argument("--warehouse", type=Path)
    p_docs.add_argument("--out", type=Path, help="output folder (default: docs/ beside the warehouse)")
    p_rules = commands.add_parser("rules", help="print the rule catalogue (Markdown)")
    del p_rules
    from .template import add_template_parser, main_template

    add_template_parser(commands)
    args = parser.parse_args(argv)
    if args.command == "refresh":
        return refresh(args.inbox, args.warehouse, args.reference, args.wait, args.force)
    if args.command == "summary":
        from .warehouse import default_warehouse

        published = (args.warehouse or default_warehouse()).resolve()
        if not published.exists():
            print(f"error: {published} does not exist; run `emulation refresh` first", file=sys.stderr)
            return EXIT_USAGE
        print(summary(published))
        return EXIT_OK
    if args.command == "docs":
        from .warehouse import default_warehouse

        published = (args.warehouse or default_warehouse()).resolve()
        return docs(published, (args.out or published.parent / "docs").resolve())
    if args.command == "rules":
        from .rules import rules_markdown

        print(rules_markdown(), end="")
        return EXIT_OK
    if args.command == "template":
        return main_template(args)
    return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
