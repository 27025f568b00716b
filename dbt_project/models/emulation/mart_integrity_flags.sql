-- Dấu hiệu bất thường — integrity flags (spec emulation-scoring.md, "Integrity flags"), one row per flag, computed
-- for every unit and year from the rows in force (int_*_rows) and the report versions, each naming the commune
-- (when there is one), the figures and the report row behind it. Thresholds are dbt vars (dbt_project.yml,
-- flag_*). A flag is cleared when the plan in force for the year lists it (Đã xác minh) for the unit. Flags
-- never change points; an uncleared flag only blocks the `Cờ thi đua` proposal (mart_emulation_ranking).
--   late_correction_raised_score is simplified: every later version of a report (a correction) that took effect
--   after the due date and has rows in force is flagged; whether it actually raised a scored actual is left to
--   the council (the detail says so).
{{ config(schema='marts') }}

with poverty as (

    select * from {{ ref('int_poverty_rows') }}

),

poverty_pairs as (

    select
        cur.*,
        prev.total_households                                           as prev_total_households,
        prev.poor_households                                            as prev_poor_households,
        prev.near_poor_households                                       as prev_near_poor_households
    from poverty as cur
    inner join poverty as prev
        on  prev.commune_code = cur.commune_code
        and prev.district_code = cur.district_code
        and prev.year = cur.year - 1

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

    select
        cur.*,
        prev.ntm_standard                                               as prev_ntm_standard,
        prev.ntm_advanced                                               as prev_ntm_advanced,
        prev.ntm_model                                                  as prev_ntm_model,
        prev.ocop_products                                              as prev_ocop_products,
        prev.period                                                     as prev_period
    from infrastructure_year_end as cur
    inner join infrastructure_year_end as prev
        on  prev.commune_code = cur.commune_code
        and prev.district_code = cur.district_code
        and prev.year = cur.year - 1

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
        year, district_code, null as commune_code, 'savings_far_above_plan' as flag,
        coalesce(category_label, category) || ': tiết kiệm thực hiện ' || {{ number_vi('achieved_savings_vnd', 0) }}
            || ' đồng, gấp ' || {{ number_vi('achieved_savings_vnd / planned_savings_vnd', 1) }}
            || ' lần kế hoạch ' || {{ number_vi('planned_savings_vnd', 0) }} || ' đồng (ngưỡng '
            || {{ number_vi(var('flag_savings_above_plan_ratio'), 1, trim=true) }} || ' lần)'      as detail_vi,
        file_name, sheet, row_number
    from {{ ref('int_savings_rows') }}
    where planned_savings_vnd > 0
      and achieved_savings_vnd > {{ var('flag_savings_above_plan_ratio') }} * planned_savings_vnd

),

late_corrections as (

    select
        v.year, v.district_code, null as commune_code, 'late_correction_raised_score' as flag,
        'Báo cáo sửa (lần nộp thứ ' || v.version_number || ') kỳ ' || v.period || ' lập ngày '
            || strftime(v.effective_date, '%d/%m/%Y') || ', sau hạn ' || strftime(e.due_date, '%d/%m/%Y')
            || ', đang có hiệu lực với ' || v.rows_in_force
            || ' dòng: cần kiểm tra xem có làm tăng kết quả được chấm không'     as detail_vi,
        v.file_name, v.sheet, cast(null as integer) as row_number
    from {{ ref('int_report_versions') }} as v
    inner join {{ ref('int_expected_reports') }} as e
        on  e.family = v.family
        and e.period = v.period
        and e.district_code = v.district_code
    where v.in_force
      and v.version_number > 1
      and v.effective_date > e.due_date

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
    from {{ source('raw', 'plan_cleared_flags') }} as f
    inner join {{ ref('int_emulation_plans') }} as p
        on p.report_id = f.report_id and p.file_name = f.file_name
    group by p.year, f.unit_code, f.flag_code

)

select
    cast(f.year as integer)                                                     as year,
    f.district_code                                                             as unit_code,
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
    and c.unit_code = f.district_code
    and c.flag_code = f.flag
