-- Province rows of mart_poverty equal the sum of their district rows.
{{ config(meta={'dagster': {'ref': {'name': 'mart_poverty'}}}) }}  -- shown in Dagster as a check of mart_poverty
with districts as (

    select
        year,
        parent_code                         as unit_code,
        sum(total_households)               as total_households,
        sum(poor_households)                as poor_households,
        sum(near_poor_households)           as near_poor_households
    from {{ ref('mart_poverty') }}
    where unit_level = 'district'
    group by year, parent_code

)

select p.year, p.unit_code, p.poor_households, d.poor_households as sum_of_districts
from {{ ref('mart_poverty') }} as p
full outer join districts as d
    on d.year = p.year and d.unit_code = p.unit_code
where coalesce(p.unit_level, 'province') = 'province'
  and (
        p.unit_code is null
     or d.unit_code is null
     or p.total_households is distinct from d.total_households
     or p.poor_households is distinct from d.poor_households
     or p.near_poor_households is distinct from d.near_poor_households
  )
