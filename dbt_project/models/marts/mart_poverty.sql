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
        {{ pct_unrounded('h.poor_households', 'h.total_households') }}      as poverty_rate,
        {{ pct_unrounded('h.near_poor_households', 'h.total_households') }} as near_poverty_rate,
        {{ pct_unrounded('h.em_rate_poor_households', 'h.em_rate_households') }}      as em_poverty_rate,
        {{ pct_unrounded('h.em_rate_near_poor_households', 'h.em_rate_households') }} as em_near_poverty_rate
    from households as h
    left join coverage as c
        on  c.period = cast(h.year as varchar)
        and c.unit_code = h.unit_code

),

pairs as (

    -- the previous year of the same unit, only when both years are complete
    select
        cur.*,
        case when cur.complete and prev.complete then prev.unit_code end    as prev_unit_code,
        prev.poor_households                                                as prev_poor_households,
        prev.poverty_rate                                                   as prev_poverty_rate,
        prev.em_poor_households                                             as prev_em_poor_households,
        prev.em_poverty_rate                                                as prev_em_poverty_rate,
        prev.near_poor_households                                           as prev_near_poor_households,
        prev.near_poverty_rate                                              as prev_near_poverty_rate
    from with_rates as cur
    left join with_rates as prev
        on  prev.unit_code = cur.unit_code
        and prev.year = cur.year - 1
        -- the same unit: a code may name another unit on the other list (86, 29242), so 2025 has no change
        and prev.generation = cur.generation

)

select
    year,
    unit_code,
    unit_name,
    unit_level,
    total_households,
    poor_households,
    near_poor_households,
    round(poverty_rate, 2)                                                  as poverty_rate_pct,
    round(near_poverty_rate, 2)                                             as near_poverty_rate_pct,
    em_households,
    em_poor_households,
    em_near_poor_households,
    round(em_poverty_rate, 2)                                               as em_poverty_rate_pct,
    round(em_near_poverty_rate, 2)                                          as em_near_poverty_rate_pct,
    case when prev_unit_code is not null
        then poor_households - prev_poor_households end                     as poor_households_change,
    case when prev_unit_code is not null
        then round(poverty_rate - prev_poverty_rate, 2) end                 as poverty_rate_change_pp,
    case when prev_unit_code is not null
        then em_poor_households - prev_em_poor_households end               as em_poor_households_change,
    case when prev_unit_code is not null
        then round(em_poverty_rate - prev_em_poverty_rate, 2) end           as em_poverty_rate_change_pp,
    case when prev_unit_code is not null
        then near_poor_households - prev_near_poor_households end           as near_poor_households_change,
    case when prev_unit_code is not null
        then round(near_poverty_rate - prev_near_poverty_rate, 2) end       as near_poverty_rate_change_pp,
    parent_code,
    communes_reported,
    districts_reported,
    units_reported,
    units_expected,
    complete,
    em_communes_reported,
    generation
from pairs
