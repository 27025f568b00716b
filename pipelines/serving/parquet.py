"""Every mart as Parquet, replaced as a whole like the DuckDB file itself.

`export_parquet` writes every table of schema `marts` into a fresh version directory
(`<warehouse dir>/parquet-versions/<version>/<mart>.parquet`) and then switches the symlink
`<warehouse dir>/parquet` to it with one `rename`. A reader that resolves `parquet/` sees one complete set;
a reader that already opened a file of the previous set keeps reading it (an open file outlives its
deletion on Linux). The set just replaced is kept until the next export, older ones are deleted.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import re
import shutil
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from .marts import MARTS_SCHEMA, duck_ident, list_marts

log = logging.getLogger(__name__)

MANIFEST_NAME = "_manifest.json"  # leading underscore: Spark, pandas and DuckDB globs of *.parquet skip it
_SAFE_FILE_STEM = re.compile(r"\w[\w-]*")


def default_parquet_dir(published: Path) -> Path:
    """`<warehouse dir>/parquet`, the symlink Parquet readers use."""
    return Path(os.path.abspath(published)).parent / "parquet"


@dataclass(frozen=True)
class ParquetLayout:
    """`parquet` (a symlink) and the directory of versions it points into, side by side."""

    link: Path

    @property
    def versions(self) -> Path:
        return self.link.with_name(self.link.name + "-versions")

    @property
    def lock_file(self) -> Path:
        return self.versions / ".lock"

    def temp_link(self) -> Path:
        return self.link.with_name(f".{self.link.name}.{uuid.uuid4().hex}.tmp")

    def is_temp_link(self, path: Path) -> bool:
        return path.name.startswith(f".{self.link.name}.") and path.name.endswith(".tmp")


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def export_parquet(published: Path, parquet_dir: Path | None = None, *, compression: str = "zstd") -> dict[str, int]:
    """Write every mart of `published` as `<parquet_dir>/<mart>.parquet`, switching the whole set at once.

    `parquet_dir` (default `<warehouse dir>/parquet`) becomes a symlink to
    `<parquet_dir>-versions/<version>/`; a real directory found there (an earlier layout) is moved into the
    versions directory first. Returns the number of rows written per mart.
    """
    layout = ParquetLayout(Path(os.path.abspath(parquet_dir or default_parquet_dir(published))))
    layout.versions.mkdir(parents=True, exist_ok=True)
    with open(layout.lock_file, "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one export per directory at a time; the OS drops it if we die
        try:
            return _export_locked(Path(published), layout, compression)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _export_locked(published: Path, layout: ParquetLayout, compression: str) -> dict[str, int]:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    version = layout.versions / f"{stamp}-{uuid.uuid4().hex[:8]}"
    partial = version.with_name(version.name + ".partial")
    partial.mkdir()
    counts: dict[str, int] = {}
    try:
        con = duckdb.connect(str(published), read_only=True)
        try:
            for mart in list_marts(con):
                if not _SAFE_FILE_STEM.fullmatch(mart.name):
                    raise ValueError(f"mart name {mart.name!r} is not usable as a file name")
                target = partial / f"{mart.name}.parquet"
                row = con.execute(
                    f"COPY {duck_ident(MARTS_SCHEMA)}.{duck_ident(mart.name)} TO ? "
                    f"(FORMAT parquet, COMPRESSION {_compression(compression)})",
                    [str(target)],
                ).fetchone()
                counts[mart.name] = int(row[0]) if row else 0
        finally:
            con.close()
        if not counts:
            raise RuntimeError(f"{published} has no tables in schema {MARTS_SCHEMA!r}; nothing to export")
        manifest = {
            "source": str(published),
            "source_mtime": datetime.fromtimestamp(published.stat().st_mtime, timezone.utc).isoformat(),
            "exported_at": datetime.now(timezone.utc).isoformat(),
            "rows": counts,
        }
        (partial / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        for file in partial.iterdir():
            _fsync(file)
        _fsync(partial)
        os.rename(partial, version)
        _fsync(layout.versions)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise

    previous = _switch_link(layout, version)
    _remove_old_versions(layout, keep={version.name, previous} - {None})
    log.info("exported %d marts to %s -> %s", len(counts), layout.link, version)
    return counts


def _compression(name: str) -> str:
    if name.lower() not in {"zstd", "snappy", "gzip", "lz4", "brotli", "uncompressed"}:
        raise ValueError(f"unknown Parquet compression {name!r}")
    return name.lower()


def _switch_link(layout: ParquetLayout, version: Path) -> str | None:
    """Point `layout.link` at `version` with one rename; the name of the version it pointed to before."""
    link = layout.link
    previous: str | None = None
    if link.is_symlink():
        previous = Path(os.readlink(link)).name
    elif link.exists():
        raise FileExistsError(f"{link} exists and is not a symlink; move it away")
    temp = layout.temp_link()
    os.symlink(os.path.relpath(version, link.parent), temp)
    try:
        os.replace(temp, link)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _fsync(link.parent)
    return previous


def _remove_old_versions(layout: ParquetLayout, keep: set[str]) -> None:
    for entry in layout.versions.iterdir():
        if entry.name in keep or entry.name.startswith("."):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
    for entry in layout.link.parent.iterdir():  # temporary links of exports that died before their rename
        if layout.is_temp_link(entry) and entry.is_symlink():
            entry.unlink(missing_ok=True)
