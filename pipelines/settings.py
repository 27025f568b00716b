"""Paths and settings, read in one place: every environment variable the project reads is named here.

| variable | default | what |
|---|---|---|
| `EMULATION_INBOX` | `seeds/reports` | the folder of reports a refresh reads |
| `EMULATION_WAREHOUSE` | `warehouse/emulation.duckdb` | the published warehouse |
| `EMULATION_REFERENCE` | `seeds/reference` | the reference data (units, calendar, categories) |
| `EMULATION_POSTGRES_URL` | unset | when set, the marts are mirrored to this PostgreSQL database |
| `EMULATION_POSTGRES_READER_ROLE` | `emulation_reader` | the role granted read access to the mirror |
| `DBT_LOG_LEVEL_FILE` | `warn` | dbt's log file level (`debug` logs every SQL statement) |
| `DAGSTER_HOME` | `.dagster` beside the warehouse | Dagster's instance folder (run history, materializations, checks), shared by `emulation refresh`, `make dagster` and the schedule |
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
DEFAULT_INBOX = PROJECT_ROOT / "seeds" / "reports"
DEFAULT_REFERENCE = PROJECT_ROOT / "seeds" / "reference"
DEFAULT_WAREHOUSE = PROJECT_ROOT / "warehouse" / "emulation.duckdb"
# dbt as installed beside this Python, whether or not .venv/bin is on PATH: `emulation-dbt` (pipelines/dbt_child.py)
# is dbt's command line that dies with the process that started it, so a refresh killed with -9 leaves no dbt
# behind holding the build database locked
DBT_EXECUTABLE = str(Path(sys.executable).with_name("emulation-dbt"))

INBOX_ENV = "EMULATION_INBOX"
WAREHOUSE_ENV = "EMULATION_WAREHOUSE"
REFERENCE_ENV = "EMULATION_REFERENCE"
POSTGRES_URL_ENV = "EMULATION_POSTGRES_URL"
READER_ROLE_ENV = "EMULATION_POSTGRES_READER_ROLE"
DBT_LOG_LEVEL_ENV = "DBT_LOG_LEVEL_FILE"
DAGSTER_HOME_ENV = "DAGSTER_HOME"
# set by a refresh for dbt only: the build database dbt writes (dbt_project/profiles.yml reads it)
BUILD_DB_ENV = "EMULATION_BUILD_DB"

VIETNAM = dt.timezone(dt.timedelta(hours=7), "Asia/Ho_Chi_Minh")


def today_in_vietnam() -> dt.date:
    return dt.datetime.now(VIETNAM).date()


def default_inbox() -> Path:
    return Path(os.environ.get(INBOX_ENV) or DEFAULT_INBOX).resolve()


def default_warehouse() -> Path:
    return Path(os.environ.get(WAREHOUSE_ENV) or DEFAULT_WAREHOUSE).resolve()


def default_reference() -> Path:
    return Path(os.environ.get(REFERENCE_ENV) or DEFAULT_REFERENCE).resolve()


def postgres_url() -> str | None:
    return os.environ.get(POSTGRES_URL_ENV) or None


def dagster_home(published: Path | None = None) -> Path:
    """Dagster's instance folder: $DAGSTER_HOME, else `.dagster` beside the warehouse (warehouse/.dagster)."""
    if os.environ.get(DAGSTER_HOME_ENV):
        return Path(os.environ[DAGSTER_HOME_ENV]).expanduser().resolve()
    return (published or default_warehouse()).resolve().parent / ".dagster"


def dbt_log_level_file() -> str:
    return os.environ.get(DBT_LOG_LEVEL_ENV) or "warn"


def dbt_project_files() -> list[Path]:
    """The files a dbt parse reads: the project and profile files, models, macros, tests, seeds."""
    files = [DBT_PROJECT_DIR / "dbt_project.yml", DBT_PROJECT_DIR / "profiles.yml"]
    for folder in ("models", "macros", "tests", "seeds", "snapshots", "analyses"):
        files += sorted(p for p in (DBT_PROJECT_DIR / folder).rglob("*") if p.is_file())
    return [f for f in files if f.exists()]
