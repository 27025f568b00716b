"""The public scoreboard as an asset of group `emulation`: the static site written at every publish to `site/`
beside the warehouse, with a check that every unit of every cluster is scored, and the top of each cluster as
metadata. The scores themselves are dbt models of the same group (dbt_project/models/emulation)."""


import duckdb
from dagster import (AssetCheckResult, AssetCheckSeverity, AssetCheckSpec, AssetExecutionContext, MaterializeResult,
                     MetadataValue, asset)

from ..site.build import build_site
from .publish import published_warehouse
from .resources import OWNER, WarehouseResource

EVERY_UNIT_SCORED = "every_unit_scored"


def unscored_units(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """(year, cluster, unit_code) of the plans in force whose unit has no row in mart_emulation_ranking."""
    return con.execute("""
        SELECT c.year, c.cluster, c.unit_code
        FROM raw.plan_clusters AS c
        JOIN marts.mart_report_submissions AS s
          ON s.file_name = c.file_name AND s.family = 'emulation_plan' AND s.status = 'accepted'
        ANTI JOIN marts.mart_emulation_ranking AS r
          ON r.year = c.year AND r.unit_code = c.unit_code
        ORDER BY 1, 2, 3""").fetchall()


def top_of_clusters(con: duckdb.DuckDBPyConnection) -> str:
    """A Markdown table: the first ranked unit(s) of every cluster and year."""
    rows = con.execute("""
        SELECT year, cluster, unit_name, total_points, score_pct, classification, proposed_commendation
        FROM marts.mart_emulation_ranking WHERE rank_in_cluster = 1 ORDER BY year DESC, cluster""").fetchall()
    lines = ["| year | cluster | unit | points | % | classification | proposed |", "|---|---|---|---|---|---|---|"]
    lines += ["| " + " | ".join("" if v is None else str(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


@asset(key="scoreboard_site", deps=[published_warehouse], group_name="emulation", owners=[OWNER], kinds={"html"},
       check_specs=[AssetCheckSpec(EVERY_UNIT_SCORED, asset="scoreboard_site",
                                   description="Every unit of every cluster of a plan in force has a row in "
                                               "mart_emulation_ranking (its score, or why it has none).")],
       description="The public emulation scoreboard (static HTML, Vietnamese first): site/ beside the warehouse.")
def scoreboard_site(context: AssetExecutionContext, warehouse: WarehouseResource):
    published = warehouse.paths().published
    index = build_site(published, published.parent / "site")
    con = duckdb.connect(str(published), read_only=True)
    try:
        missing, top = unscored_units(con), top_of_clusters(con)
    finally:
        con.close()
    context.log.info(f"scoreboard: {index}")
    yield MaterializeResult(metadata={"index": MetadataValue.path(str(index)),
                                      "top_of_clusters": MetadataValue.md(top)})
    yield AssetCheckResult(
        check_name=EVERY_UNIT_SCORED, passed=not missing, severity=AssetCheckSeverity.ERROR,
        description=("every unit of every cluster is scored" if not missing else
                     "not scored: " + ", ".join(f"{y} {c} {u}" for y, c, u in missing[:20])),
        metadata={"unscored_units": len(missing)})
