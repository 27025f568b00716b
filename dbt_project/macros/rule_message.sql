{#
  A message of the rule catalogue (raw.rule_catalogue, pipelines/parsing/rules.py) filled in SQL, as str.format
  would in Python: `template` is the SQL expression of the message template, `values` a list of
  (placeholder, SQL expression) pairs, replaced in that order (a placeholder that is a prefix of another, such as
  '{previous}' of '{previous_period}', comes after it). Used by rule_issues below.
#}
{% macro fill_rule_message(template, values) -%}
    {%- for _ in values %}replace({% endfor %}{{ template }}
    {%- for placeholder, value in values %},
        '{{ '{' ~ placeholder ~ '}' }}', {{ value }}){% endfor %}
{%- endmacro %}


{#
  The issue rows of a rule checked in dbt, in the columns of mart_report_issues: one row per row of `rows` (a CTE
  with report_id, file_name, sheet, row_number, family, period, unit_code and whatever the message needs), with
  the rule's severity and its message template filled by fill_rule_message. The rule is looked up in
  stg_rule_catalogue with a left join: without it, severity and message are NULL and their tests fail.
  `values` are (placeholder, SQL expression) pairs over the columns of `rows`.
#}
{% macro rule_issues(rule, rows, values, column_name='cast(null as varchar)', district_code='cast(null as varchar)') -%}
    select
        issue.report_id,
        issue.file_name,
        issue.sheet,
        cast(issue.row_number as integer)   as row_number,
        {{ column_name }} as column_name,
        issue.family,
        issue.period,
        {{ district_code }} as district_code,
        catalogue.severity,
        '{{ rule }}' as rule,
        {{ fill_rule_message('catalogue.message_template', values) }} as message,
        issue.unit_code
    from {{ rows }} as issue
    left join (
        select severity, message_template from {{ ref('stg_rule_catalogue') }}
        where rule = '{{ rule }}'
    ) as catalogue on true
{%- endmacro %}
