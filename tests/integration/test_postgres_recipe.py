"""The README's PostgreSQL recipe, as written there, against a real server: the SQL block of the section "The
PostgreSQL mirror" creates the database and roles, the documented URL is set, a refresh of a warehouse that
was published without a mirror fills the mirror (not "Nothing changed"), and the README's `psql` check works
as the BI login.

The server comes from EMULATION_TEST_POSTGRES_URL (see test_serving.py; `.ci/run` starts one). Role names are
cluster-wide, so every name of the recipe gets a unique suffix (and EMULATION_POSTGRES_READER_ROLE names the
renamed reader role, as the README allows). The recipe's `CREATE DATABASE` is run when the test role may
create databases; otherwise (CI's role has CREATEROLE only) the line is left out, as the README says, and the
test's own database stands for `emulation`.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from helpers import PROJECT_ROOT, SAMPLE_INBOX
from pipelines.settings import POSTGRES_URL_ENV, READER_ROLE_ENV

TEST_URL_ENV = "EMULATION_TEST_POSTGRES_URL"
SECTION = "## The PostgreSQL mirror"


def readme_section() -> str:
    text = (PROJECT_ROOT / "README.md").read_text()
    start = text.index(SECTION)
    end = text.find("\n## ", start + len(SECTION))
    return text[start:end if end >= 0 else None]


def recipe_sql(section: str) -> str:
    blocks = re.findall(r"^```sql\n(.*?)^```", section, flags=re.S | re.M)
    assert blocks, f"no ```sql block in the README section {SECTION!r}"
    return blocks[0]


def find_psql() -> str | None:
    """psql from the newest server install (as .ci/run finds it), else the one on PATH."""
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/psql"),
                        key=lambda p: [int(x) if x.isdigit() else 0 for x in p.parts[-3].split(".")])
    if candidates and os.access(candidates[-1], os.X_OK):
        return str(candidates[-1])
    return shutil.which("psql")


@pytest.fixture(scope="module")
def admin_url() -> str:
    url = os.environ.get(TEST_URL_ENV)
    if not url:
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but {TEST_URL_ENV} is not: .ci/run should have started PostgreSQL")
        pytest.skip(f"no PostgreSQL server: set {TEST_URL_ENV} (a role with CREATEROLE); .ci/run starts one")
    return url


@pytest.fixture(scope="module")
def psql() -> str:
    found = find_psql()
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("psql is not installed (apt-get install postgresql-client)")
        pytest.skip("psql is not installed")
    return found


def run_psql(psql: str, conninfo: str, *args: str, password: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PGCONNECT_TIMEOUT": "10"}
    if password is not None:
        env["PGPASSWORD"] = password
    return subprocess.run([psql, "-X", "-v", "ON_ERROR_STOP=1", "-d", conninfo, *args], capture_output=True,
                          text=True, timeout=120, env=env)


def test_readme_recipe_then_a_refresh_fills_the_mirror(admin_url, psql, sample_warehouse, tmp_path, monkeypatch,
                                                       capsys):
    import psycopg
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    from pipelines.cli.refresh import refresh

    section = readme_section()
    sql = recipe_sql(section)
    example_url = re.search(r"`(postgresql://emulation_publisher:[^`]*)`", section)[1]
    check = re.search(r'`psql "(postgresql://bi_superset@[^"]+)" -c "([^"]+)"`', section)
    assert example_url and check, "the README section lost its URL example or its psql check"
    assert re.search(r"^CREATE DATABASE emulation;", sql, flags=re.M), "the recipe creates its database"

    admin = conninfo_to_dict(admin_url)
    host, port = admin.get("host", "localhost"), str(admin.get("port", 5432))
    suffix = secrets.token_hex(3)
    names = {n: f"{n}_{suffix}" for n in ("emulation_publisher", "emulation_reader", "bi_superset")}
    passwords = {"emulation_publisher": secrets.token_urlsafe(12), "bi_superset": secrets.token_urlsafe(12)}
    with psycopg.connect(admin_url, autocommit=True) as con:
        may_create_db = con.execute("SELECT rolcreatedb OR rolsuper FROM pg_roles "
                                    "WHERE rolname = current_user").fetchone()[0]
        me = con.execute("SELECT current_user").fetchone()[0]
    database = f"emulation_{suffix}" if may_create_db else admin["dbname"]

    adapted = sql
    if not may_create_db:  # as the README says: leave the line out and use an existing database
        adapted = re.sub(r"^CREATE DATABASE emulation;\n", "", adapted, flags=re.M)
    for name, unique in names.items():
        adapted = re.sub(rf"\b{name}\b", unique, adapted)
    adapted = re.sub(r"\bDATABASE emulation\b", f'DATABASE "{database}"', adapted)
    for name, password in passwords.items():  # each LOGIN role's 'change-me', in order
        adapted = re.sub(rf"(ROLE {names[name]} LOGIN PASSWORD )'change-me'", rf"\1'{password}'", adapted)
    assert "change-me" not in adapted and not re.search(r"\bemulation\b(?!_)", adapted.replace(database, ""))
    recipe = tmp_path / "recipe.sql"
    recipe.write_text(adapted)

    target = make_conninfo(**{**admin, "dbname": database})
    try:
        # a warehouse published before the mirror was set up: a refresh has nothing to do
        published = tmp_path / "emulation.duckdb"
        shutil.copy(sample_warehouse, published)
        monkeypatch.delenv(POSTGRES_URL_ENV, raising=False)
        monkeypatch.delenv(READER_ROLE_ENV, raising=False)
        monkeypatch.delenv("DAGSTER_HOME", raising=False)
        assert refresh(SAMPLE_INBOX, published) == 0
        assert "Nothing changed" in capsys.readouterr().err

        # the recipe, as the README runs it
        done = run_psql(psql, make_conninfo(**{**admin, "dbname": admin["dbname"]}), "-f", str(recipe))
        assert done.returncode == 0, done.stderr
        if not may_create_db:  # the shared test database: a schema marts left by other tests is ours to drop
            with psycopg.connect(admin_url, autocommit=True) as con:
                con.execute("DROP SCHEMA IF EXISTS marts CASCADE")

        # the URL as the README writes it, pointed at this server
        url = (example_url.replace("emulation_publisher", names["emulation_publisher"])
               .replace("…", passwords["emulation_publisher"]).replace("db.example:5432", f"{host}:{port}"))
        url = re.sub(r"/emulation$", f"/{database}", url)
        monkeypatch.setenv(POSTGRES_URL_ENV, url)
        monkeypatch.setenv(READER_ROLE_ENV, names["emulation_reader"])
        assert refresh(SAMPLE_INBOX, published) == 0
        err = capsys.readouterr().err
        with duckdb.connect(str(published), read_only=True) as warehouse:
            marts = warehouse.execute("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'marts'").fetchone()[0]
            poverty_rows = warehouse.execute("SELECT count(*) FROM marts.mart_poverty").fetchone()
        assert "Nothing changed" not in err and f"published {marts} marts to PostgreSQL" in err, err
        with psycopg.connect(url) as con:
            assert con.execute("SELECT count(*) FROM marts.mart_poverty").fetchone() == poverty_rows > (400,)
        assert refresh(SAMPLE_INBOX, published) == 0
        assert "Nothing changed" in capsys.readouterr().err  # the mirror is now part of the published state

        # the README's check, as the BI login
        bi_url = (check[1].replace("bi_superset", names["bi_superset"]).replace("db.example", f"{host}:{port}"))
        bi_url = re.sub(r"/emulation$", f"/{database}", bi_url)
        bi_password = passwords["bi_superset"]
        result = run_psql(psql, bi_url, "-c", check[2], password=bi_password)
        assert result.returncode == 0, result.stderr
        assert "unit_code" in result.stdout and "(5 rows)" in result.stdout
        for forbidden in ("INSERT INTO marts.mart_poverty (year) VALUES (1999)", "DROP TABLE marts.mart_poverty"):
            refused = run_psql(psql, bi_url, "-c", forbidden, password=bi_password)
            assert refused.returncode != 0 and ("read-only" in refused.stderr or "denied" in refused.stderr), \
                refused.stderr
    finally:
        with psycopg.connect(admin_url, autocommit=True) as con:
            roles = [n for n in names.values()
                     if con.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [n]).fetchone()]
            for role in roles:  # DROP OWNED needs the role's privileges: become a member first
                con.execute(f'GRANT "{role}" TO "{me}"')
            if may_create_db:
                con.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            elif roles:
                con.execute("DROP OWNED BY " + ", ".join(f'"{r}"' for r in roles))
            for role in reversed(roles):
                if may_create_db:
                    con.execute("DROP OWNED BY " + f'"{role}"')  # its privileges on the test database
                con.execute(f'DROP ROLE "{role}"')
