-- Households by year at district level (sum of the district's commune rows in force) and province level
-- (sum of the districts of that province present in the data). Counts only; rates are computed in the mart.
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
        cast(sum(total_households) as bigint)           as total_households,
        cast(sum(poor_households) as bigint)            as poor_households,
        cast(sum(near_poor_households) as bigint)       as near_poor_households,
        cast(sum(em_households) as bigint)              as em_households,
        cast(sum(em_poor_households) as bigint)         as em_poor_households,
        cast(sum(em_near_poor_households) as bigint)    as em_near_poor_households,
        count(*)                                        as communes_reported,
        1                                               as districts_reported
    from report_rows
    group by year, district_code

),

by_province as (

    select
        d.year,
        u.parent_code                                   as unit_code,
        cast(sum(d.total_households) as bigint)         as total_households,
        cast(sum(d.poor_households) as bigint)          as poor_households,
        cast(sum(d.near_poor_households) as bigint)     as near_poor_households,
        cast(sum(d.em_households) as bigint)            as em_households,
        cast(sum(d.em_poor_households) as bigint)       as em_poor_households,
        cast(sum(d.em_near_poor_households) as bigint)  as em_near_poor_households,
        sum(d.communes_reported)                        as communes_reported,
        count(*)                                        as districts_reported
    from by_district as d
    inner join units as u
        on u.unit_code = d.unit_code
       and u.unit_level = 'district'
    group by d.year, u.parent_code

),

all_units as (

    select * from by_district
    union all
    select * from by_province

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
