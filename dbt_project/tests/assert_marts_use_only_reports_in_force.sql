-- Mart figures come only from reports in force: the households of mart_poverty's commune rows (both lists) and
-- district rows equal the sums over the in-force poverty rows, so superseded, duplicate and rejected reports are
-- not counted.
{{ config(meta={'dagster': {'ref': {'name': 'mart_poverty'}}}) }}  -- shown in Dagster as a check of mart_poverty
with in_force_rows as (

    select r.year, 'district' as unit_level, r.district_code as unit_code, sum(r.total_households) as total_households
    from ({{ rows_in_force('poverty') }}) as r
    where r.district_code is not null
    group by r.year, r.district_code
    union all
    select r.year, 'commune', r.commune_code, sum(r.total_households)
    from ({{ rows_in_force('poverty') }}) as r
    group by r.year, r.commune_code

)

select m.year, m.unit_code, m.total_households, i.total_households as in_force_total
from {{ ref('mart_poverty') }} as m
full outer join in_force_rows as i
    on i.year = m.year and i.unit_code = m.unit_code and i.unit_level = m.unit_level
where coalesce(m.unit_level, i.unit_level) in ('district', 'commune')
  and m.total_households is distinct from i.total_households
