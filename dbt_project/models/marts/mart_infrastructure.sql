-- New-rural infrastructure per commune, district and province as reported, for every quarter and year: communes
-- and districts of 2025-03-01 up to 2025-Q2, new communes and provinces of 2025-07-01 from 2025-Q3 (`generation`).
-- Quarter rows come straight from the quarterly aggregates. Year rows are built from the quarters present:
-- flows (roads, investment) are summed over them; stocks (NTM communes, OCOP products) are those of the
-- last quarter present in the year. Shares divide amounts or counts of the same communes (the share_* amounts of
-- the communes reporting both investment and contribution; NTM communes of the xã that reported the NTM column).
-- Every row says how many of the units expected to report are behind it (int_report_coverage; a year is covered
-- by a unit when all four of its quarters are). A year's row is built only on the list of units the year is on
-- (macro unit_generation: 2025 is on the list of 2025-07-01) from the quarters on that list: the year 2025 of a new
-- commune or province sums Q3 and Q4 only (quarters_reported 2; the districts' Q1 and Q2 are not in it), a break
-- in the series (the *_2025_units marts carry one series on today's units).
with quarters as (

    select * replace ({{ unit_generation("cast(year as varchar) || '-Q' || cast(quarter as varchar)") }} as generation) from {{ ref('int_infrastructure_quarter_by_unit') }}

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
        share_investment_vnd,
        share_contribution_vnd,
        contribution_rows_reported,
        ntm_communes_reported,
        cast(1 as bigint)                                           as quarters_reported,
        quarter                                                     as stock_quarter,
        communes_reported,
        districts_reported,
        generation
    from quarters

),

year_flows as (

    select
        year,
        unit_code,
        {{ sum_measures(['rural_road_km', 'green_road_km', 'lit_road_km', 'investment_vnd', 'people_contribution_vnd',
                         'share_investment_vnd', 'share_contribution_vnd', 'contribution_rows_reported'],
                        {'rural_road_km': 3, 'green_road_km': 3, 'lit_road_km': 3}) }},
        cast(count(*) as bigint)                                    as quarters_reported,
        max(quarter)                                                as stock_quarter,
        generation
    from quarters
    -- only the quarters on the year's list: a year never mixes the two lists of units
    where generation = {{ unit_generation('cast(year as varchar)') }}
    group by year, unit_code, generation

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
        f.share_investment_vnd,
        f.share_contribution_vnd,
        f.contribution_rows_reported,
        s.ntm_communes_reported,
        f.quarters_reported,
        f.stock_quarter,
        s.communes_reported,
        s.districts_reported,
        f.generation
    from year_flows as f
    inner join quarters as s
        on  s.unit_code = f.unit_code
        and s.generation = f.generation
        and s.year = f.year
        and s.quarter = f.stock_quarter

),

all_periods as (

    select * from quarter_rows
    union all
    select * from year_rows

),

coverage as (

    select * from {{ ref('int_report_coverage') }}
    where family = 'infrastructure'

)

select
    p.period,
    p.period_type,
    p.year,
    p.quarter,
    p.unit_code,
    p.unit_name,
    p.unit_level,
    p.rural_road_km,
    p.green_road_km,
    p.lit_road_km,
    p.investment_vnd,
    p.people_contribution_vnd,
    {{ pct('p.share_contribution_vnd', 'p.share_investment_vnd') }}    as people_contribution_share_pct,
    p.communes_total,
    p.ntm_communes,
    p.ntm_advanced_communes,
    p.ntm_model_communes,
    {{ pct('p.ntm_communes', 'p.ntm_communes_reported') }}             as ntm_share_pct,
    p.ocop_products,
    p.parent_code,
    p.quarters_reported,
    p.stock_quarter,
    p.communes_reported,
    p.districts_reported,
    {{ coverage_columns('c') }},
    p.contribution_rows_reported,
    p.ntm_communes_reported,
    p.generation
from all_periods as p
left join coverage as c
    on  c.period = p.period
    and c.unit_code = p.unit_code
