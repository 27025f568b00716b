{#
  Model-level test of a roll-up: for each value of `keys`, every province row's `measures` equal the sums over the
  rows of the level below it on the same list of units -- its districts on the list of 2025-03-01, its new
  communes on that of 2025-07-01 (macro level_below_province) -- and every province with such rows has a province
  row. Levels and parents come from dim_admin_unit joined on the code and the model's `generation` column (a code
  may name different units on the two lists), so the model needs only `unit_code` and `generation`; rows of other
  levels (the communes of 2025-03-01, below their districts) are not compared. DOUBLE measures may differ by
  `tolerance` (rounding of the sums); a measure is NULL on both sides or on neither. Filter the rows compared with
  `config: where`.
#}
{% test province_is_sum_of_districts(model, keys, measures, tolerance=0) %}
with unit_rows as (

    select m.*, u.unit_level as level_of_unit, u.parent_code as parent_of_unit
    from (select * from {{ model }}) as m
    inner join {{ ref('dim_admin_unit') }} as u
        on  u.unit_code = m.unit_code
        and u.generation = m.generation

),

below as (

    select
        {%- for key in keys %}
        {{ key }},
        {%- endfor %}
        generation,
        parent_of_unit                                  as unit_code,
        {%- for measure in measures %}
        sum({{ measure }})                              as {{ measure }}{{ "," if not loop.last }}
        {%- endfor %}
    from unit_rows
    where level_of_unit = {{ level_below_province('generation') }}
    group by {% for key in keys %}{{ key }}, {% endfor %}generation, parent_of_unit

),

provinces as (

    select * from unit_rows
    where level_of_unit = 'province'

)

select
    {%- for key in keys %}
    coalesce(p.{{ key }}, d.{{ key }})                  as {{ key }},
    {%- endfor %}
    coalesce(p.generation, d.generation)                as generation,
    coalesce(p.unit_code, d.unit_code)                  as unit_code,
    p.unit_code is null                                 as province_row_missing,
    d.unit_code is null                                 as district_rows_missing
from provinces as p
full outer join below as d
    on  p.unit_code = d.unit_code
    and p.generation = d.generation
    {%- for key in keys %}
    and p.{{ key }} is not distinct from d.{{ key }}
    {%- endfor %}
where p.unit_code is null
   or d.unit_code is null
   {%- for measure in measures %}
   or (p.{{ measure }} is null) <> (d.{{ measure }} is null)
   or abs(p.{{ measure }} - d.{{ measure }}) > {{ tolerance }}
   {%- endfor %}
{% endtest %}
