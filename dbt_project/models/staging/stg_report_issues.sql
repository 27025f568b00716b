-- One row per rule a report broke (errors block the report, warnings do not).
with source as (

    select * from {{ source('raw', 'report_issues') }}

)

select
    report_id,
    file_name,
    sheet,
    cast(row_number as integer)     as row_number,
    column_name,
    lower(family)                   as family,
    period,
    district_code,
    lower(severity)                 as severity,
    rule,
    message,
    -- the reporting unit (the district for a district's report)
    coalesce(unit_code, district_code) as unit_code
from source
