-- One row per (year, unit, criterion) of the plan in force (int_emulation_plans): the unit's cluster, the
-- criterion (name, indicator, points, plan order) and the unit's target (NULL: the criterion does not apply).
with plans as (

    select * from {{ ref('int_emulation_plans') }}

),

clusters as (

    select c.*
    from {{ ref('stg_plan_clusters') }} as c
    inner join plans as p on p.report_id = c.report_id and p.file_name = c.file_name

),

criteria as (

    select c.*
    from {{ ref('stg_plan_criteria') }} as c
    inner join plans as p on p.report_id = c.report_id and p.file_name = c.file_name

),

targets as (

    select t.*
    from {{ ref('stg_plan_targets') }} as t
    inner join plans as p on p.report_id = t.report_id and p.file_name = t.file_name

)

select
    p.year,
    cl.cluster,
    cl.unit_code,
    cl.unit_name,
    cr.criterion_code,
    cr.criterion_name,
    cr.indicator,
    cr."order"                                          as criterion_order,
    cr.max_points,
    coalesce(cr.max_bonus, 0)                           as max_bonus,
    t.target,
    p.report_id                                         as plan_report_id,
    p.file_name                                         as plan_file_name
from plans as p
inner join clusters as cl on cl.report_id = p.report_id and cl.file_name = p.file_name
inner join criteria as cr on cr.report_id = p.report_id and cr.file_name = p.file_name
left join targets as t
    on  t.report_id = p.report_id
    and t.file_name = p.file_name
    and t.unit_code = cl.unit_code
    and t.criterion_code = cr.criterion_code
