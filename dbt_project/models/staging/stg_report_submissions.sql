-- One row per report found in the inbox (accepted or rejected by the ingest).
with source as (

    select * from {{ source('raw', 'report_submissions') }}

)

select
    report_id,
    file_name,
    sheet,
    sha256,
    lower(family)                                   as family,
    period,
    lower(period_type)                              as period_type,
    cast(year as integer)                           as year,
    cast(quarter as integer)                        as quarter,
    district_code,
    cast(report_date as date)                       as report_date,
    prepared_by,
    cast(received_at as timestamp)                  as received_at,
    -- the date that counts for ordering resubmissions and for timeliness:
    -- Ngày lập when given, otherwise the day the file was received
    coalesce(cast(report_date as date), cast(received_at as date)) as effective_date,
    lower(parse_status)                             as parse_status,
    cast(errors as integer)                         as errors,
    cast(warnings as integer)                       as warnings,
    cast(row_count as integer)                      as row_count
from source
