"""The scoreboard in a real browser (Chromium through Playwright), opened from the file system: the ranking
tables show the mart's rows, a unit's points add up to its total, no console error, nothing requested from
anywhere but the site's own files.

Needs /usr/bin/chromium (Debian's `chromium` package). Without it the test is skipped, except under CI (the
variable CI set), where a missing browser is a failure."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from site_fixture import RANKS, expected_ranking_cells, make_warehouse, parse_vn, ranking_rows

from pipelines.site.build import build_site

pytestmark = pytest.mark.integration

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


@pytest.fixture
def browser():
    if not CHROMIUM.exists():
        if "CI" in os.environ:
            pytest.fail(f"{CHROMIUM} is missing under CI: install Debian's chromium package (.ci/run does)")
        pytest.skip(f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium) to run this test")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def test_scoreboard_in_a_browser(browser, tmp_path):
    warehouse = make_warehouse(tmp_path / "emulation.duckdb")
    index = build_site(warehouse, tmp_path / "site")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    console, errors, requests = [], [], []
    page.on("console", lambda message: console.append((message.type, message.text)))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda request: requests.append(request.url))

    page.goto(index.as_uri())
    tables = page.locator("table.ranking").all()
    shown = {}
    for table in tables:
        key = (int(table.get_attribute("data-year")), table.get_attribute("data-cluster"))
        shown[key] = [row.locator("td").all_inner_texts()[:11] for row in table.locator("tbody tr").all()]
    expected = {(r["year"], r["cluster"]) for r in ranking_rows()}
    assert set(shown) == expected
    for year, cluster in expected:
        assert [[cell.strip() for cell in row] for row in shown[(year, cluster)]] == \
            expected_ranking_cells(warehouse, year, cluster)
    assert page.locator("#nam-2024 .no-plan").inner_text().startswith("Chưa có kế hoạch thi đua hợp lệ")
    assert page.locator("figure.chart svg").count() == len(expected)
    page.screenshot(path=tmp_path / "index.png", full_page=True)

    # follow the link of Cầu Kè (2023: one report late) to its page
    page.locator('table.ranking[data-year="2023"][data-cluster="Cụm 1"] td.unit a',
                 has_text="Huyện Cầu Kè").click()
    page.wait_for_load_state()
    assert page.url.endswith("/don-vi-845-2023.html")
    criteria = page.locator("table.criteria")
    points = [parse_vn(t) for t in criteria.locator("tbody tr.criterion td.points").all_inner_texts()]
    bonus = [parse_vn(t) for t in criteria.locator("tbody tr.criterion td.bonus").all_inner_texts()]
    penalty = parse_vn(criteria.locator("tfoot tr.penalty td.penalty").inner_text())
    total = parse_vn(criteria.locator("tfoot tr.total td.total").inner_text())
    assert points == [8, 10, 4.5] and bonus == [0, 0, 0] and penalty == -1
    assert total == pytest.approx(sum(points) + sum(bonus) + penalty) == 21.5
    assert page.locator("svg[role=img]").count() == 2  # poverty, NTM and OCOP over the years
    page.screenshot(path=tmp_path / "unit.png", full_page=True)

    page.goto((index.parent / "flags.html").as_uri())
    assert page.locator("table.flags tbody tr").count() == 3
    assert page.locator("td.state.open").count() == sum(1 for r in RANKS.values() if r[5])

    assert errors == [] and [m for m in console if m[0] in ("error", "warning")] == []
    assert requests and all(url.startswith(("file://", "data:")) for url in requests), requests
    assert {url.rsplit("/", 1)[-1] for url in requests} >= {"index.html", "style.css", "don-vi-845-2023.html"}
    for shot in ("index.png", "unit.png"):
        assert (tmp_path / shot).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
