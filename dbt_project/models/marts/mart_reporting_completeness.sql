-- One row per expected report (family, period, unit_code): the reporting calendar times every unit of the
-- calendar's province that reports it (int_expected_reports: districts up to 30 June 2025, new communes after it;
-- district_code and district_name are NULL for a new commune). A new commune's report is received when its own
-- report or the province's compiled report gives its row (int_submission_summary). Timeliness is decided by the FIRST usable submission (not rejected, not a duplicate):
-- its date (Ngày lập, else the day received) on or before the due date is 'on_time', after it 'late';
-- no usable submission is 'missing' (a rejected report does not count as received).
with expected as (

    select * from {{ ref('int_expected_reports') }}

),

summary as (

    select * from {{ ref('int_submission_summary') }}

)

select
    e.family,
    e.period,
    e.district_code,
    e.district_name,
    e.due_date,
    case
        when s.first_file_name is null then 'missing'
        when s.first_effective_date <= e.due_date then 'on_time'
        else 'late'
    end                                                             as status,
    s.first_received_at                                             as received_at,
    s.first_file_name                                               as file_name,
    e.period_type,
    e.province_code,
    s.first_report_id                                               as report_id,
    s.first_sheet                                                   as sheet,
    s.first_report_date                                             as report_date,
    s.first_effective_date                                          as submitted_date,
    case
        when s.first_effective_date > e.due_date
            then cast(date_diff('day', e.due_date, s.first_effective_date) as integer)
    end                                                             as days_late,
    cast(coalesce(s.usable_submissions, 0) as bigint)               as usable_submissions,
    cast(coalesce(s.rejected_submissions, 0) as bigint)             as rejected_submissions,
    s.in_force_report_id,
    s.in_force_file_name,
    e.unit_code,
    e.unit_name,
    e.unit_level,
    e.generation
from expected as e
left join summary as s
    on  s.family = e.family
    and s.period = e.period
    and s.unit_code = e.unit_code
