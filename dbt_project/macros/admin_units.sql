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
