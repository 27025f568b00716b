"""The public scoreboard rendered from a small fixture warehouse: tables equal the marts, points add up, nothing
is loaded from outside the site, text from the warehouse is escaped, the site is replaced whole or not at all."""

from __future__ import annotations

import argparse
import re
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest
from site_fixture import (FLAGS, NAMES, RANKS, REJECTED_PLAN, expected_ranking_cells, make_warehouse, parse_vn,
                          ranking_rows)

from pipelines.site import charts
from pipelines.site.build import MARKER, SiteError, build_site
from pipelines.cli.site import add_site_parser, main_site
from pipelines.site.fmt import unit_page, vn_number, vn_pct

RESOURCE_ATTRS = {"src", "href", "xlink:href", "srcset", "data", "poster", "action", "formaction", "background"}


class Page(HTMLParser):
    """A page's tables (attributes, then rows of (section, row attributes, cell texts)), ids and links."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[dict] = []
        self.ids: set[str] = set()
        self.links: list[str] = []  # every resource or link attribute value
        self.styles: list[str] = []  # inline style attributes and <style> contents
        self.text: list[str] = []
        self._section = self._row = self._cell = None
        self._in_style = False
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        self.links += [v for k, v in attrs.items() if k in RESOURCE_ATTRS and v is not None]
        if "style" in attrs:
            self.styles.append(attrs["style"])
        if tag == "style":
            self._in_style = True
        if tag == "table":
            self.tables.append({"attrs": attrs, "rows": []})
        elif tag in ("thead", "tbody", "tfoot"):
            self._section = tag
        elif tag == "tr" and self.tables:
            self._row = (self._section, attrs, [])
            self.tables[-1]["rows"].append(self._row)
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row[2].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr":
            self._row = None
        elif tag == "style":
            self._in_style = False

    def handle_data(self, data):
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)
        if self._in_style:
            self.styles.append(data)

    def table(self, css: str, **attrs) -> dict:
        found = [t for t in self.tables if css in t["attrs"].get("class", "").split()
                 and all(t["attrs"].get(f"data-{k}") == str(v) for k, v in attrs.items())]
        assert len(found) == 1, f"{len(found)} tables of class {css} with {attrs}"
        return found[0]


def body_rows(table: dict, css: str | None = None) -> list[list[str]]:
    return [cells for section, attrs, cells in table["rows"] if section == "tbody"
            and (css is None or css in attrs.get("class", "").split())]


def foot_row(table: dict, css: str) -> list[str]:
    rows = [cells for section, attrs, cells in table["rows"] if section == "tfoot" and attrs.get("class") == css]
    assert len(rows) == 1
    return rows[0]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("site")
    warehouse = make_warehouse(root / "emulation.duckdb")
    index = build_site(warehouse, root / "site")
    return warehouse, index.parent


def read(site: Path, name: str) -> Page:
    return Page((site / name).read_text(encoding="utf-8"))


def empty_svgs(drawings):
    return [None if chart is None else "<svg></svg>" for chart in drawings]


@pytest.fixture
def no_charts(monkeypatch):
    """Tests about files, not charts: an empty SVG instead of a rendered one."""
    monkeypatch.setattr(charts, "render", empty_svgs)


def test_vietnamese_numbers():
    assert vn_number(1234.5) == "1.234,5"
    assert vn_number(1234567.891) == "1.234.567,89"
    assert vn_number(Decimal("26.20")) == "26,2"
    assert vn_number(25.0) == "25"
    assert vn_number(2.675) == "2,68"  # half up on the decimal value, not the binary one
    assert vn_number(-3) == "-3"
    assert vn_number(-0.001) == "0"
    assert vn_number(5, trim=False) == "5,00"
    assert vn_number(None) == "—"
    assert vn_pct(113.3333) == "113,3 %"


def test_index_tables_equal_the_ranking_mart(built):
    warehouse, site = built
    page = read(site, "index.html")
    clusters = {(r["year"], r["cluster"]) for r in ranking_rows()}
    ranking_tables = [t for t in page.tables if "ranking" in t["attrs"].get("class", "")]
    assert {(int(t["attrs"]["data-year"]), t["attrs"]["data-cluster"]) for t in ranking_tables} == clusters
    for year, cluster in clusters:
        shown = [cells[:11] for cells in body_rows(page.table("ranking", year=year, cluster=cluster))]
        assert shown == expected_ranking_cells(warehouse, year, cluster)
    # spot check against literal text, independent of any formatter
    first_2023 = body_rows(page.table("ranking", year=2023, cluster="Cụm 1"))[0]
    assert first_2023[:11] == ["1", "Huyện Càng Long", "25", "1,2", "0", "26,2", "25", "104,8 %",
                               "Hoàn thành xuất sắc nhiệm vụ", "Cờ thi đua", "0"]
    tie = body_rows(page.table("ranking", year=2023, cluster="Cụm 1"))[1:]
    assert [(c[0], c[1], c[5]) for c in tie] == [("2", "Huyện Cầu Kè", "21,5"), ("2", "Huyện Tiểu Cần", "21,5")]
    city = body_rows(page.table("ranking", year=2023, cluster="Cụm 2"))[0]
    assert city[-1] == "Còn 1 dấu hiệu bất thường chưa xác minh"


def test_year_without_a_valid_plan(built):
    _, site = built
    text = (site / "index.html").read_text(encoding="utf-8")
    sections = dict(re.findall(r'<section class="year" id="nam-(\d+)">(.*?)</section>\n', text, re.S))
    assert sorted(sections) == ["2022", "2023", "2024"]
    assert "Chưa có kế hoạch thi đua hợp lệ" in sections["2024"] and REJECTED_PLAN[0] in sections["2024"]
    assert "Chưa có kế hoạch thi đua hợp lệ" not in sections["2023"] + sections["2022"]
    assert text.index('id="nam-2024"') < text.index('id="nam-2023"') < text.index('id="nam-2022"')


def test_unit_pages_add_up(built):
    _, site = built
    for rank in ranking_rows():
        page = read(site, unit_page(rank["unit_code"], rank["year"]))
        table = page.table("criteria")
        rows = body_rows(table, "criterion")
        assert len(rows) == 3
        points = sum(parse_vn(r[6]) for r in rows if r[6] != "—")
        bonus = sum(parse_vn(r[7]) for r in rows if r[7] != "—")
        total_row, penalty_row = foot_row(table, "total"), foot_row(table, "penalty")
        sum_row = foot_row(table, "sum")
        assert parse_vn(sum_row[2]) == pytest.approx(points) and parse_vn(sum_row[3]) == pytest.approx(bonus)
        penalty = parse_vn(penalty_row[2])
        assert penalty == -rank["penalty_points"]
        assert parse_vn(total_row[2]) == pytest.approx(points + bonus + penalty) == rank["total_points"]
        assert f'{rank["late_reports"]} báo cáo trễ hạn, {rank["missing_reports"]} báo cáo không nộp' \
            in penalty_row[0]
    city = body_rows(read(site, unit_page("842", 2023)).table("criteria"), "criterion")
    assert city[1][2:8] == ["—"] * 6  # the criterion that does not apply to the city


def test_unit_page_evidence_and_history(built):
    _, site = built
    page = read(site, unit_page("844", 2023))
    tc1 = body_rows(page.table("criteria"), "criterion")[0]
    assert "2022/844_giam_ngheo_2022.xlsx · trang Giảm nghèo · dòng 7–9 (Giảm nghèo, 2022)" in tc1[-1]
    assert "2023/844_giam_ngheo_2023.xlsx · trang Giảm nghèo · dòng 7–9 (Giảm nghèo, 2023)" in tc1[-1]
    reports = read(site, "bao-cao.html")
    anchors = [link.partition("#")[2] for link in page.links if link.startswith("bao-cao.html#")]
    assert anchors and set(anchors) <= reports.ids
    svg = (site / unit_page("844", 2023)).read_text(encoding="utf-8")
    for label in ("4,12", "3,01", "1,33", "13", "15"):  # poverty rates and the 2023 NTM/OCOP stocks, in the SVG
        assert f">{label}</text>" in svg
    assert ">99</text>" not in svg  # quarter rows are not years


def test_flags_page_lists_every_flag(built):
    _, site = built
    table = read(site, "flags.html").table("flags")
    rows = body_rows(table)
    assert len(rows) == len(FLAGS)
    shown = {(r[0], r[1], r[5]) for r in rows}
    assert shown == {(NAMES[f[1]], f[2], "Đã xác minh" if f[8] else "Chưa xác minh") for f in FLAGS}
    assert any("nhập ấp Tân Lập" in r[6] for r in rows)
    index = read(site, "index.html")
    flagged = [link for link in index.links if link.startswith("flags.html#")]
    assert sorted(flagged) == sorted(f"flags.html#f-{y}-{u}" for (y, u), r in RANKS.items() if r[5])
    assert {link.partition("#")[2] for link in flagged} <= read(site, "flags.html").ids


def test_nothing_is_loaded_from_outside_the_site(built):
    _, site = built
    files = sorted(site.glob("*.html"))
    assert len(files) == len(RANKS) + 3
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert "http://" not in text and "https://" not in text, path.name
        assert "<script" not in text.lower() and "@import" not in text, path.name
        page = Page(text)
        for link in page.links:
            assert link.startswith("data:") or not re.match(r"^([a-z][a-z0-9+.-]*:|//)", link, re.I), (path, link)
            target, _, anchor = link.partition("#")
            if not link.startswith("data:") and target:
                assert (site / target).is_file(), (path.name, link)
                if anchor:
                    assert anchor in read(site, target).ids, (path.name, link)
            elif anchor:
                assert anchor in page.ids, (path.name, link)
        for style in page.styles:
            assert "url(" not in style
    css = (site / "style.css").read_text(encoding="utf-8")
    assert "url(" not in css and "@import" not in css
    assert re.search(r"@page\s*\{[^}]*size:\s*A4", css)


def test_text_from_the_warehouse_is_escaped(tmp_path):
    evil = '<script>alert("x")</script> & <b onmouseover=alert(1)>Co</b>'
    warehouse = make_warehouse(tmp_path / "emulation.duckdb", names={"845": evil})
    site = build_site(warehouse, tmp_path / "site").parent
    for path in site.glob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "<script" not in text.lower() and "<b " not in text, path.name
    index = read(site, "index.html")
    names = [cells[1] for cells in body_rows(index.table("ranking", year=2023, cluster="Cụm 1"))]
    assert evil in names  # shown as text, not dropped
    assert "&lt;script&gt;" in (site / unit_page("845", 2023)).read_text(encoding="utf-8")
    assert any(evil in t for t in read(site, unit_page("845", 2023)).text)


def test_a_failed_build_leaves_the_previous_site(tmp_path, monkeypatch, no_charts):
    warehouse = make_warehouse(tmp_path / "emulation.duckdb")
    out = tmp_path / "site"
    build_site(warehouse, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    from pipelines.site import pages

    def broken(data):
        raise RuntimeError("disk full")

    monkeypatch.setattr(pages, "flags_page", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        build_site(warehouse, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["emulation.duckdb", "site"]  # no leftovers
    monkeypatch.undo()
    monkeypatch.setattr(charts, "render", empty_svgs)
    (out / "stale.html").write_text("from an older build")
    build_site(warehouse, out)  # a site built here is replaced whole
    assert not (out / "stale.html").exists() and (out / MARKER).is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["emulation.duckdb", "site"]


def test_a_foreign_folder_is_not_replaced(tmp_path, no_charts):
    warehouse = make_warehouse(tmp_path / "emulation.duckdb")
    out = tmp_path / "documents"
    out.mkdir()
    (out / "thesis.docx").write_text("precious")
    with pytest.raises(SiteError, match="not a scoreboard built by `emulation site`"):
        build_site(warehouse, out)
    assert (out / "thesis.docx").read_text() == "precious"


def test_a_warehouse_without_the_emulation_marts(tmp_path):
    warehouse = make_warehouse(tmp_path / "emulation.duckdb")
    con = duckdb.connect(str(warehouse))
    con.execute("DROP TABLE marts.mart_emulation_scores")
    con.execute("ALTER TABLE marts.mart_integrity_flags DROP COLUMN cleared_note")
    con.close()
    with pytest.raises(SiteError, match=r"marts.mart_emulation_scores is missing; "
                                        r"marts.mart_integrity_flags lacks cleared_note"):
        build_site(warehouse, tmp_path / "site")
    assert not (tmp_path / "site").exists()


def test_an_empty_scoreboard(tmp_path, no_charts):
    warehouse = make_warehouse(tmp_path / "emulation.duckdb")
    con = duckdb.connect(str(warehouse))
    for table in ("mart_emulation_ranking", "mart_emulation_scores", "mart_integrity_flags",
                  "mart_report_submissions"):
        con.execute(f"DELETE FROM marts.{table}")
    con.close()
    site = build_site(warehouse, tmp_path / "site").parent
    assert "Chưa có kết quả thi đua" in (site / "index.html").read_text(encoding="utf-8")
    assert "Không có dấu hiệu bất thường nào" in (site / "flags.html").read_text(encoding="utf-8")


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="emulation")
    add_site_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(["site", *argv])


def test_command(tmp_path, capsys, no_charts):
    assert main_site(_args("--warehouse", str(tmp_path / "none.duckdb"))) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "none.duckdb does not exist" in err
    warehouse = make_warehouse(tmp_path / "emulation.duckdb")
    assert main_site(_args("--warehouse", str(warehouse))) == 0
    assert (tmp_path / "site" / "index.html").is_file()
    assert f"{tmp_path / 'site' / 'index.html'}" in capsys.readouterr().out
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("x")
    assert main_site(_args("--warehouse", str(warehouse), "--out", str(tmp_path / "mine"))) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not a scoreboard" in err
