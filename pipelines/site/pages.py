"""The scoreboard's HTML pages, as strings. Every value from the warehouse goes through `esc`; every link is
relative; nothing is loaded from anywhere but the site's own folder."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from .fmt import (DASH, FAMILY_LABELS, FLAG_LABELS, esc, natural_key, report_anchor, slug, unit_page, vn_number,
                  vn_pct)

VIETNAM = dt.timezone(dt.timedelta(hours=7))
STATUS_LABELS = {"accepted": "Đang có hiệu lực", "partially_superseded": "Đã được sửa một phần",
                 "superseded": "Đã được thay thế", "duplicate": "Trùng lặp",
                 "rejected": "Bị từ chối"}
NO_PLAN = "Chưa có kế hoạch thi đua hợp lệ"


def layout(title: str, body: str, published_at: float | None) -> str:
    when = ""
    if published_at is not None:
        stamp = dt.datetime.fromtimestamp(published_at, VIETNAM)
        when = f" công bố lúc {stamp:%H:%M} ngày {stamp:%d/%m/%Y} (giờ Việt Nam)"
    return f"""<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)} — Thi đua – Khen thưởng</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="style.css">
</head>
<body>
<header class="site">
<p class="brand">Hội đồng Thi đua – Khen thưởng tỉnh · <span lang="en">Emulation scoreboard</span></p>
<nav><a href="index.html">Bảng xếp hạng</a> <a href="flags.html">Dấu hiệu bất thường</a>
<a href="bao-cao.html">Báo cáo làm căn cứ</a></nav>
</header>
<main>
{body}
</main>
<footer>Số liệu từ kho dữ liệu{when}. Mỗi điểm số dẫn tới dòng báo cáo làm căn cứ.</footer>
</body>
</html>
"""


def _num(value, css: str, decimals: int = 2) -> str:
    return f'<td class="num {css}">{vn_number(value, decimals)}</td>'


def _figure(svg: str | None, caption: str) -> str:
    if svg is None:
        return f'<figure class="chart"><figcaption>{esc(caption)}</figcaption><p class="empty">Chưa có số liệu.</p></figure>'
    return f'<figure class="chart">{svg}<figcaption>{esc(caption)}</figcaption></figure>'


# ---- index.html ----------------------------------------------------------------------------------------------

def ranking_table(rows: list[dict], cluster: str, year: int) -> str:
    head = ("<tr><th>Hạng</th><th>Đơn vị</th><th>Điểm</th><th>Điểm thưởng</th><th>Điểm trừ</th>"
            "<th>Tổng điểm</th><th>Điểm tối đa</th><th>Tỷ lệ</th><th>Xếp loại</th><th>Đề nghị khen thưởng</th>"
            "<th>Dấu hiệu chưa xác minh</th><th>Ghi chú</th></tr>")
    ranks = defaultdict(list)
    for r in rows:
        ranks[r["rank_in_cluster"]].append(r)
    body = []
    for r in rows:
        tie = ' title="Đồng hạng"' if r["rank_in_cluster"] is not None and len(ranks[r["rank_in_cluster"]]) > 1 else ""
        flags = esc(r["open_flags"] or 0)
        if r["open_flags"]:
            flags = f'<a href="flags.html#f-{int(year)}-{slug(r["unit_code"])}">{flags}</a>'
        notes = []
        if r["late_reports"]:
            notes.append(f"{esc(r['late_reports'])} báo cáo trễ hạn")
        if r["missing_reports"]:
            notes.append(f"{esc(r['missing_reports'])} báo cáo không nộp")
        if r["not_eligible_reason"]:
            notes.append(esc(r["not_eligible_reason"]))
        body.append(
            f'<tr data-unit="{esc(r["unit_code"])}"><td class="num rank"{tie}>{esc(r["rank_in_cluster"])}</td>'
            f'<td class="unit"><a href="{unit_page(r["unit_code"], year)}">{esc(r["unit_name"])}</a></td>'
            + _num(r["points"], "points") + _num(r["bonus_points"], "bonus") + _num(r["penalty_points"], "penalty")
            + _num(r["total_points"], "total") + _num(r["max_points"], "max")
            + f'<td class="num pct">{vn_pct(r["score_pct"])}</td><td class="class">{esc(r["classification"])}</td>'
            f'<td class="award">{esc(r["proposed_commendation"])}</td><td class="num flags">{flags}</td>'
            f'<td class="notes">{"; ".join(notes)}</td></tr>')
    ties = [group for rank, group in ranks.items() if rank is not None and len(group) > 1]
    note = "".join(
        f'<p class="note">Đồng hạng {esc(group[0]["rank_in_cluster"])}: '
        f'{", ".join(esc(r["unit_name"]) for r in group)} (bằng tổng điểm và bằng điểm từng tiêu chí).</p>'
        for group in ties)
    return (f'<table class="ranking" data-year="{int(year)}" data-cluster="{esc(cluster)}">'
            f"<caption>{esc(cluster)} — năm {int(year)}</caption><thead>{head}</thead>"
            f'<tbody>{"".join(body)}</tbody></table>{note}')


def index_page(data, cluster_charts: dict[tuple, str]) -> str:
    years = data.years
    parts = ["<h1>Bảng xếp hạng thi đua</h1>",
             '<p class="en" lang="en">Emulation ranking of the province\'s units, per cluster and year.</p>',
             '<p class="intro">Điểm của mỗi tiêu chí tính từ số liệu các báo cáo đang có hiệu lực so với chỉ tiêu '
             "của kế hoạch thi đua; tổng điểm = điểm + điểm thưởng − điểm trừ (báo cáo trễ hạn, không nộp). "
             "Xếp loại theo tỷ lệ tổng điểm trên điểm tối đa. Đơn vị còn dấu hiệu bất thường chưa xác minh "
             "không được đề nghị Cờ thi đua.</p>"]
    if not years:
        parts.append('<p class="empty">Chưa có kết quả thi đua: kho dữ liệu chưa có kế hoạch thi đua nào.</p>')
    else:
        links = " ".join(f'<a href="#nam-{y}">{y}</a>' for y in years)
        parts.append(f'<nav class="years" aria-label="Các năm">Năm: {links}</nav>')
    by_year = defaultdict(lambda: defaultdict(list))
    for r in data.ranking:
        by_year[r["year"]][r["cluster"]].append(r)
    for year in years:
        parts.append(f'<section class="year" id="nam-{year}"><h2>Năm {year}</h2>')
        if year not in by_year:
            files = ", ".join(esc(f) for f in data.rejected_plans.get(year, []))
            parts.append(f'<p class="no-plan">{NO_PLAN} cho năm {year}.</p>'
                         f'<p class="note">Kế hoạch đã nhận bị từ chối vì có lỗi: {files}.</p>')
        for cluster in sorted(by_year.get(year, {}), key=natural_key):
            rows = by_year[year][cluster]
            parts.append(f'<section class="cluster"><h3>{esc(cluster)}</h3>{ranking_table(rows, cluster, year)}'
                         + _figure(cluster_charts.get((year, cluster)), f"Tổng điểm — {cluster}, năm {year}")
                         + "</section>")
        parts.append("</section>")
    return layout("Bảng xếp hạng thi đua", "\n".join(parts), data.published_at)


# ---- don-vi-<code>-<year>.html -------------------------------------------------------------------------------

def _row_ranges(numbers: list[int]) -> str:
    """[5, 6, 7, 9] -> '5–7, 9'."""
    spans: list[list[int]] = []
    for n in sorted(set(numbers)):
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in spans)


def evidence_cell(items: list[dict]) -> str:
    """The report rows an actual came from, grouped by report, each linking to the report's entry."""
    if not items:
        return DASH
    groups: dict[tuple, list[dict]] = {}
    for item in items:
        groups.setdefault((item.get("file_name"), item.get("sheet")), []).append(item)
    lines = []
    for (file_name, sheet), group in groups.items():
        if file_name is None and "raw" in group[0]:
            lines.append(f'<li>Căn cứ không đọc được: <code>{esc(group[0]["raw"])}</code></li>')
            continue
        rows = [int(i["row_number"]) for i in group if isinstance(i.get("row_number"), (int, float))]
        where = f"dòng {_row_ranges(rows)}" if rows else "cả báo cáo"
        first = group[0]
        kind = ", ".join(esc(v) for v in (FAMILY_LABELS.get(first.get("family"), first.get("family")),
                                          first.get("period")) if v)
        lines.append(f'<li><a href="bao-cao.html#{report_anchor(file_name, sheet)}">{esc(file_name)}</a>'
                     f' · trang {esc(sheet)} · {where}' + (f" ({kind})" if kind else "") + "</li>")
    return f'<ul class="evidence">{"".join(lines)}</ul>'


