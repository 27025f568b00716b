-- Every (family, version_group, period) that received a usable report (accepted by the ingest, not a duplicate)
-- has its latest version fully in force (status 'accepted'); rejected and duplicate reports are never in force;
-- a version is in force exactly when rows are in force from it; and the rows in force counted per version
-- (int_report_versions.rows_in_force) are exactly the rows the macro rows_in_force selects, one per commune or
-- category.
{{ config(meta={'dagster': {'ref': {'name': 'int_report_versions'}}}) }}  -- shown in Dagster as a check of int_report_versions
with keys as (

    select
        family,
        version_group,
        period,
        'latest version not accepted, or a rejected/duplicate report in force' as problem
    from {{ ref('int_report_versions') }}
    group by family, version_group, period
    having count_if(status in ('accepted', 'partially_superseded', 'superseded')) > 0
        and max(version_number) filter (where status = 'accepted')
            is distinct from max(version_number)
        or count_if(in_force and status not in ('accepted', 'partially_superseded')) > 0
        or count_if(in_force <> (rows_in_force > 0)) > 0

),

counted as (

    select family, sum(rows_in_force) as rows_in_force
    from {{ ref('int_report_versions') }}
    group by family

),

selected as (

    {% for family in var('report_families') %}
    select '{{ family }}' as family, count(*) as selected_rows,
           count(distinct (r.version_group, r.period, {{ row_key(family, 'r.') }})) as selected_keys
    from ({{ rows_in_force(family) }}) as r
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select family, version_group, period, problem from keys
union all
select s.family, null, null, 'rows_in_force differs from the rows the macro selects'
from selected as s
left join counted as c on c.family = s.family
where s.selected_rows <> coalesce(c.rows_in_force, 0)
   or s.selected_rows <> s.selected_keys
