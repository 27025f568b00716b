"""The data dictionary: every mart and column is described, Vietnamese term beside the English one."""

import json

from helpers import query
from pipelines.defs.dbt import DBT_PROJECT
from pipelines.cli.docs import docs

MARTS = ["mart_poverty", "mart_infrastructure", "mart_savings", "mart_reporting_completeness",
         "mart_report_submissions", "mart_report_issues", "dim_admin_unit",
         "mart_emulation_scores", "mart_emulation_ranking", "mart_integrity_flags"]


def _mart_nodes():
    manifest = json.loads(DBT_PROJECT.manifest_path.read_text())
    return {n["name"]: n for n in manifest["nodes"].values() if n["resource_type"] == "model" and n["schema"] == "marts"}


def test_every_mart_column_is_described_in_both_languages(sample_db):
    nodes = _mart_nodes()
    assert set(MARTS) <= set(nodes)
    for name, node in nodes.items():
        assert node["description"], name
        columns = [r[0] for r in query(sample_db, """SELECT column_name FROM information_schema.columns
                                                     WHERE table_schema = 'marts' AND table_name = ?""", [name])]
        assert columns, name
        for column in columns:
            description = node["columns"].get(column, {}).get("description", "")
            assert " — " in description, f"{name}.{column}: {description!r}"


def test_docs_site_is_built_from_the_published_warehouse(sample_warehouse, tmp_path):
    before = sample_warehouse.read_bytes()
    assert docs(sample_warehouse, tmp_path / "site") == 0
    html = (tmp_path / "site" / "index.html").read_text()
    assert "near-poor households" in html and "mart_reporting_completeness" in html
    assert sample_warehouse.read_bytes() == before  # the published file is only read


def test_rules_document_is_current():
    from pipelines.parsing.rules import rules_markdown
    from pipelines.settings import PROJECT_ROOT

    text = (PROJECT_ROOT / "docs" / "rules.md").read_text()
    assert text == rules_markdown(), "docs/rules.md is stale: regenerate it with `emulation rules`"
