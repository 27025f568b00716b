"""Serving the published marts to tools that cannot open the DuckDB file: Parquet files and a PostgreSQL mirror.

Both copies are replaced as a whole, like the DuckDB file itself:

* `export_parquet` writes every table of schema `marts` into a fresh version directory
  (`<warehouse dir>/parquet-versions/<version>/<mart>.parquet`) and then switches the symlink
  `<warehouse dir>/parquet` to it with one `rename`. A reader that resolves `parquet/` sees one complete set;
  a reader that already opened a file of the previous set keeps reading it (an open file outlives its
  deletion on Linux). The set just replaced is kept until the next export, older ones are deleted.
* `publish_postgres` copies every mart into a staging schema and, in the same transaction, drops the old
  schema and renames the staging schema in its place, then re-grants read access. BI users see the old marts
  or the new ones, never a mix. The swap needs an ACCESS EXCLUSIVE lock on every old table, so it waits for
  reader transactions that have touched them; it never waits longer than `lock_timeout_ms` at a time (so BI
  queries queued behind it are held up at most that long) and retries until `swap_deadline_s`, then gives up
  with `PublishBlocked`, naming the sessions in the way. Nothing is visible until the commit: a publish that
  fails or is killed leaves the old marts exactly as they were.

The DuckDB file is always opened read-only; no SQL text is ever built from table or column names except
through identifier quoting (DuckDB) or `psycopg.sql.Identifier` (PostgreSQL).
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import re
import secrets
import shutil
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from collections.abc import Iterator

import duckdb

log = logging.getLogger(__name__)

MARTS_SCHEMA = "marts"
READER_ROLE_ENV = "EMULATION_POSTGRES_READER_ROLE"
DEFAULT_READER_ROLE = "emulation_reader"
POSTGRES_URL_ENV = "EMULATION_POSTGRES_URL"
MANIFEST_NAME = "_manifest.json"  # leading underscore: Spark, pandas and DuckDB globs of *.parquet skip it

_SAFE_FILE_STEM = re.compile(r"\w[\w-]*")


def duck_ident(name: str) -> str:
    """A DuckDB identifier, double-quoted (embedded quotes doubled)."""
    return '"' + name.replace('"', '""') + '"'


def default_parquet_dir(published: Path) -> Path:
    """`<warehouse dir>/parquet`, the symlink Parquet readers use."""
    return Path(os.path.abspath(published)).parent / "parquet"


@dataclass(frozen=True)
class Column:
    name: str
    duck_type: str
    comment: str | None


@dataclass(frozen=True)
class Mart:
    name: str
    comment: str | None
    columns: tuple[Column, ...]


def list_marts(con: duckdb.DuckDBPyConnection, schema: str = MARTS_SCHEMA) -> list[Mart]:
    """The base tables of `schema` (by name) with their columns (in order), from DuckDB's catalog."""
    tables = con.execute(
        "SELECT table_name, comment FROM duckdb_tables() "
        "WHERE database_name = current_database() AND schema_name = ? AND NOT temporary ORDER BY table_name",
        [schema],
    ).fetchall()
    marts = []
    for name, comment in tables:
        columns = con.execute(
            "SELECT column_name, data_type, comment FROM duckdb_columns() "
            "WHERE database_name = current_database() AND schema_name = ? AND table_name = ? "
            "ORDER BY column_index",
            [schema, name],
        ).fetchall()
        marts.append(Mart(name, comment, tuple(Column(*c) for c in columns)))
    return marts


# ---------------------------------------------------------------------------------------------- Parquet

