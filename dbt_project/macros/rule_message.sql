{#
  A message of the rule catalogue (raw.rule_catalogue, pipelines/parsing/rules.py) filled in SQL, as str.format
  would in Python: `template` is the SQL expression of the message template, `values` a list of
  (placeholder, SQL expression) pairs, replaced in that order (a placeholder that is a prefix of another, such as
  '{previous}' of '{previous_period}', comes after it). Used by the rules checked in dbt: int_outlier_issues,
  int_overlap_issues.
#}
{% macro fill_rule_message(template, values) -%}
    {%- for _ in values %}replace({% endfor %}{{ template }}
    {%- for placeholder, value in values %},
        '{{ '{' ~ placeholder ~ '}' }}', {{ value }}){% endfor %}
{%- endmacro %}
