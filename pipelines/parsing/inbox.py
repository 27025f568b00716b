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
    """Entries of the inbox (any depth) a refresh reports on, in path order: regular files, and also symbolic
    links, FIFOs, sockets and devices, which are never followed or opened but refused with a message
    (`parse_file`). Skipped: folders, hidden files and folders, Office lock files ('~$x.xlsx'), and entries that
    vanish while the inbox is listed."""
    if not inbox.is_dir():
        raise FileNotFoundError(f"inbox {inbox} is not a directory")
    files = []
    # os.walk never follows links to folders and ignores folders that vanish or cannot be listed
    for folder, dirs, names in os.walk(inbox):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in list(dirs):
            if os.path.islink(os.path.join(folder, name)):  # a link to a folder: listed (and refused), not entered
                dirs.remove(name)
                names.append(name)
        for name in names:
            if name.startswith((".", "~$")):
                continue
            files.append(Path(folder) / name)
    return sorted(files)


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
