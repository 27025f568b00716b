{#
  Each commune row of `rows` with the same commune's row of the year before, its `columns` as prev_<column>
  (an inner join: rows without a previous year drop out). Rows are compared on the same list of units only: a
  district's rows, or (district_code NULL) rows on the communes of 2025-07-01, so a 2025 row is not compared with
  its old communes'. Used by mart_integrity_flags.
#}
{% macro commune_previous_year(rows, columns) -%}
    select
        cur.*,
        {%- for column in columns %}
        prev.{{ column }} as prev_{{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ rows }} as cur
    inner join {{ rows }} as prev
        on  prev.commune_code = cur.commune_code
        and prev.district_code is not distinct from cur.district_code
        and prev.year = cur.year - 1
{%- endmacro %}
