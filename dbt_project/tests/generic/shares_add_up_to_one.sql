{#
  The shares of each old commune in a crosswalk add up to 1 (to 1e-9): no part of a split commune's figures is
  lost or counted twice on the new units.
#}
{% test shares_add_up_to_one(model) %}
    select old_commune_code, sum(share) as total_share
    from {{ model }}
    group by old_commune_code
    having abs(sum(share) - 1) > 1e-9
{% endtest %}
