-- One row per administrative unit (province, district, commune) of the GSO list of 2025-03-01,
-- unpivoted from the wide commune list, with type spellings normalised.
with source as (

    select * from {{ source('raw', 'admin_units') }}

),

cleaned as (

    select
        {{ clean_text('province_code') }}                as province_code,
        {{ clean_text('province_name') }}                as province_name,
        {{ normalize_unit_type('province_type') }}       as province_type,
        {{ clean_text('district_code') }}                as district_code,
        {{ clean_text('district_name') }}                as district_name,
        {{ normalize_unit_type('district_type') }}       as district_type,
        {{ clean_text('commune_code') }}                 as commune_code,
        {{ clean_text('commune_name') }}                 as commune_name,
        {{ normalize_unit_type('commune_type') }}        as commune_type
    from source

),

provinces as (

    select distinct
        province_code                 as unit_code,
        province_name                 as unit_name,
        province_type                 as unit_type,
        'province'                    as unit_level,
        cast(null as varchar)         as parent_code,
        province_code,
        cast(null as varchar)         as district_code
    from cleaned
    where province_code is not null

),

districts as (

    select distinct
        district_code                 as unit_code,
        district_name                 as unit_name,
        district_type                 as unit_type,
        'district'                    as unit_level,
        province_code                 as parent_code,
        province_code,
        district_code
    from cleaned
    where district_code is not null

),

communes as (

    select
        commune_code                  as unit_code,
        commune_name                  as unit_name,
        commune_type                  as unit_type,
        'commune'                     as unit_level,
        district_code                 as parent_code,
        province_code,
        district_code
    from cleaned
    where commune_code is not null

),

units as (

    select * from provinces
    union all
    select * from districts
    union all
    select * from communes

)

select
    unit_code,
    unit_name,
    unit_type,
    unit_level,
    parent_code,
    province_code,
    district_code,
    -- 'Huyện Càng Long', 'Thị xã Duyên Hải', 'Phường 1', 'Tỉnh Trà Vinh'
    concat_ws(' ', unit_type, unit_name) as full_name
from units
