"""Where things are, and how the published warehouse is replaced as a whole.

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

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
DEFAULT_INBOX = PROJECT_ROOT / "seeds" / "reports"
DEFAULT_REFERENCE = PROJECT_ROOT / "seeds" / "reference"
DEFAULT_WAREHOUSE = PROJECT_ROOT / "warehouse" / "emulation.duckdb"
BUILD_DB_ENV = "EMULATION_BUILD_DB"


def dbt_project_files() -> list[Path]:
    """The files a dbt parse reads: the project and profile files, models, macros, tests, seeds."""
    files = [DBT_PROJECT_DIR / "dbt_project.yml", DBT_PROJECT_DIR / "profiles.yml"]
    for folder in ("models", "macros", "tests", "seeds", "snapshots", "analyses"):
        files += sorted(p for p in (DBT_PROJECT_DIR / folder).rglob("*") if p.is_file())
    return [f for f in files if f.exists()]


def default_inbox() -> Path:
    return Path(os.environ.get("EMULATION_INBOX") or DEFAULT_INBOX).resolve()


def default_warehouse() -> Path:
    return Path(os.environ.get("EMULATION_WAREHOUSE") or DEFAULT_WAREHOUSE).resolve()


def default_reference() -> Path:
    return Path(os.environ.get("EMULATION_REFERENCE") or DEFAULT_REFERENCE).resolve()


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
        """An empty build database; whatever a dead refresh left is cleared."""
        self.build_dir.mkdir(parents=True, exist_ok=True)
        for leftover in (self.build_db, self.build_db.with_name(self.build_db.name + ".wal")):
            leftover.unlink(missing_ok=True)

    @contextmanager
    def refresh_lock(self, wait_seconds: float = 0) -> Iterator[None]:
        """Hold the warehouse's refresh lock, waiting up to `wait_seconds` for another refresh to end.

        The lock is an flock on a file beside the warehouse: the OS drops it when its holder dies, so a killed
        refresh never leaves a stale lock (and dbt, started by the refresh, dies with it: see
        `dbt_worker.dbt_executable`).
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
        import duckdb  # here, not at the top: the dbt worker imports this module and needs no DuckDB

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
