{#
  Model-level test of a roll-up: for each value of `keys`, every province row's `measures` equal the sums over
  its district rows, and every province with district rows has a province row (levels and parents come from
  dim_admin_unit, so the model needs only `unit_code`). DOUBLE measures may differ by `tolerance` (rounding of
  the sums); a measure is NULL on both sides or on neither. Filter the rows compared with `config: where`.
#}
{% test province_is_sum_of_districts(model, keys, measures, tolerance=0) %}
with unit_rows as (

    select m.*, u.unit_level as level_of_unit, u.parent_code as parent_of_unit
    from (select * from {{ model }}) as m
    inner join {{ ref('dim_admin_unit') }} as u
        on u.unit_code = m.unit_code

),

districts as (

    select
        {%- for key in keys %}
        {{ key }},
        {%- endfor %}
        parent_of_unit                                  as unit_code,
        {%- for measure in measures %}
        sum({{ measure }})                              as {{ measure }}{{ "," if not loop.last }}
        {%- endfor %}
    from unit_rows
    where level_of_unit = 'district'
    group by {% for key in keys %}{{ key }}, {% endfor %}parent_of_unit

),

provinces as (

    select * from unit_rows
    where level_of_unit = 'province'

)

select
    {%- for key in keys %}
    coalesce(p.{{ key }}, d.{{ key }})                  as {{ key }},
    {%- endfor %}
    coalesce(p.unit_code, d.unit_code)                  as unit_code,
    p.unit_code is null                                 as province_row_missing,
    d.unit_code is null                                 as district_rows_missing
from provinces as p
full outer join districts as d
    on  p.unit_code = d.unit_code
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
