"""Whether the serving outputs (the Parquet set, the PostgreSQL mirror) are in step with the published warehouse.

The warehouse is published first (renamed into place), then exported; an export can fail after the warehouse was
replaced. So every publish and every export records itself in a small JSON file beside the warehouse
(`.<warehouse name>.serving.json`):

    {"warehouse": "<version>", "published_at": "...",
     "outputs": {"parquet": {"status": "ok", "warehouse": "<version>", "at": "...", "error": null}, ...}}

`<version>` is when the warehouse was built (`raw.refresh_state.built_at`). An output is in step when its last
successful export is of the warehouse's current version. `emulation summary` and the asset checks
`in_step_with_warehouse` (on `published_parquet` and `postgres_marts`) read it.
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from pathlib import Path

import duckdb

OUTPUTS = ("parquet", "postgres")
LABELS = {"parquet": "Parquet set", "postgres": "PostgreSQL mirror"}


def status_file(published: Path) -> Path:
    return published.with_name(f".{published.name}.serving.json")


def warehouse_version(published: Path) -> str | None:
    """When the published warehouse was built (None: not readable, or built before this was recorded)."""
    try:
        con = duckdb.connect(str(published), read_only=True)
    except duckdb.Error:
        return None
    try:
        row = con.execute("SELECT max(built_at)::VARCHAR FROM raw.refresh_state").fetchone()
    except duckdb.Error:
        return None
    finally:
        con.close()
    return row[0] if row else None


def read_status(published: Path) -> dict:
    try:
        data = json.loads(status_file(published).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write(published: Path, data: dict) -> None:
    target = status_file(published)
    temp = target.with_name(target.name + ".tmp")
    temp.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(temp, target)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def record_published(published: Path) -> None:
    """The warehouse was just replaced: every output is out of step until it is exported again."""
    data = read_status(published)
    data.update(warehouse=warehouse_version(published), published_at=_now())
    data.setdefault("outputs", {})
    _write(published, data)


def record_output(published: Path, output: str, error: BaseException | str | None = None,
                  enabled: bool = True, target: dict | None = None) -> dict:
    """An export of `output` ended: ok (error None), failed, or `enabled=False` (not configured). `target`:
    where it went (the mirror's connection without its password), kept with a successful export."""
    data = read_status(published)
    version = data.get("warehouse") or warehouse_version(published)
    data["warehouse"] = version
    outputs = data.setdefault("outputs", {})
    previous = outputs.get(output, {})
    if not enabled:
        entry = {"status": "off", "warehouse": version, "at": _now(), "error": None}
    elif error is None:
        entry = {"status": "ok", "warehouse": version, "at": _now(), "error": None, "target": target}
    else:
        text = error if isinstance(error, str) else f"{type(error).__name__}: {error}"
        # still serving what it last exported successfully
        entry = {"status": "failed", "warehouse": previous.get("warehouse") if previous.get("status") == "ok"
                 else None, "at": _now(), "error": text.strip().splitlines()[0][:300] if text.strip() else text}
    outputs[output] = entry
    _write(published, data)
    return entry


def mirrored_target(published: Path, version: str | None) -> dict | None:
    """The target the marts of the warehouse built at `version` were last mirrored to; None when they were not
    (no mirror, a failed one, or a mirror of an earlier build)."""
    entry = read_status(published).get("outputs", {}).get("postgres") or {}
    if version is not None and entry.get("status") == "ok" and entry.get("warehouse") == version:
        return entry.get("target")
    return None


def out_of_step(published: Path) -> list[tuple[str, str]]:
    """(output, why) for every output not in step with the published warehouse; [] when all are (or when
    nothing was recorded, e.g. a warehouse copied from elsewhere)."""
    data = read_status(published)
    if not data:
        return []
    version = warehouse_version(published)
    problems = []
    for output in OUTPUTS:
        entry = data.get("outputs", {}).get(output)
        if entry is not None and entry.get("status") == "off":
            continue
        if entry is not None and entry.get("status") == "ok" and entry.get("warehouse") == version:
            continue
        label = LABELS[output]
        if entry is None:
            why = f"{label} was not exported since the warehouse was published"
        elif entry.get("status") == "failed":
            why = (f"{label} is out of step with the warehouse: its last export failed at {entry.get('at')} "
                   f"({entry.get('error')}); it still holds an earlier refresh")
        else:
            why = f"{label} is out of step with the warehouse: it was exported from an earlier refresh"
        problems.append((output, why))
    return problems
