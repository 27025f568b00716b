"""`emulation template`: a blank report workbook for a unit and period."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..parsing.families import FAMILIES
from ..settings import default_reference
from .exits import EXIT_OK, EXIT_USAGE

PLAN_FAMILY = "emulation_plan"  # pipelines/parsing/plan_spec.PLAN_FAMILY (not imported: keep the CLI light)
FAMILY_NAMES = tuple(FAMILIES)


def add_template_parser(subparsers) -> argparse.ArgumentParser:
    """`emulation template --family F --unit CODE --period P [--out FILE]` (`--district` the same), and
    `emulation template --family emulation_plan --period YEAR [--province P] [--out FILE]`."""
    parser = subparsers.add_parser(
        "template", help="write a blank report workbook for a unit (Thông tin filled, communes listed), or a blank "
                         "emulation plan (--family emulation_plan)",
        description="Write a blank report workbook in the format the warehouse reads, for the unit that reports the "
                    "period: a district up to 2025-Q2 (its communes listed), after 30 June 2025 a new commune (one "
                    "row: itself) or a new province (its communes that the reporting calendar expects: for Tỉnh "
                    "Vĩnh Long 86, the 41 communes of the former Trà Vinh; savings are per commune, not per "
                    "province); with --family "
                    "emulation_plan, a blank emulation plan (Kế hoạch thi đua) for a year: the province's units, "
                    "the indicator catalogue as a drop-down, the default parameters.")
    parser.add_argument("--family", required=True, choices=FAMILY_NAMES + (PLAN_FAMILY,))
    parser.add_argument("--unit", help="the reporting unit, GSO code or name: a district (844, 'TX Duyên Hải') for a "
                                       "period ending by 30 June 2025, a new commune (29242, 'Phường Trà Vinh') or a "
                                       "new province (86) for a later one; required for a report, not for "
                                       "emulation_plan")
    parser.add_argument("--district", help="the same as --unit (kept for districts' scripts)")
    parser.add_argument("--province", help="emulation_plan: the province (code or name; default: the one reporting "
                                           "province)")
    parser.add_argument("--period", required=True,
                        help="poverty, savings: a year ('2023', 'Năm 2023'); infrastructure: a quarter "
                             "('Quý III/2023', '2023-Q3')")
    parser.add_argument("--out", type=Path, help="the .xlsx to write, in an existing folder (default: "
                                                 "mau_<unit code>_<family>_<period>.xlsx in the current folder)")
    parser.add_argument("--reference", type=Path, help="reference data folder (default: EMULATION_REFERENCE or "
                                                             "seeds/reference)")
    parser.add_argument("--force", action="store_true", help="overwrite --out if it exists")
    return parser


def main_template(args: argparse.Namespace) -> int:
    """Run `emulation template`: 0 written, 3 bad arguments (message on stderr)."""
    from ..parsing.reference import load_reference
    from ..parsing.template import resolve, write_template, period_label

    folder = (args.reference or default_reference()).resolve()
    if not folder.is_dir():
        print(f"error: Không có thư mục danh mục {folder}. The reference data folder {folder} does not exist "
              f"(give --reference DIR or set EMULATION_REFERENCE).", file=sys.stderr)
        return EXIT_USAGE
    reference = load_reference(folder)
    if args.family == PLAN_FAMILY:
        return _plan_template(args, reference)
    if args.unit and args.district:
        print("error: chỉ ghi một trong --unit, --district. Give --unit or --district, not both.", file=sys.stderr)
        return EXIT_USAGE
    unit_text = args.unit or args.district
    if not unit_text:
        print("error: --unit là bắt buộc với báo cáo. --unit (or --district) is required for a report family.",
              file=sys.stderr)
        return EXIT_USAGE
    try:
        unit, parsed = resolve(args.family, unit_text, args.period, reference)
        out = args.out or Path(f"mau_{unit.code}_{args.family}_{parsed.code}.xlsx")
        path = _write(out, args.force, lambda o: write_template(args.family, unit.code, args.period, o, reference))
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_USAGE
    print(f"Wrote {path}: {FAMILIES[args.family].sheet}, {unit.full_name} (mã {unit.code}), "
          f"{period_label(parsed)}")
    return EXIT_OK


def _plan_template(args: argparse.Namespace, reference) -> int:
    """`emulation template --family emulation_plan --period YEAR`: 0 written, 3 bad arguments."""
    from ..parsing.plan_template import resolve_plan, write_plan_template

    try:
        province, year = resolve_plan(args.province, args.period, reference)
        out = args.out or Path(f"mau_ke-hoach-thi-dua_{province.code}_{year}.xlsx")
        path = _write(out, args.force, lambda o: write_plan_template(province, year, o, reference))
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_USAGE
    print(f"Wrote {path}: Kế hoạch thi đua, {province.full_name} (mã {province.code}), Năm {year}")
    return EXIT_OK


def _write(out: Path, force: bool, write) -> Path:
    """`write(out)` after the checks every template shares; ValueError (Vietnamese, then English) if it cannot."""
    from .paths import output_file_problem

    problem = output_file_problem(out, create_folder=False)
    if problem is not None:
        raise ValueError(f"Không ghi được tệp {out}: {problem.vi}. Cannot write {out}: {problem.en}.")
    if out.exists() and not force:
        raise ValueError(f"Tệp {out} đã có; thêm --force để ghi đè. {out} exists: add --force to overwrite it.")
    try:
        return write(out)
    except OSError as err:
        raise ValueError(f"Không ghi được tệp {out} ({err.strerror or err}). "
                         f"Cannot write {out}: {err.strerror or err}.") from None
