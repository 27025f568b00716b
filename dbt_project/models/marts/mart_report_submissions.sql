-- One row per report received (each sheet of each file in the inbox), with its resolved status:
-- accepted (every row in force), partially_superseded (a later correction replaced some of its rows, the others
-- are in force), superseded (every row replaced by later accepted reports), duplicate (same content received
-- earlier) or rejected (blocking errors, listed in mart_report_issues). rows_in_force: its rows in force.
with versions as (

    select * from {{ ref('int_report_versions') }}

),

outliers as (

    select report_id, file_name, count(*) as outlier_warnings
    from {{ ref('int_outlier_issues') }}
    group by all

),

corrections_commune_missing as (

    -- mart_report_issues drops the commune_missing warning of a correction (a version after the first)
    select i.report_id, i.file_name, count(*) as dropped_warnings
    from {{ ref('stg_report_issues') }} as i
    inner join versions as v
        on  v.file_name = i.file_name
        and v.sheet is not distinct from i.sheet
    where i.rule = 'commune_missing'
      and v.version_number > 1
    group by all

),

units as (

    select unit_code, full_name, generation from {{ admin_units_both_generations() }}

)

select
    v.file_name,
    v.sheet,
    v.sha256,
    v.family,
    v.period,
    v.district_code,
    v.received_at,
    v.status,
    v.errors,
    v.warnings + coalesce(o.outlier_warnings, 0) - coalesce(c.dropped_warnings, 0) as warnings,
    v.report_id,
    v.report_date,
    v.superseded_by,
    v.row_count,
    v.rows_in_force,
    v.in_force,
    v.superseded_by_file_name,
    v.duplicate_of_file_name,
    v.version_number,
    v.effective_date,
    v.period_type,
    v.year,
    v.quarter,
    d.full_name                                                     as district_name,
    v.prepared_by,
    v.unit_code,
    u.full_name                                                     as unit_name,
    v.unit_level,
    v.province_code,
    v.generation,
    v.version_group
from versions as v
left join outliers as o
    on  o.report_id = v.report_id
    and o.file_name = v.file_name
left join corrections_commune_missing as c
    on  c.report_id = v.report_id
    and c.file_name = v.file_name
left join units as d
    on  d.unit_code = v.district_code
    and d.generation = '2025-03-01'
-- the reporting unit on the list of its period (a plan's unit is a province: its code, whichever list)
left join units as u
    on  u.unit_code = v.unit_code
    and u.generation = coalesce(v.generation, '2025-03-01')
