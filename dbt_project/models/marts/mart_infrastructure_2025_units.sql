-- Nông thôn mới trên bản đồ hôm nay — mart_infrastructure on the units of 2025-07-01, every quarter and every
-- full year from 2021: one row per (period, unit_code) for each new commune and new province with figures.
-- Quarter rows: commune rows of the old list are summed into the new commune they became, split ones divided by
-- share (macros onto_2025_communes and roll_up_to_2025_province); rows of the new list are on today's communes.
-- Roads, investment, contribution and OCOP products are summed. A status (NTM standard, advanced, model) cannot
-- be summed: before the change the NTM columns count the old communes (xã) with the status inside the new unit
-- (a split old commune counts whole in the new commune taking its largest share), after it the new communes (xã)
-- that reported the status. Year rows of a commune: flows summed over its quarters, stocks of its last quarter,
-- coverage the mean over the four quarters; a province's year row is the sum of its communes' year rows.
{% set km = {'rural_road_km': 3, 'green_road_km': 3, 'lit_road_km': 3} %}
{% set flows = ['rural_road_km', 'green_road_km', 'lit_road_km', 'investment_vnd', 'people_contribution_vnd',
                'share_investment_vnd', 'share_contribution_vnd', 'contribution_rows_reported'] %}
{% set stocks = ['ntm_communes', 'ntm_advanced_communes', 'ntm_model_communes', 'ocop_products',
                 'ntm_communes_reported', 'communes_reported', 'communes_total'] %}
{% set measures = flows + stocks %}

with report_rows as (

    select
        r.*,
        coalesce(case when {{ unit_generation('r.period') }} = '2025-03-01' then old.unit_type else new.unit_type end
                 = 'Xã', false)
                                                                                    as is_xa,
        r.investment_vnd is not null and r.people_contribution_vnd is not null      as contribution_reported,
        case when contribution_reported then r.investment_vnd end                   as share_investment_vnd,
        case when contribution_reported then r.people_contribution_vnd end          as share_contribution_vnd,
        cast(contribution_reported as integer)                                      as contribution_rows_reported,
        -- statuses as 0/1 counts of communes (xã only, as in mart_infrastructure); NULL when not reported
        cast(r.ntm_standard and is_xa as integer)                                   as ntm_communes,
        cast(r.ntm_advanced and is_xa as integer)                                   as ntm_advanced_communes,
        cast(r.ntm_model and is_xa as integer)                                      as ntm_model_communes,
        cast(r.ntm_standard is not null and is_xa as integer)                       as ntm_communes_reported,
        1                                                                           as communes_reported,
        cast(is_xa as integer)                                                      as communes_total
    from {{ ref('int_infrastructure_rows') }} as r
    left join {{ ref('stg_admin_units') }} as old
        on  old.unit_code = r.commune_code
        and old.unit_level = 'commune'
    left join {{ ref('stg_admin_units_2025') }} as new
        on  new.unit_code = r.commune_code
        and new.unit_level = 'commune'
    where r.year >= 2021

),

commune_quarters as (

    select
        *,
        year || '-Q' || quarter                                                     as period,
        'quarter'                                                                   as period_type,
        quarter                                                                     as stock_quarter
    from ({{ onto_2025_communes('report_rows', ['year', 'quarter'], measures, km) }})

),

commune_years as (

    -- flows summed over the quarters present, stocks of the last of them, coverage over the four quarters
    select
        q.year,
        cast(null as integer)                                                       as quarter,
        q.unit_code,
        {{ sum_measures(flows, km, 'q.') }},
        {%- for stock in stocks %}
        arg_max(q.{{ stock }}, q.quarter)                                           as {{ stock }},
        {%- endfor %}
        sum(q.covered_share) / 4                                                    as covered_share,
        bool_or(q.approximate)                                                      as approximate,
        bool_or(q.approximate_in_province)                                          as approximate_in_province,
        cast(q.year as varchar)                                                     as period,
        'year'                                                                      as period_type,
        max(q.quarter)                                                              as stock_quarter
    from commune_quarters as q
    group by q.year, q.unit_code

),

communes as (

    select * from commune_quarters
    union all by name
    select * from commune_years

),

all_units as (

    {{ roll_up_to_2025_province('communes', ['period', 'period_type', 'year', 'quarter'], measures, km) }}

),

quarters_present as (

    select year, unit_code, unit_level, count(*) as quarters_reported, max(quarter) as stock_quarter
    from all_units
    where period_type = 'quarter'
    group by year, unit_code, unit_level

)

select
    a.period,
    a.period_type,
    a.year,
    a.quarter,
    a.unit_code,
    a.unit_name,
    a.unit_level,
    a.rural_road_km,
    a.green_road_km,
    a.lit_road_km,
    a.investment_vnd,
    a.people_contribution_vnd,
    {{ pct('a.share_contribution_vnd', 'a.share_investment_vnd') }}                as people_contribution_share_pct,
    a.communes_total,
    a.ntm_communes,
    a.ntm_advanced_communes,
    a.ntm_model_communes,
    {{ pct('a.ntm_communes', 'a.ntm_communes_reported') }}                         as ntm_share_pct,
    a.ocop_products,
    a.parent_code,
    case when a.period_type = 'quarter' then 1 else p.quarters_reported end        as quarters_reported,
    coalesce(a.quarter, p.stock_quarter)                                            as stock_quarter,
    a.communes_reported,
    a.contribution_rows_reported,
    a.ntm_communes_reported,
    {{ today_map_columns('a') }}
from all_units as a
left join quarters_present as p
    on  p.year = a.year
    and p.unit_code = a.unit_code
    and p.unit_level = a.unit_level
