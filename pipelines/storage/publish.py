"""How the published warehouse is built beside it and replaced as a whole.

A refresh builds a private database next to the published one (`<warehouse dir>/.build/`), and `publish`
checkpoints it, closes it and renames it over the published file. A rename within one directory is atomic:
a reader that has the old file open keeps its consistent view, a new reader opens the new file, and nobody
ever waits for a lock. A refresh that dies leaves the published file untouched; the next one starts its build
afresh. Only one refresh per warehouse runs at a time (an advisory lock that the OS drops when the process
dies, so no stale lock is ever left behind).
"""

from __future__ import annotations

import fcntl
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import duckdb

# The storage format of the build database, and so of the published warehouse. DuckDB fixes a file's storage
# version when it creates the file and keeps it whenever a newer DuckDB writes to it later (dbt-duckdb, the
# checkpoint at publish). The default of the duckdb 2.x Python package (storage 69) cannot be opened by
# DuckDB 1.x (the CLI 1.5.6 in the dev dependencies, BI drivers and client libraries still on 1.x). 'v1.0.0'
# (storage 64) is read by every DuckDB from 1.0 on; 'v1.5.0' (68) would need ≥ 1.5, 'v1.2.0' ≥ 1.2.
STORAGE_VERSION = "v1.0.0"


def create_database(path: Path, storage_version: str = STORAGE_VERSION) -> None:
    """Create an empty DuckDB database file at `path` in the given storage format."""
    con = duckdb.connect()
    try:
        literal = str(path).replace("'", "''")
        con.execute(f"ATTACH '{literal}' AS build (STORAGE_VERSION '{storage_version}')")
        con.execute("DETACH build")
    finally:
        con.close()


class RefreshBusy(RuntimeError):
    """Another refresh of the same warehouse is running."""


@dataclass(frozen=True)
class WarehousePaths:
    """The published file and the private build area beside it."""

    published: Path

    @property
    def build_dir(self) -> Path:
        return self.published.parent / ".build"

    @property
    def build_db(self) -> Path:
        # The file name is fixed: dbt-duckdb names the database after it, and the manifest records that name.
        return self.build_dir / "emulation.duckdb"

    @property
    def dbt_target(self) -> Path:
        """dbt's target directory for this warehouse (keeps partial parsing warm between refreshes)."""
        return self.build_dir / "dbt_target"

    @property
    def lock_file(self) -> Path:
        return self.published.parent / f".{self.published.name}.refresh.lock"

    def start_build(self) -> None:
        """An empty build database in STORAGE_VERSION; whatever a dead refresh left is cleared."""
        self.build_dir.mkdir(parents=True, exist_ok=True)
        for leftover in (self.build_db, self.build_db.with_name(self.build_db.name + ".wal")):
            leftover.unlink(missing_ok=True)
        create_database(self.build_db)

    @contextmanager
    def refresh_lock(self, wait_seconds: float = 0) -> Iterator[None]:
        """Hold the warehouse's refresh lock, waiting up to `wait_seconds` for another refresh to end.

        The lock is an flock on a file beside the warehouse: the OS drops it when its holder dies, so a killed
        refresh never leaves a stale lock.
        """
        self.published.parent.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + wait_seconds
        with open(self.lock_file, "a+") as handle:
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise RefreshBusy(
                            f"another refresh of {self.published} is running (lock {self.lock_file}); "
                            "wait for it to finish and try again"
                        ) from None
                    time.sleep(0.2)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def publish(self) -> Path:
        """Checkpoint the build database and rename it over the published file, atomically."""
        if not self.build_db.exists():
            raise FileNotFoundError(f"nothing to publish: {self.build_db} does not exist")
        con = duckdb.connect(str(self.build_db))
        try:
            con.execute("CHECKPOINT")
        finally:
            con.close()
        wal = self.build_db.with_name(self.build_db.name + ".wal")
        if wal.exists():
            raise RuntimeError(f"{wal} remains after checkpoint; refusing to publish a partial database")
        fd = os.open(self.build_db, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(self.build_db, self.published)
        dir_fd = os.open(self.published.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
        return self.published
