{#- The lineage columns every raw *_rows table starts with (docs/raw-tables.md): where a value came from, plus the
    reporting unit (`unit_code`; its `unit_level` and `province_code` from the report's submission, see
    report_rows_source), its `version_group` and the `generation` of units the period is on. -#}
{% macro report_lineage() %}
    report_id,
    file_name,
    sheet,
    cast(row_number as integer)         as row_number,
    sha256,
    cast(received_at as timestamp)      as received_at,
    district_code,
    period,
    cast(year as integer)               as year,
    -- the reporting unit (the district for a district's report) and the list of units the period is on
    coalesce(unit_code, district_code)  as unit_code,
    unit_level,
    province_code,
    version_group,
    {{ unit_generation('period') }}     as generation
{%- endmacro %}


{#- The raw rows of a family with the reporting unit's level and province from stg_report_submissions (the raw
    rows carry only `unit_code`): the `source` CTE of every stg_<family>_rows. -#}
{% macro report_rows_source(family) %}
    select r.*, s.unit_level, s.province_code, s.version_group
    from {{ source('raw', family ~ '_rows') }} as r
    left join (
        select report_id, file_name, unit_level, province_code, version_group
        from {{ ref('stg_report_submissions') }}
    ) as s
        on  s.report_id = r.report_id
        and s.file_name = r.file_name
{%- endmacro %}
