"""The dbt worker (pipelines/dbt_worker.py): dbt started ahead, used only when its parse fits the request."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from pipelines import dbt_worker
from pipelines.dbt_worker import dbt_executable
from pipelines.dbt_worker import Parsed, project_signature, refusal
from pipelines.warehouse import DBT_PROJECT_DIR, WarehousePaths

from conftest import REFERENCE, SAMPLE_INBOX

ENV = {"DBT_PROJECT_DIR": str(DBT_PROJECT_DIR), "DBT_PROFILES_DIR": str(DBT_PROJECT_DIR)}


def parsed(**changes) -> Parsed:
    values = dict(manifest=object(), why="", signature=project_signature(), env={},
                  cwd="/tmp")
    values.update(changes)
    return Parsed(**values)


def request(args=("--no-write-json", "build", "--select", "fqn:*"), env=None, cwd="/tmp") -> dict:
    return {"args": list(args), "env": ENV if env is None else env, "cwd": cwd}


def test_a_matching_build_is_served():
    assert refusal(parsed(), request()) == ""
    assert refusal(parsed(), request(args=["test", "--select", "mart_poverty"])) == ""


@pytest.mark.parametrize("req, reason", [
    (request(args=["compile"]), "not exactly one of the commands build, run, test"),
    (request(args=["ls"]), "not exactly one of the commands"),
    (request(args=["--log-level-file", "test", "ls"]), "not exactly one of the commands"),
    (request(args=["build", "-tprod"]), "-tprod may change"),
    (request(env={**ENV, "DBT_TARGET": "prod"}), "environment variable DBT_TARGET differs"),
    (request(args=["build", "--vars", "{outlier_ratio: 2}"]), "--vars may change what dbt parses"),
    (request(args=["build", "--target=prod"]), "--target=prod may change"),
    (request(env={**ENV, "EMULATION_BUILD_DB": "/elsewhere.duckdb"}),
     "environment variable EMULATION_BUILD_DB differs"),
    (request(env={**ENV, "DBT_PROJECT_DIR": "/other/project"}), "DBT_PROJECT_DIR is '/other/project'"),
    (request(env={"DBT_PROFILES_DIR": str(DBT_PROJECT_DIR)}), "DBT_PROJECT_DIR is None"),
    (request(cwd="/var"), "working directory /var is not /tmp"),
])
def test_a_request_that_could_parse_differently_is_declined(req, reason):
    assert refusal(parsed(), req).startswith(reason)


def test_a_failed_parse_or_changed_project_is_declined():
    assert refusal(parsed(manifest=None, why="its dbt parse failed: boom"), request()) == \
        "its dbt parse failed: boom"
    stale = [(path, size + 1, mtime) for path, size, mtime in project_signature()]
    assert refusal(parsed(signature=stale), request()) == \
        "the dbt project's files changed after the worker parsed them"


needs_worker = pytest.mark.skipif(
    not sys.platform.startswith("linux") or os.environ.get(dbt_worker.WORKER_ENV, "").lower() == "off",
    reason="the dbt worker runs on Linux, unless EMULATION_DBT_WORKER=off")


@pytest.fixture()
def build_dir(tmp_path, sample_warehouse) -> Path:
    """A build directory holding a copy of the sample warehouse, as a refresh leaves it before dbt runs."""
    paths = WarehousePaths(tmp_path / "emulation.duckdb")
    paths.build_dir.mkdir()
    shutil.copy(sample_warehouse, paths.build_db)
    yield paths.build_dir
    dbt_worker.stop(paths.build_dir)


def run_wrapper(build_dir: Path, args: list[str], worker: dbt_worker.Worker | None) -> subprocess.CompletedProcess:
    """The `dbt-child` wrapper as dagster-dbt starts it (JSON logs, one pipe for stdout and stderr)."""
    env = {**os.environ, **ENV, "DBT_LOG_FORMAT": "json", "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
           "DBT_TARGET_PATH": str(build_dir / "dbt_target"), "DBT_LOG_PATH": str(build_dir / "dbt_target"),
           "EMULATION_DBT_CWD": str(build_dir)}
    env.pop("EMULATION_BUILD_DB", None)
    env.pop(dbt_worker.WORKER_ENV, None)
    if worker is not None:
        env[dbt_worker.WORKER_ENV] = worker.address
    return subprocess.run([dbt_executable(), "--no-write-json", *args], env=env, cwd=DBT_PROJECT_DIR,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300)


@needs_worker
def test_the_worker_runs_the_wrappers_command_and_returns_dbts_exit_code(build_dir):
    worker = dbt_worker.start(build_dir)
    assert worker is not None and dbt_worker.running(build_dir) is worker
    passing = run_wrapper(build_dir, ["test", "--select", "mart_poverty"], worker)
    assert passing.returncode == 0, passing.stdout[-2000:]
    assert "dbt worker not used" not in passing.stdout
    assert '"name": "LogTestResult"' in passing.stdout  # dbt's JSON events, as dagster-dbt reads them
    worker.process.wait(30)  # one command, then it exits
    assert worker.process.returncode == 0 and dbt_worker.running(build_dir) is None

    # a data test that fails: dbt's exit code 1 comes back through the wrapper
    with duckdb.connect(str(build_dir / "emulation.duckdb")) as con:
        con.execute("UPDATE marts.mart_poverty SET poor_households = total_households + 1 WHERE unit_code = '84'")
    worker = dbt_worker.start(build_dir)
    failing = run_wrapper(build_dir, ["test", "--select", "mart_poverty"], worker)
    assert failing.returncode == 1, failing.stdout[-2000:]
    assert "dbt worker not used" not in failing.stdout and '"status": "fail"' in failing.stdout


@needs_worker
def test_a_declined_command_runs_in_a_fresh_dbt(build_dir):
    worker = dbt_worker.start(build_dir)
    listed = run_wrapper(build_dir, ["ls", "--select", "mart_poverty", "--output", "name"], worker)
    assert listed.returncode == 0, listed.stdout[-2000:]
    assert "dbt worker not used (not exactly one of the commands build, run, test); starting dbt" in listed.stdout
    assert "mart_poverty" in listed.stdout
    assert worker.alive()  # still waiting for a command it can serve


def test_without_a_worker_the_wrapper_runs_dbt(build_dir):
    result = run_wrapper(build_dir, ["test", "--select", "mart_poverty"], None)
    assert result.returncode == 0 and "dbt worker" not in result.stdout


@needs_worker
def start_in_a_parent(build_dir: Path, before: str = "") -> tuple[subprocess.Popen, int]:
    """Another process (running `before` first) that starts a worker for `build_dir`; it and the worker's pid."""
    script = (f"import signal, sys, time; from pathlib import Path; from pipelines import dbt_worker; {before}"
              "w = dbt_worker.start(Path(sys.argv[1])); print(w.process.pid, flush=True); time.sleep(60)")
    parent = subprocess.Popen([sys.executable, "-c", script, str(build_dir)], stdout=subprocess.PIPE, text=True)
    return parent, int(parent.stdout.readline())


