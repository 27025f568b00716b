{#
  One time series on today's map (docs/reorganisation.md, "One series on today's map"): the figures of every
  period on the units of 2025-07-01, for the marts *_2025_units. Two macros, used by the three of them:

  onto_2025_communes(rows, keys, measures, decimals)
    `rows` (a CTE) has one row per reporting commune and `keys`, with `commune_code`, `period` (whose list of
    units, macro unit_generation, says which list `commune_code` is on) and the `measures`. A row of the new list ('2025-07-01') is
    already on today's commune. A row of the old list ('2025-03-01') goes through stg_commune_crosswalk: whole
    ('full') into the new commune it became; a split ('partial') old commune is divided by `share` (the
    commune_split_shares.csv share, else equal parts), and the new communes it reached are `approximate`.
    Division and rounding: a DOUBLE measure (named in `decimals`) is multiplied by the share; a count or an amount
    in whole VND is divided into whole units by largest remainder, per old commune and measure: each part gets
    floor(value × share), and the units left over go one each to the parts with the largest remainders (ties:
    the lower new commune code). So the parts of an old commune always add up to its figure, a province holding
    every part of it gets its figure exactly, and a 0/1 count (a status such as NTM standard) goes whole to the
    new commune that takes the largest share.
    Returns one row per `keys` and new commune (`unit_code`): the measures summed (macro sum_measures),
    `covered_share` (0..1: of the share-weighted old communes that make up the new commune, those with a row
    here; 1 for a row of the new list), `approximate` and `approximate_in_province` (a part of a split old
    commune whose other part lies in another province: the province's figure is approximate too).

  roll_up_to_2025_province(commune_rows, keys, measures, decimals)
    The rows of onto_2025_communes as they are (unit_level 'commune', unit_name and parent_code from
    stg_admin_units_2025), plus one row per new province and `keys`
    with the sums of its commune rows; `coverage_pct` = 100 × the commune rows' covered shares summed / the
    province's communes on the list of 2025-07-01 (the former Trà Vinh's 41 whole communes of Tỉnh Vĩnh Long's
    124: 33.06), `approximate`.
#}
{% macro onto_2025_communes(rows, keys, measures, decimals={}) -%}
    {%- set counted = [] -%}
    {%- for measure in measures if measure not in decimals -%}{%- do counted.append(measure) -%}{%- endfor -%}
    {%- set part_keys = keys + ['source_commune'] -%}
    select * from (
    with links as (

        -- every link of the crosswalk, with the share-weighted size of its new commune (in old communes) and
        -- whether its old commune was split between provinces
        select
            old_commune_code,
            new_commune_code,
            share,
            approximate,
            sum(share) over (partition by new_commune_code)                             as new_commune_weight,
            min(new_province_code) over (partition by old_commune_code)
                <> max(new_province_code) over (partition by old_commune_code)            as split_across_provinces
        from {{ ref('stg_commune_crosswalk') }}

    ),

    parts as (

        -- the parts of each row on today's communes: a row of the old list through the crosswalk (one part per
        -- link of its old commune), a row of the new list as it is (one part, itself)
        select
            {%- for key in keys %}
            r.{{ key }},
            {%- endfor %}
            r.commune_code                                                              as source_commune,
            coalesce(l.new_commune_code, r.commune_code)                                as unit_code,
            coalesce(l.share / l.new_commune_weight, 1.0)                               as covered_share,
            coalesce(l.approximate, false)                                              as approximate,
            coalesce(l.approximate and l.split_across_provinces, false)                 as approximate_in_province
            {%- for measure in measures %},
            r.{{ measure }} * coalesce(l.share, 1.0)                                    as {{ measure }}__exact
            {%- endfor %}
        from {{ rows }} as r
        left join links as l
            on  {{ unit_generation('r.period') }} = '2025-03-01'
            and l.old_commune_code = r.commune_code
        where {{ unit_generation('r.period') }} = '2025-07-01'
           or l.old_commune_code is not null

    ),

    floored as (

        select
            *
            {%- for measure in counted %},
            floor({{ measure }}__exact)                                                 as {{ measure }}__floor
            {%- endfor %}
        from parts

    ),

    apportioned as (

        -- largest remainder per old commune (source_commune) and measure
        select
            {%- for key in keys %}
            {{ key }},
            {%- endfor %}
            unit_code,
            covered_share,
            approximate,
            approximate_in_province
            {%- for measure in measures %},
            {%- if measure in decimals %}
            {{ measure }}__exact                                                        as {{ measure }}
            {%- else %}
            {{ measure }}__floor + case
                when row_number() over (
                        partition by {{ part_keys | join(', ') }}
                        order by {{ measure }}__exact - {{ measure }}__floor desc nulls last, unit_code)
                     <= round(sum({{ measure }}__exact) over (partition by {{ part_keys | join(', ') }})
                              - sum({{ measure }}__floor) over (partition by {{ part_keys | join(', ') }}))
                then 1 else 0 end                                                       as {{ measure }}
            {%- endif %}
            {%- endfor %}
        from floored

    )

    select
        {%- for key in keys %}
        {{ key }},
        {%- endfor %}
        unit_code,
        {% if measures %}{{ sum_measures(measures, decimals) }},{% endif %}
        least(sum(covered_share), 1.0)                                                  as covered_share,
        bool_or(approximate)                                                            as approximate,
        bool_or(approximate_in_province)                                                as approximate_in_province
    from apportioned
    group by {% for key in keys %}{{ key }}, {% endfor %}unit_code
    )
{%- endmacro %}


