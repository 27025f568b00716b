-- Thực hành tiết kiệm trên bản đồ hôm nay — mart_savings on the units of 2025-07-01, every year from 2021: one row
-- per (year, unit_code, category), plus category = 'total'. A break in the series: before the change savings were
-- reported per district, and a district's figures cannot be divided among the new communes, so a year on the old
-- list has only province rows (the new province's old districts summed; coverage_pct = the share of today's
-- communes of the province that the reporting districts' communes make up, macros onto_2025_communes and
-- roll_up_to_2025_province). From the change on, a new commune reports itself: commune rows, and province rows
-- that are their sums. Percentages are recomputed from the summed amounts, as in mart_savings.
{% set amounts = ['budget_vnd', 'planned_savings_vnd', 'achieved_savings_vnd', 'budget_achieved_savings_vnd',
                  'budget_rows_reported'] %}
{#- The reporting unit of a row of the new list: int_savings_rows.unit_code once staging carries it (branch
    dbtgen); until then no row is on the new list. -#}
{% set has_unit_code = false %}
{% if execute %}
    {% set columns = adapter.get_columns_in_relation(ref('int_savings_rows')) | map(attribute='name') | list %}
    {% set has_unit_code = 'unit_code' in columns %}
{% endif %}

with report_rows as (

    select
        *,
        {{ unit_generation('period') }}                                             as units_list,
        case when budget_vnd is not null then achieved_savings_vnd end              as budget_achieved_savings_vnd,
        cast(budget_vnd is not null as integer)                                     as budget_rows_reported
    from {{ ref('int_savings_rows') }}
    where year >= 2021

),

-- before the change: districts, summed into the new province that took in their old province

old_districts as (

    select
        r.*,
        p.unit_code                                                                 as new_province_code
    from report_rows as r
    inner join {{ ref('stg_admin_units') }} as d
        on  d.unit_code = r.district_code
        and d.unit_level = 'district'
    inner join {{ ref('stg_admin_units_2025') }} as p
        on  p.unit_level = 'province'
        and list_contains(string_split(p.old_province_codes, ';'), d.parent_code)
    where r.units_list = '2025-03-01'

),

old_by_category as (

    select
        year,
        new_province_code                                                           as unit_code,
        category,
        {{ sum_measures(amounts) }},
        count(distinct district_code)                                               as districts_reported
    from old_districts
    group by year, new_province_code, category

    union all

    select
        year,
        new_province_code                                                           as unit_code,
        'total'                                                                     as category,
        {{ sum_measures(amounts) }},
        count(distinct district_code)                                               as districts_reported
    from old_districts
    group by year, new_province_code

),

old_communes_covered as (

    -- the old communes of the districts behind the figures, for coverage_pct
    select distinct
        r.year,
        c.unit_code                                                                 as commune_code,
        r.period
    from old_districts as r
    inner join {{ ref('stg_admin_units') }} as c
        on  c.district_code = r.district_code
        and c.unit_level = 'commune'

),

old_coverage_by_commune as (

    {{ onto_2025_communes('old_communes_covered', ['year'], []) }}

),

old_coverage as (

    {{ roll_up_to_2025_province('old_coverage_by_commune', ['year'], []) }}

),

old_rows as (

    select
        f.*,
        'province'                                                                  as unit_level,
        c.unit_name,
        cast(null as varchar)                                                       as parent_code,
        cast(null as bigint)                                                        as communes_reported,
        c.coverage_pct,
        false                                                                       as approximate
    from old_by_category as f
    left join old_coverage as c
        on  c.year = f.year
        and c.unit_code = f.unit_code
        and c.unit_level = 'province'

),

-- after the change: the new communes' own reports, and their sums per new province

new_rows_reported as (

    {% if has_unit_code %}
    select
        year,
        unit_code                                                                   as commune_code,
        period,
        category,
        {{ amounts | join(',\n        ') }},
        1                                                                           as communes_reported
    from report_rows
    where units_list = '2025-07-01'
      and unit_code in (select unit_code from {{ ref('stg_admin_units_2025') }} where unit_level = 'commune')
    {% else %}
    select
        cast(null as integer) as year, cast(null as varchar) as commune_code, cast(null as varchar) as period,
        cast(null as varchar) as category,
        {%- for amount in amounts %}
        cast(null as bigint) as {{ amount }},
        {%- endfor %}
        1 as communes_reported
    where false
    {% endif %}

),

new_commune_categories as (

    select * from new_rows_reported

    union all

    select
        year,
        commune_code,
        period,
        'total'                                                                     as category,
        {{ sum_measures(amounts) }},
        1                                                                           as communes_reported
    from new_rows_reported
    group by year, commune_code, period

),

new_communes as (

    {{ onto_2025_communes('new_commune_categories', ['year', 'category'], amounts + ['communes_reported']) }}

),

new_units as (

    {{ roll_up_to_2025_province('new_communes', ['year', 'category'], amounts + ['communes_reported']) }}

),

new_rows as (

    select
        n.*,
        cast(null as bigint)                                                        as districts_reported
    from new_units as n

),

all_rows as (

    select * from old_rows
    union all by name
    select * from new_rows

)

select
    a.year,
    a.unit_code,
    a.unit_name,
    a.unit_level,
    a.category,
    a.budget_vnd,
    a.planned_savings_vnd,
    a.achieved_savings_vnd,
    {{ pct('a.achieved_savings_vnd', 'a.planned_savings_vnd') }}                   as achieved_pct_of_plan,
    {{ pct('a.budget_achieved_savings_vnd', 'a.budget_vnd') }}                     as savings_pct_of_budget,
    coalesce(c.name_vi, 'Tổng cộng')                                                as category_name_vi,
    coalesce(c.sort_order, 999)                                                     as category_sort_order,
    a.parent_code,
    a.districts_reported,
    a.communes_reported,
    a.budget_achieved_savings_vnd,
    cast(a.budget_rows_reported as bigint)                                          as budget_rows_reported,
    {{ today_map_columns('a') }}
from all_rows as a
left join {{ ref('stg_savings_categories') }} as c
    on c.category = a.category
