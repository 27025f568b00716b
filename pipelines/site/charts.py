"""Charts of the scoreboard: Altair specs rendered at build time to inline SVG (vl_convert), Vietnamese labels
and numbers, no JavaScript and nothing loaded from anywhere."""

from __future__ import annotations

import re

from .fmt import D3_LOCALE, esc, vn_number

CLASSES = ["Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ", "Hoàn thành nhiệm vụ",
           "Không hoàn thành nhiệm vụ", "Chưa xếp loại"]
CLASS_COLOURS = ["#1b7f3b", "#2f6db5", "#c98a0b", "#b3261e", "#8a8a8a"]
SERIES_COLOURS = ["#2f6db5", "#c98a0b"]
FONT = "DejaVu Sans, Verdana, Arial, sans-serif"


def to_svg(chart, label: str) -> str:
    """`chart` as an <svg> element for an HTML page: rendered by vl_convert (no external URL allowed), with the
    XML namespace declarations dropped (HTML puts <svg> in its namespace) and `label` for screen readers."""
    import vl_convert

    # text is measured here with the first font of FONT found on this machine and drawn by the reader's browser:
    # a wide font first, so that a reader's narrower font never overflows the space measured for a label
    chart = (chart.configure(font=FONT).configure_axis(labelFontSize=11, titleFontSize=11)
             .configure_legend(labelFontSize=11, titleFontSize=11, labelLimit=0))
    svg = vl_convert.vegalite_to_svg(chart.to_dict(), format_locale=D3_LOCALE, allowed_base_urls=[])
    head, sep, rest = svg.partition(">")
    if not head.startswith("<svg") or not sep:
        raise ValueError(f"vl_convert returned something other than an SVG image: {svg[:80]!r}")
    head = re.sub(r'\s+(xmlns(:\w+)?|version)="[^"]*"', "", head)
    return f'{head} role="img" aria-label="{esc(label)}"{sep}{rest}'


def _float(value) -> float | None:
    """A number for the chart's JSON data (DuckDB gives Decimal for DECIMAL columns)."""
    return None if value is None else float(value)


def _base(rows: list[dict]):
    import altair as alt

    return alt.Chart(alt.Data(values=rows))


def cluster_chart(rows: list[dict], cluster: str, year: int) -> str:
    """Horizontal bars of each unit's total points in a cluster, in rank order, coloured by classification."""
    import altair as alt

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
    base = _base(data).encode(
        y=alt.Y("unit:N", sort=order, title=None, axis=alt.Axis(labelLimit=260)),
        x=alt.X("total:Q", title="Tổng điểm"))
    bars = base.mark_bar().encode(color=alt.Color(
        "classification:N", title="Xếp loại", scale=alt.Scale(domain=domain, range=colours),
        legend=alt.Legend(orient="bottom", direction="vertical")))
    text = base.mark_text(align="left", dx=3).encode(text="label:N")
    chart = (bars + text).properties(width=380, height=max(60, 24 * len(data)))
    return to_svg(chart, f"Tổng điểm các đơn vị, {cluster}, năm {year}")


def poverty_chart(rows: list[dict], unit_name: str) -> str | None:
    """The unit's poverty rate over the years (line), or None without any rate."""
    import altair as alt

    data = [{"year": str(r["year"]), "rate": _float(r["poverty_rate_pct"]), "label": vn_number(r["poverty_rate_pct"])}
            for r in rows if r["poverty_rate_pct"] is not None]
    if not data:
        return None
    base = _base(data).encode(x=alt.X("year:O", title="Năm", axis=alt.Axis(labelAngle=0)),
                              y=alt.Y("rate:Q", title="Tỷ lệ hộ nghèo (%)", scale=alt.Scale(zero=True)))
    chart = (base.mark_line(point=True, color=SERIES_COLOURS[0])
             + base.mark_text(dy=-10).encode(text="label:N")).properties(width=320, height=180)
    return to_svg(chart, f"Tỷ lệ hộ nghèo qua các năm, {unit_name}")


def ntm_ocop_chart(rows: list[dict], unit_name: str) -> str | None:
    """The unit's NTM communes and OCOP products at each year end (two lines), or None without either."""
    import altair as alt

    series = {"ntm_communes": "Xã đạt chuẩn NTM", "ocop_products": "Sản phẩm OCOP"}
    data = [{"year": str(r["year"]), "series": label, "value": _float(r[column]), "label": vn_number(r[column])}
            for r in rows for column, label in series.items() if r[column] is not None]
    if not data:
        return None
    colour = alt.Color("series:N", title=None, legend=alt.Legend(orient="bottom"),
                       scale=alt.Scale(domain=list(series.values()), range=SERIES_COLOURS))
    base = _base(data).encode(x=alt.X("year:O", title="Năm", axis=alt.Axis(labelAngle=0)),
                              y=alt.Y("value:Q", title="Số lũy kế cuối năm"), color=colour)
    chart = (base.mark_line(point=True)
             + base.mark_text(dy=-10).encode(text="label:N")).properties(width=320, height=180)
    return to_svg(chart, f"Xã đạt chuẩn nông thôn mới và sản phẩm OCOP qua các năm, {unit_name}")
