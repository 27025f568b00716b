-- Every (family, district_code, period) that received a usable report (accepted by the ingest, not a duplicate)
-- has exactly one report in force; rejected and duplicate reports are never in force.
{{ config(meta={'dagster': {'ref': {'name': 'int_report_versions'}}}) }}  -- shown in Dagster as a check of int_report_versions
select
    family,
    district_code,
    period,
    count_if(in_force)                                      as reports_in_force,
    count_if(status in ('accepted', 'superseded'))          as usable_reports
from {{ ref('int_report_versions') }}
group by family, district_code, period
having count_if(in_force) <> case when count_if(status in ('accepted', 'superseded')) > 0 then 1 else 0 end
    or count_if(in_force and status <> 'accepted') > 0
