-- Thrift and anti-waste savings by year and spending category, per reporting unit (a district up to 2024, a new
-- commune from 2025: `generation`) and province, plus
-- category = 'total'. Percentages are computed from summed amounts of the same rows: % of plan from every row
-- (planned and achieved are required), % of budget from the rows that report a budget (budget_rows_reported).
-- Every row says how many of the districts expected to report are behind it (int_report_coverage).
with savings as (

    select * from {{ ref('int_savings_by_unit') }}

),

coverage as (

    select * from {{ ref('int_report_coverage') }}
    where family = 'savings'

)

select
    s.year,
    s.unit_code,
    s.unit_name,
    s.unit_level,
    s.category,
    s.budget_vnd,
    s.planned_savings_vnd,
    s.achieved_savings_vnd,
    {{ pct('s.achieved_savings_vnd', 's.planned_savings_vnd') }}            as achieved_pct_of_plan,
    {{ pct('s.budget_achieved_savings_vnd', 's.budget_vnd') }}              as savings_pct_of_budget,
    s.category_name_vi,
    s.category_sort_order,
    s.parent_code,
    s.districts_reported,
    {{ coverage_columns('c') }},
    s.budget_rows_reported,
    s.generation
from savings as s
left join coverage as c
    on  c.period = cast(s.year as varchar)
    and c.unit_code = s.unit_code
