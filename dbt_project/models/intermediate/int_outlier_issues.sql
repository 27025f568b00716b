-- Warnings (rule `outlier`) for commune values far from the same commune's previous period, in reports in
-- force. The thresholds are dbt vars (dbt_project.yml): a value more than `outlier_ratio` times (or less than
-- 1/`outlier_ratio` of) the previous one, with an absolute change of at least `outlier_min_change`; total
-- households, which change slowly, use `outlier_total_households_ratio`. OCOP products are cumulative: any
-- decrease is flagged.
{% set ratio = var('outlier_ratio') %}
{% set min_change = var('outlier_min_change') %}
{% set households_ratio = var('outlier_total_households_ratio') %}

with poverty as (

    select
        report_id, file_name, sheet, row_number, district_code, unit_code, generation, period, commune_code, commune_name,
        'poverty' as family, year as period_index, metric, value
    from {{ ref('int_poverty_rows') }}
    unpivot (value for metric in (total_households, poor_households, near_poor_households))

),

infrastructure as (

    select
        report_id, file_name, sheet, row_number, district_code, unit_code, generation, period, commune_code, commune_name,
        'infrastructure' as family, year * 4 + quarter as period_index, 'ocop_products' as metric,
        ocop_products as value
    from {{ ref('int_infrastructure_rows') }}

),

all_values as (

    select * from poverty
    union all
    select * from infrastructure

),

compared as (

    select
        cur.*,
        prev.value  as previous_value,
        prev.period as previous_period
    from all_values as cur
    inner join all_values as prev
        on  prev.family = cur.family
        and prev.commune_code = cur.commune_code
        -- a code may name another commune on the other list (29242 Phường 3, then Phường Trà Vinh)
        and prev.generation is not distinct from cur.generation
        and prev.metric = cur.metric
        and prev.period_index = cur.period_index - 1
    where cur.value is not null and prev.value is not null

),

flagged as (

    select *
    from compared
    where
        case
            when metric = 'ocop_products' then value < previous_value
            when metric = 'total_households' then
                greatest(value, previous_value) > {{ households_ratio }} * least(value, previous_value)
            else abs(value - previous_value) >= {{ min_change }}
                and greatest(value, previous_value) > {{ ratio }} * least(value, previous_value)
        end

),

labels as (

    select * from (values
        ('total_households', 'Tổng số hộ'),
        ('poor_households', 'Số hộ nghèo'),
        ('near_poor_households', 'Số hộ cận nghèo'),
        ('ocop_products', 'Sản phẩm OCOP (lũy kế)')
    ) as t(metric, label)

),

labelled as (

    select f.*, l.label
    from flagged as f
    inner join labels as l on l.metric = f.metric

)

-- the template's placeholders filled in SQL, as str.format would in Python; counts written the Vietnamese way
-- (6.000), as the parser's number_vi does
{{ rule_issues('outlier', 'labelled', [
    ('column', 'label'),
    ('commune', "coalesce(nullif(commune_name, ''), commune_code)"),
    ('value', "format('{:t.}', value)"),
    ('previous_period', 'previous_period'),
    ('previous', "format('{:t.}', previous_value)")],
    column_name='issue.label', district_code='issue.district_code') }}
