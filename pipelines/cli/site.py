"""`emulation site [--warehouse FILE] [--out DIR]`: build the public scoreboard from the published warehouse.

Exit codes: 0 built; 1 it could not be built (the previous site, if any, is untouched); 3 bad arguments (no
warehouse at the given path)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_site_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "site", help="build the public scoreboard (static HTML pages) from the published warehouse",
        description="Build the public emulation scoreboard: ranking per cluster, a page per unit and year, the "
                    "integrity flags; static HTML readable from the file system or any web server.")
    parser.add_argument("--warehouse", type=Path, help="published DuckDB file (default: EMULATION_WAREHOUSE "
                                                       "or warehouse/emulation.duckdb)")
    parser.add_argument("--out", type=Path, help="output folder, replaced as a whole (default: site/ beside "
                                                 "the warehouse)")
    return parser


def main_site(args: argparse.Namespace) -> int:
    """Run `emulation site`: 0 built, 1 failed (message on stderr), 3 no warehouse."""
    import duckdb

    from ..settings import default_warehouse
    from ..site.build import SiteError, build_site

    published = (args.warehouse or default_warehouse()).resolve()
    if not published.is_file():
        print(f"error: warehouse {published} does not exist; run `emulation refresh` first or give "
              "--warehouse FILE", file=sys.stderr)
        return 3
    out = (args.out or published.parent / "site").resolve()
    try:
        index = build_site(published, out)
    except (SiteError, duckdb.Error, OSError) as err:
        print(f"error: scoreboard not built: {err}", file=sys.stderr)
        return 1
    print(f"Scoreboard: {index} (open it in a browser; it needs no server)")
    return 0
