"""`emulation refresh`: ingest the inbox, build every model, run every check, publish; one line per step."""

from __future__ import annotations

import logging
import sys
import time
import uuid
from contextlib import redirect_stdout
from pathlib import Path

from ..settings import dagster_home, default_inbox, default_reference, default_warehouse, today_in_vietnam
from .exits import EXIT_BUSY, EXIT_FAILED, EXIT_OK, EXIT_SERVING_FAILED, EXIT_USAGE
from .summary import summary_text


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
                    check = event.event_specific_data
                    if getattr(check.severity, "value", check.severity) == "WARN":
                        # a warning does not stop the refresh: say so, and what it is about
                        about = check.description or ""
                        about = about if len(about) <= 100 else about[:99] + "…"
                        line = f"  ! check warned: {check.check_name}" + (f" ({about})" if about else "")
                    else:
                        line = f"  ! check failed: {check.check_name}"
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
            wait_seconds: float = 0, force: bool = False, allow_removals: bool = False) -> int:

    inbox = (inbox or default_inbox()).resolve()
    published = (warehouse or default_warehouse()).resolve()
    reference = (reference or default_reference()).resolve()
    if not inbox.is_dir():
        print(f"error: inbox {inbox} is not a directory (give --inbox DIR or set EMULATION_INBOX)", file=sys.stderr)
        return EXIT_USAGE
    if not reference.is_dir():
        print(f"error: reference data {reference} is not a directory (give --reference DIR or set "
              "EMULATION_REFERENCE)", file=sys.stderr)
        return EXIT_USAGE
    from .paths import output_file_problem

    problem = output_file_problem(published, create_folder=True)
    if problem is not None:
        print(f"error: cannot use warehouse {published}: {problem.en} (give --warehouse PATH or set "
              "EMULATION_WAREHOUSE)", file=sys.stderr)
        return EXIT_USAGE
    started = time.monotonic()
    if not force:
        from ..storage.state import fingerprint, published_state

        built_from = published_state(published)  # None for a new warehouse: nothing to hash against
        current = fingerprint(inbox, reference, today_in_vietnam())
        if built_from is not None and built_from == current:
            print(f"Nothing changed since the last refresh: {published} is up to date "
                  "(use --force to rebuild anyway).", file=sys.stderr)
            print(summary_text(published, time.monotonic() - started))
            return EXIT_OK
        if built_from is not None and built_from["mirror"] != current["mirror"] and current["mirror"]:
            print("The PostgreSQL mirror (EMULATION_POSTGRES_URL) is not up to date: refreshing to publish it.",
                  file=sys.stderr)
    from ..storage.publish import RefreshBusy, WarehousePaths

    paths = WarehousePaths(published)
    try:
        # Wait here while another refresh of this warehouse runs, before touching its build area (the run takes
        # the lock for itself; this only spares a busy refresh overwriting the running one's log)
        with paths.refresh_lock(wait_seconds):
            pass
    except RefreshBusy as busy:
        print(f"error: {busy}", file=sys.stderr)
        return EXIT_BUSY
    print(f"Refreshing {published}\n  inbox: {inbox}", file=sys.stderr)
    return _run_refresh(inbox, published, reference, max(0.0, wait_seconds - (time.monotonic() - started)),
                        started, force, allow_removals)


def _file_identity(path: Path) -> tuple | None:
    """What changes when a publish renames a new file over `path` (None: no file)."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns)


def _run_refresh(inbox: Path, published: Path, reference: Path, wait_seconds: float, started: float,
                 force: bool = False, allow_removals: bool = False) -> int:
    from ..defs.project import prepare_manifest

    prepare_manifest()  # before the asset graph is loaded from it
    from dagster import Definitions

    from ..defs.ingest import FORCE_TAG, TRIGGER_TAG
    from ..defs.instance import run_history_writes, warehouse_instance
    from ..defs.publish import refresh_job
    from ..defs.resources import resources
    from ..definitions import ALL_ASSETS, ALL_CHECKS

    defs = Definitions(assets=ALL_ASSETS, asset_checks=ALL_CHECKS, jobs=[refresh_job],
                       resources=resources(str(inbox), str(published), str(reference), wait_seconds,
                                           allow_removals=allow_removals),
                       loggers={"progress": _progress_logger()})
    job = defs.resolve_job_def(refresh_job.name)
    tags = {TRIGGER_TAG: "cli"} | ({FORCE_TAG: "true"} if force else {})
    # dbt's own output (every model and test) goes to a log file, the console gets one line per step
    log_path = published.parent / ".build" / "refresh.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    # The warehouse's own Dagster instance (DAGSTER_HOME or warehouse/.dagster): the run, its materializations
    # and checks are what the UI shows, and what its next run compares with.
    before = _file_identity(published)
    run_id = str(uuid.uuid4())  # chosen here: run_history_writes prepares the run's own event database
    with (warehouse_instance(published) as instance, run_history_writes(dagster_home(published), run_id),
          open(log_path, "w") as log, redirect_stdout(log)):
        result = job.execute_in_process(instance=instance, raise_on_error=False, tags=tags, run_id=run_id,
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
        if _file_identity(published) != before:
            # published, then a serving output (Parquet, the PostgreSQL mirror) failed: not exit 1
            print(f"The warehouse {published} was published, but a step after publishing failed "
                  f"({elapsed:.1f}s): the Parquet set or the mirror may be out of step (see 'Serving' below; "
                  "`emulation refresh --force` exports again).", file=sys.stderr)
            print(summary_text(published, elapsed))
            return EXIT_SERVING_FAILED
        state = "untouched" if published.exists() else "not created"
        print(f"Refresh failed after {elapsed:.1f}s; the published warehouse {published} is {state}.",
              file=sys.stderr)
        return EXIT_FAILED
    print(summary_text(published, elapsed))
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
        text = error.message.strip().removeprefix("dagster._core.definitions.events.Failure: ")
        if "RetryRequestedFromPolicy" in text or "Exceeded max_retries" in text:
            continue
        line = (f"{event.step_key}: " if event.step_key else "") + text
        if not any(text in m for m in messages):
            messages.append(line)
    return messages
