"""Profile a cold `emulation refresh` of the cached national inbox with py-spy, and summarise where time goes.

py-spy is not a project dependency: install it anywhere (``python3 -m venv /tmp/pyspy && /tmp/pyspy/bin/pip
install py-spy``) and give its path::

    .venv/bin/python benchmarks/profile_refresh.py --py-spy /tmp/pyspy/bin/py-spy [--fraction 1] [--rate 100]
    .venv/bin/python benchmarks/profile_refresh.py --summarize benchmarks/.cache/profile/cold.txt   # summarise only

py-spy samples every Python thread of the refresh and of its subprocesses (the parse workers, dbt) while they
are on a CPU (``--subprocesses``, no ``--idle``), so a sample count / rate is CPU seconds. The summary groups
the samples by process and by phase (imports, parse, landing, dbt parse/compile/execute, Dagster and
dagster-dbt overhead, publish, the CLI summary) and lists the hottest functions (self and inclusive time).
Results go to ``benchmarks/.cache/profile/`` (raw stacks ``cold.txt``, ``summary.md``, the refresh's output).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate as gen  # noqa: E402

OUT = HERE / ".cache" / "profile"

# (phase, predicate on the frame list) — first match wins; frames are 'function (file:line)' strings
_FRAME = re.compile(r"^(?P<func>.*?) \((?P<file>[^()]*?)(?::(?P<line>\d+))?\)$")


def _has(frames: list[str], *needles: str) -> bool:
    return any(n in f for f in frames for n in needles)


# dbt as dagster-dbt starts it (`emulation-dbt`, pipelines/dbt_child.py) or by hand (`dbt`); global flags such as
# `--no-write-json --log-level-file warn` come before the subcommand
_DBT = re.compile(r"bin/(?:emulation-)?dbt\s+(.*)")
_DBT_COMMANDS = ("build", "parse", "compile", "run", "test", "seed", "debug", "deps", "ls", "list")


def process_kind(process: str) -> str:
    m = _DBT.search(process)
    if m:
        words = m.group(1).split()
        if "--version" in words:
            return "dbt --version"
        return f"dbt {next((w for w in words if w in _DBT_COMMANDS), '?')}"
    if "pipelines.cli" in process or "emulation" in process:
        return "refresh (main + forked parse workers)"
    return process[:60]


def classify(process: str, frames: list[str]) -> str:
    kind = process_kind(process)
    if kind.startswith("dbt"):
        if kind != "dbt build":
            return f"{kind} (separate dbt process)"
        if _has(frames, "_find_and_load"):
            return "dbt: import"
        if _has(frames, "dbt/parser/", "ManifestLoader", "partial_parse", "dbt/parser"):
            return "dbt: parse project"
        if _has(frames, "compile_node", "dbt/compilation.py", "_compile_code"):
            return "dbt: compile (jinja)"
        if _has(frames, "duckdb", "execute ("):
            if _has(frames, "adapters/duckdb", "add_query", "cursor"):
                return "dbt: SQL execution (DuckDB)"
        if _has(frames, "write_manifest", "write_json", "run_results", "to_dict", "serialize", "msgpack"):
            return "dbt: write artifacts"
        if _has(frames, "dbt/task/"):
            return "dbt: run nodes (python side)"
        return "dbt: other"
    if _has(frames, "_parse_one", "parse_file (pipelines"):
        return "parse (workers/in-process)"
    if _has(frames, "_find_and_load"):
        return "refresh: python imports"
    if _has(frames, "parse_inbox"):
        return "parse: pool management (main)"
    if _has(frames, "land_reports", "land_reference", "report_frames"):
        return "landing (raw tables)"
    if _has(frames, "prepare_manifest", "prepare_if_dev"):
        return "dbt manifest check"
    if _has(frames, "dagster_dbt/"):
        return "dagster-dbt (events, manifest)"
    if _has(frames, "publish (pipelines", "published_warehouse"):
        return "publish"
    if _has(frames, "(pipelines/cli/summary.py"):
        return "CLI summary"
    if _has(frames, "dagster/"):
        return "dagster (definitions, execution)"
    return "other"


def parse_raw(path: Path) -> list[tuple[str, list[str], int]]:
    stacks = []
    for line in path.read_text(errors="replace").splitlines():
        body, _, count = line.rpartition(" ")
        if not body or not count.isdigit():
            continue
        parts = body.split(";")
        processes = [p for p in parts if p.startswith("process ")]
        frames = [p for p in parts if not p.startswith("process ")]
        process = processes[-1].split(":", 1)[1].strip('"') if processes else "?"
        stacks.append((process, frames, int(count)))
    return stacks


def _short(frame: str) -> str:
    m = _FRAME.match(frame)
    if not m:
        return frame
    file = m["file"]
    for marker in ("site-packages/", "lib/python3"):
        if marker in file:
            file = file.split(marker, 1)[1]
    return f"{m['func']} ({file})"


def summarize(raw: Path, rate: int, wall_s: float | None = None, top: int = 15) -> str:
    stacks = parse_raw(raw)
    total = sum(c for _, _, c in stacks)
    by_process: Counter = Counter()
    by_phase: Counter = Counter()
    self_time: Counter = Counter()
    inclusive: Counter = Counter()
    for process, frames, count in stacks:
        by_process[process_kind(process)] += count
        by_phase[classify(process, frames)] += count
        if frames:
            self_time[_short(frames[-1])] += count
        for f in {_short(f) for f in frames}:
            inclusive[f] += count

    def table(counter: Counter, title: str, n: int | None = None) -> list[str]:
        rows = [f"| {title} | CPU s | % of samples |", "|---|---:|---:|"]
        for key, count in counter.most_common(n):
            rows.append(f"| {key} | {count / rate:.1f} | {100 * count / total:.1f} |")
        return rows

    out = [f"# Profile of a cold refresh ({raw.name})", "",
           f"{total} samples at {rate} Hz = {total / rate:.1f} CPU-seconds on CPU"
           + (f", wall {wall_s:.1f}s" if wall_s else "") + ".", ""]
    out += table(by_process, "process") + [""]
    out += table(by_phase, "phase") + [""]
    out += table(self_time, "function (self time)", top) + [""]
    skip = ("<module>", "main (pipelines/cli/__init__.py", "refresh (pipelines/cli/refresh.py")
    incl = Counter({k: v for k, v in inclusive.items() if "(pipelines/" in k and not any(s in k for s in skip)})
    out += table(incl, "project function (inclusive)", top) + [""]
    return "\n".join(out)


def timeline(stamped: Path) -> str:
    """The refresh's console lines with the second each appeared (wall clock since start)."""
    keep = []
    for line in stamped.read_text(errors="replace").splitlines():
        body = line[10:] if line.startswith("[") else line
        if body.startswith(("py-spy>", "  20", "Province poverty", "  year ")) or not body.strip():
            continue
        keep.append("    " + line)
    return "## Timeline (wall seconds since start, console lines)\n\n" + "\n".join(keep) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--py-spy", default=shutil.which("py-spy"), help="path of the py-spy executable")
    parser.add_argument("--fraction", type=float, default=1.0)
    parser.add_argument("--rate", type=int, default=100, help="samples per second")
    parser.add_argument("--repo", type=Path, default=HERE.parent)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--summarize", type=Path, help="only summarise this raw py-spy file")
    args = parser.parse_args(argv)
    if args.summarize:
        print(summarize(args.summarize, args.rate))
        return 0
    if not args.py_spy:
        parser.error("py-spy not found: install it (not a project dependency) and pass --py-spy PATH")
    g = gen.generate(args.fraction)
    out = args.out.resolve()
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    inbox = out / "inbox"
    shutil.copytree(g.inbox, inbox, copy_function=_link)
    warehouse = out / "warehouse" / "emulation.duckdb"
    raw = out / "cold.txt"
    cmd = [args.py_spy, "record", "-r", str(args.rate), "--subprocesses", "--format", "raw", "-o", str(raw), "--",
           sys.executable, "-m", "pipelines.cli", "refresh", "--inbox", str(inbox), "--warehouse", str(warehouse),
           "--reference", str(g.reference)]
    env = dict(__import__("os").environ, PYTHONPATH=str(args.repo.resolve()), DBT_SEND_ANONYMOUS_USAGE_STATS="false")
    # as `make setup` leaves it: the project imports and its dbt manifest is current (not profiled)
    subprocess.run([sys.executable, "-c", "import pipelines.definitions"], env=env, cwd=args.repo, check=True)
    started = time.perf_counter()
    with open(out / "refresh.log", "wb") as log:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, cwd=args.repo)
        for line in iter(proc.stdout.readline, b""):
            log.write(f"[{time.perf_counter() - started:7.2f}] ".encode() + line)
        rc = proc.wait()
    wall = time.perf_counter() - started
    text = summarize(raw, args.rate, wall) + "\n" + timeline(out / "refresh.log")
    (out / "summary.md").write_text(text + "\n")
    print(text)
    print(f"\n(raw stacks {raw}, refresh output {out / 'refresh.log'}; exit {rc})", file=sys.stderr)
    return rc


def _link(src: str, dst: str) -> None:
    import os

    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


if __name__ == "__main__":
    sys.exit(main())