def test_a_worker_dies_with_the_process_that_started_it(tmp_path):
    parent, pid = start_in_a_parent(tmp_path)
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and Path(f"/proc/{pid}").exists() and \
            "zombie" not in Path(f"/proc/{pid}/status").read_text():
        time.sleep(0.1)
    assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text()


@needs_worker
def test_the_command_line_refresh_used_its_worker(sample_warehouse):
    log = (sample_warehouse.parent / ".build" / "refresh.log").read_text()
    assert "with the project parsed ahead of time" in log and "dbt worker not used" not in log


@needs_worker
def test_a_dagster_run_starts_its_own_worker(tmp_path, capfd):
    from dagster import materialize

    from pipelines.definitions import ALL_ASSETS, resources

    published = tmp_path / "emulation.duckdb"
    result = materialize(ALL_ASSETS, resources=resources(str(SAMPLE_INBOX), str(published), str(REFERENCE)))
    assert result.success
    out = capfd.readouterr().out
    assert "with the project parsed ahead of time" in out and "dbt worker not used" not in out
    assert dbt_worker.running(WarehousePaths(published).build_dir) is None  # stopped with the run
    with duckdb.connect(str(published), read_only=True) as con:
        assert con.execute("SELECT poor_households FROM marts.mart_poverty "
                           "WHERE unit_code = '84' AND year = 2022").fetchone() == (5404,)


@needs_worker
def test_a_worker_of_a_background_refresh_still_stops_on_ctrl_c(tmp_path):
    """Shells start background jobs with SIGINT ignored; the worker must not keep that (an interrupted run would
    otherwise go on building)."""
    parent, pid = start_in_a_parent(tmp_path, before="signal.signal(signal.SIGINT, signal.SIG_IGN); ")
    try:
        deadline = time.monotonic() + 20
        caught = ignored = 0
        while time.monotonic() < deadline:
            status = dict(line.split(":\t", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
                          if ":\t" in line)
            caught, ignored = int(status["SigCgt"], 16), int(status["SigIgn"], 16)
            if caught & (1 << (signal.SIGINT - 1)):
                break
            time.sleep(0.05)
        assert caught & (1 << (signal.SIGINT - 1)) and not ignored & (1 << (signal.SIGINT - 1))
    finally:
        parent.kill()
        parent.wait()
