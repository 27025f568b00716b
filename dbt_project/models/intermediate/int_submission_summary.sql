-- One row per (family, period, district_code) for which at least one report was received.
-- The first usable submission is the earliest received report that was not rejected and is not a duplicate
-- of earlier content (status 'accepted', 'partially_superseded' or 'superseded'), ordered by received_at, file_name, sheet; its date
-- (Ngày lập, else the day received) decides timeliness in mart_reporting_completeness.
with versions as (

    select * from {{ ref('int_report_versions') }}
    where family is not null
      and period is not null
      and district_code is not null

),

report_keys as (

    select
        family,
        period,
        district_code,
        count(*)                                                    as submissions,
        count_if(status in ('accepted', 'partially_superseded', 'superseded')) as usable_submissions,
        count_if(status = 'rejected')                               as rejected_submissions,
        count_if(status = 'duplicate')                              as duplicate_submissions
    from versions
    group by family, period, district_code

),

first_usable as (

    select
        *,
        row_number() over (
            partition by family, period, district_code
            order by received_at, file_name, sheet
        ) as arrival_number
    from versions
    where status in ('accepted', 'partially_superseded', 'superseded')

),

in_force as (

    -- the latest version (fully in force); earlier ones may still have rows in force (partially_superseded)
    select family, period, district_code, report_id, file_name
    from versions
    where in_force
    qualify row_number() over (partition by family, period, district_code order by version_number desc) = 1

)

select
    k.family,
    k.period,
    k.district_code,
    f.report_id                                                     as first_report_id,
    f.file_name                                                     as first_file_name,
    f.sheet                                                         as first_sheet,
    f.report_date                                                   as first_report_date,
    f.received_at                                                   as first_received_at,
    f.effective_date                                                as first_effective_date,
    i.report_id                                                     as in_force_report_id,
    i.file_name                                                     as in_force_file_name,
    cast(k.submissions as bigint)                                   as submissions,
    cast(k.usable_submissions as bigint)                            as usable_submissions,
    cast(k.rejected_submissions as bigint)                          as rejected_submissions,
    cast(k.duplicate_submissions as bigint)                         as duplicate_submissions
from report_keys as k
left join first_usable as f
    on  f.family = k.family
    and f.period = k.period
    and f.district_code = k.district_code
    and f.arrival_number = 1
left join in_force as i
    on  i.family = k.family
    and i.period = k.period
    and i.district_code = k.district_code