{% macro roll_up_to_2025_province(commune_rows, keys, measures, decimals={}) -%}
    select
        {%- for key in keys %}
        c.{{ key }},
        {%- endfor %}
        c.unit_code,
        'commune'                                                                       as unit_level,
        u.full_name                                                                     as unit_name,
        u.parent_code,
        {%- for measure in measures %}
        c.{{ measure }},
        {%- endfor %}
        {{ pct('c.covered_share', '1') }}                                               as coverage_pct,
        c.approximate
    from {{ commune_rows }} as c
    inner join {{ ref('stg_admin_units_2025') }} as u
        on  u.unit_code = c.unit_code
        and u.unit_level = 'commune'

    union all

    select
        {%- for key in keys %}
        c.{{ key }},
        {%- endfor %}
        u.parent_code                                                                   as unit_code,
        'province'                                                                      as unit_level,
        any_value(p.full_name)                                                          as unit_name,
        cast(null as varchar)                                                           as parent_code,
        {% if measures %}{{ sum_measures(measures, decimals, 'c.') }},{% endif %}
        {{ pct('sum(c.covered_share)', 'any_value(n.communes)') }}                     as coverage_pct,
        bool_or(c.approximate_in_province)                                              as approximate
    from {{ commune_rows }} as c
    inner join {{ ref('stg_admin_units_2025') }} as u
        on  u.unit_code = c.unit_code
        and u.unit_level = 'commune'
    inner join (
        select parent_code, count(*) as communes
        from {{ ref('stg_admin_units_2025') }}
        where unit_level = 'commune'
        group by parent_code
    ) as n
        on n.parent_code = u.parent_code
    inner join {{ ref('stg_admin_units_2025') }} as p
        on  p.unit_code = u.parent_code
        and p.unit_level = 'province'
    group by {% for key in keys %}c.{{ key }}, {% endfor %}u.parent_code
{%- endmacro %}


{#
  The columns a row on today's map adds to those of the as-reported mart: coverage_pct, approximate, and complete
  (coverage_pct = 100), from the relation under `alias` (default: none).
#}
{% macro today_map_columns(alias='') -%}
    {%- set a = alias ~ '.' if alias else '' -%}
    {{ a }}coverage_pct,
    {{ a }}approximate,
    {{ a }}coverage_pct = 100                                                      as complete
{%- endmacro %}
