-- One row per spending category of an accepted savings report.
with source as (

    select * from {{ source('raw', 'savings_rows') }}

)

select
    report_id,
    file_name,
    sheet,
    cast(row_number as integer)         as row_number,
    sha256,
    cast(received_at as timestamp)      as received_at,
    district_code,
    period,
    cast(year as integer)               as year,
    lower(category)                          as category,
    category_label,
    cast(budget_vnd as bigint)               as budget_vnd,
    cast(planned_savings_vnd as bigint)      as planned_savings_vnd,
    cast(achieved_savings_vnd as bigint)     as achieved_savings_vnd
from source
