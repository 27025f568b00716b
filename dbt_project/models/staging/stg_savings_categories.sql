-- Spending categories of the savings report.
with source as (

    select * from {{ source('raw', 'savings_categories') }}

)

select
    lower({{ clean_text('category') }})                       as category,
    {{ clean_text('name_vi') }}                               as name_vi,
    {{ clean_text('labels') }}                                as labels,
    string_split(regexp_replace({{ clean_text('labels') }}, '\s*\|\s*', '|', 'g'), '|') as label_list,
    cast(sort_order as integer)                               as sort_order
from source
