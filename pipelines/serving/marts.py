"""The published marts as the serving outputs see them: names, columns, comments, from DuckDB's catalog."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

MARTS_SCHEMA = "marts"


def duck_ident(name: str) -> str:
    """A DuckDB identifier, double-quoted (embedded quotes doubled)."""
    return '"' + name.replace('"', '""') + '"'


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
