-- One row per report found in the inbox (accepted or rejected by the ingest), with who reported it: a district
-- (periods ending by 30 June 2025), a new commune or the new province (later periods; docs/reorganisation.md).
with source as (

    select * from {{ source('raw', 'report_submissions') }}

),

districts as (

    -- the province of a district's report when the ingest did not land it (reports landed before the reorganisation)
    select unit_code, parent_code from {{ ref('stg_admin_units') }}
    where unit_level = 'district'

),

submissions as (

    select
        s.*,
        -- the reporting unit: the district for a district's report (district_code), else the unit named
        coalesce(s.unit_code, s.district_code)                      as reporting_unit_code,
        coalesce(lower(s.unit_level),
                 case when s.district_code is not null then 'district' end) as reporting_unit_level,
        coalesce(s.province_code, d.parent_code)                    as reporting_province_code
    from source as s
    left join districts as d
        on d.unit_code = s.district_code

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
    cast(row_count as integer)                      as row_count,
    reporting_unit_code                             as unit_code,
    reporting_unit_level                            as unit_level,
    reporting_province_code                         as province_code,
    -- the list of units the period is on (macro unit_generation); NULL when the period is unknown
    case when period is not null then {{ unit_generation('period') }} end as generation,
    -- the reports whose versions compete (int_report_versions): a district's reports, or all the reports of the
    -- new units of one province (a commune's own and the province's compiled one compete commune by commune)
    case when reporting_unit_level in ('commune', 'province') then reporting_province_code
         else district_code end                     as version_group
from submissions
