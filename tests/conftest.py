"""Shared fixtures: one warehouse built from the embedded sample for the whole session."""

from __future__ import annotations

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


def query(con, sql: str, params=None) -> list[tuple]:
    return con.execute(sql, params or []).fetchall()


__all__ = ["PROJECT_ROOT", "query"]
