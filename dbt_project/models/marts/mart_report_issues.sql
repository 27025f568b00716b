-- One row per rule a report broke: errors (the report was rejected) and warnings (recorded beside an
-- accepted report), with file, sheet, Excel row and column so that a district clerk can act on them.
with issues as (

    select * from {{ ref('stg_report_issues') }}
    union all by name
    -- outliers need the previous period, so they are found after ingest, in dbt
    select * from {{ ref('int_outlier_issues') }}
    union all by name
    -- a commune given by two reports of different units (its own and the province's compiled): compared in dbt
    select * from {{ ref('int_overlap_issues') }}

),

versions as (

    select file_name, sheet, status, version_number from {{ ref('int_report_versions') }}

)

select
    i.file_name,
    i.sheet,
    i.row_number,
    i.column_name,
    i.family,
    i.period,
    i.district_code,
    i.severity,
    i.rule,
    i.message,
    i.report_id,
    v.status                                                        as report_status,
    i.unit_code
from issues as i
left join versions as v
    on  v.file_name = i.file_name
    and v.sheet is not distinct from i.sheet
-- a correction (a later version of the same unit, family and period) lists only the rows it fixes: the communes
-- it leaves out stay in force from the earlier versions, so it gets no commune_missing warning (spec, version 2)
where not (i.rule = 'commune_missing' and coalesce(v.version_number, 1) > 1)
