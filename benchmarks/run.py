"""`make bench`: the national-scale benchmark, with its floors measured in the same run on the same data.

    .venv/bin/python benchmarks/run.py [--scale 1] [--fractions 0.25,0.5] [--out benchmarks/results/latest.json]
                                       [--repo DIR] [--workdir DIR]

Steps (see benchmarks/README.md for what each number means):

1. generate (or take from the cache) the national inbox and its 1/4 and 1/2 subsets (benchmarks/generate.py);
2. ``parse_floor_s``: fastexcel alone reads every data sheet of every file into Arrow, in this process;
3. ``cold_s`` + ``peak_rss_mb``: ``emulation refresh`` into a fresh warehouse directory, the process tree's
   resident memory sampled from /proc every 50 ms; then the correctness line on the published marts;
4. ``sql_floor_s``: DuckDB alone runs the compiled SQL of every dbt model (from the cold refresh's manifest)
   in dependency order, in one connection, on a copy of the published warehouse;
5. ``noop_s``: the same refresh again, nothing changed; ``one_file_s``: after one poverty workbook is replaced
   by a corrected version (the marts must then show the corrected totals);
6. the cold refresh again at 1/4 and 1/2 of the districts (time, memory, files);
7. ``sample_s``: ``emulation refresh`` of the embedded sample (seeds/reports) into a fresh directory;
   ``dbt_floor_s``: a bare ``dbt build`` of the project on a copy of that sample warehouse.

It prints a table and writes ``benchmarks/results/latest.json``: ``targets`` are the bounds of issue 9 (TARGETS),
``information`` the former targets of issue 5 and the run's length (INFORMATION, no goal). Exit status: 0 when
every target is met and the correctness lines hold; 1 when a target is missed, a correctness line fails or a
refresh failed; 2 on bad arguments. A target a ``--skip`` left unmeasured is reported as skipped, not missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate as gen  # noqa: E402  (benchmarks/generate.py)

DEFAULT_REPO = HERE.parent
DEFAULT_OUT = HERE / "results" / "latest.json"
DEFAULT_WORKDIR = HERE / ".cache" / "runs" / "latest"
SKIPPABLE = ("parse_floor", "sql_floor", "noop", "one_file", "scaling", "sample")

TARGETS = {
    # The bounds of issue 9 (`make bench`, one run): name -> (goal, definition); met when the value is at most the
    # goal. A missed target makes the exit status 1, like a failed correctness line.
    "cold_vs_startup_floor": (1.5, "cold_s / (import floor + parse_floor_s + dbt_floor_national_s): a cold refresh "
                                   "against starting the libraries, reading the files and one bare dbt build"),
    "one_file_vs_startup_floor": (1.5, "one_file_s / (import floor + dbt_floor_national_s): one corrected file "
                                       "against starting the libraries and one bare dbt build"),
    "scaling_fit_deviation": (0.25, "largest relative distance of a scaling run from the line "
                                    "cold_s = fixed_s + marginal_s_per_file x files (time grows linearly)"),
    "noop_vs_cold": (0.10, "noop_s / cold_s"),
    "sample_vs_dbt_floor": (1.6, "sample_s / dbt_floor_s"),
    "peak_rss_mb": (1500, "peak resident memory of the cold refresh's process tree at full scale (sum of VmRSS)"),
}

# Reported for information, no pass/fail: the former targets of issue 5 that excluded each other (see
# benchmarks/README.md, last section) and the length of the run.
INFORMATION = {
    "cold_vs_floor": "cold_s / (parse_floor_s + sql_floor_s)",
    "one_file_vs_cold": "one_file_s / cold_s",
    "s_per_file_spread": "max |s_per_file(f) / s_per_file(full) - 1| over the scaling runs",
    "rss_growth_vs_files": "(peak_rss full / peak_rss 1/4) / (files full / files 1/4): <= 1 is at most linear",
    "bench_s": "this whole run, generation included",
}


def target_table(r: dict) -> dict[str, dict]:
    """Every target of TARGETS with its value in the results `r` (None when the run did not measure it) and
    `met`: True or False, or None when the value is missing because the run skipped steps (--skip)."""
    table = {}
    for name, (goal, definition) in TARGETS.items():
        value = r.get(name)
        met = value <= goal if value is not None else (None if r.get("skipped") else False)
        table[name] = {"value": value, "target": goal, "met": met, "definition": definition}
    return table


def information_table(r: dict) -> dict[str, dict]:
    return {name: {"value": r.get(name), "definition": definition} for name, definition in INFORMATION.items()}


def met_label(met: bool | None, no: str = "no") -> str:
    return "yes" if met else ("skipped" if met is None else no)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------- memory

def _children(pid: int) -> list[int]:
    kids: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{task}/children") as f:
                    kids.extend(int(x) for x in f.read().split())
            except OSError:
                pass
    except OSError:
        pass
    return kids


def process_tree(root: int) -> list[int]:
    seen, stack = [], [root]
    while stack:
        pid = stack.pop()
        if pid in seen:
            continue
        seen.append(pid)
        stack.extend(_children(pid))
    return seen


def _status_kb(pid: int, field: str) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


class TreeMemory(threading.Thread):
    """Samples the process tree under `pid` every `interval` s: peak of the summed VmRSS, and every
    `pss_every`-th sample the summed PSS (which counts pages shared between forked workers once).

    PSS is sampled less often because reading it is not free: the kernel walks the page tables of the process
    for /proc/<pid>/smaps_rollup, about 15 ms for a 800 MB process. At every sample that took about a fifth of
    a core from the refresh being measured (`other_cpu_s` of about 10 CPU-s per refresh)."""

    def __init__(self, pid: int, interval: float = 0.05, pss_every: int = 20):
        super().__init__(daemon=True)
        self.pid, self.interval, self.pss_every = pid, interval, pss_every
        self.peak_rss_kb = self.peak_pss_kb = self.max_processes = self.samples = 0
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            pids = process_tree(self.pid)
            rss = sum(_status_kb(p, "VmRSS:") for p in pids)
            self.peak_rss_kb = max(self.peak_rss_kb, rss)
            if self.samples % self.pss_every == 0:
                self.peak_pss_kb = max(self.peak_pss_kb, sum(_pss_kb(p) for p in pids))
            self.max_processes = max(self.max_processes, len(pids))
            self.samples += 1
            self._halt.wait(self.interval)

    def stop(self) -> None:
        self._halt.set()
        self.join()


def cpu_busy_s() -> float:
    """CPU seconds the whole machine has spent busy (all cores), from /proc/stat."""
    try:
        with open("/proc/stat") as f:
            fields = f.readline().split()[1:]
        user, nice, system, _idle, _iowait, irq, softirq, steal = (int(x) for x in fields[:8])
        return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError):
        return 0.0


def _copy_stamped(pipe, out, started: float) -> None:
    """Copy a child's output to its log, each line prefixed with the seconds since the child started."""
    for line in iter(pipe.readline, b""):
        out.write(f"[{time.perf_counter() - started:7.2f}] ".encode() + line)
    pipe.close()


