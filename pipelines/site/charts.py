"""Charts of the scoreboard: Vega-Lite specs (plain JSON, written here as dicts) rendered at build time to inline
SVG by vl_convert, Vietnamese labels and numbers, no JavaScript and nothing loaded from anywhere."""

from __future__ import annotations

import multiprocessing
import os
import re
from concurrent.futures import ProcessPoolExecutor
from typing import NamedTuple

from .fmt import D3_LOCALE, esc, vn_number

CLASSES = ["Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ", "Hoàn thành nhiệm vụ",
           "Không hoàn thành nhiệm vụ", "Chưa xếp loại"]
CLASS_COLOURS = ["#1b7f3b", "#2f6db5", "#c98a0b", "#b3261e", "#8a8a8a"]
SERIES_COLOURS = ["#2f6db5", "#c98a0b"]
FONT = "DejaVu Sans, Verdana, Arial, sans-serif"


# Vega-Lite's version of the specs below (https://vega.github.io/vega-lite/docs/), rendered by vl_convert
VEGA_LITE_VERSION = "6.4"
# text is measured here with the first font of FONT found on this machine and drawn by the reader's browser:
# a wide font first, so that a reader's narrower font never overflows the space measured for a label
CONFIG = {"font": FONT, "axis": {"labelFontSize": 11, "titleFontSize": 11},
          "legend": {"labelFontSize": 11, "titleFontSize": 11, "labelLimit": 0}}


class Chart(NamedTuple):
    """A Vega-Lite spec and what it shows, in words (for screen readers)."""

    spec: dict
    label: str


def to_svg(chart: Chart) -> str:
    """`chart` as an <svg> element for an HTML page: rendered by vl_convert (no external URL allowed), with the
    XML namespace declarations dropped (HTML puts <svg> in its namespace) and its label for screen readers."""
    import vl_convert

    svg = vl_convert.vegalite_to_svg(chart.spec, vl_version=VEGA_LITE_VERSION, config=CONFIG,
                                     format_locale=D3_LOCALE, allowed_base_urls=[])
    head, sep, rest = svg.partition(">")
    if not head.startswith("<svg") or not sep:
        raise ValueError(f"vl_convert returned something other than an SVG image: {svg[:80]!r}")
    head = re.sub(r'\s+(xmlns(:\w+)?|version)="[^"]*"', "", head)
    return f'{head} role="img" aria-label="{esc(chart.label)}"{sep}{rest}'


# Drawing a chart takes vl_convert about 40 ms of one core (laying out text with the real font), and the site has
# two per unit: with many charts, two worker processes draw them (started fresh, "spawn": the caller may be a
# Dagster run with threads of its own, which a fork would copy mid-flight). Few charts are drawn here.
PARALLEL_FROM = 40


def render(charts: list[Chart | None]) -> list[str | None]:
    """Each chart as an <svg> element (None stays None), in order.

    With PARALLEL_FROM charts or more the workers are spawned: like any spawned process they import the program's
    main module, so a script calling this at its top level needs the usual `if __name__ == "__main__":` guard
    (the `emulation` command, Dagster and pytest have it)."""
    todo = [c for c in charts if c is not None]
    workers = min(2, os.cpu_count() or 1)
    if len(todo) < PARALLEL_FROM or workers < 2:
        drawn = [to_svg(c) for c in todo]
    else:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            drawn = list(pool.map(to_svg, todo, chunksize=8))
    svgs = iter(drawn)
    return [None if c is None else next(svgs) for c in charts]


def _float(value) -> float | None:
    """A number for the chart's JSON data (DuckDB gives Decimal for DECIMAL columns)."""
    return None if value is None else float(value)


def _layers(values: list[dict], encoding: dict, *marks: dict, width: int, height: int) -> dict:
    """A layered chart: the marks share the data and the encoding (each mark may add its own channels)."""
    return {"data": {"values": values}, "encoding": encoding, "layer": list(marks), "width": width,
            "height": height}


