-- The plan rows of raw.plan_parameters as landed (pipelines/storage/plan_landing.py), for every accepted plan; the
-- scoring keeps those of the plan in force (int_emulation_plans).
{{ config(schema='staging', materialized='view') }}

select * from {{ source('raw', 'plan_parameters') }}
