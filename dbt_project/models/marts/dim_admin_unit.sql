-- Every province, district and commune of the GSO list of 2025-03-01.
-- valid_from is NULL (the start of validity is not known: the list is a snapshot of 2025-03-01);
-- districts and communes are valid to 2025-06-30: the district level was abolished and communes
-- reorganised on 2025-07-01.
with units as (

    select * from {{ ref('stg_admin_units') }}

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
    case when unit_level in ('district', 'commune') then date '2025-06-30' end as valid_to
from units