def unit_page_html(data, rank: dict, charts: tuple[str | None, str | None]) -> str:
    year, unit = rank["year"], rank["unit_code"]
    name = rank["unit_name"]
    criteria = data.scores.get((year, unit), [])
    in_cluster = sum(1 for r in data.ranking if r["year"] == year and r["cluster"] == rank["cluster"])
    other_years = sorted(r["year"] for r in data.ranking if r["unit_code"] == unit and r["year"] != year)
    parts = [f'<p class="crumbs"><a href="index.html#nam-{year}">Bảng xếp hạng năm {year}</a> › {esc(rank["cluster"])}</p>',
             f"<h1>{esc(name)} — năm {year}</h1>",
             f'<p class="summary">Mã đơn vị {esc(unit)} · {esc(rank["cluster"])} · hạng {esc(rank["rank_in_cluster"])}'
             f'/{in_cluster} · {esc(rank["classification"])} · đề nghị khen thưởng: {esc(rank["proposed_commendation"])}'
             + (f' ({esc(rank["not_eligible_reason"])})' if rank["not_eligible_reason"] else "")
             + "</p>"]
    if other_years:
        parts.append('<p class="years">Các năm khác: '
                     + " ".join(f'<a href="{unit_page(unit, y)}">{y}</a>' for y in other_years) + "</p>")
    head = ("<tr><th>Mã</th><th>Tiêu chí</th><th>Thực hiện</th><th>Chỉ tiêu</th><th>Tỷ lệ đạt</th>"
            "<th>Điểm tối đa</th><th>Điểm</th><th>Điểm thưởng</th><th>Giải thích</th><th>Căn cứ</th></tr>")
    body = [f'<tr class="criterion"><td>{esc(c["criterion_code"])}</td><td>{esc(c["criterion_name"])}'
            f'<br><small class="code">{esc(c["indicator"])}</small></td>'
            + _num(c["actual"], "actual") + _num(c["target"], "target")
            + f'<td class="num pct">{vn_pct(c["achievement_pct"], 0)}</td>'
            + _num(c["max_points"], "max") + _num(c["points"], "points") + _num(c["bonus_points"], "bonus")
            + f'<td class="explanation">{esc(c["explanation_vi"])}</td><td>{evidence_cell(c["evidence"])}</td></tr>'
            for c in criteria]
    late, missing = rank["late_reports"] or 0, rank["missing_reports"] or 0
    penalty = rank["penalty_points"] or 0
    foot = (f'<tr class="sum"><th colspan="5">Cộng điểm theo tiêu chí</th>' + _num(rank["max_points"], "max")
            + _num(rank["points"], "points") + _num(rank["bonus_points"], "bonus") + '<td colspan="2"></td></tr>'
            f'<tr class="penalty"><th colspan="5">Điểm trừ: {esc(late)} báo cáo trễ hạn, {esc(missing)} báo cáo '
            f'không nộp</th><td></td><td class="num penalty">{"−" if penalty else ""}{vn_number(penalty)}</td>'
            '<td colspan="3"></td></tr>'
            f'<tr class="total"><th colspan="5">Tổng điểm = điểm + điểm thưởng − điểm trừ</th>'
            + _num(rank["max_points"], "max") + _num(rank["total_points"], "total")
            + f'<td colspan="3">{vn_pct(rank["score_pct"])} điểm tối đa · {esc(rank["classification"])}</td></tr>')
    parts.append(f'<h2>Điểm theo tiêu chí</h2><table class="criteria"><thead>{head}</thead>'
                 f'<tbody>{"".join(body)}</tbody><tfoot>{foot}</tfoot></table>')
    if not criteria:
        parts.append('<p class="empty">Kho dữ liệu không có điểm theo tiêu chí của đơn vị trong năm này.</p>')
    flags = [f for f in data.flags if f["year"] == year and f["unit_code"] == unit]
    if flags:
        parts.append(f'<h2>Dấu hiệu bất thường</h2><p><a href="flags.html#f-{year}-{slug(unit)}">'
                     f"{len(flags)} dấu hiệu</a>, {sum(1 for f in flags if not f['cleared'])} chưa xác minh.</p>"
                     + flags_table(flags, {}, with_unit=False))
    parts.append('<h2>Diễn biến qua các năm</h2><div class="charts">'
                 + _figure(charts[0], "Tỷ lệ hộ nghèo (%) cuối năm")
                 + _figure(charts[1], "Xã đạt chuẩn nông thôn mới và sản phẩm OCOP (lũy kế cuối năm)") + "</div>")
    return layout(f"{name} — năm {year}", "\n".join(parts), data.published_at)


