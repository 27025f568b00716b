{#- The lineage columns every raw *_rows table starts with (docs/raw-tables.md): where a value came from. -#}
{% macro report_lineage() %}
    report_id,
    file_name,
    sheet,
    cast(row_number as integer)         as row_number,
    sha256,
    cast(received_at as timestamp)      as received_at,
    district_code,
    period,
    cast(year as integer)               as year
{%- endmacro %}
