-- One row per expected report: every (family, period) of the reporting calendar for a province, times every unit
-- of that province that reports it. A calendar row with reporting_level 'district' (a period ending by 30 June
-- 2025) expects every district of the province (list of 2025-03-01); one with 'commune' expects every commune of
-- the province on the list of 2025-07-01, restricted, when old_province_code is set, to the new communes that took
-- in a commune of that old province (commune crosswalk): 41 of Tỉnh Vĩnh Long's 124 for the former Trà Vinh (84).
with calendar as (

    select * from {{ ref('stg_reporting_calendar') }}

),

districts as (

    select * from {{ ref('stg_admin_units') }}
    where unit_level = 'district'

),

new_communes as (

    select * from {{ ref('stg_admin_units_2025') }}
    where unit_level = 'commune'

),

old_province_of_new_commune as (

    -- the old provinces whose communes (whole or in part) went into each new commune
    select distinct x.new_commune_code, old.province_code as old_province_code
    from {{ ref('stg_commune_crosswalk') }} as x
    inner join {{ ref('stg_admin_units') }} as old
        on  old.unit_code = x.old_commune_code
        and old.unit_level = 'commune'

),

district_reports as (

    select
        calendar.family,
        calendar.period,
        calendar.period_type,
        calendar.province_code,
        districts.unit_code                 as unit_code,
        districts.full_name                 as unit_name,
        'district'                          as unit_level,
        districts.unit_code                 as district_code,
        districts.full_name                 as district_name,
        calendar.due_date
    from calendar
    inner join districts
        on districts.parent_code = calendar.province_code
    where coalesce(calendar.reporting_level, 'district') = 'district'

),

commune_reports as (

    select
        calendar.family,
        calendar.period,
        calendar.period_type,
        calendar.province_code,
        communes.unit_code                  as unit_code,
        communes.full_name                  as unit_name,
        'commune'                           as unit_level,
        cast(null as varchar)               as district_code,
        cast(null as varchar)               as district_name,
        calendar.due_date
    from calendar
    inner join new_communes as communes
        on communes.parent_code = calendar.province_code
    where calendar.reporting_level = 'commune'
      and (calendar.old_province_code is null
           or exists (
               select 1 from old_province_of_new_commune as o
               where o.new_commune_code = communes.unit_code
                 and o.old_province_code = calendar.old_province_code
           ))

)

select
    *,
    {{ unit_generation('period') }}         as generation
from (
    select * from district_reports
    union all
    select * from commune_reports
)
