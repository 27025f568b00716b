-- mart_reporting_completeness has exactly one row per calendar entry and district of its province.
{{ config(meta={'dagster': {'ref': {'name': 'mart_reporting_completeness'}}}) }}  -- shown in Dagster as a check of mart_reporting_completeness
with expected as (

    select count(*) as n
    from {{ ref('stg_reporting_calendar') }} as c
    inner join {{ ref('dim_admin_unit') }} as d
        on d.parent_code = c.province_code
       and d.unit_level = 'district'

),

actual as (

    select count(*) as n from {{ ref('mart_reporting_completeness') }}

)

select expected.n as expected_rows, actual.n as actual_rows
from expected, actual
where expected.n <> actual.n
