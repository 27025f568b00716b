-- Year rows of mart_infrastructure: flows are the sum of the unit's quarter rows of that year on the year's list
-- of units (macro unit_generation: 2025 on the list of 2025-07-01, from Q3 and Q4), stocks are those of its last
-- quarter row of that year.
{{ config(meta={'dagster': {'ref': {'name': 'mart_infrastructure'}}}) }}  -- shown in Dagster as a check of mart_infrastructure
with quarters as (

    select * from {{ ref('mart_infrastructure') }}
    where period_type = 'quarter'
      and generation = {{ unit_generation('cast(year as varchar)') }}

),

expected as (

    select
        year,
        unit_code,
        sum(rural_road_km)                  as rural_road_km,
        sum(investment_vnd)                 as investment_vnd,
        max(quarter)                        as last_quarter,
        count(*)                            as quarters_reported
    from quarters
    group by year, unit_code

),

years as (

    select * from {{ ref('mart_infrastructure') }}
    where period_type = 'year'

)

select y.year, y.unit_code
from years as y
full outer join expected as e
    on e.year = y.year and e.unit_code = y.unit_code
left join quarters as q
    on q.year = e.year and q.unit_code = e.unit_code and q.quarter = e.last_quarter
where y.unit_code is null
   or e.unit_code is null
   or abs(coalesce(y.rural_road_km, 0) - coalesce(e.rural_road_km, 0)) > 0.001
   or y.investment_vnd is distinct from e.investment_vnd
   or y.quarters_reported <> e.quarters_reported
   or y.ntm_communes is distinct from q.ntm_communes
   or y.ntm_advanced_communes is distinct from q.ntm_advanced_communes
   or y.ocop_products is distinct from q.ocop_products
