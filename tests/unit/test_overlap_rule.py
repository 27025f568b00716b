"""The `overlapping_reports` warning is found in dbt (int_overlap_issues), which fills the catalogue's message in SQL:
every placeholder of the message must be one the model replaces."""

import re
from pathlib import Path

from pipelines.parsing.rules import RULES, WARNING

MODEL = Path(__file__).parents[2] / "dbt_project" / "models" / "intermediate" / "int_overlap_issues.sql"


def test_overlap_rule_placeholders_are_filled_by_the_model():
    rule = RULES["overlapping_reports"]
    assert rule.severity == WARNING
    placeholders = set(re.findall(r"\{(\w+)\}", rule.message))
    assert placeholders == {"commune", "family_vi", "period", "file", "used_file"}
    sql = MODEL.read_text(encoding="utf-8")
    assert {p for p in placeholders if f"('{p}'," not in sql} == set()
