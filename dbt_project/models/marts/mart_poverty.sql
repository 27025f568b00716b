-- Poor and near-poor households by year, per commune, district and province as reported: communes, districts
-- and provinces of 2025-03-01 up to 2024, new communes and provinces of 2025-07-01 from 2025 (`generation`). Rates are computed from summed
-- counts (never averaged); the ethnic-minority (DTTS) rates from the communes that report all three DTTS
-- counts (em_communes_reported), so numerator and denominator cover the same communes. Every row says how
-- many of the units expected to report are behind it (int_report_coverage). Changes compare with the same
-- unit's previous year and are NULL when it is absent or when either year is incomplete; rate changes are the
-- rounded difference of the unrounded rates, in percentage points.
with households as (

    select * replace ({{ unit_generation('cast(year as varchar)') }} as generation) from {{ ref('int_poverty_by_unit') }}

),

coverage as (

    select * from {{ ref('int_report_coverage') }}
    where family = 'poverty'

),

with_rates as (

    select
        h.*,
        {{ coverage_columns('c') }},
        {{ poverty_rates('h') }}
    from households as h
    left join coverage as c
        on  c.period = cast(h.year as varchar)
        and c.unit_code = h.unit_code

),

pairs as (

    -- the previous year of the same unit, only when both years are complete; the same unit: a code may name
    -- another unit on the other list (86, 29242), so 2025 has no change
    {{ poverty_previous_year('with_rates', ['unit_code', 'generation'], 'complete') }}

)

select
    year,
    unit_code,
    unit_name,
    unit_level,
    {{ poverty_figures() }},
    parent_code,
    communes_reported,
    districts_reported,
    units_reported,
    units_expected,
    complete,
    em_communes_reported,
    generation
from pairs
