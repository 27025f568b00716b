-- Households by year at district level (sum of the district's commune rows in force) and province level
-- (sum of the districts of that province present in the data). Counts only; rates are computed in the mart.
-- The ethnic-minority (DTTS) columns are optional: the em_rate_* counts are those of the communes that report
-- all three DTTS counts (em_communes_reported of them), so that a DTTS rate divides a numerator and a
-- denominator from the same communes (hence the same districts) at every level.
{% set households = ['total_households', 'poor_households', 'near_poor_households',
                     'em_households', 'em_poor_households', 'em_near_poor_households'] %}
{% set em_rate = ['em_rate_households', 'em_rate_poor_households', 'em_rate_near_poor_households'] %}

with report_rows as (

    select * from {{ ref('int_poverty_rows') }}

),

units as (

    select * from {{ ref('stg_admin_units') }}

),

rows_with_em as (

    select
        *,
        em_households is not null
            and em_poor_households is not null
            and em_near_poor_households is not null     as em_reported,
        case when em_reported then em_households end            as em_rate_households,
        case when em_reported then em_poor_households end       as em_rate_poor_households,
        case when em_reported then em_near_poor_households end  as em_rate_near_poor_households
    from report_rows

),

by_district as (

    select
        year,
        district_code                                   as unit_code,
        {{ sum_measures(households + em_rate) }},
        count(*)                                        as communes_reported,
        count_if(em_reported)                           as em_communes_reported
    from rows_with_em
    group by year, district_code

),

all_units as (

    {{ roll_up_to_province('by_district', ['year'], households + em_rate + ['communes_reported', 'em_communes_reported']) }}

)

select
    a.year,
    a.unit_code,
    u.full_name                                         as unit_name,
    u.unit_level,
    u.parent_code,
    a.total_households,
    a.poor_households,
    a.near_poor_households,
    a.em_households,
    a.em_poor_households,
    a.em_near_poor_households,
    a.em_rate_households,
    a.em_rate_poor_households,
    a.em_rate_near_poor_households,
    cast(a.em_communes_reported as bigint)              as em_communes_reported,
    cast(a.communes_reported as bigint)                 as communes_reported,
    cast(a.districts_reported as bigint)                as districts_reported
from all_units as a
left join units as u
    on u.unit_code = a.unit_code
