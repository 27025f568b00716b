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
        {{ poverty_em_rate_columns() }},
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
        a.coverage_pct = 100 and not a.approximate                                  as comparable,
        {{ poverty_rates('a') }}
    from all_units as a

),

pairs as (

    -- the previous year of the same new unit, only when both years are complete and exact
    {{ poverty_previous_year('with_rates', ['unit_code', 'unit_level'], 'comparable') }}

)

select
    year,
    unit_code,
    unit_name,
    unit_level,
    {{ poverty_figures() }},
    parent_code,
    communes_reported,
    em_communes_reported,
    em_rate_households,
    em_rate_poor_households,
    em_rate_near_poor_households,
    {{ today_map_columns() }}
from pairs
