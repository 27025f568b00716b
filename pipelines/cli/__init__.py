"""The `emulation` command: one module per command, this one only parses the arguments and dispatches."""

from __future__ import annotations

import argparse
import gc
import sys
from pathlib import Path

from ..settings import default_warehouse
from .exits import EXIT_OK, EXIT_USAGE

EPILOG = """\
exit codes:
  0  done (refresh: published; rejected reports are listed and kept in mart_report_issues)
  1  refresh: could not publish; the published warehouse is exactly as it was (docs: dbt docs failed);
     also when reports in force would be removed because their files left the inbox (--allow-removals)
  2  refresh: another refresh of the same warehouse is running (--wait SECONDS waits for it)
  3  bad arguments or paths, said in one line on stderr: a missing inbox or reference folder, a warehouse
     path that cannot be written (under a file, in a folder that cannot be made), no published warehouse
     (summary, docs), an --out that is a folder, in a missing folder (template) or cannot be written;
     template: an unknown family or district, a period of the wrong type, an --out that exists (--force)
  4  refresh: the warehouse was published, but a serving output failed (the Parquet set or the PostgreSQL
     mirror is still the previous refresh's; the summary and the asset check serving_in_step say which;
     `emulation refresh --force` exports again)

environment variables:
  EMULATION_INBOX                 the inbox folder (default seeds/reports)
  EMULATION_WAREHOUSE             the published warehouse (default warehouse/emulation.duckdb)
  EMULATION_REFERENCE             the reference data folder (default seeds/reference)
  EMULATION_POSTGRES_URL          mirror the marts to this PostgreSQL database at every publish
  EMULATION_POSTGRES_READER_ROLE  the role granted read access to the mirror (default emulation_reader)
  DBT_LOG_LEVEL_FILE              dbt's log file level (default warn; debug logs every SQL statement)
  DAGSTER_HOME                    Dagster's instance folder: run history, materializations and checks of
                                  refresh, the UI and the schedule (default .dagster beside the warehouse)
  EMULATION_BUILD_DB              the database dbt builds when run by hand (a refresh builds its own)
"""


class _Parser(argparse.ArgumentParser):
    """Bad arguments: one line on stderr and exit 3 (argparse's own 2 means 'another refresh is running' here)."""

    def error(self, message: str):
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    from .site import add_site_parser
    from .template import add_template_parser

    parser = _Parser(
        prog="emulation", formatter_class=argparse.RawDescriptionHelpFormatter, epilog=EPILOG,
        description="Warehouse of provincial emulation indicators built from unit reports (see README.md).")
    commands = parser.add_subparsers(dest="command", required=True)
    p_refresh = commands.add_parser("refresh", help="ingest the inbox, build every model, run the checks, publish",
                                    formatter_class=argparse.RawDescriptionHelpFormatter, epilog=EPILOG)
    p_refresh.add_argument("--inbox", type=Path, help="folder of reports (default: EMULATION_INBOX "
                                                      "or seeds/reports)")
    p_refresh.add_argument("--warehouse", type=Path, help="published DuckDB file (default: EMULATION_WAREHOUSE "
                                                          "or warehouse/emulation.duckdb)")
    p_refresh.add_argument("--reference", type=Path, help="reference data folder (default: EMULATION_REFERENCE "
                                                          "or seeds/reference)")
    p_refresh.add_argument("--wait", type=float, default=0, metavar="SECONDS",
                           help="when another refresh of the same warehouse runs, wait this long for it "
                                "(default 0: exit 2 at once)")
    p_refresh.add_argument("--force", action="store_true",
                           help="rebuild even when nothing changed since the last refresh")
    p_refresh.add_argument("--allow-removals", action="store_true",
                           help="let reports in force be removed when their files are no longer in the inbox "
                                "(without it such a refresh is refused with exit 1, naming the files)")
    p_summary = commands.add_parser("summary", help="what the published warehouse holds")
    p_summary.add_argument("--warehouse", type=Path)
    p_docs = commands.add_parser("docs", help="build the data dictionary (dbt docs, one static HTML file)")
    p_docs.add_argument("--warehouse", type=Path)
    p_docs.add_argument("--out", type=Path, help="output folder (default: docs/ beside the warehouse)")
    commands.add_parser("rules", help="print the rule catalogue (Markdown)")
    add_template_parser(commands)
    add_site_parser(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "refresh":
        from .refresh import refresh

        return refresh(args.inbox, args.warehouse, args.reference, args.wait, args.force,
                       allow_removals=args.allow_removals)
    if args.command == "summary":
        from .summary import main_summary

        return main_summary((args.warehouse or default_warehouse()).resolve())
    if args.command == "docs":
        from .docs import docs

        published = (args.warehouse or default_warehouse()).resolve()
        return docs(published, (args.out or published.parent / "docs").resolve())
    if args.command == "rules":
        from ..parsing.rules import rules_markdown

        print(rules_markdown(), end="")
        return EXIT_OK
    if args.command == "template":
        from .template import main_template

        return main_template(args)
    if args.command == "site":
        from .site import main_site

        return main_site(args)
    return EXIT_USAGE


def run() -> None:
    """The `emulation` command (and `python -m pipelines.cli`): `main`, then exit.

    A refresh leaves a few hundred thousand Python objects behind (Dagster's run, dbt's manifest), and the
    interpreter's last garbage collection at exit walked all of them: about 1.5 s after the summary was printed.
    Everything this process wrote is closed by then, so its objects are frozen (`gc.freeze`: the collector
    leaves them alone) and the process ends at once. Not done in `main`, which tests call in their own process.
    """
    code = main()
    sys.stdout.flush()
    gc.freeze()
    sys.exit(code)
