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


def test_benchmark_readme_quotes_the_committed_results(run):
    """benchmarks/results/latest.json is committed so that performance changes show in review; the README's
    tables must be that run's (`benchmarks/run.py --markdown benchmarks/results/latest.json`)."""
    results = json.loads((BENCHMARKS / "results" / "latest.json").read_text())
    tables = run.markdown(results)
    assert "| `cold_s` |" in tables and "| `one_file_vs_cold` |" in tables and "| `cold_vs_startup_floor` |" in tables
    assert tables in (BENCHMARKS / "README.md").read_text(), \
        "benchmarks/README.md does not quote results/latest.json: paste `benchmarks/run.py --markdown ...`"
