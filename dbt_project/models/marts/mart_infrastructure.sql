-- New-rural infrastructure per district and province, for every quarter and every full year.
-- Quarter rows come straight from the quarterly aggregates. Year rows are built from the quarters present:
-- flows (roads, investment) are summed over them; stocks (NTM communes, OCOP products) are those of the
-- last quarter present in the year.
with quarters as (

    select * from {{ ref('int_infrastructure_quarter_by_unit') }}

),

quarter_rows as (

    select
        cast(year as varchar) || '-Q' || cast(quarter as varchar)   as period,
        'quarter'                                                   as period_type,
        year,
        quarter,
        unit_code,
        unit_name,
        unit_level,
        parent_code,
        rural_road_km,
        green_road_km,
        lit_road_km,
        investment_vnd,
        people_contribution_vnd,
        communes_total,
        ntm_communes,
        ntm_advanced_communes,
        ntm_model_communes,
        ocop_products,
        cast(1 as bigint)                                           as quarters_reported,
        quarter                                                     as stock_quarter,
        communes_reported,
        districts_reported
    from quarters

),

year_flows as (

    select
        year,
        unit_code,
        {{ sum_measures(['rural_road_km', 'green_road_km', 'lit_road_km', 'investment_vnd', 'people_contribution_vnd'],
                        {'rural_road_km': 3, 'green_road_km': 3, 'lit_road_km': 3}) }},
        cast(count(*) as bigint)                                    as quarters_reported,
        max(quarter)                                                as stock_quarter
    from quarters
    group by year, unit_code

),

year_rows as (

    select
        cast(f.year as varchar)                                     as period,
        'year'                                                      as period_type,
        f.year,
        cast(null as integer)                                       as quarter,
        f.unit_code,
        s.unit_name,
        s.unit_level,
        s.parent_code,
        f.rural_road_km,
        f.green_road_km,
        f.lit_road_km,
        f.investment_vnd,
        f.people_contribution_vnd,
        s.communes_total,
        s.ntm_communes,
        s.ntm_advanced_communes,
        s.ntm_model_communes,
        s.ocop_products,
        f.quarters_reported,
        f.stock_quarter,
        s.communes_reported,
        s.districts_reported
    from year_flows as f
    inner join quarters as s
        on  s.unit_code = f.unit_code
        and s.year = f.year
        and s.quarter = f.stock_quarter

),

all_periods as (

    select * from quarter_rows
    union all
    select * from year_rows

)

select
    period,
    period_type,
    year,
    quarter,
    unit_code,
    unit_name,
    unit_level,
    rural_road_km,
    green_road_km,
    lit_road_km,
    investment_vnd,
    people_contribution_vnd,
    {{ pct('people_contribution_vnd', 'investment_vnd') }}          as people_contribution_share_pct,
    communes_total,
    ntm_communes,
    ntm_advanced_communes,
    ntm_model_communes,
    {{ pct('ntm_communes', 'communes_total') }}                     as ntm_share_pct,
    ocop_products,
    parent_code,
    quarters_reported,
    stock_quarter,
    communes_reported,
    districts_reported
from all_periods
