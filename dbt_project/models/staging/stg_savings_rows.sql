-- One row per spending category of an accepted savings report.
with source as (

    {{ report_rows_source('savings') }}

)

select
    {{ report_lineage() }},
    lower(category)                          as category,
    category_label,
    cast(budget_vnd as bigint)               as budget_vnd,
    cast(planned_savings_vnd as bigint)      as planned_savings_vnd,
    cast(achieved_savings_vnd as bigint)     as achieved_savings_vnd
from source
