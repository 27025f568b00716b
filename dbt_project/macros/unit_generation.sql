{#
  Which list of administrative units a period is reported on: '2025-03-01' (provinces, districts, communes
  before the reorganisation) for a period that ends on or before 30 June 2025, '2025-07-01' (provinces and
  communes after it) for a later one. `period` is a canonical period code: '2024', '2025-Q2', '2025-Q3'.
#}
{% macro unit_generation(period) -%}
    case when {{ period_last_day(period) }} <= date '2025-06-30' then '2025-03-01' else '2025-07-01' end
{%- endmacro %}

{# The last day of a canonical period: '2025' -> 2025-12-31, '2025-Q3' -> 2025-09-30. #}
{% macro period_last_day(period) -%}
    (case when length({{ period }}) = 4
        then make_date(cast({{ period }} as integer), 12, 31)
        else last_day(make_date(cast(left({{ period }}, 4) as integer),
                                3 * cast(right({{ period }}, 1) as integer), 1))
    end)
{%- endmacro %}
