"""The paths a command is given, checked before any work starts.

A path that cannot be used is a usage error: the command prints one line on stderr and exits 3 (EXIT_USAGE),
never a traceback. Each check returns why the path cannot be used, in English and in Vietnamese (the
`template` command speaks to clerks in both), or None when it can.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import NamedTuple


class PathProblem(NamedTuple):
    en: str
    vi: str


def _file_above(path: Path) -> Path | None:
    """The nearest existing ancestor of `path` when it is a file, not a folder ('report.xlsx/out/x.duckdb')."""
    for parent in path.parents:
        if parent.exists():
            return None if parent.is_dir() else parent
    return None


def folder_problem(folder: Path, *, create: bool) -> PathProblem | None:
    """Why files cannot be written in `folder`. With `create`, a missing folder is made (as the command would)."""
    above = _file_above(folder)
    if above is not None or (folder.exists() and not folder.is_dir()):
        culprit = above or folder
        return PathProblem(f"{culprit} is a file, not a folder", f"{culprit} là một tệp, không phải thư mục")
    if not folder.exists():
        if not create:
            return PathProblem(f"folder {folder} does not exist (create it first)",
                               f"thư mục {folder} không có (hãy tạo thư mục trước)")
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            return PathProblem(f"cannot create folder {folder} ({err.strerror or err})",
                               f"không tạo được thư mục {folder} ({err.strerror or err})")
    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as err:
        return PathProblem(f"cannot write in folder {folder} ({err.strerror or err})",
                           f"không ghi được vào thư mục {folder} ({err.strerror or err})")
    return None


def output_file_problem(path: Path, *, create_folder: bool) -> PathProblem | None:
    """Why a file cannot be written at `path`: it is a folder, or its folder is missing or not writable."""
    if path.is_dir():
        return PathProblem(f"{path} is a folder, not a file", f"{path} là thư mục, không phải tệp")
    return folder_problem(path.parent, create=create_folder)