# ---------------------------------------------------------------------------------------------- commands

class Runner:
    def __init__(self, repo: Path, workdir: Path):
        self.repo = repo
        self.workdir = workdir
        self.python = sys.executable
        self.dbt = str(Path(sys.executable).with_name("dbt"))
        # what the refresh's DbtCliResource runs (pipelines/dbt_child.py); plain dbt in an older checkout's venv
        emulation_dbt = Path(sys.executable).with_name("emulation-dbt")
        self.emulation_dbt = str(emulation_dbt) if emulation_dbt.exists() else self.dbt
        self.steps: dict[str, dict] = {}

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("EMULATION_")}
        env["PYTHONPATH"] = str(self.repo) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        env["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"
        env["PYTHONUNBUFFERED"] = "1"
        env.update(extra)
        return env

    def run(self, name: str, argv: list[str], *, env: dict[str, str] | None = None, measure_memory: bool = False,
            cwd: Path | None = None) -> dict:
        """Run a command to completion; wall time, exit code, peak memory of its tree; output to a log file."""
        logfile = self.workdir / "logs" / f"{name}.log"
        logfile.parent.mkdir(parents=True, exist_ok=True)
        with open(logfile, "wb") as out:
            out.write((" ".join(argv) + "\n\n").encode())
            out.flush()
            started = time.perf_counter()
            proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env or self.env(),
                                    cwd=str(cwd or self.repo))
            copier = threading.Thread(target=_copy_stamped, args=(proc.stdout, out, started), daemon=True)
            copier.start()
            sampler = TreeMemory(proc.pid) if measure_memory else None
            if sampler:
                sampler.start()
            busy_before = cpu_busy_s()
            # wait4: the rusage covers the child and every descendant it reaped (dbt, the parse workers)
            _, status, usage = os.wait4(proc.pid, 0)
            seconds = time.perf_counter() - started
            busy = cpu_busy_s() - busy_before
            rc = os.waitstatus_to_exitcode(status)
            proc.returncode = rc
            copier.join(timeout=30)
            if sampler:
                sampler.stop()
        cpu = usage.ru_utime + usage.ru_stime
        result = {"seconds": seconds, "rc": rc, "cpu_s": round(cpu, 2),
                  "other_cpu_s": round(max(0.0, busy - cpu), 2), "log": str(logfile)}
        if sampler:
            result.update(peak_rss_mb=sampler.peak_rss_kb / 1024, peak_pss_mb=sampler.peak_pss_kb / 1024,
                          max_processes=sampler.max_processes, samples=sampler.samples)
        state = "ok" if rc == 0 else f"FAILED (exit {rc}, see {logfile})"
        mem = f", peak RSS {result['peak_rss_mb']:.0f} MB" if sampler else ""
        other = f", other processes used {result['other_cpu_s']:.1f} CPU-s" if result["other_cpu_s"] > 1 else ""
        log(f"  {name}: {seconds:.1f}s (CPU {cpu:.1f}s){mem}{other} {state}")
        self.steps[name] = {k: v for k, v in result.items() if k != "log"}
        return result

    def refresh(self, name: str, inbox: Path, warehouse: Path, reference: Path, *, measure_memory: bool = True) -> dict:
        home = warehouse.parent / ".dagster_home"
        home.mkdir(parents=True, exist_ok=True)
        argv = [self.python, "-m", "pipelines.cli", "refresh", "--inbox", str(inbox), "--warehouse", str(warehouse),
                "--reference", str(reference)]
        return self.run(name, argv, env=self.env(DAGSTER_HOME=str(home)), measure_memory=measure_memory)


# ---------------------------------------------------------------------------------------------- floors

def in_process(name: str, runner: Runner, fn):
    """Run a measurement in this process, recording its CPU time and what other processes used meanwhile."""
    busy0, cpu0, wall0 = cpu_busy_s(), time.process_time(), time.perf_counter()
    result = fn()
    wall, cpu, busy = time.perf_counter() - wall0, time.process_time() - cpu0, cpu_busy_s() - busy0
    runner.steps[name] = {"seconds": round(wall, 3), "measured_s": round(result["seconds"], 3), "rc": 0,
                          "cpu_s": round(cpu, 2), "other_cpu_s": round(max(0.0, busy - cpu), 2)}
    return result


