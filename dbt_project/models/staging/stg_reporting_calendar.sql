-- One row per expected report family and period for a province.
with source as (

    select * from {{ source('raw', 'reporting_calendar') }}

)

select
    {{ clean_text('province_code') }}         as province_code,
    lower({{ clean_text('family') }})         as family,
    {{ clean_text('period') }}                as period,
    lower({{ clean_text('period_type') }})    as period_type,
    cast(due_date as date)                    as due_date
from source