# ---- flags.html ----------------------------------------------------------------------------------------------

def flags_table(flags: list[dict], pages: dict[tuple, str], with_unit: bool = True,
                names: dict | None = None) -> str:
    head = (("<th>Đơn vị</th>" if with_unit else "") + "<th>Mã xã</th><th>Dấu hiệu</th><th>Chi tiết</th>"
            "<th>Căn cứ</th><th>Tình trạng</th><th>Ghi chú xác minh</th>")
    groups: dict[tuple, list[dict]] = {}
    for f in flags:
        groups.setdefault((f["year"], f["unit_code"]), []).append(f)
    bodies = []
    for (year, unit), group in groups.items():
        rows = []
        for f in group:
            cells = ""
            if with_unit:
                label = esc((names or {}).get((year, unit)) or (names or {}).get((None, unit)) or unit)
                page = pages.get((year, unit))
                link = f'<a href="{page}">{label}</a>' if page else label
                cells += f'<td class="unit">{link}</td>'
            source = DASH
            if f["file_name"]:
                row = f' · dòng {esc(f["row_number"])}' if f["row_number"] is not None else ""
                source = (f'<a href="bao-cao.html#{report_anchor(f["file_name"], f["sheet"])}">{esc(f["file_name"])}'
                          f'</a> · trang {esc(f["sheet"])}{row}')
            state = ("cleared", "Đã xác minh") if f["cleared"] else ("open", "Chưa xác minh")
            cells += (f'<td>{esc(f["commune_code"])}</td><td>{esc(FLAG_LABELS.get(f["flag"], f["flag"]))}'
                      f'<br><small class="code">{esc(f["flag"])}</small></td><td>{esc(f["detail_vi"])}</td>'
                      f'<td>{source}</td><td class="state {state[0]}">{state[1]}</td>'
                      f'<td>{esc(f["cleared_note"]) if f["cleared_note"] else ""}</td>')
            rows.append(f'<tr class="flag {state[0]}">{cells}</tr>')
        anchor = f' id="f-{int(year)}-{slug(unit)}"' if with_unit else ""
        bodies.append(f'<tbody{anchor}>{"".join(rows)}</tbody>')
    return f'<table class="flags"><thead><tr>{head}</tr></thead>{"".join(bodies)}</table>'


