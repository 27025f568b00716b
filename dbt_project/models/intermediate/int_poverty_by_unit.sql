-- Households by year at district level (sum of the district's commune rows in force) and province level
-- (sum of the districts of that province present in the data). Counts only; rates are computed in the mart.
{% set households = ['total_households', 'poor_households', 'near_poor_households',
                     'em_households', 'em_poor_households', 'em_near_poor_households'] %}

with report_rows as (

    select * from {{ ref('int_poverty_rows') }}

),

units as (

    select * from {{ ref('stg_admin_units') }}

),

by_district as (

    select
        year,
        district_code                                   as unit_code,
        {{ sum_measures(households) }},
        count(*)                                        as communes_reported
    from report_rows
    group by year, district_code

),

all_units as (

    {{ roll_up_to_province('by_district', ['year'], households + ['communes_reported']) }}

)

select
    a.year,
    a.unit_code,
    u.full_name                                         as unit_name,
    u.unit_level,
    u.parent_code,
    a.total_households,
    a.poor_households,
    a.near_poor_households,
    a.em_households,
    a.em_poor_households,
    a.em_near_poor_households,
    cast(a.communes_reported as bigint)                 as communes_reported,
    cast(a.districts_reported as bigint)                as districts_reported
from all_units as a
left join units as u
    on u.unit_code = a.unit_code
