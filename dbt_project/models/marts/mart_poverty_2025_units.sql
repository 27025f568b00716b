-- Giảm nghèo trên bản đồ hôm nay — mart_poverty on the units of 2025-07-01, every year from 2021: one row per
-- (year, unit_code) for each new commune and new province with figures. Commune rows of the old list are summed
-- into the new commune they became, split ones divided by share (macros onto_2025_communes and
-- roll_up_to_2025_province: largest remainder, `approximate`); rows of the new list are on today's communes
-- already. Rates are recomputed from the summed counts, the DTTS rates from the em_rate_* counts of the communes
-- reporting all three DTTS counts, as in mart_poverty. `coverage_pct` says how much of the unit the figures
-- cover; changes compare with the same new unit's previous year and are NULL unless both years are complete
-- (coverage_pct 100) and not approximate.
{% set households = ['total_households', 'poor_households', 'near_poor_households',
                     'em_households', 'em_poor_households', 'em_near_poor_households'] %}
{% set em_rate = ['em_rate_households', 'em_rate_poor_households', 'em_rate_near_poor_households'] %}
{% set reported = ['communes_reported', 'em_communes_reported'] %}
{% set measures = households + em_rate + reported %}

with report_rows as (

    select
        *,
        {{ unit_generation('period') }}                                 as generation,
        em_households is not null
            and em_poor_households is not null
            and em_near_poor_households is not null                     as em_reported,
        case when em_reported then em_households end                    as em_rate_households,
        case when em_reported then em_poor_households end               as em_rate_poor_households,
        case when em_reported then em_near_poor_households end          as em_rate_near_poor_households,
        1                                                               as communes_reported,
        cast(em_reported as integer)                                    as em_communes_reported
    from {{ ref('int_poverty_rows') }}
    where year >= 2021

),

communes as (

    {{ onto_2025_communes('report_rows', ['year'], measures) }}

),

all_units as (

    {{ roll_up_to_2025_province('communes', ['year'], measures) }}

),

with_rates as (

    select
        a.*,
        u.full_name                                                                 as unit_name,
        a.coverage_pct = 100 and not a.approximate                                  as comparable,
        {{ pct_unrounded('a.poor_households', 'a.total_households') }}              as poverty_rate,
        {{ pct_unrounded('a.near_poor_households', 'a.total_households') }}         as near_poverty_rate,
        {{ pct_unrounded('a.em_rate_poor_households', 'a.em_rate_households') }}      as em_poverty_rate,
        {{ pct_unrounded('a.em_rate_near_poor_households', 'a.em_rate_households') }} as em_near_poverty_rate
    from all_units as a
    inner join {{ ref('stg_admin_units_2025') }} as u
        on  u.unit_code = a.unit_code
        and u.unit_level = a.unit_level

),

pairs as (

    -- the previous year of the same new unit, only when both years are complete and exact
    select
        cur.*,
        case when cur.comparable and prev.comparable then prev.unit_code end   as prev_unit_code,
        prev.poor_households                                                    as prev_poor_households,
        prev.poverty_rate                                                       as prev_poverty_rate,
        prev.em_poor_households                                                 as prev_em_poor_households,
        prev.em_poverty_rate                                                    as prev_em_poverty_rate,
        prev.near_poor_households                                               as prev_near_poor_households,
        prev.near_poverty_rate                                                  as prev_near_poverty_rate
    from with_rates as cur
    left join with_rates as prev
        on  prev.unit_code = cur.unit_code
        and prev.unit_level = cur.unit_level
        and prev.year = cur.year - 1

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
    em_communes_reported,
    em_rate_households,
    em_rate_poor_households,
    em_rate_near_poor_households,
    coverage_pct,
    approximate,
    coverage_pct = 100                                                      as complete
from pairs
