-- Coverage of every aggregate row of the marts: of the district-level units expected to report (the reporting
-- calendar times the districts of its province, int_expected_reports), how many have a report in force behind
-- the row. One row per (family, period, unit_code), for districts and provinces, by the same roll-up as the
-- figures (macro roll_up_to_province): a district row counts the district itself (1 of 1, or 0 of 1); a
-- province row counts its districts. A period the calendar does not list has units_expected NULL (nothing was
-- expected, so nothing can be complete). A quarterly family also gets year rows (period '2023'): a district
-- covers a year when its reports of all four quarters are in force.
with expected as (

    select family, period, district_code from {{ ref('int_expected_reports') }}

),

reported as (

    -- the reports in force that have rows: the figures of the marts come from exactly these
    select distinct 'poverty' as family, period, district_code from {{ ref('int_poverty_rows') }}
    union
    select distinct 'infrastructure' as family, period, district_code from {{ ref('int_infrastructure_rows') }}
    union
    select distinct 'savings' as family, period, district_code from {{ ref('int_savings_rows') }}

),

district_periods as (

    select
        coalesce(e.family, r.family)                        as family,
        coalesce(e.period, r.period)                        as period,
        coalesce(e.district_code, r.district_code)          as district_code,
        e.district_code is not null                         as is_expected,
        r.district_code is not null                         as is_reported
    from expected as e
    full outer join reported as r
        on  r.family = e.family
        and r.period = e.period
        and r.district_code = e.district_code

),

district_years as (

    -- quarterly families: a district covers the year when all four quarters are reported
    select
        family,
        left(period, 4)                                     as period,
        district_code,
        bool_or(is_expected)                                as is_expected,
        count_if(is_reported) = 4                           as is_reported
    from district_periods
    where regexp_full_match(period, '\d{4}-Q[1-4]')
    group by family, left(period, 4), district_code

),

by_district as (

    select
        family,
        period,
        district_code                                       as unit_code,
        cast(is_reported as bigint)                         as units_reported,
        case when is_expected then cast(1 as bigint) end    as units_expected
    from (
        select * from district_periods
        union all
        select * from district_years
    )

),

all_units as (

    {{ roll_up_to_province('by_district', ['family', 'period'], ['units_reported', 'units_expected']) }}

)

select
    family,
    period,
    unit_code,
    cast(units_reported as bigint)                          as units_reported,
    cast(units_expected as bigint)                          as units_expected,
    coalesce(units_reported = units_expected, false)        as complete
from all_units