def parse_floor(inbox: Path) -> dict:
    """fastexcel alone: every data sheet of every file into Arrow, one process, no checks."""
    import fastexcel

    files = sorted(p for p in inbox.rglob("*.xlsx") if not p.name.startswith((".", "~$")))
    # one untimed read first: the floor leaves out one-time costs (pyarrow is imported on the first to_arrow)
    if files:
        first = fastexcel.read_excel(str(files[0]))
        first.load_sheet(first.sheet_names[-1], header_row=None, dtypes="string").to_arrow()
    data_s = info_s = 0.0
    rows = sheets = 0
    for path in files:
        t0 = time.perf_counter()
        reader = fastexcel.read_excel(str(path))
        names = reader.sheet_names
        info = [n for n in names if n.strip().lower() in ("thông tin", "thong tin")]
        for name in names:
            if name in info:
                continue
            table = reader.load_sheet(name, header_row=None, dtypes="string").to_arrow()
            rows += table.num_rows
            sheets += 1
        t1 = time.perf_counter()
        for name in info:
            reader.load_sheet(name, header_row=None, dtypes="string").to_arrow()
        t2 = time.perf_counter()
        data_s += t1 - t0
        info_s += t2 - t1
    return {"seconds": data_s, "info_sheets_s": info_s, "files": len(files), "sheets": sheets, "rows": rows}


def _topological(models: dict[str, dict]) -> list[dict]:
    order: list[dict] = []
    state: dict[str, int] = {}

    def visit(uid: str) -> None:
        if state.get(uid) == 2:
            return
        if state.get(uid) == 1:
            raise RuntimeError(f"dependency cycle at {uid}")
        state[uid] = 1
        for dep in sorted(models[uid]["depends_on"]["nodes"]):
            if dep in models:
                visit(dep)
        state[uid] = 2
        order.append(models[uid])

    for uid in sorted(models):
        visit(uid)
    return order


def linear_fit(scaling: list[dict]) -> dict | None:
    """Informational: cold_s = fixed_s + marginal_s_per_file x files, least squares over the scaling runs.

    `s_per_file` divides the whole time by the files, fixed start-up included, so it falls as the inbox grows
    even when the growth is exactly linear; the fit separates the two. `max_deviation` is the largest relative
    distance of a run from the line (small: time grows linearly with the number of files)."""
    points = [(s["files"], s["cold_s"]) for s in scaling if s.get("ok") and s.get("cold_s")]
    if len(points) < 2:
        return None
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    sxx = sum((x - mean_x) ** 2 for x, _ in points)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / sxx if sxx else 0.0
    fixed = mean_y - slope * mean_x
    return {"fixed_s": fixed, "marginal_s_per_file": slope,
            "max_deviation": max(abs((fixed + slope * x) / y - 1) for x, y in points)}


def find_manifest(runner: Runner, warehouse: Path, db_copy: Path) -> Path:
    """The manifest with compiled SQL the refresh left (`<warehouse dir>/.build/dbt_target/`), else dbt compile."""
    candidates = [warehouse.parent / ".build" / "dbt_target" / "manifest.json",
                  *sorted(warehouse.parent.rglob("manifest.json"))]
    for path in candidates:
        if path.exists():
            nodes = json.loads(path.read_text())["nodes"].values()
            if any(n["resource_type"] == "model" and n.get("compiled_code") for n in nodes):
                return path
    target = runner.workdir / "sql_floor" / "compile_target"
    result = runner.run("dbt-compile", [runner.dbt, "compile", "--quiet", "--project-dir",
                                        str(runner.repo / "dbt_project"), "--profiles-dir",
                                        str(runner.repo / "dbt_project"), "--target-path", str(target),
                                        "--log-path", str(target / "logs")],
                        env=runner.env(EMULATION_BUILD_DB=str(db_copy)), cwd=runner.repo / "dbt_project")
    if result["rc"] != 0:
        raise RuntimeError("dbt compile failed")
    return target / "manifest.json"


def sql_floor(runner: Runner, published: Path) -> dict:
    """DuckDB alone: every model's compiled SQL in dependency order, one connection, on a copy of the
    published warehouse (so the raw tables exist). Only the statements are timed. The data tests' SQL is timed
    too (informational: `dbt build` runs them)."""
    import duckdb

    folder = runner.workdir / "sql_floor"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    db = folder / published.name  # same file name: the compiled SQL names the database after it
    shutil.copyfile(published, db)
    manifest = json.loads(find_manifest(runner, published, db).read_text())
    models = {uid: n for uid, n in manifest["nodes"].items() if n["resource_type"] == "model"}
    ordered = _topological(models)
    tests = [n for n in manifest["nodes"].values() if n["resource_type"] == "test" and n.get("compiled_code")]
    con = duckdb.connect(str(db))
    try:
        per_model = {}
        total = 0.0
        for node in ordered:
            kind = "VIEW" if node["config"].get("materialized") == "view" else "TABLE"
            relation = node.get("relation_name") or f'"{node["schema"]}"."{node["alias"]}"'
            sql = f"CREATE OR REPLACE {kind} {relation} AS (\n{node['compiled_code']}\n)"
            t0 = time.perf_counter()
            con.execute(sql)
            seconds = time.perf_counter() - t0
            total += seconds
            per_model[node["name"]] = round(seconds, 4)
        tests_s = 0.0
        for node in tests:
            t0 = time.perf_counter()
            con.execute(f"SELECT count(*) FROM (\n{node['compiled_code']}\n) AS t").fetchall()
            tests_s += time.perf_counter() - t0
    finally:
        con.close()
    slowest = dict(sorted(per_model.items(), key=lambda kv: -kv[1])[:5])
    return {"seconds": total, "models": len(ordered), "tests": len(tests), "tests_s": tests_s,
            "slowest_models": slowest}


