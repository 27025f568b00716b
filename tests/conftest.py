"""Shared fixtures: one warehouse built from the embedded sample for the whole session."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest

from pipelines.warehouse import DEFAULT_INBOX, DEFAULT_REFERENCE, PROJECT_ROOT

SAMPLE_INBOX = DEFAULT_INBOX
REFERENCE = DEFAULT_REFERENCE


@pytest.fixture(scope="session")
def reference():
    from pipelines.reference import load_reference

    return load_reference(REFERENCE)


@pytest.fixture(scope="session")
def sample_warehouse(tmp_path_factory) -> Path:
    """The embedded sample refreshed once, in-process, through the `emulation refresh` code path."""
    from pipelines.cli import refresh

    path = tmp_path_factory.mktemp("sample") / "emulation.duckdb"
    assert refresh(SAMPLE_INBOX, path) == 0
    return path


@pytest.fixture(scope="session")
def sample_db(sample_warehouse):
    con = duckdb.connect(str(sample_warehouse), read_only=True)
    yield con
    con.close()


@contextmanager
def refreshed(inbox: Path, published: Path):
    """Refresh `inbox` into `published` (it must publish) and give a read-only connection to the result."""
    from pipelines.cli import refresh

    assert refresh(inbox, published) == 0
    con = duckdb.connect(str(published), read_only=True)
    try:
        yield con
    finally:
        con.close()


def query(con, sql: str, params=None) -> list[tuple]:
    return con.execute(sql, params or []).fetchall()


__all__ = ["PROJECT_ROOT", "query", "refreshed"]
