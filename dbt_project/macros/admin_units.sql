{#
  The units of both lists as one relation (a subquery), with `generation`: the units of 2025-03-01
  (stg_admin_units, generation '2025-03-01') and those of 2025-07-01 (stg_admin_units_2025, generation
  '2025-07-01'). A code may name different units in the two lists (86, 29242): join on unit_code AND generation.
  The staging twin of marts.dim_admin_unit, for intermediate models (which do not read marts).
#}
{% macro admin_units_both_generations() -%}
    (
        select unit_code, unit_name, unit_type, unit_level, parent_code, province_code, district_code, full_name,
               '2025-03-01' as generation
        from {{ ref('stg_admin_units') }}
        union all
        select unit_code, unit_name, unit_type, unit_level, parent_code, province_code,
               cast(null as varchar) as district_code, full_name, '2025-07-01' as generation
        from {{ ref('stg_admin_units_2025') }}
    )
{%- endmacro %}

{# The level summed into a province on a list: districts on the list of 2025-03-01, communes on that of 2025-07-01. #}
{% macro level_below_province(generation) -%}
    (case when {{ generation }} = '2025-03-01' then 'district' else 'commune' end)
{%- endmacro %}

{#
  `rows` (a CTE) as `alias`, left-joined to each row's unit from both lists (admin_units_both_generations) as
  `unit_alias`, on its code AND its list (generation): for a FROM clause. A row whose unit is not on the list keeps
  NULL unit columns (admin_unit_columns).
#}
{% macro rows_with_admin_unit(rows, alias='a', unit_alias='u') -%}
    {{ rows }} as {{ alias }}
    left join {{ admin_units_both_generations() }} as {{ unit_alias }}
        on  {{ unit_alias }}.unit_code = {{ alias }}.unit_code
        and {{ unit_alias }}.generation = {{ alias }}.generation
{%- endmacro %}

{# The unit's name, level and parent, from a unit joined by rows_with_admin_unit. #}
{% macro admin_unit_columns(unit_alias='u') -%}
    {{ unit_alias }}.full_name as unit_name,
    {{ unit_alias }}.unit_level,
    {{ unit_alias }}.parent_code
{%- endmacro %}