YEAR_AXIS = {"field": "year", "type": "ordinal", "title": "Năm", "axis": {"labelAngle": 0}}
VALUE_LABELS = {"mark": {"type": "text", "dy": -10}, "encoding": {"text": {"field": "label", "type": "nominal"}}}


def cluster_chart(rows: list[dict], cluster: str, year: int) -> Chart:
    """Horizontal bars of each unit's total points in a cluster, in rank order, coloured by classification."""
    names = [r["unit_name"] for r in rows]
    data = []
    for r in rows:
        name = r["unit_name"] if names.count(r["unit_name"]) == 1 else f"{r['unit_name']} ({r['unit_code']})"
        data.append({"unit": f"{r['rank_in_cluster'] or '–'}. {name}", "total": _float(r["total_points"]),
                     "label": vn_number(r["total_points"]),
                     "classification": r["classification"] or "Chưa xếp loại"})
    order = [d["unit"] for d in data]
    present = [i for i, c in enumerate(CLASSES) if any(d["classification"] == c for d in data)]
    unknown = sorted({d["classification"] for d in data} - set(CLASSES))  # shown, in grey
    domain = [CLASSES[i] for i in present] + unknown
    colours = [CLASS_COLOURS[i] for i in present] + [CLASS_COLOURS[-1]] * len(unknown)
    encoding = {"y": {"field": "unit", "type": "nominal", "sort": order, "title": None, "axis": {"labelLimit": 260}},
                "x": {"field": "total", "type": "quantitative", "title": "Tổng điểm"}}
    bars = {"mark": {"type": "bar"}, "encoding": {"color": {
        "field": "classification", "type": "nominal", "title": "Xếp loại",
        "scale": {"domain": domain, "range": colours}, "legend": {"orient": "bottom", "direction": "vertical"}}}}
    text = {"mark": {"type": "text", "align": "left", "dx": 3},
            "encoding": {"text": {"field": "label", "type": "nominal"}}}
    spec = _layers(data, encoding, bars, text, width=380, height=max(60, 24 * len(data)))
    return Chart(spec, f"Tổng điểm các đơn vị, {cluster}, năm {year}")


def poverty_chart(rows: list[dict], unit_name: str) -> Chart | None:
    """The unit's poverty rate over the years (line), or None without any rate."""
    data = [{"year": str(r["year"]), "rate": _float(r["poverty_rate_pct"]), "label": vn_number(r["poverty_rate_pct"])}
            for r in rows if r["poverty_rate_pct"] is not None]
    if not data:
        return None
    encoding = {"x": YEAR_AXIS, "y": {"field": "rate", "type": "quantitative", "title": "Tỷ lệ hộ nghèo (%)",
                                      "scale": {"zero": True}}}
    line = {"mark": {"type": "line", "point": True, "color": SERIES_COLOURS[0]}}
    spec = _layers(data, encoding, line, VALUE_LABELS, width=320, height=180)
    return Chart(spec, f"Tỷ lệ hộ nghèo qua các năm, {unit_name}")


def ntm_ocop_chart(rows: list[dict], unit_name: str) -> Chart | None:
    """The unit's NTM communes and OCOP products at each year end (two lines), or None without either."""
    series = {"ntm_communes": "Xã đạt chuẩn NTM", "ocop_products": "Sản phẩm OCOP"}
    data = [{"year": str(r["year"]), "series": label, "value": _float(r[column]), "label": vn_number(r[column])}
            for r in rows for column, label in series.items() if r[column] is not None]
    if not data:
        return None
    encoding = {"x": YEAR_AXIS, "y": {"field": "value", "type": "quantitative", "title": "Số lũy kế cuối năm"},
                "color": {"field": "series", "type": "nominal", "title": None, "legend": {"orient": "bottom"},
                          "scale": {"domain": list(series.values()), "range": SERIES_COLOURS}}}
    spec = _layers(data, encoding, {"mark": {"type": "line", "point": True}}, VALUE_LABELS, width=320, height=180)
    return Chart(spec, f"Xã đạt chuẩn nông thôn mới và sản phẩm OCOP qua các năm, {unit_name}")
