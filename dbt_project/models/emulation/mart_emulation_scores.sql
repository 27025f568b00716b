-- Điểm thi đua theo tiêu chí — one row per (year, unit, criterion) of the plan in force (spec
-- emulation-scoring.md, "Scoring"). With actual a and target t: achievement r = a / t when t > 0; when t <= 0
-- (hold the line) r = 1 if a >= t else 0; points = max_points x clamp(r, 0, 1); bonus = min(max_bonus,
-- max_points x max(r - 1, 0)). An actual that cannot be computed scores 0 and says why. A criterion without a
-- target does not apply to the unit: points, bonus and max_points are NULL (left out of the unit's score and
-- maximum). Values are unrounded; explanation_vi rounds for display only.
{{ config(schema='marts') }}
{% set labels = {
    'poverty_rate_reduction_pp': 'Giảm tỷ lệ hộ nghèo (điểm %)',
    'em_poverty_rate_reduction_pp': 'Giảm tỷ lệ hộ nghèo dân tộc thiểu số (điểm %)',
    'poor_households_reduction': 'Số hộ nghèo giảm',
    'near_poverty_rate_reduction_pp': 'Giảm tỷ lệ hộ cận nghèo (điểm %)',
    'ntm_communes_new': 'Số xã đạt chuẩn nông thôn mới tăng thêm',
    'ntm_advanced_communes_new': 'Số xã đạt chuẩn nông thôn mới nâng cao tăng thêm',
    'ntm_model_communes_new': 'Số xã đạt chuẩn nông thôn mới kiểu mẫu tăng thêm',
    'ntm_share_pct': 'Tỷ lệ xã đạt chuẩn nông thôn mới (%)',
    'ocop_products_new': 'Số sản phẩm OCOP tăng thêm',
    'rural_road_km': 'Đường giao thông nông thôn trong năm (km)',
    'green_road_km': 'Tuyến đường xanh - sạch - đẹp trong năm (km)',
    'lit_road_km': 'Đường được thắp sáng trong năm (km)',
    'people_contribution_share_pct': 'Tỷ lệ nhân dân đóng góp (%)',
    'savings_achieved_pct_of_plan': 'Tiết kiệm so với kế hoạch (%)',
    'reporting_on_time_pct': 'Tỷ lệ báo cáo đúng hạn (%)',
} %}

with targets as (

    select * from {{ ref('int_emulation_targets') }}

),

actuals as (

    select * from {{ ref('int_emulation_actuals') }}

),

achieved as (

    select
        t.*,
        a.actual,
        a.evidence,
        a.missing_reason,
        t.target is not null                                                        as applicable,
        case
            when t.target is null or a.actual is null then null
            when t.target > 0 then a.actual / t.target
            when a.actual >= t.target then 1.0
            else 0.0
        end                                                                         as r
    from targets as t
    left join actuals as a
        on  a.year = t.year
        and a.unit_code = t.unit_code
        and a.indicator = t.indicator

),

scored as (

    select
        *,
        case when applicable then max_points end                                    as applicable_max_points,
        -- (DuckDB's least/greatest skip NULLs: a missing r must be tested first)
        case
            when not applicable then null
            when r is null then 0.0
            else max_points * greatest(least(r, 1.0), 0.0)
        end                                                                         as points,
        case
            when not applicable then null
            when r is null then 0.0
            else least(max_bonus, max_points * greatest(r - 1.0, 0.0))
        end                                                                         as bonus_points,
        case
            {% for code, label in labels.items() %}
            when indicator = '{{ code }}' then '{{ label }}'
            {% endfor %}
            else indicator
        end                                                                         as indicator_vi
    from achieved

)

select
    year,
    cluster,
    unit_code,
    unit_name,
    criterion_code,
    criterion_name,
    indicator,
    actual,
    target,
    100.0 * r                                                                       as achievement_pct,
    applicable_max_points                                                           as max_points,
    points,
    bonus_points,
    case
        when not applicable
            then indicator_vi || ': không giao chỉ tiêu, tiêu chí không áp dụng cho đơn vị (không tính vào điểm tối đa).'
        when actual is null
            then indicator_vi || ': ' || coalesce(missing_reason, 'không tính được') || '; 0/'
                 || {{ number_vi('max_points', 2, trim=true) }} || ' điểm.'
        else indicator_vi || ' ' || {{ number_vi('actual', 2) }} || ', chỉ tiêu ' || {{ number_vi('target', 2) }}
             || case when target <= 0 then ' (giữ mức): ' || case when r >= 1 then 'đạt' else 'không đạt' end
                     else ': đạt ' || {{ number_vi('100.0 * r', 0) }} || ' %' end
             || ', ' || {{ number_vi('points', 2, trim=true) }} || '/' || {{ number_vi('max_points', 2, trim=true) }}
             || ' điểm'
             || case when bonus_points > 0
                     then ', thưởng ' || {{ number_vi('bonus_points', 2, trim=true) }} || ' điểm' else '' end
             || '.'
    end                                                                             as explanation_vi,
    case when applicable then evidence end                                          as evidence
from scored
