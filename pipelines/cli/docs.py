"""`emulation docs`: the data dictionary (dbt docs) as one static HTML file."""

from __future__ import annotations

import sys
from pathlib import Path

from .exits import EXIT_FAILED, EXIT_OK, EXIT_USAGE


def docs(published: Path, out_dir: Path) -> int:
    """The dbt docs site (data dictionary, lineage) as one static HTML file, catalogued from `published`."""
    import os
    import shutil
    import subprocess
    import tempfile

    from ..settings import BUILD_DB_ENV, DBT_EXECUTABLE, DBT_PROJECT_DIR

    from .paths import folder_problem

    if not published.is_file():
        state = "is a folder, not a warehouse file" if published.is_dir() else "does not exist"
        print(f"error: {published} {state}; run `emulation refresh` first", file=sys.stderr)
        return EXIT_USAGE
    problem = folder_problem(out_dir, create=True)
    if problem is not None:
        print(f"error: cannot write the data dictionary to {out_dir}: {problem.en} (give --out DIR)",
              file=sys.stderr)
        return EXIT_USAGE
    with tempfile.TemporaryDirectory(prefix="emulation-docs-") as tmp:
        # dbt opens its database for writing: give it a copy, never the published file
        copy = Path(tmp) / "emulation.duckdb"
        shutil.copy(published, copy)
        target = Path(tmp) / "target"
        env = {**os.environ, BUILD_DB_ENV: str(copy), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
        done = subprocess.run([DBT_EXECUTABLE, "docs", "generate", "--static", "--quiet",
                               "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
                               "--target-path", str(target)], env=env, cwd=DBT_PROJECT_DIR)
        if done.returncode != 0:
            print("error: dbt docs generate failed", file=sys.stderr)
            return EXIT_FAILED
        try:
            shutil.copy(target / "static_index.html", out_dir / "index.html")
        except OSError as err:
            print(f"error: cannot write {out_dir / 'index.html'}: {err.strerror or err}", file=sys.stderr)
            return EXIT_USAGE
    print(f"Data dictionary: {out_dir / 'index.html'} (open it in a browser; it needs no server)")
    return EXIT_OK
