-- Every administrative unit of both lists (docs/reorganisation.md): the provinces, districts and communes of the
-- GSO list of 2025-03-01 (generation '2025-03-01', valid to 2025-06-30: the district level was abolished and the
-- communes reorganised on 2025-07-01) and the provinces and communes of 2025-07-01 (generation '2025-07-01',
-- valid from 2025-07-01). A code may name different units in the two lists (86, 29242): join on the code and the
-- generation. valid_from of the old units is NULL (the list is a snapshot; the start of validity is not known).
with old_units as (

    select * from {{ ref('stg_admin_units') }}

),

new_units as (

    select * from {{ ref('stg_admin_units_2025') }}

)

select
    unit_code,
    unit_name,
    unit_type,
    unit_level,
    parent_code,
    province_code,
    district_code,
    full_name,
    cast(null as date)                                              as valid_from,
    date '2025-06-30'                                               as valid_to,
    '2025-03-01'                                                    as generation,
    cast(null as varchar)                                           as old_province_codes
from old_units

union all

select
    unit_code,
    unit_name,
    unit_type,
    unit_level,
    parent_code,
    province_code,
    cast(null as varchar)                                           as district_code,
    full_name,
    date '2025-07-01'                                               as valid_from,
    cast(null as date)                                              as valid_to,
    '2025-07-01'                                                    as generation,
    old_province_codes
from new_units
