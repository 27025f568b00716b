{#
  Rows in force of one report family. Corrections merge row by row: of the rows of `stg_<family>_rows` for one
  (family, district_code, period), each commune (or savings category) is taken from the latest version that
  contains it (version_number, the effect order of int_report_versions), so a later report replaces the rows it
  contains and the rows it does not contain stay in force. Only versions that still have rows in force
  (int_report_versions.in_force: status 'accepted' or 'partially_superseded') take part; superseded, duplicate
  and rejected reports contribute nothing. Joined on (report_id, file_name) because a file received twice has
  the same report_id. Every model and test that needs "the figures that count" selects them through this macro;
  int_report_versions.rows_in_force counts the same rows per version.
#}
{% macro rows_in_force(family) -%}
    {%- set item = row_key(family) -%}
    select report_rows.*
    from {{ ref('stg_' ~ family ~ '_rows') }} as report_rows
    inner join {{ ref('int_report_versions') }} as versions
        on  versions.report_id = report_rows.report_id
        and versions.file_name = report_rows.file_name
        and versions.family = '{{ family }}'
        and versions.in_force
    qualify row_number() over (
        partition by versions.district_code, versions.period, report_rows.{{ item }}
        order by versions.version_number desc
    ) = 1
{%- endmacro %}


{# The column that identifies a row of a family's report: the savings category, else the commune. #}
{% macro row_key(family) -%}
    {{ 'category' if family == 'savings' else 'commune_code' }}
{%- endmacro %}
