"""The published warehouse opens in the DuckDB 1.x CLI (issue 11): the README's recipe, run as it is written
(`duckdb -readonly <warehouse> -c "<the README's query>"`), with the CLI of the dev dependencies
(`duckdb-cli==1.5.6`, .venv/bin/duckdb), returns the sample's figures; the file also opens read-only in the
Python duckdb.

Without the CLI binary the test is skipped, except under CI (the variable CI set), where it is a failure."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from helpers import PROJECT_ROOT

from pipelines.storage.publish import STORAGE_VERSION

pytestmark = pytest.mark.integration

DUCKDB_CLI = Path(sys.executable).with_name("duckdb")
# the sample's province poor households (as in test_serving.py) and poverty rate, in percent
SAMPLE_PROVINCE = [(2021, 10207, 3.56), (2022, 5404, 1.88), (2023, 3440, 1.2), (2024, 2310, 0.8),
                   (2025, 1520, 0.53)]  # 2025: Tỉnh Vĩnh Long (86), the former Trà Vinh's 41 communes


@pytest.fixture(scope="module")
def cli() -> Path:
    if not DUCKDB_CLI.exists():
        if "CI" in os.environ:
            pytest.fail(f"{DUCKDB_CLI} is missing under CI: `make setup` installs it (duckdb-cli, dev dependencies)")
        pytest.skip(f"{DUCKDB_CLI} not found: `make setup` installs the DuckDB CLI (duckdb-cli, dev dependencies)")
    return DUCKDB_CLI


def readme_province_query() -> str:
    """The SQL of the README's "Province poverty by year" recipe, as written there."""
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"\*\*Province poverty by year\*\*.*?```sql\n(.*?)```", readme, re.S)
    assert match, "README.md no longer has the 'Province poverty by year' SQL recipe"
    return match.group(1).strip()


def box_rows(output: str) -> list[list[str]]:
    """The data rows of the CLI's default (duckbox) output, as cell texts."""
    lines = [line for line in output.splitlines() if line.startswith("│")]
    rows = [[cell.strip() for cell in line.strip("│").split("│")] for line in lines]
    return [row for row in rows if row and re.fullmatch(r"\d{4}", row[0])]


def test_cli_is_duckdb_1x(cli):
    version = subprocess.run([str(cli), "--version"], capture_output=True, text=True, timeout=60)
    assert version.returncode == 0, version.stderr
    assert version.stdout.startswith("v1."), version.stdout  # the point: a DuckDB 1.x reader


def test_readme_recipe_in_duckdb_cli(cli, sample_warehouse):
    sql = readme_province_query()
    assert "FROM marts.mart_poverty" in sql
    result = subprocess.run([str(cli), "-readonly", str(sample_warehouse), "-c", sql],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"duckdb CLI failed:\n{result.stdout}\n{result.stderr}"
    assert "Error" not in result.stderr, result.stderr
    rows = box_rows(result.stdout)
    assert [(int(r[0]), int(r[1]), float(r[2])) for r in rows] == SAMPLE_PROVINCE, result.stdout


def test_warehouse_opens_read_only_in_python(sample_warehouse):
    con = duckdb.connect(str(sample_warehouse), read_only=True)
    try:
        rows = con.execute(readme_province_query()).fetchall()
        (tags,) = con.execute("SELECT tags FROM duckdb_databases() WHERE database_name = 'emulation'").fetchone()
    finally:
        con.close()
    assert [(year, poor, rate) for year, poor, rate, *_ in rows] == SAMPLE_PROVINCE
    assert tags["storage_version"] == f"{STORAGE_VERSION}+"
