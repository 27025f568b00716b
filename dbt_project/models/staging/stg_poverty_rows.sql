-- One row per commune of an accepted poverty report.
with source as (

    {{ report_rows_source('poverty') }}

)

select
    {{ report_lineage() }},
    commune_code,
    commune_name,
    cast(total_households as bigint)         as total_households,
    cast(poor_households as bigint)          as poor_households,
    cast(near_poor_households as bigint)     as near_poor_households,
    cast(em_households as bigint)            as em_households,
    cast(em_poor_households as bigint)       as em_poor_households,
    cast(em_near_poor_households as bigint)  as em_near_poor_households
from source
