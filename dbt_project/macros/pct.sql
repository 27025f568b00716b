{#
  Percentage of two (summed) counts or amounts, rounded to 2 decimals: 1.88 means 1.88 %.
  NULL when the denominator is 0 or NULL. Always pass sums, never average rates.
#}
{% macro pct(numerator, denominator, decimals=2) -%}
    round(100.0 * cast({{ numerator }} as double) / nullif(cast({{ denominator }} as double), 0), {{ decimals }})
{%- endmacro %}

{#
  The same percentage without rounding, for differences of rates (round the difference, not the terms).
#}
{% macro pct_unrounded(numerator, denominator) -%}
    (100.0 * cast({{ numerator }} as double) / nullif(cast({{ denominator }} as double), 0))
{%- endmacro %}
