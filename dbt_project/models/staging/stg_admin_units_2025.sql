-- One row per administrative unit of the list of 2025-07-01 (after the reorganisation: provinces and
-- communes, no districts), in the shape of stg_admin_units: the bare name and the type apart
-- ('Phường Trà Vinh' -> unit_type 'Phường', unit_name 'Trà Vinh'), text trimmed and NFC-normalised.
with source as (

    select * from {{ source('raw', 'admin_units_2025') }}

),

cleaned as (

    select
        {{ clean_text('province_code') }}                as province_code,
        {{ clean_text('province_name') }}                as province_name,
        {{ normalize_unit_type('province_type') }}       as province_type,
        {{ clean_text('commune_code') }}                 as commune_code,
        {{ clean_text('commune_name') }}                 as commune_name,
        {{ normalize_unit_type('commune_type') }}        as commune_type,
        {{ clean_text('old_province_codes') }}           as old_province_codes
    from source

),

units as (

    select
        province_code                   as unit_code,
        province_name                   as full_name,
        province_type                   as unit_type,
        'province'                      as unit_level,
        cast(null as varchar)           as parent_code,
        province_code,
        old_province_codes
    from cleaned
    where commune_code is null

    union all

    select
        commune_code                    as unit_code,
        commune_name                    as full_name,
        commune_type                    as unit_type,
        'commune'                       as unit_level,
        province_code                   as parent_code,
        province_code,
        cast(null as varchar)           as old_province_codes
    from cleaned
    where commune_code is not null

)

select
    unit_code,
    -- the name without its type, as in stg_admin_units ('Trà Vinh' of 'Phường Trà Vinh')
    case when starts_with(lower(full_name), lower(unit_type) || ' ')
        then trim(substr(full_name, length(unit_type) + 2))
        else full_name
    end                                 as unit_name,
    unit_type,
    unit_level,
    parent_code,
    province_code,
    full_name,
    old_province_codes
from units
