-- Xếp hạng thi đua — one row per (year, unit) of the plan in force (spec emulation-scoring.md, "Scoring"):
-- points and bonus summed over the applicable criteria (mart_emulation_scores), minus the penalties of the
-- unit's late and missing reports of the year (int_emulation_penalties x the plan's Tham số); score_pct = total
-- / the sum of the applicable max_points x 100; the classification by the plan's thresholds (unrounded
-- score_pct). Ranked inside the cluster by total, ties broken by the points of the criteria in the plan's order,
-- then shared (rank: two units tied on everything share the rank, the next rank is skipped). Proposals inside
-- each cluster: `Cờ thi đua` for the first N ranked units classified "xuất sắc" that are eligible (no uncleared
-- integrity flag, no missing report); `Bằng khen` for the next M ranked units classified at least "tốt" (flags
-- do not block it). Units tied in rank at a proposal boundary are taken by unit_code.
{{ config(schema='marts') }}

with scores as (

    select * from {{ ref('mart_emulation_scores') }}

),

plans as (

    select * from {{ ref('int_emulation_plans') }}

),

criteria_order as (

    select distinct year, unit_code, criterion_code, criterion_order
    from {{ ref('int_emulation_targets') }}

),

by_unit as (

    select
        s.year,
        s.cluster,
        s.unit_code,
        s.unit_name,
        coalesce(sum(s.points), 0)                                                  as points,
        coalesce(sum(s.bonus_points), 0)                                            as bonus_points,
        sum(s.max_points)                                                           as max_points,
        -- the tie-break: the points of every criterion in the plan's order (not applicable counts as 0);
        -- rounded so that sums of doubles in another order do not split a real tie
        list(round(coalesce(s.points, 0), 9) order by o.criterion_order)            as criterion_points
    from scores as s
    inner join criteria_order as o
        on o.year = s.year and o.unit_code = s.unit_code and o.criterion_code = s.criterion_code
    group by s.year, s.cluster, s.unit_code, s.unit_name

),

flags as (

    select
        year,
        unit_code,
        count(*) filter (where not cleared)                                         as open_flags,
        string_agg(distinct flag, ', ' order by flag) filter (where not cleared)    as open_flag_codes
    from {{ ref('mart_integrity_flags') }}
    group by year, unit_code

),

totals as (

    select
        u.*,
        coalesce(pe.late_reports, 0)                                                as late_reports,
        coalesce(pe.missing_reports, 0)                                             as missing_reports,
        coalesce(pe.late_reports, 0) * p.late_report_penalty
            + coalesce(pe.missing_reports, 0) * p.missing_report_penalty             as penalty_points,
        coalesce(f.open_flags, 0)                                                   as open_flags,
        f.open_flag_codes,
        p.excellent_from_pct,
        p.good_from_pct,
        p.completed_from_pct,
        p.flags_per_cluster,
        p.merits_per_cluster
    from by_unit as u
    inner join plans as p on p.year = u.year
    left join {{ ref('int_emulation_penalties') }} as pe
        on pe.year = u.year and pe.unit_code = u.unit_code
    left join flags as f
        on f.year = u.year and f.unit_code = u.unit_code

),

classified as (

    select
        *,
        points + bonus_points - penalty_points                                      as total_points,
        100.0 * (points + bonus_points - penalty_points) / nullif(max_points, 0)    as score_pct,
        case
            when score_pct >= excellent_from_pct then 'Hoàn thành xuất sắc nhiệm vụ'
            when score_pct >= good_from_pct then 'Hoàn thành tốt nhiệm vụ'
            when score_pct >= completed_from_pct then 'Hoàn thành nhiệm vụ'
            else 'Không hoàn thành nhiệm vụ'
        end                                                                         as classification,
        score_pct >= excellent_from_pct                                             as is_excellent,
        score_pct >= good_from_pct                                                  as is_good,
        open_flags = 0 and missing_reports = 0                                      as eligible
    from totals

),

ranked as (

    select
        *,
        rank() over (
            partition by year, cluster
            order by round(total_points, 9) desc, criterion_points desc
        )                                                                           as rank_in_cluster
    from classified

),

flag_proposals as (

    select
        *,
        case when is_excellent and eligible then
            row_number() over (
                partition by year, cluster, (is_excellent and eligible)
                order by rank_in_cluster, unit_code
            )
        end                                                                         as flag_order
    from ranked

),

merit_proposals as (

    select
        *,
        coalesce(flag_order <= flags_per_cluster, false)                            as gets_flag,
        case when is_good and not coalesce(flag_order <= flags_per_cluster, false) then
            row_number() over (
                partition by year, cluster, (is_good and not coalesce(flag_order <= flags_per_cluster, false))
                order by rank_in_cluster, unit_code
            )
        end                                                                         as merit_order
    from flag_proposals

)

select
    year,
    cluster,
    unit_code,
    unit_name,
    points,
    bonus_points,
    cast(penalty_points as double)                                                  as penalty_points,
    total_points,
    max_points,
    score_pct,
    classification,
    cast(rank_in_cluster as integer)                                                as rank_in_cluster,
    case
        when gets_flag then 'Cờ thi đua'
        when merit_order <= merits_per_cluster then 'Bằng khen'
    end                                                                             as proposed_commendation,
    eligible,
    case when not eligible then
        'Không đủ điều kiện đề nghị Cờ thi đua: '
        || concat_ws('; ',
            case when open_flags > 0 then open_flags || ' dấu hiệu bất thường chưa được xác minh ('
                                          || open_flag_codes || ')' end,
            case when missing_reports > 0 then missing_reports || ' báo cáo không nộp' end)
    end                                                                             as not_eligible_reason,
    cast(open_flags as integer)                                                     as open_flags,
    cast(late_reports as integer)                                                   as late_reports,
    cast(missing_reports as integer)                                                as missing_reports
from merit_proposals
