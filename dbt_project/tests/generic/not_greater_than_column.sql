{#
  Column test: the column is never greater than `other_column` of the same row (rows where either is NULL pass).
  E.g. poor_households <= total_households.
#}
{% test not_greater_than_column(model, column_name, other_column) %}
select {{ column_name }} as failing_value, {{ other_column }} as other_value, *
from {{ model }}
where {{ column_name }} is not null
  and {{ other_column }} is not null
  and {{ column_name }} > {{ other_column }}
{% endtest %}
