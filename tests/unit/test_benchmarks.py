"""The benchmark harness's pure parts (the benchmark itself runs with `make bench`, not in the tests)."""

import importlib.util
import json

import pytest

from helpers import PROJECT_ROOT

BENCHMARKS = PROJECT_ROOT / "benchmarks"


@pytest.fixture(scope="module")
def run():
    spec = importlib.util.spec_from_file_location("bench_run", BENCHMARKS / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_linear_fit_separates_fixed_and_per_file_time(run):
    runs = [{"files": n, "cold_s": 10 + 0.002 * n, "ok": True} for n in (1000, 2000, 4000)]
    fit = run.linear_fit(runs)
    assert fit["fixed_s"] == pytest.approx(10) and fit["marginal_s_per_file"] == pytest.approx(0.002)
    assert fit["max_deviation"] == pytest.approx(0, abs=1e-12)
    bent = runs[:2] + [{"files": 4000, "cold_s": 30.0, "ok": True}]  # superlinear: off the line
    assert run.linear_fit(bent)["max_deviation"] > 0.05
    assert run.linear_fit(runs[:1]) is None
    assert run.linear_fit(runs[:1] + [{"files": 2000, "cold_s": None, "ok": False}]) is None


def test_targets_are_the_bounds_of_issue_9(run):
    assert {name: goal for name, (goal, _) in run.TARGETS.items()} == {
        "cold_vs_startup_floor": 1.5, "one_file_vs_startup_floor": 1.5, "scaling_fit_deviation": 0.25,
        "noop_vs_cold": 0.10, "sample_vs_dbt_floor": 1.6, "peak_rss_mb": 1500}
    assert not hasattr(run, "PROPOSED_TARGETS")
    assert set(run.INFORMATION) >= {"cold_vs_floor", "one_file_vs_cold", "s_per_file_spread", "rss_growth_vs_files"}
    assert not set(run.INFORMATION) & set(run.TARGETS)


def test_a_target_is_met_missed_or_skipped(run):
    values = {"cold_vs_startup_floor": 1.5, "one_file_vs_startup_floor": 1.6, "noop_vs_cold": 0.02,
              "sample_vs_dbt_floor": 1.2, "peak_rss_mb": 900, "skipped": []}
    table = run.target_table(values)
    assert table["cold_vs_startup_floor"]["met"] is True  # at the goal counts as met
    assert table["one_file_vs_startup_floor"]["met"] is False
    assert table["scaling_fit_deviation"]["met"] is False  # not measured in a full run: missed
    table = run.target_table({**values, "skipped": ["scaling"]})
    assert table["scaling_fit_deviation"]["met"] is None  # left out by --skip: skipped, not missed


def test_markdown_copes_with_missing_keys(run):
    results = {"timestamp": "2026-12-03T07:00:00+00:00", "machine": {"cores": 2, "cpu": "x", "memory_gb": 1,
               "python": "3.11"}, "versions": {}, "files": 1, "districts": 1, "communes": 1, "scaling": [],
               "correctness": {"ok": True}, "skipped": ["one_file"]}
    tables = run.markdown(results)
    assert "| `cold_vs_startup_floor` | — | ≤ 1.5 | skipped |" in tables
    assert "| `bench_s` | — |" in tables and "Whole run: — s" in tables


def test_readme_tables_are_replaced_between_the_markers(run):
    readme = f"intro\n{run.README_START}\nold tables\n{run.README_END}\nprose\n"
    assert run.quote_in_readme(readme, "new") == f"intro\n{run.README_START}\nnew\n{run.README_END}\nprose\n"
    with pytest.raises(ValueError):
        run.quote_in_readme("no markers", "new")


def test_benchmark_readme_quotes_the_committed_results(run):
    """benchmarks/results/latest.json is committed so that performance changes show in review; the README's
    tables must be that run's (`benchmarks/run.py --markdown benchmarks/results/latest.json --readme
    benchmarks/README.md` writes them)."""
    results = json.loads((BENCHMARKS / "results" / "latest.json").read_text())
    tables = run.markdown(results)
    assert "| `cold_s` |" in tables and "| `cold_vs_startup_floor` |" in tables and "| `one_file_vs_cold` |" in tables
    readme = (BENCHMARKS / "README.md").read_text()
    assert tables in readme, \
        "benchmarks/README.md does not quote results/latest.json: run `benchmarks/run.py --markdown ... --readme ...`"
    assert run.quote_in_readme(readme, tables) == readme
