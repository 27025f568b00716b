-- Infrastructure by quarter at district level (sum of the district's commune rows in force) and province level
-- (sum of the districts of that province present in the data). Flows are for the quarter, stocks at its end.
-- NTM counts only count communes of type 'Xã' (the standard applies to them only) and are NULL when no
-- commune of the unit reported the column; communes_total is the number of 'Xã' of the unit in the admin list.
{% set flows = ['rural_road_km', 'green_road_km', 'lit_road_km', 'investment_vnd', 'people_contribution_vnd'] %}
{% set stocks = ['ntm_communes', 'ntm_advanced_communes', 'ntm_model_communes', 'ocop_products'] %}
{% set km = {'rural_road_km': 3, 'green_road_km': 3, 'lit_road_km': 3} %}
-- investment and people's contribution are optional: the people's-contribution share divides the share_*
-- amounts, those of the communes reporting both (contribution_rows_reported); the NTM share divides
-- ntm_communes by the communes (xã) that reported the NTM column (ntm_communes_reported), not by every xã.
{% set share = ['share_investment_vnd', 'share_contribution_vnd'] %}

with report_rows as (

    select * from {{ ref('int_infrastructure_rows') }}

),

units as (

    select * from {{ ref('stg_admin_units') }}

),

rows_with_type as (

    select
        r.*,
        c.unit_type = 'Xã' as is_xa,
        r.investment_vnd is not null and r.people_contribution_vnd is not null    as contribution_reported,
        case when contribution_reported then r.investment_vnd end               as share_investment_vnd,
        case when contribution_reported then r.people_contribution_vnd end      as share_contribution_vnd
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
        {{ sum_measures(flows + share, km) }},
        count_if(contribution_reported)                         as contribution_rows_reported,
        count_if(ntm_standard is not null and is_xa)            as ntm_communes_reported,
        case when count(ntm_standard) > 0
            then count_if(coalesce(ntm_standard, false) and is_xa) end as ntm_communes,
        case when count(ntm_advanced) > 0
            then count_if(coalesce(ntm_advanced, false) and is_xa) end as ntm_advanced_communes,
        case when count(ntm_model) > 0
            then count_if(coalesce(ntm_model, false) and is_xa) end    as ntm_model_communes,
        cast(sum(ocop_products) as bigint)                      as ocop_products,
        count(*)                                                as communes_reported
    from rows_with_type
    group by year, quarter, district_code

),

all_units as (

    {{ roll_up_to_province('by_district', ['year', 'quarter'], flows + share + stocks
                           + ['contribution_rows_reported', 'ntm_communes_reported', 'communes_reported'], km) }}

),

xa_by_district as (

    -- communes (xã) per district; per province by the same roll-up
    select district_code as unit_code, count(*) as communes_total
    from units
    where unit_level = 'commune' and unit_type = 'Xã'
    group by district_code

),

xa_counts as (

    {{ roll_up_to_province('xa_by_district', [], ['communes_total']) }}

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
    a.share_investment_vnd,
    a.share_contribution_vnd,
    cast(a.contribution_rows_reported as bigint)                as contribution_rows_reported,
    cast(a.ntm_communes_reported as bigint)                     as ntm_communes_reported,
    cast(a.communes_reported as bigint)                         as communes_reported,
    cast(a.districts_reported as bigint)                        as districts_reported
from all_units as a
left join units as u
    on u.unit_code = a.unit_code
left join xa_counts as x
    on x.unit_code = a.unit_code
