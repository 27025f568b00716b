-- One row per report received (each sheet of each file in the inbox), with its resolved status:
-- accepted (in force), superseded (replaced by a later accepted report), duplicate (same content received
-- earlier) or rejected (blocking errors, listed in mart_report_issues).
with versions as (

    select * from {{ ref('int_report_versions') }}

),

outliers as (

    select report_id, file_name, count(*) as outlier_warnings
    from {{ ref('int_outlier_issues') }}
    group by all

),

units as (

    select unit_code, full_name from {{ ref('stg_admin_units') }}

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
    v.warnings + coalesce(o.outlier_warnings, 0)                   as warnings,
    v.report_id,
    v.report_date,
    v.superseded_by,
    v.row_count,
    v.in_force,
    v.superseded_by_file_name,
    v.duplicate_of_file_name,
    v.version_number,
    v.effective_date,
    v.period_type,
    v.year,
    v.quarter,
    u.full_name                                                     as district_name,
    v.prepared_by
from versions as v
left join outliers as o
    on  o.report_id = v.report_id
    and o.file_name = v.file_name
left join units as u
    on u.unit_code = v.district_code
