-- Savings amounts by year and category at district level (the district's report in force) and province level
-- (sum of the districts of that province present in the data), plus category = 'total' (sum of categories).
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
        cast(sum(budget_vnd) as bigint)                 as budget_vnd,
        cast(sum(planned_savings_vnd) as bigint)        as planned_savings_vnd,
        cast(sum(achieved_savings_vnd) as bigint)       as achieved_savings_vnd,
        1                                               as districts_reported
    from report_rows
    group by year, district_code, category

),

by_province_category as (

    select
        d.year,
        u.parent_code                                   as unit_code,
        d.category,
        cast(sum(d.budget_vnd) as bigint)               as budget_vnd,
        cast(sum(d.planned_savings_vnd) as bigint)      as planned_savings_vnd,
        cast(sum(d.achieved_savings_vnd) as bigint)     as achieved_savings_vnd,
        count(*)                                        as districts_reported
    from by_district_category as d
    inner join units as u
        on u.unit_code = d.unit_code
       and u.unit_level = 'district'
    group by d.year, u.parent_code, d.category

),

by_category as (

    select * from by_district_category
    union all
    select * from by_province_category

),

totals as (

    select
        year,
        unit_code,
        'total'                                         as category,
        cast(sum(budget_vnd) as bigint)                 as budget_vnd,
        cast(sum(planned_savings_vnd) as bigint)        as planned_savings_vnd,
        cast(sum(achieved_savings_vnd) as bigint)       as achieved_savings_vnd,
        max(districts_reported)                         as districts_reported
    from by_category
    group by year, unit_code

),

all_rows as (

    select * from by_category
    union all
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
    cast(a.districts_reported as bigint)                as districts_reported
from all_rows as a
left join units as u
    on u.unit_code = a.unit_code
left join {{ ref('stg_savings_categories') }} as c
    on c.category = a.category
