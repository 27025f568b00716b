"""The removal guard: a refresh never silently drops reports that are in force.

The inbox is the only copy of what the warehouse was built from, so an empty, half-synced or mis-mounted inbox
would otherwise publish empty marts. Before anything is built, `lost_reports` compares the reports in force in
the published warehouse (`marts.mart_report_submissions`, status `accepted`, opened read-only) with the files
of the current inbox by content (sha256): a report whose content is no longer anywhere in the inbox would
disappear. `check_removals` refuses the refresh then, unless removals were allowed explicitly
(`emulation refresh --allow-removals`, the resource field `warehouse.allow_removals`, or the run tag
`emulation/allow_removals=true` in the UI). A renamed or moved file (same content) is not a removal; a file
replaced by new content under the same name is a correction, not a removal.

The ingest asset `district_reports` calls it, so the command line, the schedule, the sensor and UI runs all obey
the same guard. docs/removals.md explains the choice (no archive).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

ALLOW_REMOVALS_TAG = "emulation/allow_removals"
SHOWN_FILES = 10


@dataclass(frozen=True)
class LostFile:
    """A file of the published warehouse whose reports in force would disappear."""

    file_name: str
    reports: int  # reports in force from it


def in_force_files(published: Path) -> dict[str, tuple[str, int]]:
    """file name -> (sha256, reports in force) of the published warehouse; {} when there is none."""
    if not published.exists():
        return {}
    try:
        con = duckdb.connect(str(published), read_only=True)
    except duckdb.Error:
        return {}
    try:
        rows = con.execute("""
            SELECT file_name, any_value(sha256), count(*) FROM marts.mart_report_submissions
            WHERE in_force GROUP BY file_name ORDER BY file_name""").fetchall()
    except duckdb.Error:
        return {}  # not a warehouse we can read: nothing to protect that we know of
    finally:
        con.close()
    return {name: (sha, int(count)) for name, sha, count in rows}


def lost_reports(in_force: dict[str, tuple[str, int]], inbox: dict[str, str]) -> list[LostFile]:
    """Files whose reports in force would disappear: neither the name nor the content is in `inbox`
    (file name -> sha256 of the current inbox). Pure; sorted by file name."""
    contents = set(inbox.values())
    return [LostFile(name, count) for name, (sha, count) in sorted(in_force.items())
            if name not in inbox and sha not in contents]


def removal_message(lost: list[LostFile], inbox: Path) -> str:
    reports = sum(f.reports for f in lost)
    shown = ", ".join(f.file_name for f in lost[:SHOWN_FILES]) + (
        f", … ({len(lost) - SHOWN_FILES} more)" if len(lost) > SHOWN_FILES else "")
    return (f"refusing to remove {reports} report(s) in force: {len(lost)} file(s) of the published warehouse "
            f"are no longer in the inbox {inbox}: {shown}. The published warehouse is untouched. If the inbox is "
            "the wrong folder, empty or not mounted, fix that (or put the files back) and refresh again; if these "
            "reports really are withdrawn, refresh with --allow-removals (Dagster UI: run tag "
            f"{ALLOW_REMOVALS_TAG}=true, or resource config warehouse.allow_removals: true). The list: "
            "SELECT file_name FROM marts.mart_report_submissions WHERE status = 'accepted'.")


class RemovalRefused(RuntimeError):
    """A refresh would drop reports in force and removals were not allowed."""

    def __init__(self, lost: list[LostFile], inbox: Path) -> None:
        super().__init__(removal_message(lost, inbox))
        self.lost = lost


def check_removals(published: Path, inbox: Path, inbox_hashes: dict[str, str], allow: bool) -> list[LostFile]:
    """The files whose reports in force this refresh removes; raises RemovalRefused unless `allow`."""
    lost = lost_reports(in_force_files(published), inbox_hashes)
    if lost and not allow:
        raise RemovalRefused(lost, inbox)
    return lost


def allowed_by_tag(tags: dict[str, str] | None) -> bool:
    return str((tags or {}).get(ALLOW_REMOVALS_TAG, "")).strip().lower() in {"1", "true", "yes", "on"}
