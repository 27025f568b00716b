-- Resolves the status of every received report:
--   rejected    the ingest found blocking errors (parse_status = 'rejected');
--   duplicate   the very same content (sha256, sheet) was already received, earlier, as a non-rejected report;
--               received at the same time (a copy that kept the modification time), the shorter file name is
--               the original ('x.xlsx' before 'x (copy).xlsx', 'Copy of x.xlsx', 'x - Copy.xlsx'), then by name;
--   accepted    the report in force for its (family, district_code, period): the latest by
--               effective date (Ngày lập, else the day received), then received_at, then file_name;
--   superseded  an accepted report replaced by a later one for the same (family, district_code, period).
with submissions as (

    select * from {{ ref('stg_report_submissions') }}

),

content_order as (

    select
        *,
        case
            when parse_status = 'rejected' then null
            else row_number() over (
                partition by parse_status = 'rejected', sha256, sheet
                order by received_at, length(file_name), file_name
            )
        end as content_copy_number,
        case
            when parse_status = 'rejected' then null
            else first_value(file_name) over (
                partition by parse_status = 'rejected', sha256, sheet
                order by received_at, length(file_name), file_name
            )
        end as first_copy_file_name
    from submissions

),

candidates as (

    -- reports that may be in force: accepted by the ingest and not a repeat of earlier content
    select
        file_name,
        sheet,
        report_id,
        family,
        district_code,
        period,
        row_number() over (
            partition by family, district_code, period
            order by effective_date desc, received_at desc, file_name desc, sheet desc
        ) as version_rank,
        count(*) over (partition by family, district_code, period) as version_count
    from content_order
    where parse_status <> 'rejected'
      and content_copy_number = 1

),

in_force as (

    select family, district_code, period, report_id as in_force_report_id, file_name as in_force_file_name
    from candidates
    where version_rank = 1

),

resolved as (

    select
        s.report_id,
        s.file_name,
        s.sheet,
        s.sha256,
        s.family,
        s.period,
        s.period_type,
        s.year,
        s.quarter,
        s.district_code,
        s.report_date,
        s.prepared_by,
        s.received_at,
        s.effective_date,
        s.parse_status,
        s.errors,
        s.warnings,
        s.row_count,
        case
            when s.parse_status = 'rejected' then 'rejected'
            when s.content_copy_number > 1 then 'duplicate'
            when c.version_rank = 1 then 'accepted'
            else 'superseded'
        end as status,
        -- versions are numbered in the order they took effect: 1 is the oldest
        case when c.file_name is not null then c.version_count - c.version_rank + 1 end as version_number,
        case when s.content_copy_number > 1 then s.first_copy_file_name end as duplicate_of_file_name,
        case
            when s.parse_status <> 'rejected' and s.content_copy_number = 1 and c.version_rank > 1
                then f.in_force_report_id
        end as superseded_by,
        case
            when s.parse_status <> 'rejected' and s.content_copy_number = 1 and c.version_rank > 1
                then f.in_force_file_name
        end as superseded_by_file_name
    from content_order as s
    left join candidates as c
        on  c.file_name = s.file_name
        and c.sheet is not distinct from s.sheet
    left join in_force as f
        on  f.family is not distinct from s.family
        and f.district_code is not distinct from s.district_code
        and f.period is not distinct from s.period

)

select
    *,
    status = 'accepted' as in_force
from resolved
