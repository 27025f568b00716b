-- One row per commune of an accepted quarterly infrastructure report.
with source as (

    {{ report_rows_source('infrastructure') }}

)

select
    {{ report_lineage() }},
    cast(quarter as integer)                 as quarter,
    commune_code,
    commune_name,
    cast(rural_road_km as double)            as rural_road_km,
    cast(green_road_km as double)            as green_road_km,
    cast(lit_road_km as double)              as lit_road_km,
    cast(investment_vnd as bigint)           as investment_vnd,
    cast(people_contribution_vnd as bigint)  as people_contribution_vnd,
    cast(ntm_standard as boolean)            as ntm_standard,
    cast(ntm_advanced as boolean)            as ntm_advanced,
    cast(ntm_model as boolean)               as ntm_model,
    cast(ocop_products as bigint)            as ocop_products
from source