# ---------------------------------------------------------------------------------------------- checks

def bare_dbt_build(runner: "Runner", repo: Path, published: Path, floor_dir: Path, name: str,
                   measure_memory: bool = False, warm_parse: bool = False) -> tuple[dict, dict]:
    """A bare `dbt build` of the project on a copy of `published`, its target warmed by an untimed parse.
    Returns the timed step and the environment it ran with. With `warm_parse`, a second `dbt parse` of the
    warmed target is timed first (step `dbt-parse-warm`): what every `dbt build` pays before its first node."""
    floor_dir.mkdir(parents=True, exist_ok=True)
    db = floor_dir / "emulation.duckdb"
    shutil.copyfile(published, db)
    project = repo / "dbt_project"
    common = ["--project-dir", str(project), "--profiles-dir", str(project),
              "--target-path", str(floor_dir / "target"), "--log-path", str(floor_dir / "logs")]
    env = runner.env(EMULATION_BUILD_DB=str(db))
    runner.run("dbt-parse-untimed", [runner.dbt, "parse", *common], env=env, cwd=project)
    if warm_parse:
        runner.run("dbt-parse-warm", [runner.dbt, "parse", *common], env=env, cwd=project)
    step = runner.run(name, [runner.dbt, "build", *common], env=env, cwd=project, measure_memory=measure_memory)
    return step, env


def mart_totals(published: Path, year: int) -> dict[str, int]:
    import duckdb

    con = duckdb.connect(str(published), read_only=True)
    try:
        def one(sql: str) -> tuple:
            return con.execute(sql, [year]).fetchone()

        total, poor, near = one("SELECT sum(total_households), sum(poor_households), sum(near_poor_households) "
                                "FROM marts.mart_poverty WHERE year = ? AND unit_level = 'province'")
        (ntm,) = one("SELECT sum(ntm_communes) FROM marts.mart_infrastructure "
                     "WHERE year = ? AND period_type = 'quarter' AND quarter = 4 AND unit_level = 'province'")
        (invest,) = one("SELECT sum(investment_vnd) FROM marts.mart_infrastructure "
                        "WHERE year = ? AND period_type = 'year' AND unit_level = 'province'")
        planned, achieved = one("SELECT sum(planned_savings_vnd), sum(achieved_savings_vnd) FROM marts.mart_savings "
                                "WHERE year = ? AND category = 'total' AND unit_level = 'province'")
        accepted = con.execute("SELECT count(*) FROM marts.mart_report_submissions WHERE status = 'accepted'"
                               ).fetchone()[0]
    finally:
        con.close()
    values = {"total_households": total, "poor_households": poor, "near_poor_households": near,
              "ntm_communes_q4": ntm, "investment_vnd": invest, "planned_savings_vnd": planned,
              "achieved_savings_vnd": achieved, "accepted_reports": accepted}
    return {k: (int(v) if v is not None else None) for k, v in values.items()}


CHECKED = ("total_households", "poor_households", "near_poor_households", "ntm_communes_q4", "investment_vnd",
           "planned_savings_vnd", "achieved_savings_vnd", "accepted_reports")


def check(published: Path, totals: dict, delta: dict | None = None) -> dict:
    expected = {k: totals[k] for k in CHECKED if k != "accepted_reports"}
    expected["accepted_reports"] = totals["files"]  # one report per workbook
    for k, v in (delta or {}).items():
        if k in expected:
            expected[k] += v
    try:
        actual = mart_totals(published, totals["year"])
    except Exception as err:  # a mart renamed or a column gone: the line fails, the run goes on
        return {"ok": False, "expected": expected, "actual": None, "error": f"{type(err).__name__}: {err}"}
    return {"ok": actual == expected, "expected": expected, "actual": actual,
            "mismatches": {k: {"expected": expected[k], "actual": actual.get(k)}
                           for k in expected if actual.get(k) != expected[k]}}


# ---------------------------------------------------------------------------------------------- helpers

def link_tree(src: Path, dst: Path) -> int:
    """A copy of the inbox made of hard links (replacing a file in the copy never touches the cache)."""
    shutil.rmtree(dst, ignore_errors=True)
    n = 0
    for path in sorted(src.rglob("*")):
        target = dst / path.relative_to(src)
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        gen.link_or_copy(path, target)
        n += 1
    return n


def machine() -> dict:
    mem_kb = 0
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    mem_kb = int(line.split()[1])
    except OSError:
        pass
    cpu = platform.processor()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), cpu)
    except OSError:
        pass
    return {"cores": os.cpu_count(), "memory_gb": round(mem_kb / 1024 / 1024, 1), "cpu": cpu,
            "python": platform.python_version(), "platform": platform.platform(),
            "loadavg_at_start": [round(x, 2) for x in os.getloadavg()]}


