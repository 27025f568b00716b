-- Savings amounts by year and category at district level (the district's report in force) and province level
-- (sum of the districts of that province present in the data), plus category = 'total' (sum of categories).
{% set amounts = ['budget_vnd', 'planned_savings_vnd', 'achieved_savings_vnd'] %}
-- The budget is optional: budget_achieved_savings_vnd is the achieved savings of the category rows that report a
-- budget (budget_rows_reported of them), the numerator of savings_pct_of_budget over budget_vnd.
{% set budget_pairs = ['budget_achieved_savings_vnd', 'budget_rows_reported'] %}

with report_rows as (

    select * from {{ ref('int_savings_rows') }}

),

units as (

    select * from {{ ref('stg_admin_units') }}

),

by_district_category as (

    select
        year,
        district_code                                   as unit_code,
        category,
        {{ sum_measures(amounts) }},
        cast(sum(case when budget_vnd is not null then achieved_savings_vnd end) as bigint)
                                                        as budget_achieved_savings_vnd,
        count(budget_vnd)                               as budget_rows_reported
    from report_rows
    group by year, district_code, category

),

by_category as (

    {{ roll_up_to_province('by_district_category', ['year', 'category'], amounts + budget_pairs) }}

),

totals as (

    select
        year,
        unit_code,
        'total'                                         as category,
        {{ sum_measures(amounts + budget_pairs) }},
        max(districts_reported)                         as districts_reported
    from by_category
    group by year, unit_code

),

all_rows as (

    select * from by_category
    union all by name
    select * from totals

)

select
    a.year,
    a.unit_code,
    u.full_name                                         as unit_name,
    u.unit_level,
    u.parent_code,
    a.category,
    coalesce(c.name_vi, 'Tổng cộng')                    as category_name_vi,
    coalesce(c.sort_order, 999)                         as category_sort_order,
    a.budget_vnd,
    a.planned_savings_vnd,
    a.achieved_savings_vnd,
    a.budget_achieved_savings_vnd,
    cast(a.budget_rows_reported as bigint)              as budget_rows_reported,
    cast(a.districts_reported as bigint)                as districts_reported
from all_rows as a
left join units as u
    on u.unit_code = a.unit_code
left join {{ ref('stg_savings_categories') }} as c
    on c.category = a.category
