-- Resolves the status of every received report. Corrections merge row by row (spec, version 2): the versions of
-- one (family, version_group, period) -- a district's reports; after 1 July 2025 the reports of a new province's
-- communes and the province's compiled ones, which so compete commune by commune -- are ordered by effective date (Ngày lập, else the day received), then
-- received_at, then file_name; each row (a commune, or a savings category) is in force from the latest version
-- that contains it, so a later report replaces the rows it contains and the rows it does not contain stay.
--   rejected              the ingest found blocking errors (parse_status = 'rejected');
--   duplicate             the very same content (sha256, sheet) was already received, earlier, as a non-rejected
--                         report; received at the same time (a copy that kept the modification time), the shorter
--                         file name is the original ('x.xlsx' before 'x (copy).xlsx'), then by name;
--   accepted              every row of the report is in force (always so for the latest version);
--   partially_superseded  some of its rows were replaced by later versions, the others are still in force;
--   superseded            every row was replaced by later versions.
-- rows_in_force counts the rows in force from each version; the macro rows_in_force selects the same rows.
with submissions as (

    select * from {{ ref('stg_report_submissions') }}

),

content_order as (

    select
        * replace (
            -- a submission without a version group (a unit test's given rows, written before the reorganisation)
            -- competes within its district, as before
            coalesce(version_group, district_code) as version_group,
            coalesce(unit_code, district_code) as unit_code
        ),
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
        version_group,
        unit_code,
        period,
        row_number() over (
            partition by family, version_group, period
            order by effective_date desc, received_at desc, file_name desc, sheet desc
        ) as version_rank,
        count(*) over (partition by family, version_group, period) as version_count
    from content_order
    where parse_status <> 'rejected'
      and content_copy_number = 1

),

report_items as (

    -- the key of every landed row, of every report family (var report_families): the commune, or the savings
    -- category (macro row_key, as rows_in_force)
    {% for family in var('report_families') %}
    select report_id, file_name, {{ row_key(family) }} as item from {{ ref('stg_' ~ family ~ '_rows') }}
    union all
    {% endfor %}
    -- a document that is not a report of rows (the emulation plan, var document_families) is one item as a whole:
    -- a later version replaces it entirely
    select report_id, file_name, 'whole document' as item
    from submissions
    where family in ({% for f in var('document_families') %}'{{ f }}'{% if not loop.last %}, {% endif %}{% endfor %})
      and parse_status <> 'rejected'

),

candidate_items as (

    select
        c.file_name,
        c.sheet,
        c.version_rank,
        first_value(c.report_id) over item_versions            as item_report_id,
        first_value(c.file_name) over item_versions            as item_file_name,
        first_value(c.version_rank) over item_versions         as item_version_rank
    from candidates as c
    inner join report_items as r
        on  r.report_id = c.report_id
        and r.file_name = c.file_name
    window item_versions as (
        partition by c.family, c.version_group, c.period, r.item
        order by c.version_rank
    )

),

version_rows as (

    -- per version: its rows, the rows in force from it, and the latest version that replaced any of the others
    select
        file_name,
        sheet,
        count(*)                                                 as version_rows,
        count_if(item_version_rank = version_rank)               as rows_in_force,
        arg_min(item_report_id, item_version_rank)
            filter (where item_version_rank < version_rank)      as replaced_by_report_id,
        arg_min(item_file_name, item_version_rank)
            filter (where item_version_rank < version_rank)      as replaced_by_file_name
    from candidate_items
    group by file_name, sheet

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
        s.unit_code,
        s.unit_level,
        s.province_code,
        s.generation,
        s.version_group,
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
            when c.version_rank = 1 or coalesce(vr.rows_in_force, 0) = coalesce(vr.version_rows, 0) then 'accepted'
            when vr.rows_in_force > 0 then 'partially_superseded'
            else 'superseded'
        end as status,
        cast(case when c.file_name is not null then coalesce(vr.rows_in_force, 0) else 0 end as bigint) as rows_in_force,
        -- versions are numbered in the order they took effect: 1 is the oldest
        case when c.file_name is not null then c.version_count - c.version_rank + 1 end as version_number,
        case when s.content_copy_number > 1 then s.first_copy_file_name end as duplicate_of_file_name,
        vr.replaced_by_report_id as superseded_by,
        vr.replaced_by_file_name as superseded_by_file_name
    from content_order as s
    left join candidates as c
        on  c.file_name = s.file_name
        and c.sheet is not distinct from s.sheet
    left join version_rows as vr
        on  vr.file_name = s.file_name
        and vr.sheet is not distinct from s.sheet

)

select
    *,
    status in ('accepted', 'partially_superseded') as in_force
from resolved
