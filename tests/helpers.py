"""Helpers shared by tests (imported as `helpers`; conftest.py holds only fixtures)."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import duckdb

from pipelines.settings import DEFAULT_INBOX, DEFAULT_REFERENCE, PROJECT_ROOT

SAMPLE_INBOX = DEFAULT_INBOX
REFERENCE = DEFAULT_REFERENCE

__all__ = ["PROJECT_ROOT", "REFERENCE", "SAMPLE_INBOX", "query", "refreshed"]


@contextmanager
def refreshed(inbox: Path, published: Path):
    """Refresh `inbox` into `published` (it must publish) and give a read-only connection to the result."""
    from pipelines.cli.refresh import refresh

    assert refresh(inbox, published) == 0
    con = duckdb.connect(str(published), read_only=True)
    try:
        yield con
    finally:
        con.close()


def query(con, sql: str, params=None) -> list[tuple]:
    return con.execute(sql, params or []).fetchall()
