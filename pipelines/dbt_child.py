"""`emulation-dbt`: dbt's command line, but a dbt that dies with the process that started it.

Why: dagster-dbt runs `dbt build` as a child process. When a refresh is killed outright (`kill -9`, the OOM
killer), nobody tells that child: it lives on as an orphan and keeps the build database
(`<warehouse dir>/.build/emulation.duckdb`) open and locked, so the next refresh fails on the lock. On Linux this
entry point first asks the kernel to SIGKILL it when its parent dies (prctl PR_SET_PDEATHSIG), then runs dbt's
CLI in this same process, exactly as `.venv/bin/dbt` does. The kernel then releases the database's lock; the next
refresh clears the half-built file (WarehousePaths.start_build). On other systems it just runs dbt.

The signal follows the *thread* that started this process: dagster-dbt starts dbt from the thread running the
step and reads its output there until dbt ends, so that thread outlives dbt.

`emulation-dbt --version` answers from the installed packages' metadata, the versions dbt itself prints
("installed"), without importing dbt or asking the package index for the latest release as `dbt --version`
does: dagster-dbt's `DbtCliResource` asks it once per refresh (it reads the first x.y.z), which took 2.4 s on
the benchmark machine, and longer offline. `.venv/bin/dbt --version` still does the full check.

dbt runs from the folder above its target directory (`DBT_TARGET_PATH`, which dagster-dbt always sets): the
profile's database path (`dbt_project/profiles.yml`) is relative to it, so a refresh builds
`<warehouse dir>/.build/emulation.duckdb` while every warehouse shares one profile, and dbt parses partially.

Installed by `uv sync` as `.venv/bin/emulation-dbt` (pyproject.toml, [project.scripts]); settings.DBT_EXECUTABLE
points at it. Keep the imports above `main` light: the parent can die while this process starts.
"""

import os
import sys

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
EXIT_ORPHANED = 137  # as if the signal had come: 128 + SIGKILL


def die_with_parent() -> None:
    """On Linux, have the kernel SIGKILL this process when its parent dies; elsewhere, nothing."""
    parent = os.getppid()
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    if os.getppid() != parent:  # the parent died before we asked: no signal will come, so leave now
        os._exit(EXIT_ORPHANED)


def version_text() -> str:
    """What `emulation-dbt --version` prints: dbt-core's and the DuckDB adapter's installed versions, in the
    layout of `dbt --version`."""
    from importlib.metadata import version

    return f"Core:\n  - installed: {version('dbt-core')}\n\nPlugins:\n  - duckdb: {version('dbt-duckdb')}\n"


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        sys.stdout.write(version_text())
        return
    die_with_parent()
    target = os.environ.get("DBT_TARGET_PATH")
    if target:
        os.chdir(os.path.dirname(os.path.abspath(target)))
    from dbt.cli.main import cli

    sys.exit(cli())


if __name__ == "__main__":
    main()
