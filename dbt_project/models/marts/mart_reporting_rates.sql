-- Reporting rates per family and period, per reporting unit (a district up to 30 June 2025, a new commune after
-- it) and per province (the sum of its districts, or of its new communes: macro roll_up_to_province): how many of the expected reports arrived (on time or late) and how many on time.
with completeness as (

    select * from {{ ref('mart_reporting_completeness') }}

),

units as (

    select * from {{ ref('dim_admin_unit') }}

),

by_unit as (

    select
        family,
        period,
        period_type,
        due_date,
        unit_code,
        generation,
        count(*)                                        as expected_reports,
        count_if(status = 'on_time')                    as on_time_reports,
        count_if(status = 'late')                       as late_reports,
        count_if(status = 'missing')                    as missing_reports
    from completeness
    group by family, period, period_type, due_date, unit_code, generation

),

all_units as (

    {{ roll_up_to_province('by_unit', ['family', 'period', 'period_type', 'due_date'],
                           ['expected_reports', 'on_time_reports', 'late_reports', 'missing_reports']) }}

)

select
    a.family,
    a.period,
    a.period_type,
    a.due_date,
    a.unit_code,
    u.full_name                                                     as unit_name,
    u.unit_level,
    cast(a.expected_reports as bigint)                              as expected_reports,
    cast(a.on_time_reports + a.late_reports as bigint)              as received_reports,
    cast(a.on_time_reports as bigint)                               as on_time_reports,
    cast(a.late_reports as bigint)                                  as late_reports,
    cast(a.missing_reports as bigint)                               as missing_reports,
    {{ pct('a.on_time_reports + a.late_reports', 'a.expected_reports') }}   as reporting_rate_pct,
    {{ pct('a.on_time_reports', 'a.expected_reports') }}                    as on_time_rate_pct,
    a.generation
from all_units as a
left join units as u
    on  u.unit_code = a.unit_code
    and u.generation = a.generation
