-- The outlier message is the rule catalogue's template (pipelines/parsing/rules.py) filled in SQL by
-- int_outlier_issues: a placeholder added to the template without being filled there would show as `{name}`.
{{ config(meta={'dagster': {'ref': {'name': 'int_outlier_issues'}}}) }}  -- shown in Dagster as a check of int_outlier_issues
select report_id, file_name, row_number, message
from {{ ref('int_outlier_issues') }}
where regexp_matches(message, '\{[a-z_]+\}')
