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

    -- the rows not used because a report of another unit gives the same commune
    select * from version_rows
    where version_number <> used_version_number
      and unit_code is distinct from used_unit_code

),

labels as (

    select * from (values
        ('poverty', 'giảm nghèo'),
        ('infrastructure', 'hạ tầng')
    ) as t(family, label)

),

overlap_rule as (

    select severity, message_template from {{ ref('stg_rule_catalogue') }}
    where rule = 'overlapping_reports'

)

select
    o.report_id,
    o.file_name,
    o.sheet,
    cast(o.row_number as integer)   as row_number,
    cast(null as varchar)           as column_name,
    o.family,
    o.period,
    cast(null as varchar)           as district_code,
    r.severity,
    'overlapping_reports'           as rule,
    -- the template's placeholders filled in SQL, as str.format would in Python
    {{ fill_rule_message('r.message_template', [
        ('commune', "coalesce(nullif(o.commune_name, ''), o.commune_code)"),
        ('family_vi', 'l.label'),
        ('period', 'o.period'),
        ('file', 'o.file_name'),
        ('used_file', 'o.used_file_name')]) }} as message,
    o.unit_code
from overlapping as o
inner join labels as l on l.family = o.family
-- a left join: without the rule in the catalogue, severity and message are NULL and their tests fail
left join overlap_rule as r on true
