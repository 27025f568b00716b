-- One row per expected report family and period for a province, with the level of the units that report it.
with source as (

    select * from {{ source('raw', 'reporting_calendar') }}

)

select
    {{ clean_text('province_code') }}         as province_code,
    lower({{ clean_text('family') }})         as family,
    {{ clean_text('period') }}                as period,
    lower({{ clean_text('period_type') }})    as period_type,
    cast(due_date as date)                    as due_date,
    -- who reports: 'district' (units of 2025-03-01) or 'commune' (units of 2025-07-01)
    lower({{ clean_text('reporting_level') }}) as reporting_level,
    -- set on a 'commune' row: only the new communes that took in communes of this old province are expected
    {{ clean_text('old_province_code') }}     as old_province_code
from source
