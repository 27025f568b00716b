-- Poor and near-poor households by year, per district and province. Rates are computed from summed
-- counts (never averaged). Changes compare with the same unit's previous year (NULL when absent);
-- rate changes are the rounded difference of the unrounded rates, in percentage points.
with households as (

    select * from {{ ref('int_poverty_by_unit') }}

),

with_rates as (

    select
        *,
        {{ pct_unrounded('poor_households', 'total_households') }}          as poverty_rate,
        {{ pct_unrounded('near_poor_households', 'total_households') }}     as near_poverty_rate,
        {{ pct_unrounded('em_poor_households', 'em_households') }}          as em_poverty_rate,
        {{ pct_unrounded('em_near_poor_households', 'em_households') }}     as em_near_poverty_rate
    from households

)

select
    cur.year,
    cur.unit_code,
    cur.unit_name,
    cur.unit_level,
    cur.total_households,
    cur.poor_households,
    cur.near_poor_households,
    round(cur.poverty_rate, 2)                                              as poverty_rate_pct,
    round(cur.near_poverty_rate, 2)                                         as near_poverty_rate_pct,
    cur.em_households,
    cur.em_poor_households,
    cur.em_near_poor_households,
    round(cur.em_poverty_rate, 2)                                           as em_poverty_rate_pct,
    round(cur.em_near_poverty_rate, 2)                                      as em_near_poverty_rate_pct,
    cur.poor_households - prev.poor_households                              as poor_households_change,
    round(cur.poverty_rate - prev.poverty_rate, 2)                          as poverty_rate_change_pp,
    cur.em_poor_households - prev.em_poor_households                        as em_poor_households_change,
    round(cur.em_poverty_rate - prev.em_poverty_rate, 2)                    as em_poverty_rate_change_pp,
    cur.near_poor_households - prev.near_poor_households                    as near_poor_households_change,
    round(cur.near_poverty_rate - prev.near_poverty_rate, 2)                as near_poverty_rate_change_pp,
    cur.parent_code,
    cur.communes_reported,
    cur.districts_reported
from with_rates as cur
left join with_rates as prev
    on  prev.unit_code = cur.unit_code
    and prev.year = cur.year - 1
