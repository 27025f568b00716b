-- Infrastructure by quarter at commune level (the commune's row in force), district level (sum of the district's
-- commune rows in force; list of 2025-03-01 only) and province level (macro roll_up_to_province: the sum of the
-- province's districts present up to 30 June 2025, of its new communes present after it). `generation` is the
-- list of units the quarter is on (macro unit_generation). Flows are for the quarter, stocks at its end.
-- NTM counts only count communes of type 'Xã' (the standard applies to them only) and are NULL when no
-- commune of the unit reported the column; communes_total is the number of 'Xã' of the unit in the admin list.
{% set flows = ['rural_road_km', 'green_road_km', 'lit_road_km', 'investment_vnd', 'people_contribution_vnd'] %}
{% set stocks = ['ntm_communes', 'ntm_advanced_communes', 'ntm_model_communes', 'ocop_products'] %}
{% set km = {'rural_road_km': 3, 'green_road_km': 3, 'lit_road_km': 3} %}
-- investment and people's contribution are optional: the people's-contribution share divides the share_*
-- amounts, those of the communes reporting both (contribution_rows_reported); the NTM share divides
-- ntm_communes by the communes (xã) that reported the NTM column (ntm_communes_reported), not by every xã.
{% set share = ['share_investment_vnd', 'share_contribution_vnd'] %}

{#- the measures of a unit (a commune, a district) from its commune rows: the same for both levels -#}
{% set unit_measures %}
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
{%- endset %}

with report_rows as (

    -- generation: the list of units of the quarter (as in staging; derived here from the quarter)
    select * replace ({{ unit_generation("cast(year as varchar) || '-Q' || cast(quarter as varchar)") }} as generation) from {{ ref('int_infrastructure_rows') }}

),

units as (

    select * from {{ admin_units_both_generations() }}

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
        on  c.unit_code = r.commune_code
        and c.generation = r.generation
        and c.unit_level = 'commune'

),

by_commune as (

    select
        year,
        quarter,
        generation,
        commune_code                                            as unit_code,
        {{ unit_measures }}
    from rows_with_type
    group by year, quarter, generation, commune_code

),

by_district as (

    select
        year,
        quarter,
        generation,
        district_code                                           as unit_code,
        {{ unit_measures }}
    from rows_with_type
    where generation = '2025-03-01'
    group by year, quarter, generation, district_code

),

below_province as (

    -- the level summed into a province: districts (2025-03-01), new communes (2025-07-01)
    select * from by_district
    union all by name
    select * from by_commune where generation = '2025-07-01'

),

all_units as (

    {{ roll_up_to_province('below_province', ['year', 'quarter'], flows + share + stocks
                           + ['contribution_rows_reported', 'ntm_communes_reported', 'communes_reported'], km) }}

    union all by name

    -- the communes of 2025-03-01, below their districts
    select *, cast(1 as bigint) as units_summed from by_commune where generation = '2025-03-01'

),

xa_below_province as (

    -- communes (xã) per district (2025-03-01) and per new commune (2025-07-01: 1 for a xã, 0 otherwise)
    select '2025-03-01' as generation, district_code as unit_code, count_if(unit_type = 'Xã') as communes_total
    from units
    where generation = '2025-03-01' and unit_level = 'commune'
    group by district_code
    union all
    select '2025-07-01', unit_code, cast(unit_type = 'Xã' as integer)
    from units
    where generation = '2025-07-01' and unit_level = 'commune'

),

xa_counts as (

    -- per province by the same roll-up, plus the communes of 2025-03-01 (1 for a xã, 0 otherwise)
    {{ roll_up_to_province('xa_below_province', [], ['communes_total']) }}
    union all
    select unit_code, '2025-03-01', cast(unit_type = 'Xã' as bigint), 1
    from units
    where generation = '2025-03-01' and unit_level = 'commune'

)

select
    a.year,
    a.quarter,
    a.unit_code,
    {{ admin_unit_columns('u') }},
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
    {{ districts_reported('a', 'u') }}                          as districts_reported,
    a.generation
from {{ rows_with_admin_unit('all_units', 'a', 'u') }}
left join xa_counts as x
    on  x.unit_code = a.unit_code
    and x.generation = a.generation
