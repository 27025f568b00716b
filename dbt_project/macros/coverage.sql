{#
  The coverage columns of an aggregate row, from int_report_coverage joined as `alias`: a row without a coverage
  row (a period the calendar does not expect) has 0 units reported and is not complete.
#}
{% macro coverage_columns(alias='c') -%}
    coalesce({{ alias }}.units_reported, 0)    as units_reported,
    {{ alias }}.units_expected                 as units_expected,
    coalesce({{ alias }}.complete, false)      as complete
{%- endmacro %}
