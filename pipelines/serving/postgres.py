"""The marts mirrored to PostgreSQL, replaced as a whole like the DuckDB file itself.

`publish_postgres` copies every mart into a staging schema and, in the same transaction, drops the old
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

import logging
import os
import re
import secrets
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb

from ..settings import READER_ROLE_ENV
from .marts import MARTS_SCHEMA, Mart, duck_ident, list_marts

log = logging.getLogger(__name__)

DEFAULT_READER_ROLE = "emulation_reader"

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
