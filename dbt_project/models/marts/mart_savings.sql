-- Thrift and anti-waste savings by year and spending category, per district and province, plus
-- category = 'total'. Percentages are computed from summed amounts.
with savings as (

    select * from {{ ref('int_savings_by_unit') }}

)

select
    year,
    unit_code,
    unit_name,
    unit_level,
    category,
    budget_vnd,
    planned_savings_vnd,
    achieved_savings_vnd,
    {{ pct('achieved_savings_vnd', 'planned_savings_vnd') }}        as achieved_pct_of_plan,
    {{ pct('achieved_savings_vnd', 'budget_vnd') }}                 as savings_pct_of_budget,
    category_name_vi,
    category_sort_order,
    parent_code,
    districts_reported
from savings
