-- The emulation plan in force for each year (one row per year): of the plans received for the year (family
-- 'emulation_plan' in int_report_versions, district_code = the province, period = the year) that were not rejected
-- nor duplicates, the latest in effect order (Ngày lập, then received_at, then file name) -- as reports. A plan has
-- no rows to merge, so the latest version replaces the earlier ones whole. With its parameters (Tham số, the
-- defaults filled in by the ingest) as columns.
with versions as (

    select * from {{ ref('int_report_versions') }}
    where family = 'emulation_plan'
      and in_force

),

plan_in_force as (

    select *
    from versions
    qualify row_number() over (partition by district_code, period order by version_number desc) = 1

),

parameters as (

    select
        p.report_id,
        p.file_name,
        max(p.value) filter (where p.key = 'late_report_penalty')      as late_report_penalty,
        max(p.value) filter (where p.key = 'missing_report_penalty')   as missing_report_penalty,
        max(p.value) filter (where p.key = 'excellent_from_pct')       as excellent_from_pct,
        max(p.value) filter (where p.key = 'good_from_pct')            as good_from_pct,
        max(p.value) filter (where p.key = 'completed_from_pct')       as completed_from_pct,
        max(p.value) filter (where p.key = 'flags_per_cluster')        as flags_per_cluster,
        max(p.value) filter (where p.key = 'merits_per_cluster')       as merits_per_cluster
    from {{ ref('stg_plan_parameters') }} as p
    group by p.report_id, p.file_name

)

select
    cast(v.period as integer)                                           as year,
    v.district_code                                                     as province_code,
    v.report_id,
    v.file_name,
    v.sheet,
    v.effective_date,
    coalesce(p.late_report_penalty, 1)                                  as late_report_penalty,
    coalesce(p.missing_report_penalty, 5)                               as missing_report_penalty,
    coalesce(p.excellent_from_pct, 90)                                  as excellent_from_pct,
    coalesce(p.good_from_pct, 75)                                       as good_from_pct,
    coalesce(p.completed_from_pct, 50)                                  as completed_from_pct,
    cast(coalesce(p.flags_per_cluster, 1) as integer)                   as flags_per_cluster,
    cast(coalesce(p.merits_per_cluster, 2) as integer)                  as merits_per_cluster
from plan_in_force as v
left join parameters as p
    on  p.report_id = v.report_id
    and p.file_name = v.file_name
