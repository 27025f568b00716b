-- One row per expected report: every (family, period) of the reporting calendar for a province,
-- times every district-level unit of that province in the admin list.
with calendar as (

    select * from {{ ref('stg_reporting_calendar') }}

),

districts as (

    select * from {{ ref('stg_admin_units') }}
    where unit_level = 'district'

)

select
    calendar.family,
    calendar.period,
    calendar.period_type,
    calendar.province_code,
    districts.unit_code     as district_code,
    districts.full_name     as district_name,
    calendar.due_date
from calendar
inner join districts
    on districts.parent_code = calendar.province_code