@dataclass(frozen=True)
class ParquetLayout:
    """`parquet` (a symlink) and the directory of versions it points into, side by side."""

    link: Path

    @property
    def versions(self) -> Path:
        return self.link.with_name(self.link.name + "-versions")

    @property
    def lock_file(self) -> Path:
        return self.versions / ".lock"

    def temp_link(self) -> Path:
        return self.link.with_name(f".{self.link.name}.{uuid.uuid4().hex}.tmp")

    def is_temp_link(self, path: Path) -> bool:
        return path.name.startswith(f".{self.link.name}.") and path.name.endswith(".tmp")


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def export_parquet(published: Path, parquet_dir: Path | None = None, *, compression: str = "zstd") -> dict[str, int]:
    """Write every mart of `published` as `<parquet_dir>/<mart>.parquet`, switching the whole set at once.

    `parquet_dir` (default `<warehouse dir>/parquet`) becomes a symlink to
    `<parquet_dir>-versions/<version>/`; a real directory found there (an earlier layout) is moved into the
    versions directory first. Returns the number of rows written per mart.
    """
    layout = ParquetLayout(Path(os.path.abspath(parquet_dir or default_parquet_dir(published))))
    layout.versions.mkdir(parents=True, exist_ok=True)
    with open(layout.lock_file, "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one export per directory at a time; the OS drops it if we die
        try:
            return _export_locked(Path(published), layout, compression)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _export_locked(published: Path, layout: ParquetLayout, compression: str) -> dict[str, int]:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    version = layout.versions / f"{stamp}-{uuid.uuid4().hex[:8]}"
    partial = version.with_name(version.name + ".partial")
    partial.mkdir()
    counts: dict[str, int] = {}
    try:
        con = duckdb.connect(str(published), read_only=True)
        try:
            for mart in list_marts(con):
                if not _SAFE_FILE_STEM.fullmatch(mart.name):
                    raise ValueError(f"mart name {mart.name!r} is not usable as a file name")
                target = partial / f"{mart.name}.parquet"
                row = con.execute(
                    f"COPY {duck_ident(MARTS_SCHEMA)}.{duck_ident(mart.name)} TO ? "
                    f"(FORMAT parquet, COMPRESSION {_compression(compression)})",
                    [str(target)],
                ).fetchone()
                counts[mart.name] = int(row[0]) if row else 0
        finally:
            con.close()
        if not counts:
            raise RuntimeError(f"{published} has no tables in schema {MARTS_SCHEMA!r}; nothing to export")
        manifest = {
            "source": str(published),
            "source_mtime": datetime.fromtimestamp(published.stat().st_mtime, timezone.utc).isoformat(),
            "exported_at": datetime.now(timezone.utc).isoformat(),
            "rows": counts,
        }
        (partial / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        for file in partial.iterdir():
            _fsync(file)
        _fsync(partial)
        os.rename(partial, version)
        _fsync(layout.versions)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise

    previous = _switch_link(layout, version)
    _remove_old_versions(layout, keep={version.name, previous} - {None})
    log.info("exported %d marts to %s -> %s", len(counts), layout.link, version)
    return counts


def _compression(name: str) -> str:
    if name.lower() not in {"zstd", "snappy", "gzip", "lz4", "brotli", "uncompressed"}:
        raise ValueError(f"unknown Parquet compression {name!r}")
    return name.lower()


def _switch_link(layout: ParquetLayout, version: Path) -> str | None:
    """Point `layout.link` at `version` with one rename; the name of the version it pointed to before."""
    link = layout.link
    previous: str | None = None
    if link.is_symlink():
        previous = Path(os.readlink(link)).name
    elif link.is_dir():
        # An earlier layout kept the files in a real directory. A directory cannot be replaced by a symlink
        # in one rename, so it becomes a version itself first; `parquet` is missing for that instant only.
        legacy = layout.versions / f"{version.name.split('-')[0]}-legacy"
        os.rename(link, legacy)
        previous = legacy.name
    elif link.exists():
        raise FileExistsError(f"{link} exists and is neither a symlink nor a directory; move it away")
    temp = layout.temp_link()
    os.symlink(os.path.relpath(version, link.parent), temp)
    try:
        os.replace(temp, link)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _fsync(link.parent)
    return previous


def _remove_old_versions(layout: ParquetLayout, keep: set[str]) -> None:
    for entry in layout.versions.iterdir():
        if entry.name in keep or entry.name.startswith("."):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
    for entry in layout.link.parent.iterdir():  # temporary links of exports that died before their rename
        if layout.is_temp_link(entry) and entry.is_symlink():
            entry.unlink(missing_ok=True)


# ---------------------------------------------------------------------------------------------- PostgreSQL

_SIMPLE_PG_TYPES = {
    "VARCHAR": "text",
    "BIGINT": "bigint",
    "INTEGER": "integer",
    "SMALLINT": "smallint",
    "TINYINT": "smallint",
    "UTINYINT": "smallint",
    "USMALLINT": "integer",
    "UINTEGER": "bigint",
    "UBIGINT": "numeric(20,0)",
    "HUGEINT": "numeric(39,0)",
    "UHUGEINT": "numeric(39,0)",
    "DOUBLE": "double precision",
    "FLOAT": "real",
    "BOOLEAN": "boolean",
    "DATE": "date",
    "TIME": "time",
    "TIMESTAMP": "timestamp",
    "TIMESTAMP_S": "timestamp",
    "TIMESTAMP_MS": "timestamp",
    "TIMESTAMP_NS": "timestamp",
    "TIMESTAMP WITH TIME ZONE": "timestamptz",
    "INTERVAL": "interval",
    "UUID": "uuid",
    "BLOB": "bytea",
    "JSON": "jsonb",
}
_DECIMAL = re.compile(r"DECIMAL\((\d+),\s*(\d+)\)")


def pg_type(duck_type: str) -> str:
    """The PostgreSQL column type for a DuckDB one (a fixed vocabulary, never the input echoed back)."""
    upper = duck_type.strip().upper()
    if upper in _SIMPLE_PG_TYPES:
        return _SIMPLE_PG_TYPES[upper]
    match = _DECIMAL.fullmatch(upper)
    if match:
        return f"numeric({int(match[1])},{int(match[2])})"
    raise TypeError(f"DuckDB type {duck_type!r} has no PostgreSQL mapping here")


class PublishBlocked(RuntimeError):
    """The swap could not take its locks before the deadline: reader transactions kept the old marts open."""


def publish_postgres(published: Path, url: str, schema: str = MARTS_SCHEMA, *, reader_role: str | None = None,
                     lock_timeout_ms: int = 500, swap_deadline_s: float = 120.0,
                     batch_rows: int = 10_000) -> dict[str, int]:
    """Copy every mart of `published` into PostgreSQL schema `schema`, replacing it in one transaction.

    Read access is granted to `reader_role`, else to the role named by $EMULATION_POSTGRES_READER_ROLE (which
    must exist), else to `emulation_reader` if that role exists; privileges other roles held on the old schema
    and its tables are carried over. Anything else in the old schema, and views elsewhere built on its
    tables, are dropped with it (logged as warnings). Returns the rows copied per mart.
    """
    import psycopg
    from psycopg import sql

    started = time.monotonic()
    duck = duckdb.connect(str(published), read_only=True)
    try:
        marts = list_marts(duck)
        if not marts:
            raise RuntimeError(f"{published} has no tables in schema {MARTS_SCHEMA!r}; nothing to publish")
        columns_sql = {m.name: [sql.SQL("{} {}").format(sql.Identifier(c.name), sql.SQL(pg_type(c.duck_type)))
                                for c in m.columns] for m in marts}  # every type mapped before connecting

        notices: list[str] = []
        with psycopg.connect(url, autocommit=False, application_name="emulation-publish") as pg:
            pg.add_notice_handler(lambda diag: notices.extend(
                f"{diag.message_primary or ''}\n{diag.message_detail or ''}".splitlines()))
            with pg.cursor() as cur:
                # one publisher per schema at a time (released at commit or rollback, or when we die)
                cur.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [f"emulation-publish:{schema}"])
                cur.execute("SELECT setting::int FROM pg_settings WHERE name = 'deadlock_timeout'")
                deadlock_ms = cur.fetchone()[0]
                role = _reader_role(cur, reader_role)
                carried = _carried_grants(cur, schema)

                staging = f"{schema}_new_{secrets.token_hex(4)}"
                if len(staging.encode()) > 63:
                    raise ValueError(f"schema name {schema!r} is too long for a staging name")
                cur.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(staging)))
                counts = {}
                for mart in marts:
                    counts[mart.name] = _copy_mart(duck, cur, staging, mart, columns_sql[mart.name], batch_rows)

                # The swap. Its locks are taken in a savepoint with a short lock_timeout (below
                # deadlock_timeout, so a reader waiting behind us never gets a deadlock error): if a reader
                # transaction holds a table, roll back to the savepoint (releasing what we got), let the
                # queued readers through, try again.
                timeout = max(10, min(lock_timeout_ms, deadlock_ms // 2))
                cur.execute("SELECT set_config('lock_timeout', %s, true)", [f"{timeout}ms"])
                deadline = time.monotonic() + swap_deadline_s
                attempt = 0
                while True:
                    attempt += 1
                    cur.execute("SAVEPOINT emulation_swap")
                    try:
                        _swap(cur, schema, staging)
                        cur.execute("RELEASE SAVEPOINT emulation_swap")
                        break
                    except psycopg.errors.LockNotAvailable:
                        cur.execute("ROLLBACK TO SAVEPOINT emulation_swap")
                        if time.monotonic() >= deadline:
                            blockers = _blockers(cur, schema)
                            raise PublishBlocked(
                                f"could not replace PostgreSQL schema {schema!r} within {swap_deadline_s:g}s "
                                f"({attempt} attempts): open transactions are reading it: {blockers or 'unknown'}. "
                                "The old marts are unchanged; end those transactions (or set "
                                "idle_in_transaction_session_timeout for the BI role) and publish again."
                            ) from None
                        time.sleep(min(2.0, 0.05 * 2 ** min(attempt, 6)) * (0.5 + secrets.randbelow(1000) / 1000))
                _grant(cur, schema, role, carried, [m.name for m in marts])
            pg.commit()
    finally:
        duck.close()
    for notice in dict.fromkeys(notices):  # objects that depended on the old marts (e.g. a BI user's view)
        if notice.startswith("drop cascades to ") and not notice.startswith(f"drop cascades to table {schema}.") \
                and not re.fullmatch(r"drop cascades to \d+ other objects", notice):
            log.warning("publishing %s dropped an object built on the old marts: %s", schema, notice)
    log.info("published %d marts to PostgreSQL schema %s in %.1fs (%d swap attempts)", len(counts), schema,
             time.monotonic() - started, attempt)
    return counts


def _copy_mart(duck, cur, staging: str, mart: Mart, columns_sql, batch_rows: int) -> int:
    from psycopg import sql

    table = sql.Identifier(staging, mart.name)
    cur.execute(sql.SQL("CREATE TABLE {} ({})").format(table, sql.SQL(", ").join(columns_sql)))
    names = sql.SQL(", ").join(sql.Identifier(c.name) for c in mart.columns)
    result = duck.execute(f"SELECT * FROM {duck_ident(MARTS_SCHEMA)}.{duck_ident(mart.name)}")
    rows = 0
    with cur.copy(sql.SQL("COPY {} ({}) FROM STDIN").format(table, names)) as copy:
        for batch in _batches(result, batch_rows):
            for row in batch:
                copy.write_row(row)
            rows += len(batch)
    if mart.comment:
        cur.execute(sql.SQL("COMMENT ON TABLE {} IS {}").format(table, sql.Literal(mart.comment.strip())))
    for column in mart.columns:
        if column.comment:
            cur.execute(sql.SQL("COMMENT ON COLUMN {} IS {}").format(
                sql.Identifier(staging, mart.name, column.name), sql.Literal(column.comment.strip())))
    cur.execute(sql.SQL("ANALYZE {}").format(table))
    return rows


def _batches(result, size: int) -> Iterator[list[tuple]]:
    while True:
        batch = result.fetchmany(size)
        if not batch:
            return
        yield batch


def _reader_role(cur, explicit: str | None) -> str | None:
    name = explicit or os.environ.get(READER_ROLE_ENV) or None
    cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [name or DEFAULT_READER_ROLE])
    exists = cur.fetchone() is not None
    if name and not exists:
        raise LookupError(f"PostgreSQL role {name!r} (the BI reader role) does not exist; create it first "
                          "(see the README) or unset " + READER_ROLE_ENV)
    return (name or DEFAULT_READER_ROLE) if exists else None


_TABLE_PRIVILEGES = {"SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"}
_SCHEMA_PRIVILEGES = {"USAGE", "CREATE"}


def _carried_grants(cur, schema: str) -> list[tuple[str | None, str | None, str]]:
    """(table or None for the schema, grantee or None for PUBLIC, privilege) granted on the old schema."""
    cur.execute(
        "SELECT NULL::text, r.rolname, a.privilege_type "
        "FROM pg_namespace n, aclexplode(n.nspacl) a LEFT JOIN pg_roles r ON r.oid = a.grantee "
        "WHERE n.nspname = %s AND a.grantee <> n.nspowner "
        "UNION ALL "
        "SELECT c.relname::text, r.rolname, a.privilege_type "
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace, aclexplode(c.relacl) a "
        "LEFT JOIN pg_roles r ON r.oid = a.grantee "
        "WHERE n.nspname = %s AND c.relkind IN ('r', 'p') AND a.grantee <> c.relowner",
        [schema, schema],
    )
    return [(t, g, p) for t, g, p in cur.fetchall()
            if p in (_SCHEMA_PRIVILEGES if t is None else _TABLE_PRIVILEGES)]


def _swap(cur, schema: str, staging: str) -> None:
    from psycopg import sql

    cur.execute("SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = %s AND c.relkind IN ('r', 'p', 'v') ORDER BY c.relname", [schema])
    old = [r[0] for r in cur.fetchall()]
    if old:  # take the locks first, each wait bounded by lock_timeout (DROP takes the rest: matviews...)
        cur.execute(sql.SQL("LOCK TABLE {} IN ACCESS EXCLUSIVE MODE").format(
            sql.SQL(", ").join(sql.Identifier(schema, t) for t in old)))
    cur.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))
    cur.execute(sql.SQL("ALTER SCHEMA {} RENAME TO {}").format(sql.Identifier(staging), sql.Identifier(schema)))


