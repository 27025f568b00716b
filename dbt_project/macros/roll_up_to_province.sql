{#
  The district -> province roll-up, written once for every figure published per district and province.
  `district_rows` (a CTE or relation) has one row per district and `keys`: `unit_code` (the district's code),
  the `keys` and the `measures`. The result is those district rows as they are, plus one row per province and
  `keys` whose measures are the sums over the province's districts present (districts of stg_admin_units with
  that parent). Both levels get `districts_reported`: 1 for a district, the districts summed for a province.
  Measures named in `decimals` are DOUBLEs, rounded to that many decimals; the others are counts, summed as
  BIGINT, or whole VND (named `…_vnd`), summed as DECIMAL(38,0) (see sum_measures). A sum skips NULLs and is
  NULL when every district's value is NULL.
#}
{% macro roll_up_to_province(district_rows, keys, measures, decimals={}) -%}
    select
        {%- for key in keys %}
        {{ key }},
        {%- endfor %}
        unit_code,
        {%- for measure in measures %}
        {{ measure }},
        {%- endfor %}
        cast(1 as bigint)                                       as districts_reported
    from {{ district_rows }}

    union all

    select
        {%- for key in keys %}
        district.{{ key }},
        {%- endfor %}
        unit.parent_code                                        as unit_code,
        {{ sum_measures(measures, decimals, 'district.') }},
        count(*)                                                as districts_reported
    from {{ district_rows }} as district
    inner join {{ ref('stg_admin_units') }} as unit
        on  unit.unit_code = district.unit_code
        and unit.unit_level = 'district'
    group by {% for key in keys %}district.{{ key }}, {% endfor %}unit.parent_code
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
