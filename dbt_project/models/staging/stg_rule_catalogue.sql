-- The rule catalogue of pipelines/parsing/rules.py, landed by the ingest: one row per rule. Rules checked in dbt
-- (the outlier rule) take their severity and message from here, so every message a clerk reads lives in one place.
with source as (

    select * from {{ source('raw', 'rule_catalogue') }}

)

select
    rule,
    severity,
    title,
    message_template
from source
