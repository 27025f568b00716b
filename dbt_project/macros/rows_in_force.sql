{#
  Rows in force of one report family: the rows of `stg_<family>_rows` that belong to the report in force for
  their (family, district_code, period) — status 'accepted' in int_report_versions. Superseded, duplicate and
  rejected reports contribute nothing. Joined on (report_id, file_name) because a file received twice has the
  same report_id. Every model and test that needs "the figures that count" selects them through this macro.
#}
{% macro rows_in_force(family) -%}
    select report_rows.*
    from {{ ref('stg_' ~ family ~ '_rows') }} as report_rows
    inner join {{ ref('int_report_versions') }} as versions
        on  versions.report_id = report_rows.report_id
        and versions.file_name = report_rows.file_name
        and versions.family = '{{ family }}'
        and versions.in_force
{%- endmacro %}
