-- Coverage of every aggregate row of the marts: of the units expected to report (the reporting calendar times the
-- units of its province, int_expected_reports: districts up to 30 June 2025, new communes after it), how many
-- have a report in force behind the row. One row per (family, period, unit_code) -- a code does not repeat inside
-- a period's list (`generation`) -- for the reporting units, their provinces (by the same roll-up as the figures,
-- macro roll_up_to_province) and the communes of 2025-03-01 (counted in their district's report: 1 of 1 when the
-- district was expected). A reporting unit's row counts itself (1 of 1, or 0 of 1); a province row counts its
-- districts (2025-03-01) or its new communes (2025-07-01: 41 expected for the former Trà Vinh). A new commune is
-- covered by its own report or by the province's compiled one (its row in force). A period the calendar does not
-- list has units_expected NULL (nothing was expected, so nothing can be complete). A quarterly family also gets
-- year rows (period '2023'): a unit covers a year when its reports of all four quarters are in force; no year row
-- where the year's quarters are on two lists (2025: Q1-Q2 districts, Q3-Q4 new communes).
with expected as (

    select family, period, unit_code, generation from {{ ref('int_expected_reports') }}

),

reported as (

    -- the reports in force that have rows: the figures of the marts come from exactly these; a unit of the level
    -- summed into a province (district, new commune) is covered by its rows in force
    {% for family in ['poverty', 'infrastructure'] %}
    select distinct
        '{{ family }}' as family, period, generation,
        case when generation = '2025-03-01' then district_code else commune_code end as unit_code
    from {{ ref('int_' ~ family ~ '_rows') }}
    union
    {% endfor %}
    select distinct 'savings' as family, period, generation, unit_code
    from {{ ref('int_savings_rows') }}
    where unit_level is distinct from 'province'

),

unit_periods as (

    select
        coalesce(e.family, r.family)                        as family,
        coalesce(e.period, r.period)                        as period,
        coalesce(e.generation, r.generation)                as generation,
        coalesce(e.unit_code, r.unit_code)                  as unit_code,
        e.unit_code is not null                             as is_expected,
        r.unit_code is not null                             as is_reported
    from expected as e
    full outer join reported as r
        on  r.family = e.family
        and r.period = e.period
        and r.unit_code = e.unit_code
        and r.generation = e.generation

),

old_commune_periods as (

    -- the communes of 2025-03-01 with rows in force, covered by their district's report
    select distinct
        c.family, c.period, c.generation, c.unit_code,
        coalesce(d.is_expected, false)                      as is_expected,
        true                                                as is_reported
    from (
        {% for family in ['poverty', 'infrastructure'] %}
        select '{{ family }}' as family, period, generation, commune_code as unit_code, district_code
        from {{ ref('int_' ~ family ~ '_rows') }}
        where generation = '2025-03-01'
        {% if not loop.last %}union all{% endif %}
        {% endfor %}
    ) as c
    left join unit_periods as d
        on  d.family = c.family
        and d.period = c.period
        and d.generation = c.generation
        and d.unit_code = c.district_code

),

all_periods as (

    select *, false as is_old_commune from unit_periods
    union all
    select *, true as is_old_commune from old_commune_periods

),

unit_years as (

    -- quarterly families: a unit covers the year when all four quarters are reported, and only years whose four
    -- quarters are on one list of units
    select
        family,
        left(period, 4)                                     as period,
        generation,
        unit_code,
        bool_or(is_expected)                                as is_expected,
        count_if(is_reported) = 4                           as is_reported,
        is_old_commune
    from all_periods
    where regexp_full_match(period, '\d{4}-Q[1-4]')
      and {{ unit_generation("left(period, 4) || '-Q1'") }} = {{ unit_generation("left(period, 4) || '-Q4'") }}
    group by family, left(period, 4), generation, unit_code, is_old_commune

),

by_unit as (

    select
        family,
        period,
        generation,
        unit_code,
        cast(is_reported as bigint)                         as units_reported,
        case when is_expected then cast(1 as bigint) end    as units_expected,
        is_old_commune
    from (
        select * from all_periods
        union all
        select * from unit_years
    )

),

below_province as (

    select * exclude (is_old_commune) from by_unit where not is_old_commune

),

all_units as (

    {{ roll_up_to_province('below_province', ['family', 'period'], ['units_reported', 'units_expected']) }}

    union all by name

    select * exclude (is_old_commune), cast(1 as bigint) as units_summed from by_unit where is_old_commune

)

select
    family,
    period,
    unit_code,
    cast(units_reported as bigint)                          as units_reported,
    cast(units_expected as bigint)                          as units_expected,
    coalesce(units_reported = units_expected, false)        as complete,
    generation
from all_units