def versions(repo: Path) -> dict:
    out: dict = {"repo": str(repo)}
    for module in ("duckdb", "fastexcel", "polars", "dagster", "dagster_dbt", "openpyxl"):
        try:
            out[module] = __import__(module).__version__
        except Exception:
            pass
    try:
        from importlib.metadata import version

        out["dbt-core"] = version("dbt-core")
        out["dbt-duckdb"] = version("dbt-duckdb")
    except Exception:
        pass
    try:
        commit = subprocess.run(["git", "-C", str(repo), "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(repo), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=10).stdout.strip()
        if commit:
            out["commit"] = commit + ("+dirty" if dirty else "")
    except Exception:
        pass
    return out


def ratio(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b == 0:
        return None
    return a / b


def fmt(value, digits: int = 2) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


# ---------------------------------------------------------------------------------------------- main

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="national-scale benchmark of `emulation refresh`")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="share of the districts for the 'full' runs (1 = all of Viet Nam; less for a smoke run)")
    parser.add_argument("--fractions", default="0.25,0.5", help="scaling runs, as shares of --scale")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="results file (JSON)")
    parser.add_argument("--repo", type=Path, default=DEFAULT_REPO,
                        help="the project to measure (default: this checkout)")
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR,
                        help="where the run's warehouses and logs go (wiped first)")
    parser.add_argument("--cache", type=Path, default=gen.DEFAULT_CACHE, help="generated inboxes")
    parser.add_argument("--skip", default="", help=f"comma-separated steps to leave out while iterating "
                                                   f"({', '.join(SKIPPABLE)}); the results then miss their keys")
    parser.add_argument("--markdown", type=Path, metavar="RESULTS_JSON",
                        help="only print the tables of a results file as Markdown (for benchmarks/README.md)")
    parser.add_argument("--readme", type=Path, metavar="README",
                        help="with --markdown: write the tables into README between its results markers instead")
    args = parser.parse_args(argv)
    if args.readme and not args.markdown:
        parser.error("--readme goes with --markdown RESULTS_JSON")
    if args.markdown:
        tables = markdown(json.loads(args.markdown.read_text()))
        if not args.readme:
            print(tables)
            return 0
        try:
            args.readme.write_text(quote_in_readme(args.readme.read_text(), tables))
        except ValueError as err:
            parser.error(str(err))
        log(f"{args.readme}: tables of {args.markdown} quoted")
        return 0
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    if skip - set(SKIPPABLE):
        parser.error(f"--skip: unknown step(s) {', '.join(sorted(skip - set(SKIPPABLE)))}")
    if "scaling" in skip:
        args.fractions = ""
    try:
        fractions = sorted({round(float(f) * args.scale, 6) for f in args.fractions.split(",") if f.strip()})
    except ValueError:
        parser.error("--fractions: comma-separated numbers")
    if not 0 < args.scale <= 1 or any(not 0 < f < args.scale for f in fractions):
        parser.error("--scale must be in (0, 1] and every fraction below 1")

    bench_started = time.perf_counter()
    repo = args.repo.resolve()
    workdir = args.workdir.resolve()
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    runner = Runner(repo, workdir)
    results: dict = {"timestamp": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                     "machine": machine(), "versions": versions(repo), "scale": args.scale,
                     "skipped": sorted(skip)}
    log(f"benchmark of {repo} on {results['machine']['cores']} cores, {results['machine']['memory_gb']} GB "
        f"(workdir {workdir})")

    # -- 0. the project is importable and its dbt manifest current (as `make setup` leaves it): untimed
    warm = runner.run("warm-up", [runner.python, "-c", "import pipelines.definitions"])
    if warm["rc"] != 0:
        log("error: the project does not import (see the warm-up log)")
        return 1

    # -- 1. data
    log("generating inboxes (cached)")
    t0 = time.perf_counter()
    full = gen.generate(args.scale, args.cache, log=log)
    smaller = {f: gen.generate(f, args.cache, log=log) for f in fractions}
    results["generation"] = {"seconds": round(time.perf_counter() - t0, 2),
                             "cached": full.cached and all(g.cached for g in smaller.values()),
                             "root": str(full.root)}
    results["files"] = full.files
    results["communes"] = full.totals["communes"]
    results["districts"] = full.totals["districts"]
    log(f"  {full.files} files, {full.totals['districts']} districts, {full.totals['communes']} communes "
        f"({'cached' if full.cached else f'generated in {full.seconds:.0f}s'})")

    # -- 2. parse floor
    if "parse_floor" not in skip:
        log("parse floor (fastexcel alone)")
        pf = in_process("parse-floor", runner, lambda: parse_floor(full.inbox))
        results["parse_floor_s"] = pf["seconds"]
        results["parse_floor_detail"] = pf
        log(f"  parse_floor: {pf['seconds']:.2f}s for {pf['sheets']} data sheets, {pf['rows']} rows "
            f"(+{pf['info_sheets_s']:.2f}s for the 'Thông tin' sheets)")

    # -- 2b. informational: what merely starting costs (not part of any ratio)
    imp = runner.run("import-floor", [runner.python, "-c", "import dagster, dagster_dbt, duckdb, polars, fastexcel"])
    ver = runner.run("dbt-version", [runner.emulation_dbt, "--version"])
    results["startup_detail"] = {"import_libraries_s": imp["seconds"], "dbt_version_s": ver["seconds"],
                                 "note": "python -c 'import dagster, dagster_dbt, duckdb, polars, fastexcel'; "
                                         "`emulation-dbt --version` (which dagster-dbt's DbtCliResource runs once "
                                         "per refresh); dbt_parse_warm_s: `dbt parse` of the sample's warmed "
                                         "target, nothing changed (dbt's start-up before its first node)"}

    # -- 3. cold refresh at full scale
    log("refresh at full scale")
    scenario = workdir / "full"
    inbox = scenario / "inbox"
    link_tree(full.inbox, inbox)
    warehouse = scenario / "warehouse" / "emulation.duckdb"
    cold = runner.refresh("refresh-full-cold", inbox, warehouse, full.reference)
    results["cold_s"] = cold["seconds"]
    results["peak_rss_mb"] = cold.get("peak_rss_mb")
    results["peak_pss_mb"] = cold.get("peak_pss_mb")
    ok = cold["rc"] == 0
    if ok:
        results["correctness"] = check(warehouse, full.totals)
    else:
        results["correctness"] = {"ok": False, "expected": None, "actual": None, "error": "cold refresh failed"}

    # -- 4. SQL floor
    if ok and "sql_floor" not in skip:
        log("SQL floor (DuckDB alone, compiled model SQL)")
        try:
            sf = in_process("sql-floor", runner, lambda: sql_floor(runner, warehouse))
            results["sql_floor_s"] = sf["seconds"]
            results["sql_floor_detail"] = sf
            log(f"  sql_floor: {sf['seconds']:.2f}s for {sf['models']} models "
                f"(+{sf['tests_s']:.2f}s for the SQL of {sf['tests']} data tests)")
        except Exception as err:
            log(f"  sql_floor failed: {type(err).__name__}: {err}")
            results["sql_floor_s"] = None
            results["sql_floor_detail"] = {"error": f"{type(err).__name__}: {err}"}

    # -- 4b. informational: a bare dbt build on the national data, and the floor with start-up included
    if ok and "sql_floor" not in skip:
        bare_national, _ = bare_dbt_build(runner, repo, warehouse, workdir / "dbt_floor_national",
                                             "dbt-build-national")
        if bare_national["rc"] == 0:
            results["dbt_floor_national_s"] = bare_national["seconds"]
            startup_floor = imp["seconds"] + (results.get("parse_floor_s") or 0) + bare_national["seconds"]
            results["startup_floor_s"] = startup_floor
            results["cold_vs_startup_floor"] = ratio(results.get("cold_s"), startup_floor)

    # -- 5. no-op and one corrected file
    if ok and "noop" not in skip:
        noop = runner.refresh("refresh-full-noop", inbox, warehouse, full.reference)
        results["noop_s"] = noop["seconds"] if noop["rc"] == 0 else None
        ok = ok and noop["rc"] == 0
    if ok and "one_file" not in skip:
        district = full.districts[len(full.districts) // 2]
        path, delta = gen.write_corrected_poverty(inbox, district)
        results["one_file_changed"] = {"file": str(path.relative_to(inbox)), "delta": delta}
        one = runner.refresh("refresh-full-one-file", inbox, warehouse, full.reference)
        results["one_file_s"] = one["seconds"] if one["rc"] == 0 else None
        if one["rc"] == 0:
            results["correctness_after_one_file"] = check(warehouse, full.totals, delta)
        else:
            results["correctness_after_one_file"] = {"ok": False, "error": "refresh after one file failed"}
        ok = ok and one["rc"] == 0

    # -- 6. scaling
    scaling = []
    for f, g in sorted(smaller.items()):
        log(f"refresh at {f:g} of the districts")
        sdir = workdir / f"fraction-{f:g}"
        link_tree(g.inbox, sdir / "inbox")
        r = runner.refresh(f"refresh-{f:g}-cold", sdir / "inbox", sdir / "warehouse" / "emulation.duckdb",
                           g.reference)
        ok = ok and r["rc"] == 0
        scaling.append({"fraction": f, "files": g.files, "communes": g.totals["communes"], "cold_s": r["seconds"],
                        "peak_rss_mb": r.get("peak_rss_mb"), "peak_pss_mb": r.get("peak_pss_mb"),
                        "s_per_file": r["seconds"] / g.files, "cpu_s": r["cpu_s"], "ok": r["rc"] == 0})
    scaling.append({"fraction": args.scale, "files": full.files, "communes": full.totals["communes"],
                    "cold_s": results["cold_s"], "peak_rss_mb": results["peak_rss_mb"],
                    "peak_pss_mb": results["peak_pss_mb"], "s_per_file": results["cold_s"] / full.files,
                    "cpu_s": cold["cpu_s"], "ok": cold["rc"] == 0})
    results["scaling"] = scaling

    # -- 7. the embedded sample and bare dbt
    sample = {"rc": None}
    if "sample" not in skip:
        log("embedded sample and bare dbt build")
        sample_wh = workdir / "sample" / "warehouse" / "emulation.duckdb"
        sample = runner.refresh("refresh-sample", repo / "seeds" / "reports", sample_wh,
                                repo / "seeds" / "reference")
        results["sample_s"] = sample["seconds"] if sample["rc"] == 0 else None
        ok = ok and sample["rc"] == 0
    if sample["rc"] == 0:
        floor_dir = workdir / "dbt_floor"
        bare, env = bare_dbt_build(runner, repo, sample_wh, floor_dir, "dbt-build", measure_memory=True,
                                   warm_parse=True)
        warm = runner.steps.get("dbt-parse-warm") or {}
        if warm.get("rc") == 0:
            results["startup_detail"]["dbt_parse_warm_s"] = warm["seconds"]
        project = repo / "dbt_project"
        results["dbt_floor_s"] = bare["seconds"] if bare["rc"] == 0 else None
        # the same without the partial-parse state (what a refresh into a fresh warehouse directory pays)
        fresh = runner.run("dbt-build-fresh-target",
                           [runner.dbt, "build", "--project-dir", str(project), "--profiles-dir", str(project),
                            "--target-path", str(floor_dir / "target-fresh"), "--log-path", str(floor_dir / "logs")],
                           env=env, cwd=project)
        results["dbt_build_fresh_target_s"] = fresh["seconds"] if fresh["rc"] == 0 else None

    # -- ratios and targets
    floor = (results.get("parse_floor_s") or 0) + (results.get("sql_floor_s") or 0) or None
    results["cold_vs_floor"] = ratio(results.get("cold_s"), floor)
    results["noop_vs_cold"] = ratio(results.get("noop_s"), results.get("cold_s"))
    results["one_file_vs_cold"] = ratio(results.get("one_file_s"), results.get("cold_s"))
    results["sample_vs_dbt_floor"] = ratio(results.get("sample_s"), results.get("dbt_floor_s"))
    quarter = min(scaling, key=lambda s: s["fraction"])
    results["rss_growth_vs_files"] = ratio(ratio(results.get("peak_rss_mb"), quarter.get("peak_rss_mb")),
                                           full.files / quarter["files"]) if quarter["fraction"] < args.scale else None
    spf_full = results["cold_s"] / full.files
    results["s_per_file_spread"] = (max(abs(s["s_per_file"] / spf_full - 1) for s in scaling)
                                    if len(scaling) > 1 else None)
    results["scaling_fit"] = linear_fit(scaling)
    results["bench_s"] = time.perf_counter() - bench_started
    results["steps"] = runner.steps
    measured = [v for k, v in runner.steps.items()
                if k not in ("warm-up", "dbt-parse-untimed", "import-floor", "dbt-version", "dbt-build-national",
                             "dbt-parse-warm")]
    wall = sum(v["seconds"] for v in measured)
    results["background_load"] = {
        "other_cpu_s": round(sum(v["other_cpu_s"] for v in measured), 1),
        "cores_busy_with_other_processes": round(sum(v["other_cpu_s"] for v in measured) / wall, 2) if wall else 0,
        "loadavg_at_end": [round(x, 2) for x in os.getloadavg()],
    }
    imports = (results.get("startup_detail") or {}).get("import_libraries_s")
    results["one_file_vs_startup_floor"] = ratio(results.get("one_file_s"),
                                                 imports + results["dbt_floor_national_s"]
                                                 if imports and results.get("dbt_floor_national_s") else None)
    results["scaling_fit_deviation"] = (results["scaling_fit"] or {}).get("max_deviation")
    results["targets"] = target_table(results)
    results["information"] = information_table(results)
    results["targets_met"] = all(t["met"] is not False for t in results["targets"].values())
    correct = bool(results["correctness"].get("ok")) and (
        "one_file" in skip or bool(results.get("correctness_after_one_file", {"ok": False}).get("ok")))
    results["refreshes_ok"] = ok
    results["correct"] = correct
    results["ok"] = correct and ok and results["targets_met"]

    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_name(f".{args.out.name}.tmp")
    tmp.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str) + "\n")
    os.replace(tmp, args.out)
    print(report(results))
    log(f"results: {args.out}")
    return 0 if results["ok"] else 1


