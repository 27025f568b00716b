-- Rows of the savings reports in force (status 'accepted' in int_report_versions): superseded, duplicate
-- and rejected reports contribute nothing. Joined on (report_id, file_name) because a file received twice
-- has the same report_id.
with report_rows as (

    select * from {{ ref('stg_savings_rows') }}

),

in_force_reports as (

    select report_id, file_name, family
    from {{ ref('int_report_versions') }}
    where in_force
      and family = 'savings'

)

select report_rows.*
from report_rows
inner join in_force_reports
    on  in_force_reports.report_id = report_rows.report_id
    and in_force_reports.file_name = report_rows.file_name