def flags_page(data) -> str:
    names = data.unit_names()
    pages = {(r["year"], r["unit_code"]): unit_page(r["unit_code"], r["year"]) for r in data.ranking}
    open_count = sum(1 for f in data.flags if not f["cleared"])
    parts = ["<h1>Dấu hiệu bất thường</h1>",
             '<p class="en" lang="en">Integrity flags, cleared or not.</p>',
             f'<p class="summary">{len(data.flags)} dấu hiệu, trong đó {open_count} chưa xác minh. Dấu hiệu không '
             "làm thay đổi điểm; dấu hiệu chưa xác minh chỉ ngăn việc đề nghị Cờ thi đua.</p>",
             '<dl class="legend">' + "".join(f"<dt>{esc(label)}</dt><dd><code>{esc(code)}</code></dd>"
                                             for code, label in FLAG_LABELS.items()) + "</dl>"]
    by_year: dict[int, list[dict]] = defaultdict(list)
    for f in data.flags:
        by_year[f["year"]].append(f)
    if not by_year:
        parts.append('<p class="empty">Không có dấu hiệu bất thường nào.</p>')
    for year in sorted(by_year, reverse=True):
        parts.append(f'<section class="year" id="nam-{int(year)}"><h2>Năm {int(year)}</h2>'
                     + flags_table(by_year[year], pages, names=names) + "</section>")
    return layout("Dấu hiệu bất thường", "\n".join(parts), data.published_at)


