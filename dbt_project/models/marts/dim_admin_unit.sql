-- Every administrative unit of both lists (docs/reorganisation.md): the provinces, districts and communes of the
-- GSO list of 2025-03-01 (generation '2025-03-01', valid to 2025-06-30: the district level was abolished and the
-- communes reorganised on 2025-07-01) and the provinces and communes of 2025-07-01 (generation '2025-07-01',
-- valid from 2025-07-01). A code may name different units in the two lists (86, 29242): join on the code and the
-- generation. valid_from of the old units is NULL (the list is a snapshot; the start of validity is not known).
with units as (

    select * from {{ admin_units_both_generations() }}

),

new_provinces as (

    select unit_code, old_province_codes from {{ ref('stg_admin_units_2025') }}
    where unit_level = 'province'

)

select
    u.unit_code,
    u.unit_name,
    u.unit_type,
    u.unit_level,
    u.parent_code,
    u.province_code,
    u.district_code,
    u.full_name,
    case when u.generation = '2025-07-01' then date '2025-07-01' end   as valid_from,
    case when u.generation = '2025-03-01' then date '2025-06-30' end   as valid_to,
    u.generation,
    p.old_province_codes
from units as u
left join new_provinces as p
    on  p.unit_code = u.unit_code
    and u.generation = '2025-07-01'
