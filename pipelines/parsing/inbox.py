"""Reading the inbox: which files are there, and every report in them (in parallel for large inboxes)."""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from .reference import load_reference
from .files import parse_file
from .results import ParsedReport

PARALLEL_FROM_FILES = 200  # below this, a process pool costs more than it saves


def inbox_files(inbox: Path) -> list[Path]:
    """Report files in the inbox (any depth), skipping hidden files and Office lock files ('~$x.xlsx')."""
    if not inbox.is_dir():
        raise FileNotFoundError(f"inbox {inbox} is not a directory")
    files = []
    for path in sorted(inbox.rglob("*")):
        relative = path.relative_to(inbox)
        if any(part.startswith(".") for part in relative.parts) or path.name.startswith("~$"):
            continue
        if path.is_file() and not path.is_symlink():
            files.append(path)
    return files


def relative_name(path: Path, inbox: Path) -> str:
    return path.relative_to(inbox).as_posix()


def _parse_one(args: tuple[str, str, str, str | None]) -> list[ParsedReport]:
    path, name, reference_dir, sha256 = args
    return parse_file(Path(path), name, load_reference(Path(reference_dir)), sha256=sha256)


def parse_inbox(inbox: Path, reference_dir: Path, workers: int | None = None, only: set[str] | None = None,
                hashes: dict[str, str] | None = None) -> list[ParsedReport]:
    """Every report of every file in the inbox (or of the files named in `only`), in file-name order.

    `hashes` (file name -> sha256, as a refresh fingerprint already has them) spares hashing the files again.
    """
    files = inbox_files(inbox)
    hashes = hashes or {}
    jobs = [(str(p), name, str(reference_dir), hashes.get(name))
            for p, name in ((p, relative_name(p, inbox)) for p in files)]
    if only is not None:
        jobs = [job for job in jobs if job[1] in only]
    workers = workers or os.cpu_count() or 1
    if len(jobs) < PARALLEL_FROM_FILES or workers < 2:
        results = [_parse_one(job) for job in jobs]
    else:
        context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            results = list(pool.map(_parse_one, jobs, chunksize=16))
    return [report for reports in results for report in reports]
