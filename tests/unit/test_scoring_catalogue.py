"""The dbt scoring models (dbt_project/models/emulation) know the same indicators and flag codes as the plan parser
(pipelines/parsing/plan_spec.py): a plan can only name what the warehouse computes."""

import re

import yaml

from pipelines.parsing.plan_spec import FLAGS, INDICATORS
from pipelines.settings import DBT_PROJECT_DIR

MODELS = DBT_PROJECT_DIR / "models" / "emulation"


def _accepted_values(model: str, column: str) -> list[str]:
    (node,) = yaml.safe_load((MODELS / f"{model}.yml").read_text())["models"]
    (col,) = [c for c in node["columns"] if c["name"] == column]
    (test,) = [t for t in col["data_tests"] if isinstance(t, dict) and "accepted_values" in t]
    return test["accepted_values"]["arguments"]["values"]


def test_the_actuals_compute_every_indicator_of_the_catalogue():
    assert _accepted_values("int_emulation_actuals", "indicator") == list(INDICATORS)
    sql = (MODELS / "int_emulation_actuals.sql").read_text()
    computed = re.findall(r"^\s+'(\w+)':\s+\('(?:poverty|infrastructure|savings|reporting)'", sql, re.M)
    assert computed == list(INDICATORS)
    labels = re.findall(r"^\s+'(\w+)': '", (MODELS / "mart_emulation_scores.sql").read_text(), re.M)
    assert labels == list(INDICATORS)


def test_the_flags_mart_knows_the_flag_codes_of_the_plan():
    assert _accepted_values("mart_integrity_flags", "flag") == list(FLAGS)
