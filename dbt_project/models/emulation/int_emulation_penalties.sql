-- One row per (year, unit) of the reporting calendar: the unit's expected reports of the year (every family's
-- report whose period lies in the year: the year's own and its quarters; mart_reporting_completeness), how many
-- came on time, late, or are still missing past their due date. A report not yet due and not received is not
-- counted at all. The penalties of the scoring and the indicator reporting_on_time_pct both read this model.
with expected as (

    select
        *,
        cast(left(period, 4) as integer)                                as year
    from {{ ref('mart_reporting_completeness') }}
    -- the units scored: districts (plans up to 2024), each with its own reports, and the new communes (plans from
    -- 2025) with theirs after 1 July 2025 (a commune's own report, or its row of the province's compiled one)
    where (status <> 'missing' or due_date < current_date)
      and unit_level in ('district', 'commune')

)

select
    year,
    unit_code,
    unit_level,
    any_value(unit_name)                                                as unit_name,
    cast(count(*) as bigint)                                            as expected_reports,
    cast(count_if(status = 'on_time') as bigint)                        as on_time_reports,
    cast(count_if(status = 'late') as bigint)                           as late_reports,
    cast(count_if(status = 'missing') as bigint)                        as missing_reports,
    {{ pct_unrounded("count_if(status = 'on_time')", 'count(*)') }}      as on_time_pct,
    -- the reports behind the figures: the first usable submission of each expected report (what timeliness is
    -- judged on), as a JSON array of {file_name, sheet, family, period}
    cast(to_json(list({'file_name': file_name, 'sheet': sheet, 'family': family, 'period': period}
                      order by family, period) filter (where file_name is not null)) as varchar)
                                                                        as evidence,
    string_agg(family || ' ' || period, ', ' order by family, period)
        filter (where status = 'late')                                  as late_list,
    string_agg(family || ' ' || period, ', ' order by family, period)
        filter (where status = 'missing')                               as missing_list
from expected
group by year, unit_code, unit_level
