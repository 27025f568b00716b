-- The crosswalk from the communes of 2025-03-01 to those of 2025-07-01 (stg_commune_crosswalk), published: one
-- row per (old commune, new commune) with the share of the old commune's figures the new commune takes.
select
    old_commune_code,
    old_commune_name,
    new_province_code,
    new_commune_code,
    new_commune_name,
    merge_type,
    share,
    share_source,
    approximate
from {{ ref('stg_commune_crosswalk') }}
