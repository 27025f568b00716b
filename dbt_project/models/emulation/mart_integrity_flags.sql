-- Dấu hiệu bất thường — integrity flags (spec emulation-scoring.md, "Integrity flags"), one row per flag, computed
-- for every unit and year from the rows in force (int_*_rows) and the report versions, each naming the commune
-- (when there is one), the figures and the report row behind it. Thresholds are dbt vars (dbt_project.yml,
-- flag_*). A flag is cleared when the plan in force for the year lists it (Đã xác minh) for the unit. Flags
-- never change points; an uncleared flag only blocks the `Cờ thi đua` proposal (mart_emulation_ranking).
-- From 2025 a flag on a row of the 2025-07-01 list (district_code NULL) belongs to the new commune it names; rows
-- are compared with the previous year on the same list only (a 2025 row is not compared with its old communes').
--   late_correction_raised_score is simplified to the rows: a correction in force, dated after the due date, one
--   of whose rows moves a figure a score reads in the favourable direction against the row it replaced (whether
--   the unit's plan scores that figure, and by how much the actual moved, is not recomputed).
{{ config(schema='marts') }}

with poverty as (

    select * from {{ ref('int_poverty_rows') }}

),

poverty_pairs as (

    {{ commune_previous_year('poverty', ['total_households', 'poor_households', 'near_poor_households']) }}

),

poor_moved as (

    select
        year, district_code, commune_code, 'poor_moved_to_near_poor' as flag,
        commune_name || ': hộ nghèo giảm ' || {{ number_vi('prev_poor_households - poor_households', 0) }}
            || ' (từ ' || {{ number_vi('prev_poor_households', 0) }} || ' còn ' || {{ number_vi('poor_households', 0) }}
            || ') trong khi hộ cận nghèo tăng ' || {{ number_vi('near_poor_households - prev_near_poor_households', 0) }}
            || ' (từ ' || {{ number_vi('prev_near_poor_households', 0) }} || ' lên '
            || {{ number_vi('near_poor_households', 0) }} || ')'                       as detail_vi,
        file_name, sheet, row_number
    from poverty_pairs
    where prev_poor_households - poor_households >= {{ var('flag_poor_moved_min_households') }}
      and near_poor_households - prev_near_poor_households
          >= {{ var('flag_poor_moved_near_poor_ratio') }} * (prev_poor_households - poor_households)

),

households_jump as (

    select
        year, district_code, commune_code, 'households_jump' as flag,
        commune_name || ': tổng số hộ từ ' || {{ number_vi('prev_total_households', 0) }} || ' thành '
            || {{ number_vi('total_households', 0) }} || ' ('
            || case when total_households >= prev_total_households then '+' else '' end
            || {{ number_vi('100.0 * (total_households - prev_total_households) / prev_total_households', 1) }}
            || ' %), vượt ngưỡng ' || {{ number_vi(var('flag_households_jump_ratio') * 100, 0) }}
            || ' % so với năm trước'                                             as detail_vi,
        file_name, sheet, row_number
    from poverty_pairs
    where prev_total_households > 0
      and abs(total_households - prev_total_households)
          > {{ var('flag_households_jump_ratio') }} * prev_total_households

),

infrastructure_year_end as (

    -- each commune's stock at the end of the year: its row of the last quarter present
    select *
    from {{ ref('int_infrastructure_rows') }}
    qualify row_number() over (partition by district_code, commune_code, year order by quarter desc) = 1

),

stock_pairs as (

    {{ commune_previous_year('infrastructure_year_end',
                             ['ntm_standard', 'ntm_advanced', 'ntm_model', 'ocop_products', 'period']) }}

),

stock_decreased as (

    select
        year, district_code, commune_code, 'stock_decreased' as flag,
        commune_name || ' (' || prev_period || ' → ' || period || '): '
            || concat_ws('; ',
                case when prev_ntm_standard and not ntm_standard then 'không còn đạt chuẩn nông thôn mới' end,
                case when prev_ntm_advanced and not ntm_advanced then 'không còn đạt chuẩn nông thôn mới nâng cao' end,
                case when prev_ntm_model and not ntm_model then 'không còn đạt chuẩn nông thôn mới kiểu mẫu' end,
                case when ocop_products < prev_ocop_products
                    then 'sản phẩm OCOP giảm từ ' || {{ number_vi('prev_ocop_products', 0) }} || ' còn '
                         || {{ number_vi('ocop_products', 0) }} end)                    as detail_vi,
        file_name, sheet, row_number
    from stock_pairs
    where (prev_ntm_standard and not ntm_standard)
       or (prev_ntm_advanced and not ntm_advanced)
       or (prev_ntm_model and not ntm_model)
       or ocop_products < prev_ocop_products

),

savings_far_above_plan as (

    select
        -- a new commune reports its savings itself (district_code NULL): the flag is its own
        year, coalesce(district_code, unit_code) as district_code, null as commune_code, 'savings_far_above_plan' as flag,
        coalesce(category_label, category) || ': tiết kiệm thực hiện ' || {{ number_vi('achieved_savings_vnd', 0) }}
            || ' đồng, gấp ' || {{ number_vi('achieved_savings_vnd / planned_savings_vnd', 1) }}
            || ' lần kế hoạch ' || {{ number_vi('planned_savings_vnd', 0) }} || ' đồng (ngưỡng '
            || {{ number_vi(var('flag_savings_above_plan_ratio'), 1, trim=true) }} || ' lần)'      as detail_vi,
        file_name, sheet, row_number
    from {{ ref('int_savings_rows') }}
    where planned_savings_vnd > 0
      and achieved_savings_vnd > {{ var('flag_savings_above_plan_ratio') }} * planned_savings_vnd

),

versioned_rows as (

    -- every row of every version of a report (not rejected, not a duplicate), with the figures a score may use
    {% set measures = {
        'poverty': ['total_households', 'poor_households', 'near_poor_households', 'em_poor_households'],
        'infrastructure': ['rural_road_km', 'green_road_km', 'lit_road_km', 'people_contribution_vnd',
                           'cast(ntm_standard as integer)', 'cast(ntm_advanced as integer)',
                           'cast(ntm_model as integer)', 'ocop_products'],
        'savings': ['planned_savings_vnd', 'achieved_savings_vnd'],
    } %}
    {% for family in var('report_families') %}
    select
        '{{ family }}' as family, v.district_code, v.period, v.year, v.version_number, v.effective_date, v.in_force,
        r.file_name, r.sheet, r.row_number,
        {{ 'r.commune_code' if family != 'savings' else 'null' }} as commune_code,
        {{ 'r.commune_name' if family != 'savings' else 'coalesce(r.category_label, r.category)' }} as item_name,
        {{ row_key(family, 'r.') }} as item,
        [{% for m in measures.get(family, []) %}cast({{ m if m.startswith('cast') else 'r.' ~ m }} as double){{ ', ' if not loop.last }}{% endfor %}]
            as figures
    from {{ ref('stg_' ~ family ~ '_rows') }} as r
    inner join {{ ref('int_report_versions') }} as v
        on v.report_id = r.report_id and v.file_name = r.file_name
    where v.version_number is not null
    {{ 'union all' if not loop.last }}
    {% endfor %}

),

late_candidates as (

    -- each row of a correction in force dated after the due date, with the row it replaced: the same commune or
    -- category in the latest earlier version that has it
    select
        cur.*,
        e.due_date,
        prev.file_name                                                          as prev_file_name,
        prev.row_number                                                         as prev_row_number,
        prev.figures                                                            as prev_figures
    from versioned_rows as cur
    inner join {{ ref('int_expected_reports') }} as e
        on  e.family = cur.family
        and e.period = cur.period
        and e.district_code = cur.district_code
    inner join versioned_rows as prev
        on  prev.family = cur.family
        and prev.district_code = cur.district_code
        and prev.period = cur.period
        and prev.item = cur.item
        and prev.version_number < cur.version_number
    where cur.in_force
      and cur.version_number > 1
      and cur.effective_date > e.due_date
    qualify row_number() over (
        partition by cur.file_name, cur.sheet, cur.row_number order by prev.version_number desc) = 1

),

late_corrections as (

    -- the rows that move a figure a score reads the favourable way: fewer poor, near-poor or DTTS poor households
    -- (or more households: a lower rate), more km, money contributed, NTM standards or OCOP products, more achieved
    -- or less planned savings
    select
        year, district_code, commune_code, 'late_correction_raised_score' as flag,
        item_name || ': báo cáo sửa (lần nộp thứ ' || version_number || ') kỳ ' || period
            || ' lập ngày ' || strftime(effective_date, '%d/%m/%Y') || ', sau hạn '
            || strftime(due_date, '%d/%m/%Y') || ', thay dòng ' || prev_row_number || ' của tệp ' || prev_file_name
            || ' theo hướng làm tăng kết quả được chấm'                          as detail_vi,
        file_name, sheet, row_number
    from late_candidates
    where case family
            when 'poverty' then coalesce(figures[1] > prev_figures[1], false)
                             or coalesce(figures[2] < prev_figures[2], false)
                             or coalesce(figures[3] < prev_figures[3], false)
                             or coalesce(figures[4] < prev_figures[4], false)
            when 'savings' then coalesce(figures[1] < prev_figures[1], false)
                             or coalesce(figures[2] > prev_figures[2], false)
            else list_bool_or(list_transform(list_zip(figures, prev_figures), lambda x: coalesce(x[1] > x[2], false)))
          end

),

flags as (

    select * from poor_moved
    union all select * from households_jump
    union all select * from stock_decreased
    union all select * from savings_far_above_plan
    union all select * from late_corrections

),

cleared as (

    select p.year, f.unit_code, f.flag_code, string_agg(f.note, '; ' order by f.row_number) as note
    from {{ ref('stg_plan_cleared_flags') }} as f
    inner join {{ ref('int_emulation_plans') }} as p
        on p.report_id = f.report_id and p.file_name = f.file_name
    group by p.year, f.unit_code, f.flag_code

)

select
    cast(f.year as integer)                                                     as year,
    -- the unit scored: the district (years up to 2024), or the new commune the row is on (from 2025)
    coalesce(f.district_code, f.commune_code)                                   as unit_code,
    f.commune_code,
    f.flag,
    f.detail_vi,
    f.file_name,
    f.sheet,
    cast(f.row_number as integer)                                               as row_number,
    c.flag_code is not null                                                     as cleared,
    c.note                                                                      as cleared_note
from flags as f
left join cleared as c
    on  c.year = f.year
    and c.unit_code = coalesce(f.district_code, f.commune_code)
    and c.flag_code = f.flag
