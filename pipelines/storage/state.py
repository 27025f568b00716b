"""What a published warehouse was built from, so that a refresh with nothing new costs almost nothing.

The fingerprint covers everything the warehouse depends on: the content (sha256) of every inbox file and of
the reference data, the project's code and dbt models, and today's date (reports become late, periods end);
and where the marts are mirrored: the PostgreSQL target (its URL without the password, and the reader role),
so that setting or changing EMULATION_POSTGRES_URL is a change like any other.
A refresh stores it in the build database (`raw.refresh_state`), so it is published with the warehouse; the
next refresh compares before importing Dagster or starting dbt.

The mirror is published after the warehouse file, and can fail on its own (no database yet, a wrong password):
so the published state's "mirror" is not taken from the file but from the serving record beside it
(serving/status.py: the target of the last mirror of this very build, recorded once PostgreSQL has committed
the marts). A refresh whose mirror failed is therefore not "up to date" the next time, and publishes again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from pathlib import Path

import duckdb

from ..parsing.files import entry_sha256, file_sha256
from ..parsing.inbox import inbox_files, relative_name
from ..serving.postgres import DEFAULT_READER_ROLE
from ..serving.status import mirrored_target
from ..settings import PROJECT_ROOT, READER_ROLE_ENV, dbt_project_files, postgres_url

STATE_TABLE = "raw.refresh_state"


def _code_files() -> list[Path]:
    return sorted((PROJECT_ROOT / "pipelines").rglob("*.py")) + dbt_project_files()


def fingerprint(inbox: Path, reference_dir: Path, today: dt.date) -> dict:
    """Everything a refresh's result depends on, as a JSON-able dict."""
    return {
        # entries that vanish while being hashed are simply not there; links and special files are never opened
        "inbox": {relative_name(p, inbox): sha for p in inbox_files(inbox) if (sha := entry_sha256(p)) is not None},
        "reference": {p.name: file_sha256(p) for p in sorted(reference_dir.glob("*.csv"))},
        "code": hashlib.sha256(b"".join(file_sha256(p).encode() for p in _code_files())).hexdigest(),
        "today": today.isoformat(),
        "mirror": mirror_target(),
    }


def mirror_target(url: str | None = None) -> dict | None:
    """Where the marts are mirrored (None: nowhere): the connection parameters of $EMULATION_POSTGRES_URL
    without the password (a new password is not a new target, and no secret lands in the warehouse), and the
    reader role granted access."""
    url = url if url is not None else postgres_url()
    if not url:
        return None
    try:
        from psycopg.conninfo import conninfo_to_dict

        params = {k: str(v) for k, v in conninfo_to_dict(url).items() if k != "password"}
    except Exception:  # not parseable here (psycopg will say why when publishing): compare it by hash only
        params = {"sha256": hashlib.sha256(url.encode()).hexdigest()}
    return {"postgres": params, "reader_role": os.environ.get(READER_ROLE_ENV) or DEFAULT_READER_ROLE}


def store(con: duckdb.DuckDBPyConnection, state: dict) -> None:
    con.execute("CREATE SCHEMA IF NOT EXISTS raw")
    con.execute(f"CREATE OR REPLACE TABLE {STATE_TABLE} (fingerprint VARCHAR, files INTEGER, built_at TIMESTAMP)")
    con.execute(f"INSERT INTO {STATE_TABLE} VALUES (?, ?, now()::TIMESTAMP)",
                [json.dumps(state, sort_keys=True), len(state["inbox"])])


def published_state(published: Path) -> dict | None:
    """The fingerprint stored in a published warehouse; None when there is none or it cannot be read."""
    if not published.exists():
        return None
    try:
        con = duckdb.connect(str(published), read_only=True)
    except duckdb.Error:
        return None
    try:
        row = con.execute(f"SELECT fingerprint, built_at::VARCHAR FROM {STATE_TABLE}").fetchone()
    except duckdb.Error:
        return None
    finally:
        con.close()
    if not row:
        return None
    state = json.loads(row[0])
    state["mirror"] = mirrored_target(published, version=row[1])
    return state


def reusable_files(previous: dict | None, current: dict) -> set[str]:
    """Inbox files whose reports a refresh can take from the published warehouse instead of parsing again:
    same name and content, parsed by the same code against the same reference data."""
    if not previous or previous.get("code") != current["code"] or previous.get("reference") != current["reference"]:
        return set()
    before = previous.get("inbox", {})
    return {name for name, sha in current["inbox"].items() if before.get(name) == sha}