def target_digits(name: str) -> int:
    """Decimals a target's value is shown with: megabytes and seconds whole, ratios to the hundredth."""
    return 0 if name in ("peak_rss_mb", "bench_s") else 2


def markdown(r: dict) -> str:
    """The tables of a results file in Markdown, as benchmarks/README.md quotes them."""
    def num(value, digits=2):
        return "—" if value is None else f"{value:,.{digits}f}"

    m, v = r["machine"], r["versions"]
    lines = [f"Run of {r['timestamp'][:16].replace('T', ' ')} UTC on commit `{v.get('commit')}`: {m['cores']} cores "
             f"({m['cpu']}), {m['memory_gb']} GB RAM, Python {m['python']}, DuckDB {v.get('duckdb')}, dbt-core "
             f"{v.get('dbt-core')}, dagster {v.get('dagster')}, fastexcel {v.get('fastexcel')}. Whole run: "
             f"{num(r.get('bench_s'), 0)} s{' (inbox cached)' if (r.get('generation') or {}).get('cached') else ''}"
             f".", "",
             "| measure | value |", "|---|---:|",
             f"| files / districts / communes | {r['files']:,} / {r['districts']:,} / {r['communes']:,} |"]
    for key in ("parse_floor_s", "sql_floor_s", "cold_s", "noop_s", "one_file_s", "sample_s", "dbt_floor_s",
                "dbt_floor_national_s"):
        lines.append(f"| `{key}` | {num(r.get(key))} |")
    startup = r.get("startup_detail") or {}
    for key in ("import_libraries_s", "dbt_version_s", "dbt_parse_warm_s"):
        lines.append(f"| `startup_detail.{key}` | {num(startup.get(key))} |")
    lines.append(f"| `peak_rss_mb` | {num(r.get('peak_rss_mb'), 0)} (PSS {num(r.get('peak_pss_mb'), 0)}) |")
    lines += ["", "| scaling | files | cold_s | s/file | RSS MB |", "|---|---:|---:|---:|---:|"]
    for s in r["scaling"]:
        lines.append(f"| {s['fraction']:g} | {s['files']:,} | {num(s['cold_s'], 1)} | {num(s['s_per_file'], 4)} | "
                     f"{num(s['peak_rss_mb'], 0)} |")
    fit = r.get("scaling_fit")
    if fit:
        lines += ["", f"Linear fit (`scaling_fit`): cold_s = {fit['fixed_s']:.1f} s + "
                      f"{fit['marginal_s_per_file'] * 1000:.2f} ms × files, every run within "
                      f"{fit['max_deviation'] * 100:.1f} % of the line."]
    lines += ["", "| target | value | goal | met |", "|---|---:|---:|---|"]
    for name, t in target_table(r).items():
        lines.append(f"| `{name}` | {num(t['value'], target_digits(name))} | ≤ {t['target']:g} | "
                     f"{met_label(t['met'])} |")
    c, c1 = r.get("correctness") or {}, r.get("correctness_after_one_file")
    lines.append(f"| correctness | {'true' if c.get('ok') else 'false'} | true | {met_label(bool(c.get('ok')))} |")
    lines.append(f"| correctness after one file | {'—' if c1 is None else str(bool(c1.get('ok'))).lower()} | true "
                 f"| {met_label(c1.get('ok') if c1 else None)} |")
    lines += ["", "| information (no goal) | value |", "|---|---:|"]
    for name, t in information_table(r).items():
        lines.append(f"| `{name}` | {num(t['value'], target_digits(name))} |")
    return "\n".join(lines)


