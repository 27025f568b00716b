{#
  The roll-up to the province, written once for every figure published per unit and province, on both lists of
  units. `unit_rows` (a CTE or relation) has one row per unit of the level just below the province and `keys`:
  `unit_code`, `generation` (the list the period is on, macro unit_generation), the `keys` and the `measures`. On
  the list of 2025-03-01 those units are districts, on that of 2025-07-01 the new communes (there are no districts):
  macro level_below_province. The result is those rows as they are, plus one row per province, generation and
  `keys` whose measures are the sums over the province's units present (units of the same list with that parent:
  84 from its districts up to 30 June 2025, 86 from its new communes after it). Both levels get `units_summed`: 1
  for the unit itself, the units summed for a province. Measures named in `decimals` are DOUBLEs, rounded to that
  many decimals; the others are counts, summed as BIGINT, or whole VND (named `…_vnd`), summed as DECIMAL(38,0)
  (see sum_measures). A sum skips NULLs and is NULL when every unit's value is NULL.
#}
{% macro roll_up_to_province(unit_rows, keys, measures, decimals={}) -%}
    select
        {%- for key in keys %}
        {{ key }},
        {%- endfor %}
        unit_code,
        generation,
        {%- for measure in measures %}
        {{ measure }},
        {%- endfor %}
        cast(1 as bigint)                                       as units_summed
    from {{ unit_rows }}

    union all

    select
        {%- for key in keys %}
        below.{{ key }},
        {%- endfor %}
        unit.parent_code                                        as unit_code,
        below.generation,
        {{ sum_measures(measures, decimals, 'below.') }},
        count(*)                                                as units_summed
    from {{ unit_rows }} as below
    inner join {{ admin_units_both_generations() }} as unit
        on  unit.unit_code = below.unit_code
        and unit.generation = below.generation
        and unit.unit_level = {{ level_below_province('below.generation') }}
    group by {% for key in keys %}below.{{ key }}, {% endfor %}below.generation, unit.parent_code
{%- endmacro %}

{#
  `sum(column) as column` for each of `measures` (columns of the relation being grouped, optionally with a
  `prefix` such as 'district.'): rounded to `decimals[column]` decimals for DOUBLEs; whole VND (a measure named
  `…_vnd`) as DECIMAL(38,0); counts as BIGINT. The one spelling of "sum a measure" for every level:
  commune -> district -> province, quarters -> year.

  Why money is DECIMAL(38,0): a row holds at most 10^15 VND (the parser's `value_out_of_range`), so a BIGINT
  (max ~9.2 × 10^18) overflows after ~9,200 such rows, fewer than the communes × quarters of one country's year.
  DECIMAL(38,0) holds 10^38: no sum of parsed rows can reach it. Counts are at most 10^7 per row, so a BIGINT
  sum needs ~9 × 10^11 rows to overflow: it stays BIGINT (and `bigint` in the PostgreSQL mirror).
#}
{% macro sum_measures(measures, decimals={}, prefix='') -%}
    {%- for measure in measures -%}
        {%- if measure in decimals -%}
            round(sum({{ prefix }}{{ measure }}), {{ decimals[measure] }}) as {{ measure }}
        {%- elif measure.endswith('_vnd') -%}
            cast(sum(cast({{ prefix }}{{ measure }} as decimal(38, 0))) as decimal(38, 0)) as {{ measure }}
        {%- else -%}
            cast(sum({{ prefix }}{{ measure }}) as bigint) as {{ measure }}
        {%- endif -%}
        {%- if not loop.last %},
        {% endif -%}
    {%- endfor -%}
{%- endmacro %}


{#
  `districts_reported` of a row of roll_up_to_province joined to its unit (`units`: admin_units_both_generations):
  the districts summed -- 1 for a district, its districts present for a province of 2025-03-01 -- from
  `units_summed`; NULL for a commune and on the list of 2025-07-01 (no districts). Used by int_poverty_by_unit,
  int_infrastructure_quarter_by_unit and int_savings_by_unit.
#}
{% macro districts_reported(rows='a', units='u') -%}
    cast(case when {{ rows }}.generation = '2025-03-01' and {{ units }}.unit_level <> 'commune'
        then {{ rows }}.units_summed end as bigint)
{%- endmacro %}
