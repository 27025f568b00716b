-- The actual of every indicator of the catalogue (spec emulation-scoring.md, "Indicator catalogue"), one row per
-- (year, unit, indicator): for every district and year of the reporting calendar (plans up to 2024) and, from 2025,
-- for every new commune (2025-07-01 list) of a plan or with figures on today's map; unrounded, computed from the
-- summed counts of the reports in force (never typed by hand), with the report rows in force it came from
-- (`evidence`: file, sheet, row) and, when it cannot be computed, why (`missing_reason`). Year figures count only
-- when the unit's year is complete (poverty: its report; infrastructure: all four quarters; savings: its report); a
-- Δ needs the previous year too. Rates are rates of sums; a rate difference is the difference of the unrounded rates.
-- A district's figures come from the as-reported marts; a new commune's from the marts on today's map
-- (mart_*_2025_units): its year counts when complete (coverage_pct 100), a Δ only when both years are complete and
-- not approximate (a 2024 figure is the sum of the old communes it took in); the NTM statuses of a commune do not
-- sum, so their Δ needs both year ends after 1 July 2025.
{% set indicators = {
    'poverty_rate_reduction_pp':      ('poverty', 'reduction'),
    'em_poverty_rate_reduction_pp':   ('poverty', 'reduction'),
    'poor_households_reduction':      ('poverty', 'reduction'),
    'near_poverty_rate_reduction_pp': ('poverty', 'reduction'),
    'ntm_communes_new':               ('infrastructure', 'increase'),
    'ntm_advanced_communes_new':      ('infrastructure', 'increase'),
    'ntm_model_communes_new':         ('infrastructure', 'increase'),
    'ntm_share_pct':                  ('infrastructure', 'year'),
    'ocop_products_new':              ('infrastructure', 'increase'),
    'rural_road_km':                  ('infrastructure', 'year'),
    'green_road_km':                  ('infrastructure', 'year'),
    'lit_road_km':                    ('infrastructure', 'year'),
    'people_contribution_share_pct':  ('infrastructure', 'year'),
    'savings_achieved_pct_of_plan':   ('savings', 'year'),
    'reporting_on_time_pct':          ('reporting', 'year'),
} %}
{% set first_commune_year = 2025 %}  {#- plans from this year are on the communes of 2025-07-01 #}
{% set statuses = ['ntm_communes_new', 'ntm_advanced_communes_new', 'ntm_model_communes_new'] %}
{#- the levels read alike from a district's row (as-reported marts) and a new commune's (today's map) -#}
{% set poverty_levels -%}
        {{ pct_unrounded('poor_households', 'total_households') }}                 as poverty_rate,
        {{ pct_unrounded('em_rate_poor_households', 'em_rate_households') }}       as em_poverty_rate,
        cast(poor_households as double)                                          as poor_households,
        {{ pct_unrounded('near_poor_households', 'total_households') }}            as near_poverty_rate
{%- endset %}
{% set infrastructure_levels -%}
        cast(m.ocop_products as double)                                          as ocop_products,
        {{ pct_unrounded('m.ntm_communes', 'm.ntm_communes_reported') }}           as ntm_share_pct,
        cast(m.rural_road_km as double)                                          as rural_road_km,
        cast(m.green_road_km as double)                                          as green_road_km,
        cast(m.lit_road_km as double)                                            as lit_road_km,
{%- endset %}
{% set family_vi = {'poverty': 'giảm nghèo', 'infrastructure': 'nông thôn mới và hạ tầng', 'savings': 'tiết kiệm',
                    'reporting': 'nộp báo cáo'} %}

with catalogue as (

    select * from (values
        {% for code, spec in indicators.items() %}
        ('{{ code }}', '{{ spec[0] }}', '{{ spec[1] }}', '{{ family_vi[spec[0]] }}'){{ ',' if not loop.last }}
        {% endfor %}
    ) as t(indicator, family, kind, family_vi)

),

units as (

    select distinct cast(left(period, 4) as integer) as year, district_code as unit_code, 'district' as unit_level
    from {{ ref('int_expected_reports') }}
    where unit_level = 'district'

    union

    -- the new communes: those of a plan from 2025, and those with figures on today's map from 2025
    select year, unit_code, 'commune'
    from {{ ref('int_emulation_targets') }}
    where year >= {{ first_commune_year }}

    union

    {% for mart in ['mart_poverty_2025_units', 'mart_infrastructure_2025_units', 'mart_savings_2025_units'] %}
    select year, unit_code, 'commune'
    from {{ ref(mart) }}
    where unit_level = 'commune' and year >= {{ first_commune_year }}
    {{ 'union' if not loop.last }}
    {% endfor %}

),

poverty as (

    -- district rows only exist for a district that reported (complete)
    select
        year,
        unit_code,
        'district'                                                               as unit_level,
        true                                                                     as comparable,
        {{ poverty_levels }}
    from {{ ref('int_poverty_by_unit') }}
    where unit_level = 'district'

    union all

    -- a new commune on today's map: the year when complete; comparable with another year when also exact
    select
        year,
        unit_code,
        'commune'                                                                as unit_level,
        not approximate                                                          as comparable,
        {{ poverty_levels }}
    from {{ ref('mart_poverty_2025_units') }}
    where unit_level = 'commune'
      and complete

),

infrastructure_shares as (

    select year, unit_code,
           sum(share_contribution_vnd) as share_contribution_vnd,
           sum(share_investment_vnd)   as share_investment_vnd
    from {{ ref('int_infrastructure_quarter_by_unit') }}
    group by year, unit_code

),

infrastructure as (

    select
        m.year,
        m.unit_code,
        'district'                                                               as unit_level,
        true                                                                     as comparable,
        cast(m.ntm_communes as double)                                           as ntm_communes,
        cast(m.ntm_advanced_communes as double)                                  as ntm_advanced_communes,
        cast(m.ntm_model_communes as double)                                     as ntm_model_communes,
        {{ infrastructure_levels }}
        {{ pct_unrounded('s.share_contribution_vnd', 's.share_investment_vnd') }}  as people_contribution_share_pct
    from {{ ref('mart_infrastructure') }} as m
    left join infrastructure_shares as s
        on s.year = m.year and s.unit_code = m.unit_code
    where m.period_type = 'year'
      and m.unit_level = 'district'
      and m.complete

    union all

    -- a new commune on today's map (all four quarters, complete). The NTM statuses of a year end before the change
    -- count old communes, after it the commune's own: comparable only between year ends on the new list.
    -- Simplified: the people's contribution share is the mart's (rounded to 2 decimals; its amounts are not exposed).
    select
        m.year,
        m.unit_code,
        'commune'                                                                as unit_level,
        not m.approximate                                                        as comparable,
        {% for stock in ['ntm_communes', 'ntm_advanced_communes', 'ntm_model_communes'] %}
        case when m.year >= {{ first_commune_year }} then cast(m.{{ stock }} as double) end as {{ stock }},
        {% endfor %}
        {{ infrastructure_levels }}
        cast(m.people_contribution_share_pct as double)                          as people_contribution_share_pct
    from {{ ref('mart_infrastructure_2025_units') }} as m
    where m.period_type = 'year'
      and m.unit_level = 'commune'
      and m.complete

),

savings as (

    select
        year,
        unit_code,
        'district'                                                               as unit_level,
        true                                                                     as comparable,
        {{ pct_unrounded('achieved_savings_vnd', 'planned_savings_vnd') }}         as savings_achieved_pct_of_plan
    from {{ ref('mart_savings') }}
    where category = 'total'
      and unit_level = 'district'
      and complete

    union all

    -- a new commune reports its savings itself from 2025 (no commune rows before: a break in the series)
    select
        year,
        unit_code,
        'commune'                                                                as unit_level,
        not approximate                                                          as comparable,
        {{ pct_unrounded('achieved_savings_vnd', 'planned_savings_vnd') }}         as savings_achieved_pct_of_plan
    from {{ ref('mart_savings_2025_units') }}
    where category = 'total'
      and unit_level = 'commune'
      and complete

),

reporting as (

    select year, unit_code, unit_level, true as comparable, on_time_pct as reporting_on_time_pct, evidence
    from {{ ref('int_emulation_penalties') }}

),

levels as (

    -- the value of the year of each indicator (for a Δ: the level compared with the previous year); `reported`
    -- says whether the unit's year is there at all
    {% for code, spec in indicators.items() %}
    {% set level = {'poverty_rate_reduction_pp': 'poverty_rate', 'em_poverty_rate_reduction_pp': 'em_poverty_rate',
                    'poor_households_reduction': 'poor_households',
                    'near_poverty_rate_reduction_pp': 'near_poverty_rate',
                    'ntm_communes_new': 'ntm_communes', 'ntm_advanced_communes_new': 'ntm_advanced_communes',
                    'ntm_model_communes_new': 'ntm_model_communes', 'ocop_products_new': 'ocop_products'
                   }.get(code, code) %}
    {% set source = spec[0] %}
    select year, unit_code, unit_level, comparable, '{{ code }}' as indicator, cast({{ level }} as double) as level
    from {{ source }}
    {{ 'union all' if not loop.last }}
    {% endfor %}

),

reports as (

    -- the rows in force (int_<family>_rows) the figures are summed from, with their file, sheet and row
    {% for family in var('report_families') %}
    select '{{ family }}' as family, district_code, year, file_name, sheet, row_number, period
    from {{ ref('int_' ~ family ~ '_rows') }}
    {{ 'union all' if not loop.last }}
    {% endfor %}

),

commune_reports as (

    -- the rows in force behind a new commune's figures on today's map: after the change its own rows (poverty and
    -- infrastructure: the row naming it, from its own report or the province's compiled one; savings: its own
    -- report's rows), before it the rows of the old communes it took in (commune crosswalk)
    {% for family in ['poverty', 'infrastructure'] %}
    select '{{ family }}' as family, r.commune_code as unit_code, r.year, r.file_name, r.sheet, r.row_number, r.period
    from {{ ref('int_' ~ family ~ '_rows') }} as r
    where {{ unit_generation('r.period') }} = '2025-07-01'
    union all
    select '{{ family }}' as family, x.new_commune_code as unit_code, r.year, r.file_name, r.sheet, r.row_number,
           r.period
    from {{ ref('int_' ~ family ~ '_rows') }} as r
    inner join {{ ref('stg_commune_crosswalk') }} as x
        on x.old_commune_code = r.commune_code
    where {{ unit_generation('r.period') }} = '2025-03-01'
    union all
    {% endfor %}
    select 'savings' as family, r.unit_code, r.year, r.file_name, r.sheet, r.row_number, r.period
    from {{ ref('int_savings_rows') }} as r
    where r.unit_level = 'commune'

),

unit_reports as (

    select 'district' as unit_level, family, district_code as unit_code, year, file_name, sheet, row_number, period
    from reports
    where district_code is not null
    union all
    select 'commune' as unit_level, * from commune_reports

),

evidence as (

    -- the report rows in force of a family, for the year alone and for the year with the previous one (a Δ)
    select
        u.year,
        u.unit_code,
        u.unit_level,
        r.family,
        cast(to_json(list({'file_name': r.file_name, 'sheet': r.sheet, 'row_number': r.row_number,
                           'family': r.family, 'period': r.period}
                          order by r.period, r.file_name, r.row_number) filter (where r.year = u.year)) as varchar)
                                                                                as year_evidence,
        cast(to_json(list({'file_name': r.file_name, 'sheet': r.sheet, 'row_number': r.row_number,
                           'family': r.family, 'period': r.period}
                          order by r.period, r.file_name, r.row_number)) as varchar)
                                                                                as delta_evidence
    from units as u
    inner join unit_reports as r
        on  r.unit_level = u.unit_level
        and r.unit_code = u.unit_code
        and r.year in (u.year, u.year - 1)
    group by u.year, u.unit_code, u.unit_level, r.family

),

computed as (

    select
        u.year,
        u.unit_code,
        u.unit_level,
        c.indicator,
        c.family,
        c.kind,
        c.family_vi,
        cur.level                                                               as level,
        prev.level                                                              as previous_level,
        cur.unit_code is not null                                               as reported,
        prev.unit_code is not null                                              as previous_reported,
        -- a Δ of a commune on today's map needs both years exact (no split old commune divided by share)
        c.kind = 'year' or (cur.comparable and prev.comparable)                 as comparable,
        case
            when c.kind <> 'year' and not (cur.comparable and prev.comparable) then null
            when c.kind = 'reduction' then prev.level - cur.level
            when c.kind = 'increase'  then cur.level - prev.level
            else cur.level
        end                                                                     as actual,
        case
            when c.family = 'reporting' then rp.evidence
            when c.kind = 'year' then e.year_evidence
            else e.delta_evidence
        end                                                                     as evidence
    from units as u
    cross join catalogue as c
    left join levels as cur
        on  cur.year = u.year and cur.unit_code = u.unit_code and cur.unit_level = u.unit_level
        and cur.indicator = c.indicator
    left join levels as prev
        on  c.kind <> 'year'
        and prev.year = u.year - 1 and prev.unit_code = u.unit_code and prev.unit_level = u.unit_level
        and prev.indicator = c.indicator
    left join evidence as e
        on e.year = u.year and e.unit_code = u.unit_code and e.unit_level = u.unit_level and e.family = c.family
    left join reporting as rp
        on  c.family = 'reporting' and rp.year = u.year and rp.unit_code = u.unit_code
        and rp.unit_level = u.unit_level

)

select
    year,
    unit_code,
    unit_level,
    indicator,
    family,
    actual,
    level,
    previous_level,
    coalesce(evidence, '[]')                                                    as evidence,
    case
        when actual is not null then null
        when not reported and family = 'reporting'
            then 'Không tính được: năm ' || year || ' chưa có báo cáo nào đến hạn'
        when not reported
            then 'Không tính được: thiếu số liệu ' || family_vi || ' năm ' || year
                 || ' (báo cáo chưa nộp, bị từ chối hoặc chưa đủ các kỳ)'
        when level is null
            then 'Không tính được: báo cáo ' || family_vi || ' năm ' || year || ' không có số liệu cho chỉ số này'
        when unit_level = 'commune' and indicator in ({{ "'" ~ statuses | join("', '") ~ "'" }})
             and year - 1 < {{ first_commune_year }}
            then 'Không tính được: trạng thái nông thôn mới cuối năm ' || (year - 1) || ' thuộc các xã cũ, không cộng '
                 || 'được thành trạng thái của xã mới (chuỗi số liệu gián đoạn từ ngày 01/07/2025)'
        when not previous_reported
            then 'Không tính được: không có số liệu ' || family_vi || ' năm trước (' || (year - 1)
                 || ') để so sánh'
        when previous_level is null
            then 'Không tính được: báo cáo ' || family_vi || ' năm trước (' || (year - 1)
                 || ') không có số liệu cho chỉ số này'
        else 'Không tính được: số liệu ' || family_vi || ' năm ' || (year - 1) || ' hoặc ' || year
             || ' trên địa bàn xã mới là số ước tính (xã cũ bị chia theo tỷ lệ), không so sánh được'
    end                                                                         as missing_reason
from computed
