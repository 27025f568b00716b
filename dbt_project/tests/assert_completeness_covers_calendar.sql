-- mart_reporting_completeness has exactly one row per calendar entry and unit expected: every district of its
-- province for a 'district' entry; for a 'commune' entry every commune of its province on the list of 2025-07-01
-- (only those that took in a commune of old_province_code when it is set).
{{ config(meta={'dagster': {'ref': {'name': 'mart_reporting_completeness'}}}) }}  -- shown in Dagster as a check of mart_reporting_completeness
with expected as (

    select count(*) as n
    from {{ ref('stg_reporting_calendar') }} as c
    inner join {{ ref('dim_admin_unit') }} as d
        on  d.parent_code = c.province_code
        and (
            (coalesce(c.reporting_level, 'district') = 'district'
                and d.generation = '2025-03-01' and d.unit_level = 'district')
            or (c.reporting_level = 'commune'
                and d.generation = '2025-07-01' and d.unit_level = 'commune'
                and (c.old_province_code is null or d.unit_code in (
                    select x.new_commune_code
                    from {{ ref('dim_commune_crosswalk') }} as x
                    inner join {{ ref('dim_admin_unit') }} as o
                        on  o.unit_code = x.old_commune_code
                        and o.generation = '2025-03-01'
                        and o.unit_level = 'commune'
                    where o.province_code = c.old_province_code)))
        )

),

actual as (

    select count(*) as n from {{ ref('mart_reporting_completeness') }}

)

select expected.n as expected_rows, actual.n as actual_rows
from expected, actual
where expected.n <> actual.n