# ---- bao-cao.html --------------------------------------------------------------------------------------------

def _date(value, with_time: bool = False) -> str:
    if value is None:
        return DASH
    if isinstance(value, dt.datetime):
        value = value.astimezone(VIETNAM) if value.tzinfo else value
        return value.strftime("%d/%m/%Y %H:%M" if with_time else "%d/%m/%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return esc(value)


def reports_page(data) -> str:
    rows = []
    for key in sorted(data.reports, key=lambda k: (natural_key(k[0]), natural_key(k[1]))):
        r = data.reports[key]
        family = r.get("family")
        rows.append(f'<tr id="{report_anchor(*key)}"><td>{esc(key[0])}</td><td>{esc(key[1])}</td>'
                    f'<td>{esc(FAMILY_LABELS.get(family, family))}</td><td>{esc(r.get("period"))}</td>'
                    f'<td>{esc(r.get("unit_name") or r.get("district_name"))}</td><td>{_date(r.get("report_date"))}</td>'
                    f'<td>{_date(r.get("received_at"), True)}</td>'
                    f'<td>{esc(STATUS_LABELS.get(r.get("status"), r.get("status")))}</td></tr>')
    parts = ["<h1>Báo cáo làm căn cứ</h1>",
             '<p class="en" lang="en">The reports the scores and flags were computed from.</p>',
             '<p class="summary">Các báo cáo mà điểm số và dấu hiệu bất thường dẫn tới. Tên tệp là đường dẫn '
             "trong thư mục nhận báo cáo; số dòng là số dòng trong trang tính.</p>"]
    if rows:
        parts.append("<table class=\"reports\"><thead><tr><th>Tệp</th><th>Trang tính</th><th>Loại báo cáo</th>"
                     "<th>Kỳ</th><th>Đơn vị báo cáo</th><th>Ngày lập</th><th>Ngày nhận</th><th>Trạng thái</th>"
                     f"</tr></thead><tbody>{''.join(rows)}</tbody></table>")
    else:
        parts.append('<p class="empty">Chưa có báo cáo nào được dẫn tới.</p>')
    return layout("Báo cáo làm căn cứ", "\n".join(parts), data.published_at)
