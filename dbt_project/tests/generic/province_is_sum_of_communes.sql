{#
  Model-level test of a mart on today's units (*_2025_units): for each value of `keys`, every province row's
  `measures` equal the sums over its commune rows (the model's own unit_level and parent_code), and every
  province with commune rows has a province row. DOUBLE measures may differ by `tolerance` (rounding of the
  sums); a measure is NULL on both sides or on neither. Filter the rows compared with `config: where` (savings
  before the change have province rows only).
#}
{% test province_is_sum_of_communes(model, keys, measures, tolerance=0) %}
with communes as (

    select
        {%- for key in keys %}
        {{ key }},
        {%- endfor %}
        parent_code                                     as unit_code,
        {%- for measure in measures %}
        sum({{ measure }})                              as {{ measure }}{{ "," if not loop.last }}
        {%- endfor %}
    from {{ model }}
    where unit_level = 'commune'
    group by {% for key in keys %}{{ key }}, {% endfor %}parent_code

),

provinces as (

    select * from {{ model }}
    where unit_level = 'province'

)

select
    {%- for key in keys %}
    coalesce(p.{{ key }}, c.{{ key }})                  as {{ key }},
    {%- endfor %}
    coalesce(p.unit_code, c.unit_code)                  as unit_code,
    p.unit_code is null                                 as province_row_missing,
    c.unit_code is null                                 as commune_rows_missing
from provinces as p
full outer join communes as c
    on  p.unit_code = c.unit_code
    {%- for key in keys %}
    and p.{{ key }} is not distinct from c.{{ key }}
    {%- endfor %}
where p.unit_code is null
   or c.unit_code is null
   {%- for measure in measures %}
   or (p.{{ measure }} is null) <> (c.{{ measure }} is null)
   or abs(p.{{ measure }} - c.{{ measure }}) > {{ tolerance }}
   {%- endfor %}
{% endtest %}
