{#
  Rows in force of one report family. Corrections merge row by row: of the rows of `stg_<family>_rows` for one
  (family, version_group, period) -- the district for a district's reports, the new province for the reports of
  its new communes and its own compiled ones (after 1 July 2025) -- each commune (or savings category) is taken from the latest version that
  contains it (version_number, the effect order of int_report_versions), so a later report replaces the rows it
  contains and the rows it does not contain stay in force. Only versions that still have rows in force
  (int_report_versions.in_force: status 'accepted' or 'partially_superseded') take part; superseded, duplicate
  and rejected reports contribute nothing. Joined on (report_id, file_name) because a file received twice has
  the same report_id. Every model and test that needs "the figures that count" selects them through this macro;
  int_report_versions.rows_in_force counts the same rows per version.
#}
{% macro rows_in_force(family) -%}
    {%- set item = row_key(family, 'report_rows.') -%}
    select report_rows.*
    from {{ ref('stg_' ~ family ~ '_rows') }} as report_rows
    inner join {{ ref('int_report_versions') }} as versions
        on  versions.report_id = report_rows.report_id
        and versions.file_name = report_rows.file_name
        and versions.family = '{{ family }}'
        and versions.in_force
    qualify row_number() over (
        partition by versions.version_group, versions.period, {{ item }}
        order by versions.version_number desc
    ) = 1
{%- endmacro %}


{# What identifies a row of a family's report inside a version group: the commune, or for savings the reporting
   unit and the category (a commune's savings do not replace another commune's). `prefix`: an alias with its dot. #}
{% macro row_key(family, prefix='') -%}
    {%- if family == 'savings' -%}
    (coalesce({{ prefix }}unit_code, {{ prefix }}district_code) || '/' || {{ prefix }}category)
    {%- else -%}
    {{ prefix }}commune_code
    {%- endif -%}
{%- endmacro %}
