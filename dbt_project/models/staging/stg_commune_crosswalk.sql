-- The crosswalk from the communes of 2025-03-01 to those of 2025-07-01, one row per (old commune, new commune),
-- with the share of the old commune's figures that the new commune takes: 1 for a whole ('full') old commune;
-- for a part ('partial') of a split one, the share from raw.commune_split_shares when that file lists it, else
-- an equal part. `approximate` marks every row whose share is not a whole commune.
with crosswalk as (

    select
        {{ clean_text('old_commune_code') }}    as old_commune_code,
        {{ clean_text('old_commune_name') }}    as old_commune_name,
        {{ clean_text('new_province_code') }}   as new_province_code,
        {{ clean_text('new_commune_code') }}    as new_commune_code,
        {{ clean_text('new_commune_name') }}    as new_commune_name,
        lower({{ clean_text('merge_type') }})   as merge_type
    from {{ source('raw', 'commune_crosswalk') }}

),

shares as (

    select
        {{ clean_text('old_commune_code') }}    as old_commune_code,
        {{ clean_text('new_commune_code') }}    as new_commune_code,
        share
    from {{ source('raw', 'commune_split_shares') }}

)

select
    c.old_commune_code,
    c.old_commune_name,
    c.new_province_code,
    c.new_commune_code,
    c.new_commune_name,
    c.merge_type,
    case
        when c.merge_type = 'full' then 1.0
        when s.share is not null then s.share
        else 1.0 / count(*) over (partition by c.old_commune_code)
    end                                                         as share,
    case
        when c.merge_type = 'full' then 'whole commune'
        when s.share is not null then 'commune_split_shares.csv'
        else 'equal parts'
    end                                                         as share_source,
    c.merge_type = 'partial'                                    as approximate
from crosswalk as c
left join shares as s
    on  s.old_commune_code = c.old_commune_code
    and s.new_commune_code = c.new_commune_code
