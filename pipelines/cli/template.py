"""`emulation template`: a blank report workbook for a unit and period."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..parsing.families import FAMILIES
from ..settings import default_reference
from .exits import EXIT_OK, EXIT_USAGE

FAMILY_NAMES = tuple(FAMILIES)


def add_template_parser(subparsers) -> argparse.ArgumentParser:
    """`emulation template --family F --district CODE --period P [--out FILE]`."""
    parser = subparsers.add_parser(
        "template", help="write a blank district report workbook (Thông tin filled, communes listed)",
        description="Write a blank district report workbook in the format the warehouse reads.")
    parser.add_argument("--family", required=True, choices=FAMILY_NAMES)
    parser.add_argument("--district", required=True, help="GSO district code (e.g. 844) or name ('TX Duyên Hải')")
    parser.add_argument("--period", required=True,
                        help="poverty, savings: a year ('2023', 'Năm 2023'); infrastructure: a quarter "
                             "('Quý III/2023', '2023-Q3')")
    parser.add_argument("--out", type=Path, help="the .xlsx to write, in an existing folder (default: "
                                                 "mau_<district>_<family>_<period>.xlsx in the current folder)")
    parser.add_argument("--reference", type=Path, help="reference data folder (default: EMULATION_REFERENCE or "
                                                             "seeds/reference)")
    parser.add_argument("--force", action="store_true", help="overwrite --out if it exists")
    return parser


def main_template(args: argparse.Namespace) -> int:
    """Run `emulation template`: 0 written, 3 bad arguments (message on stderr)."""
    from ..parsing.reference import load_reference
    from ..parsing.template import resolve, write_template, period_label

    from .paths import output_file_problem

    folder = (args.reference or default_reference()).resolve()
    if not folder.is_dir():
        print(f"error: Không có thư mục danh mục {folder}. The reference data folder {folder} does not exist "
              f"(give --reference DIR or set EMULATION_REFERENCE).", file=sys.stderr)
        return EXIT_USAGE
    reference = load_reference(folder)
    try:
        unit, parsed = resolve(args.family, args.district, args.period, reference)
        out = args.out or Path(f"mau_{unit.code}_{args.family}_{parsed.code}.xlsx")
        problem = output_file_problem(out, create_folder=False)
        if problem is not None:
            raise ValueError(f"Không ghi được tệp {out}: {problem.vi}. Cannot write {out}: {problem.en}.")
        if out.exists() and not args.force:
            raise ValueError(f"Tệp {out} đã có; thêm --force để ghi đè. {out} exists: add --force to overwrite it.")
        try:
            path = write_template(args.family, unit.code, args.period, out, reference)
        except OSError as err:
            raise ValueError(f"Không ghi được tệp {out} ({err.strerror or err}). "
                             f"Cannot write {out}: {err.strerror or err}.") from None
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_USAGE
    print(f"Wrote {path}: {FAMILIES[args.family].sheet}, {unit.full_name} (mã {unit.code}), "
          f"{period_label(parsed)}")
    return EXIT_OK