README_START, README_END = "<!-- results: start -->", "<!-- results: end -->"


def quote_in_readme(readme: str, tables: str) -> str:
    """`readme` with what stands between its results markers replaced by `tables`."""
    start, end = readme.find(README_START), readme.find(README_END)
    if start < 0 or end < start:
        raise ValueError(f"no '{README_START}' ... '{README_END}' in the README")
    return readme[:start + len(README_START)] + "\n" + tables + "\n" + readme[end:]


def report(r: dict) -> str:
    m = r["machine"]
    startup = r.get("startup_detail") or {}
    lines = [f"Benchmark {r['timestamp']} — {m['cores']} cores, {m['memory_gb']} GB, {m['cpu']}, "
             f"Python {m['python']}, {r['versions'].get('commit') or r['versions']['repo']}",
             f"{r['files']} files, {r['districts']} districts, {r['communes']} communes "
             f"(generation {r['generation']['seconds']:.1f}s{', cached' if r['generation']['cached'] else ''})",
             "",
             f"{'measure':<22}{'seconds':>10}   note",
             f"{'parse_floor_s':<22}{fmt(r.get('parse_floor_s')):>10}   fastexcel alone, every data sheet",
             f"{'sql_floor_s':<22}{fmt(r.get('sql_floor_s')):>10}   DuckDB alone, compiled model SQL",
             f"{'cold_s':<22}{fmt(r.get('cold_s')):>10}   emulation refresh, fresh warehouse",
             f"{'noop_s':<22}{fmt(r.get('noop_s')):>10}   the same again, nothing changed",
             f"{'one_file_s':<22}{fmt(r.get('one_file_s')):>10}   after one corrected workbook",
             f"{'sample_s':<22}{fmt(r.get('sample_s')):>10}   embedded sample, fresh warehouse",
             f"{'dbt_floor_s':<22}{fmt(r.get('dbt_floor_s')):>10}   bare dbt build on the sample's data",
             f"{'dbt_floor_national_s':<22}{fmt(r.get('dbt_floor_national_s')):>10}   bare dbt build on the national "
             f"data (informational)",
             f"{'import_libraries_s':<22}{fmt(startup.get('import_libraries_s')):>10}   python -c 'import dagster, "
             f"dagster_dbt, duckdb, polars, fastexcel' (informational)",
             f"{'dbt_version_s':<22}{fmt(startup.get('dbt_version_s')):>10}   emulation-dbt --version, which "
             f"dagster-dbt's DbtCliResource runs once per refresh (informational)",
             f"{'dbt_parse_warm_s':<22}{fmt(startup.get('dbt_parse_warm_s')):>10}   dbt parse, nothing changed: "
             f"dbt's start before its first node, paid by every dbt build (informational)",
             f"{'peak_rss_mb':<22}{fmt(r.get('peak_rss_mb'), 0):>10}   cold refresh, process tree (PSS "
             f"{fmt(r.get('peak_pss_mb'), 0)})",
             "",
             f"{'scaling':<10}{'files':>7}{'cold_s':>9}{'s/file':>9}{'RSS MB':>9}"]
    for s in r["scaling"]:
        lines.append(f"{s['fraction']:<10g}{s['files']:>7}{fmt(s['cold_s'], 1):>9}{fmt(s['s_per_file'], 4):>9}"
                     f"{fmt(s['peak_rss_mb'], 0):>9}")
    fit = r.get("scaling_fit")
    if fit:
        lines.append(f"linear fit (informational): cold_s = {fit['fixed_s']:.1f} s + "
                     f"{fit['marginal_s_per_file'] * 1000:.2f} ms x files, runs within "
                     f"{fit['max_deviation'] * 100:.1f} % of the line")
    lines += ["", f"{'target':<26}{'value':>10}{'goal':>10}   met"]
    for name, t in target_table(r).items():
        lines.append(f"{name:<26}{fmt(t['value'], target_digits(name)):>10}{'≤ ' + fmt(t['target']):>10}   "
                     f"{met_label(t['met'], 'NO')}")
    lines += ["", f"{'information (no goal)':<26}{'value':>10}   what"]
    for name, t in information_table(r).items():
        lines.append(f"{name:<26}{fmt(t['value'], target_digits(name)):>10}   {t['definition']}")
    c = r["correctness"]
    c1 = r.get("correctness_after_one_file", {})
    lines += ["", f"correctness: {'OK' if c.get('ok') else 'FAILED'} (national totals in the marts = generator's) "
                  f"{c.get('mismatches') or c.get('error') or ''}".rstrip(),
              (f"after one corrected file: {'OK' if c1.get('ok') else 'FAILED'} "
               f"{c1.get('mismatches') or c1.get('error') or ''}".rstrip() if c1 else "after one corrected file: —")]
    if c.get("actual"):
        lines.append("  " + ", ".join(f"{k}={v:,}" for k, v in c["actual"].items()))
    lines.append(f"targets: {'all met' if r.get('targets_met') else 'NOT ALL MET'}"
                 f"{' (steps skipped: ' + ', '.join(r['skipped']) + ')' if r.get('skipped') else ''}")
    bg = r.get("background_load", {})
    if bg.get("cores_busy_with_other_processes", 0) > 0.2:
        lines.append(f"WARNING: other processes kept {bg['cores_busy_with_other_processes']:.2f} cores busy on "
                     f"average during the measurements ({bg['other_cpu_s']:.0f} CPU-s): timings are inflated")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
