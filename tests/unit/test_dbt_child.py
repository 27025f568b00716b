"""`emulation-dbt` (pipelines/dbt_child.py) dies with the process that started it, even when that one is
killed with -9, so a killed refresh leaves no dbt behind holding the build database."""

import os
import signal
import subprocess
import sys

import pytest

# a parent that starts a child which asks to die with it, then prints its pid and waits (at most 90 s, so that
# a failing test leaves nothing behind for long). Both write to the same pipe: reading it to its end returns
# only once both have ended.
PARENT = """
import subprocess, sys
child = subprocess.Popen([sys.executable, "-c", sys.argv[1]])
child.wait()
"""
CHILD = """
import os, signal
from pipelines.dbt_child import die_with_parent
die_with_parent()
print(os.getpid(), flush=True)
signal.alarm(90)
signal.pause()
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux only")
def test_the_child_dies_with_its_killed_parent():
    parent = subprocess.Popen([sys.executable, "-c", PARENT, CHILD], stdout=subprocess.PIPE, text=True)
    try:
        assert int(parent.stdout.readline()) > 0  # the child is armed
        os.kill(parent.pid, signal.SIGKILL)
        # EOF only once the child has closed its files, i.e. is dying too (what frees the build database's
        # lock); a surviving child keeps the pipe open and this times out
        rest, _ = parent.communicate(timeout=60)
    finally:
        if parent.poll() is None:
            parent.kill()
    assert parent.returncode == -signal.SIGKILL
    assert rest == ""


def test_emulation_dbt_runs_dbt():
    out = subprocess.run([os.path.join(os.path.dirname(sys.executable), "emulation-dbt"), "--version"],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "installed" in out.stdout


def test_version_is_the_installed_dbt_without_importing_it():
    """dagster-dbt reads the first x.y.z of `<dbt executable> --version` as dbt-core's version."""
    import re

    from dbt.version import __version__ as dbt_version

    out = subprocess.run([sys.executable, "-c", "import sys; from pipelines.dbt_child import main; "
                          "sys.argv[1:] = ['--version']; main(); print('dbt' in sys.modules)"],
                         capture_output=True, text=True, check=True).stdout
    assert re.search(r"(\d+\.\d+\.\d+)", out).group(1) == dbt_version
    assert out.splitlines()[-1] == "False"  # answered without importing dbt
