"""Build the public scoreboard: a folder of static HTML pages (Vietnamese first) with inline SVG charts, from a
published warehouse. Written beside the target and swapped in whole once complete."""

from __future__ import annotations

import os
import secrets
import shutil
from collections import defaultdict
from pathlib import Path

from . import charts, pages
from .data import SiteData, SiteError, load
from .fmt import unit_page

MARKER = ".emulation-site"  # marks a folder this module built, and may therefore replace
STYLESHEET = Path(__file__).with_name("style.css")

__all__ = ["MARKER", "SiteError", "build_site", "write_site"]


def write_site(data: SiteData, dest: Path) -> None:
    """Every page of the site into the (existing, empty) folder `dest`."""
    clusters: dict[tuple, list[dict]] = defaultdict(list)
    for row in data.ranking:
        clusters[(row["year"], row["cluster"])].append(row)
    units: dict[str, str] = {}  # unit code -> its name on its first page; a unit's history is drawn once
    for row in data.ranking:
        units.setdefault(row["unit_code"], row["unit_name"])
    drawn = iter(charts.render(  # every chart at once (charts.render may draw them on two cores), in this order
        [charts.cluster_chart(rows, cluster, year) for (year, cluster), rows in clusters.items()]
        + [chart for unit, name in units.items()
           for chart in (charts.poverty_chart(data.poverty.get(unit, []), name),
                         charts.ntm_ocop_chart(data.infrastructure.get(unit, []), name))]))
    cluster_charts = {key: next(drawn) for key in clusters}
    unit_charts = {unit: (next(drawn), next(drawn)) for unit in units}
    (dest / "index.html").write_text(pages.index_page(data, cluster_charts), encoding="utf-8")
    for row in data.ranking:
        (dest / unit_page(row["unit_code"], row["year"])).write_text(
            pages.unit_page_html(data, row, unit_charts[row["unit_code"]]), encoding="utf-8")
    (dest / "flags.html").write_text(pages.flags_page(data), encoding="utf-8")
    (dest / "bao-cao.html").write_text(pages.reports_page(data), encoding="utf-8")
    shutil.copyfile(STYLESHEET, dest / "style.css")
    (dest / MARKER).write_text("Built by `emulation site`: this folder is replaced as a whole at each build.\n",
                               encoding="utf-8")


def _replaceable(out_dir: Path) -> bool:
    if not out_dir.exists():
        return True
    return out_dir.is_dir() and not out_dir.is_symlink() and (
        (out_dir / MARKER).is_file() or not any(out_dir.iterdir()))


def build_site(published: Path, out_dir: Path) -> Path:
    """Build the scoreboard of the warehouse `published` into `out_dir` and return its index page.

    The pages are written to a new folder beside `out_dir`, which replaces `out_dir` only once complete: a
    failed build leaves the previous site as it was. An existing `out_dir` is replaced only when it is empty or
    was built here (it holds the `.emulation-site` marker); anything else raises SiteError, as does a warehouse
    that lacks the marts the site reads."""
    published, out_dir = Path(published).absolute(), Path(out_dir).absolute()
    if not _replaceable(out_dir):
        raise SiteError(f"{out_dir} exists and is not a scoreboard built by `emulation site` (no {MARKER} file "
                        "in it): give another --out, or empty that folder first")
    data = load(published)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    token = f"{os.getpid()}-{secrets.token_hex(4)}"
    new = out_dir.with_name(f".{out_dir.name}.new-{token}")
    new.mkdir()  # mode from the umask, as a folder made by hand: readable by a web server where the umask allows
    try:
        write_site(data, new)
        if out_dir.exists():
            old = out_dir.with_name(f".{out_dir.name}.old-{token}")
            os.rename(out_dir, old)
            try:
                os.rename(new, out_dir)
            except BaseException:
                os.rename(old, out_dir)
                raise
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(new, out_dir)
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)
        raise
    return out_dir / "index.html"