def _grant(cur, schema: str, role: str | None, carried, tables: list[str]) -> None:
    from psycopg import sql

    def grantee(name: str | None):
        return sql.SQL("PUBLIC") if name is None else sql.Identifier(name)

    schema_id = sql.Identifier(schema)
    for table, who, privilege in carried:
        if table is None:
            cur.execute(sql.SQL("GRANT {} ON SCHEMA {} TO {}").format(sql.SQL(privilege), schema_id, grantee(who)))
        elif table in tables:
            cur.execute(sql.SQL("GRANT {} ON TABLE {} TO {}").format(
                sql.SQL(privilege), sql.Identifier(schema, table), grantee(who)))
    if role:
        cur.execute(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(schema_id, sql.Identifier(role)))
        cur.execute(sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA {} TO {}").format(schema_id, sql.Identifier(role)))


def _blockers(cur, schema: str) -> str:
    """The sessions holding locks on the tables of `schema` (who keeps the swap waiting)."""
    cur.execute(
        "SELECT DISTINCT a.pid, a.usename, a.application_name, a.state, "
        "       date_trunc('second', clock_timestamp() - a.xact_start)::text "
        "FROM pg_locks l JOIN pg_class c ON c.oid = l.relation JOIN pg_namespace n ON n.oid = c.relnamespace "
        "JOIN pg_stat_activity a ON a.pid = l.pid "
        "WHERE n.nspname = %s AND l.granted AND l.pid <> pg_backend_pid() ORDER BY 1",
        [schema],
    )
    return "; ".join(f"pid {pid} user {user} app {app or '-'} {state}, transaction open {age}"
                     for pid, user, app, state, age in cur.fetchall())
