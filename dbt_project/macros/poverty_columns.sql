{#
  The poverty figures of a mart row, written once for every poverty mart (mart_poverty, mart_poverty_2025_units,
  and the DTTS terms of int_poverty_by_unit): the unrounded rates of a row of summed counts, the pairing
  with the same unit's previous year, and the published columns (counts, rates rounded to 2 decimals, changes).

  poverty_em_rate_columns()               -- of a commune row: em_reported (all three DTTS counts given) and the
                                          -- em_rate_* counts (NULL unless em_reported), the DTTS rates' terms
  poverty_rates(alias)                    -- the four unrounded rates (DTTS ones from the em_rate_* counts)
  poverty_previous_year(rows, unit_keys, comparable)
                                          -- rows + prev_* of the same unit_keys' previous year; prev_unit_code
                                          -- is set only when `comparable` holds for both years
  poverty_figures()                       -- the published count, rate and change columns of a paired row
#}
{% macro poverty_em_rate_columns() -%}
    em_households is not null
        and em_poor_households is not null
        and em_near_poor_households is not null                         as em_reported,
    case when em_reported then em_households end                        as em_rate_households,
    case when em_reported then em_poor_households end                   as em_rate_poor_households,
    case when em_reported then em_near_poor_households end              as em_rate_near_poor_households
{%- endmacro %}


{% macro poverty_rates(alias) -%}
    {{ pct_unrounded(alias ~ '.poor_households', alias ~ '.total_households') }}              as poverty_rate,
    {{ pct_unrounded(alias ~ '.near_poor_households', alias ~ '.total_households') }}         as near_poverty_rate,
    {{ pct_unrounded(alias ~ '.em_rate_poor_households', alias ~ '.em_rate_households') }}      as em_poverty_rate,
    {{ pct_unrounded(alias ~ '.em_rate_near_poor_households', alias ~ '.em_rate_households') }} as em_near_poverty_rate
{%- endmacro %}


{% macro poverty_previous_year(rows, unit_keys, comparable) -%}
    select
        cur.*,
        case when cur.{{ comparable }} and prev.{{ comparable }} then prev.unit_code end  as prev_unit_code,
        prev.poor_households                                                    as prev_poor_households,
        prev.poverty_rate                                                       as prev_poverty_rate,
        prev.em_poor_households                                                 as prev_em_poor_households,
        prev.em_poverty_rate                                                    as prev_em_poverty_rate,
        prev.near_poor_households                                               as prev_near_poor_households,
        prev.near_poverty_rate                                                  as prev_near_poverty_rate
    from {{ rows }} as cur
    left join {{ rows }} as prev
        on  prev.year = cur.year - 1
        {%- for key in unit_keys %}
        and prev.{{ key }} = cur.{{ key }}
        {%- endfor %}
{%- endmacro %}


{% macro poverty_figures() -%}
    total_households,
    poor_households,
    near_poor_households,
    round(poverty_rate, 2)                                                  as poverty_rate_pct,
    round(near_poverty_rate, 2)                                             as near_poverty_rate_pct,
    em_households,
    em_poor_households,
    em_near_poor_households,
    round(em_poverty_rate, 2)                                               as em_poverty_rate_pct,
    round(em_near_poverty_rate, 2)                                          as em_near_poverty_rate_pct,
    {%- for count, rate in [('poor_households', 'poverty_rate'), ('em_poor_households', 'em_poverty_rate'),
                            ('near_poor_households', 'near_poverty_rate')] %}
    case when prev_unit_code is not null
        then {{ count }} - prev_{{ count }} end                             as {{ count }}_change,
    case when prev_unit_code is not null
        then round({{ rate }} - prev_{{ rate }}, 2) end                     as {{ rate }}_change_pp
    {{- ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}
