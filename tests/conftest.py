"""Fixtures: the reference data, and one warehouse built from the embedded sample for the whole session.

Tests under tests/integration/ build warehouses and are marked `integration`; `pytest -m "not integration"`
runs the fast unit tests only.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from helpers import REFERENCE, SAMPLE_INBOX

INTEGRATION_DIR = Path(__file__).parent / "integration"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if INTEGRATION_DIR in Path(item.fspath).parents:
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def reference():
    from pipelines.parsing.reference import load_reference

    return load_reference(REFERENCE)


@pytest.fixture(scope="session")
def sample_warehouse(tmp_path_factory) -> Path:
    """The embedded sample refreshed once, in-process, through the `emulation refresh` code path."""
    from pipelines.cli.refresh import refresh

    path = tmp_path_factory.mktemp("sample") / "emulation.duckdb"
    assert refresh(SAMPLE_INBOX, path) == 0
    return path


@pytest.fixture(scope="session")
def sample_db(sample_warehouse):
    con = duckdb.connect(str(sample_warehouse), read_only=True)
    yield con
    con.close()
