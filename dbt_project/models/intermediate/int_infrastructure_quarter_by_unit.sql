-- Infrastructure by quarter at district level (sum of the district's commune rows in force) and province level
-- (sum of the districts of that province present in the data). Flows are for the quarter, stocks at its end.
-- NTM counts only count communes of type 'Xã' (the standard applies to them only) and are NULL when no
-- commune of the unit reported the column; communes_total is the number of 'Xã' of the unit in the admin list.
with report_rows as (

    select * from {{ ref('int_infrastructure_rows') }}

),

units as (

    select * from {{ ref('stg_admin_units') }}

),

rows_with_type as (

    select
        r.*,
        c.unit_type = 'Xã' as is_xa
    from report_rows as r
    left join units as c
        on c.unit_code = r.commune_code
       and c.unit_level = 'commune'

),

by_district as (

    select
        year,
        quarter,
        district_code                                           as unit_code,
        round(sum(rural_road_km), 3)                            as rural_road_km,
        round(sum(green_road_km), 3)                            as green_road_km,
        round(sum(lit_road_km), 3)                              as lit_road_km,
        cast(sum(investment_vnd) as bigint)                     as investment_vnd,
        cast(sum(people_contribution_vnd) as bigint)            as people_contribution_vnd,
        case when count(ntm_standard) > 0
            then count_if(coalesce(ntm_standard, false) and is_xa) end as ntm_communes,
        case when count(ntm_advanced) > 0
            then count_if(coalesce(ntm_advanced, false) and is_xa) end as ntm_advanced_communes,
        case when count(ntm_model) > 0
            then count_if(coalesce(ntm_model, false) and is_xa) end    as ntm_model_communes,
        cast(sum(ocop_products) as bigint)                      as ocop_products,
        count(*)                                                as communes_reported,
        1                                                       as districts_reported
    from rows_with_type
    group by year, quarter, district_code

),

by_province as (

    select
        d.year,
        d.quarter,
        u.parent_code                                           as unit_code,
        round(sum(d.rural_road_km), 3)                          as rural_road_km,
        round(sum(d.green_road_km), 3)                          as green_road_km,
        round(sum(d.lit_road_km), 3)                            as lit_road_km,
        cast(sum(d.investment_vnd) as bigint)                   as investment_vnd,
        cast(sum(d.people_contribution_vnd) as bigint)          as people_contribution_vnd,
        sum(d.ntm_communes)                                     as ntm_communes,
        sum(d.ntm_advanced_communes)                            as ntm_advanced_communes,
        sum(d.ntm_model_communes)                               as ntm_model_communes,
        cast(sum(d.ocop_products) as bigint)                    as ocop_products,
        sum(d.communes_reported)                                as communes_reported,
        count(*)                                                as districts_reported
    from by_district as d
    inner join units as u
        on u.unit_code = d.unit_code
       and u.unit_level = 'district'
    group by d.year, d.quarter, u.parent_code

),

all_units as (

    select * from by_district
    union all
    select * from by_province

),

xa_counts as (

    -- communes (xã) per district and per province
    select district_code as unit_code, count(*) as communes_total
    from units
    where unit_level = 'commune' and unit_type = 'Xã'
    group by district_code
    union all
    select province_code as unit_code, count(*) as communes_total
    from units
    where unit_level = 'commune' and unit_type = 'Xã'
    group by province_code

)

select
    a.year,
    a.quarter,
    a.unit_code,
    u.full_name                                                 as unit_name,
    u.unit_level,
    u.parent_code,
    a.rural_road_km,
    a.green_road_km,
    a.lit_road_km,
    a.investment_vnd,
    a.people_contribution_vnd,
    cast(coalesce(x.communes_total, 0) as bigint)               as communes_total,
    cast(a.ntm_communes as bigint)                              as ntm_communes,
    cast(a.ntm_advanced_communes as bigint)                     as ntm_advanced_communes,
    cast(a.ntm_model_communes as bigint)                        as ntm_model_communes,
    a.ocop_products,
    cast(a.communes_reported as bigint)                         as communes_reported,
    cast(a.districts_reported as bigint)                        as districts_reported
from all_units as a
left join units as u
    on u.unit_code = a.unit_code
left join xa_counts as x
    on x.unit_code = a.unit_code
