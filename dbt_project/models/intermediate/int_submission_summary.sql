-- One row per (family, period, unit_code) for which at least one report was received: the reporting unit (a
-- district up to 30 June 2025, a new commune or province after it) and, for a province's compiled report, every
-- commune it gives a row for (its report counts for each of them, as the commune's own would).
-- The first usable submission is the earliest report that was not rejected and is not a duplicate of earlier
-- content (status 'accepted', 'partially_superseded' or 'superseded'), ordered by its date (Ngày lập, else the
-- day received: a git checkout gives every file the same modification time), then received_at, file_name,
-- sheet; so a late correction of a row delivered on time does not make it late. Its date
-- (Ngày lập, else the day received) decides timeliness in mart_reporting_completeness.
with all_versions as (

    select * from {{ ref('int_report_versions') }}
    where family is not null
      and period is not null
      and unit_code is not null

),

compiled_communes as (

    -- the communes a province's compiled report gives a row for
    {% for family in ['poverty', 'infrastructure'] %}
    select distinct report_id, file_name, commune_code from {{ ref('stg_' ~ family ~ '_rows') }}
    where unit_level = 'province'
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

versions as (

    select v.* replace (coalesce(c.commune_code, v.unit_code) as unit_code)
    from all_versions as v
    left join compiled_communes as c
        on  c.report_id = v.report_id
        and c.file_name = v.file_name
        and v.unit_level = 'province'

),

report_keys as (

    select
        family,
        period,
        unit_code,
        -- the district for a district's report (as before the reorganisation), NULL for a new unit
        max(case when unit_level = 'district' then unit_code end)   as district_code,
        count(*)                                                    as submissions,
        count_if(status in ('accepted', 'partially_superseded', 'superseded')) as usable_submissions,
        count_if(status = 'rejected')                               as rejected_submissions,
        count_if(status = 'duplicate')                              as duplicate_submissions
    from versions
    group by family, period, unit_code

),

first_usable as (

    select
        *,
        row_number() over (
            partition by family, period, unit_code
            order by effective_date, received_at, file_name, sheet
        ) as arrival_number
    from versions
    where status in ('accepted', 'partially_superseded', 'superseded')

),

in_force as (

    -- the latest version (fully in force); earlier ones may still have rows in force (partially_superseded)
    select family, period, unit_code, report_id, file_name
    from versions
    where in_force
    qualify row_number() over (partition by family, period, unit_code order by version_number desc) = 1

)

select
    k.family,
    k.period,
    k.unit_code,
    -- the district for a district's report (as before the reorganisation), NULL for a new unit
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
    and f.unit_code = k.unit_code
    and f.arrival_number = 1
left join in_force as i
    on  i.family = k.family
    and i.period = k.period
    and i.unit_code = k.unit_code
