-- Savings amounts by year and category per reporting unit (the unit's report in force: a district up to 30 June
-- 2025, a new commune -- or the new province's own report -- after it) and at province level (macro
-- roll_up_to_province: the sum of the province's districts present, of its new communes present after the
-- change), plus category = 'total' (sum of categories). `generation`: the list of units the year is on.
{% set amounts = ['budget_vnd', 'planned_savings_vnd', 'achieved_savings_vnd'] %}
-- The budget is optional: budget_achieved_savings_vnd is the achieved savings of the category rows that report a
-- budget (budget_rows_reported of them), the numerator of savings_pct_of_budget over budget_vnd.
{% set budget_pairs = ['budget_achieved_savings_vnd', 'budget_rows_reported'] %}

with report_rows as (

    -- generation: the list of units of the year (as in staging; derived here from the year); the reporting unit
    -- is the district for a district's report
    select * replace ({{ unit_generation('cast(year as varchar)') }} as generation, coalesce(unit_code, district_code) as unit_code)
    from {{ ref('int_savings_rows') }}

),

by_unit_category as (

    -- savings are reported per unit (no commune rows): the reporting unit, a district or a new commune
    select
        year,
        generation,
        unit_code,
        category,
        {{ sum_measures(amounts) }},
        cast(sum(case when budget_vnd is not null then achieved_savings_vnd end) as bigint)
                                                        as budget_achieved_savings_vnd,
        count(budget_vnd)                               as budget_rows_reported
    from report_rows
    -- a province's own savings report (after 1 July 2025) would collide with the sum of its communes: not yet
    -- published (docs/reorganisation.md)
    where unit_level is distinct from 'province'
    group by year, generation, unit_code, category

),

by_category as (

    {{ roll_up_to_province('by_unit_category', ['year', 'category'], amounts + budget_pairs) }}

),

totals as (

    select
        year,
        unit_code,
        generation,
        'total'                                         as category,
        {{ sum_measures(amounts + budget_pairs) }},
        max(units_summed)                               as units_summed
    from by_category
    group by year, unit_code, generation

),

all_rows as (

    select * from by_category
    union all by name
    select * from totals

)

select
    a.year,
    a.unit_code,
    {{ admin_unit_columns('u') }},
    a.category,
    coalesce(c.name_vi, 'Tổng cộng')                    as category_name_vi,
    coalesce(c.sort_order, 999)                         as category_sort_order,
    a.budget_vnd,
    a.planned_savings_vnd,
    a.achieved_savings_vnd,
    a.budget_achieved_savings_vnd,
    cast(a.budget_rows_reported as bigint)              as budget_rows_reported,
    {{ districts_reported('a', 'u') }}                  as districts_reported,
    a.generation
from {{ rows_with_admin_unit('all_rows', 'a', 'u') }}
left join {{ ref('stg_savings_categories') }} as c
    on c.category = a.category
