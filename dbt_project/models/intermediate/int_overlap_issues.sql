-- Warnings (rule `overlapping_reports`) where, after 1 July 2025, a commune's own report and the province's
-- compiled report (reports of different units of one version group, int_report_versions) both give the same
-- commune, family and period. The row of the report with the later Ngày lập counts (the latest version,
-- macro rows_in_force); the warning is recorded beside the other report, at its row of that commune, and names
-- both files. Severity and message come from the rule catalogue (pipelines/parsing/rules.py), as for outliers.
{% set commune_families = ['poverty', 'infrastructure'] %}

with versions as (

    -- the versions that compete (not rejected, not a duplicate of earlier content)
    select report_id, file_name, sheet, family, period, version_group, unit_code, version_number
    from {{ ref('int_report_versions') }}
    where version_number is not null

),

report_rows as (

    {% for family in commune_families %}
    select report_id, file_name, row_number, commune_code, commune_name from {{ ref('stg_' ~ family ~ '_rows') }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

version_rows as (

    select
        v.*,
        r.row_number,
        r.commune_code,
        r.commune_name,
        -- the version the commune's figures are taken from: the latest that contains it
        first_value(v.file_name) over commune_versions      as used_file_name,
        first_value(v.unit_code) over commune_versions      as used_unit_code,
        first_value(v.version_number) over commune_versions as used_version_number
    from versions as v
    inner join report_rows as r
        on  r.report_id = v.report_id
        and r.file_name = v.file_name
    window commune_versions as (
        partition by v.family, v.version_group, v.period, r.commune_code
        order by v.version_number desc
    )

),

overlapping as (

    -- the rows not used because a report of another unit gives the same commune, with the family's name for the
    -- message
    select
        *,
        case family when 'poverty' then 'giảm nghèo' when 'infrastructure' then 'hạ tầng' end as family_vi
    from version_rows
    where version_number <> used_version_number
      and unit_code is distinct from used_unit_code

)

-- the template's placeholders filled in SQL, as str.format would in Python
{{ rule_issues('overlapping_reports', 'overlapping', [
    ('commune', "coalesce(nullif(commune_name, ''), commune_code)"),
    ('family_vi', 'family_vi'),
    ('period', 'period'),
    ('file', 'file_name'),
    ('used_file', 'used_file_name')]) }}
