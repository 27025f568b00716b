{#
  Normalise an administrative unit type as spelled in the GSO list: Unicode NFC, trimmed, and only the
  first letter in upper case (`Thị Trấn` -> `Thị trấn`, `Thành Phố` -> `Thành phố`, `Thị Xã` -> `Thị xã`).
#}
{% macro normalize_unit_type(column) -%}
    case lower(nfc_normalize(trim({{ column }})))
        when 'thị trấn' then 'Thị trấn'
        when 'thành phố' then 'Thành phố'
        when 'thị xã' then 'Thị xã'
        when '' then null
        else upper(left(nfc_normalize(trim({{ column }})), 1))
             || lower(substr(nfc_normalize(trim({{ column }})), 2))
    end
{%- endmacro %}

{# Trimmed, NFC-normalised text; empty strings become NULL. #}
{% macro clean_text(column) -%}
    nullif(nfc_normalize(trim({{ column }})), '')
{%- endmacro %}
