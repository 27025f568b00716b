-- Households by year at commune level (the commune's row in force), at district level (sum of the district's
-- commune rows in force; list of 2025-03-01 only) and at province level (macro roll_up_to_province: the sum of the
-- province's districts present up to 30 June 2025, of its new communes present after it). Counts only; rates
-- are computed in the mart. `generation` is the list of units the year is on (macro unit_generation).
-- The ethnic-minority (DTTS) columns are optional: the em_rate_* counts are those of the communes that report
-- all three DTTS counts (em_communes_reported of them), so that a DTTS rate divides a numerator and a
-- denominator from the same communes (hence the same districts) at every level.
{% set households = ['total_households', 'poor_households', 'near_poor_households',
                     'em_households', 'em_poor_households', 'em_near_poor_households'] %}
{% set em_rate = ['em_rate_households', 'em_rate_poor_households', 'em_rate_near_poor_households'] %}
{% set counts = ['communes_reported', 'em_communes_reported'] %}

with report_rows as (

    -- generation: the list of units of the year (as in staging; derived here from the year)
    select * replace ({{ unit_generation('cast(year as varchar)') }} as generation) from {{ ref('int_poverty_rows') }}

),

rows_with_em as (

    select
        *,
        {{ poverty_em_rate_columns() }}
    from report_rows

),

by_commune as (

    select
        year,
        generation,
        commune_code                                    as unit_code,
        {{ sum_measures(households + em_rate) }},
        count(*)                                        as communes_reported,
        count_if(em_reported)                           as em_communes_reported
    from rows_with_em
    group by year, generation, commune_code

),

by_district as (

    select
        year,
        generation,
        district_code                                   as unit_code,
        {{ sum_measures(households + em_rate) }},
        count(*)                                        as communes_reported,
        count_if(em_reported)                           as em_communes_reported
    from rows_with_em
    where generation = '2025-03-01'
    group by year, generation, district_code

),

below_province as (

    -- the level summed into a province: districts (2025-03-01), new communes (2025-07-01)
    select * from by_district
    union all by name
    select * from by_commune where generation = '2025-07-01'

),

all_units as (

    {{ roll_up_to_province('below_province', ['year'], households + em_rate + counts) }}

    union all by name

    -- the communes of 2025-03-01, below their districts
    select *, cast(1 as bigint) as units_summed from by_commune where generation = '2025-03-01'

)

select
    a.year,
    a.unit_code,
    {{ admin_unit_columns('u') }},
    a.total_households,
    a.poor_households,
    a.near_poor_households,
    a.em_households,
    a.em_poor_households,
    a.em_near_poor_households,
    a.em_rate_households,
    a.em_rate_poor_households,
    a.em_rate_near_poor_households,
    cast(a.em_communes_reported as bigint)              as em_communes_reported,
    cast(a.communes_reported as bigint)                 as communes_reported,
    {{ districts_reported('a', 'u') }}                  as districts_reported,
    a.generation
from {{ rows_with_admin_unit('all_units', 'a', 'u') }}
