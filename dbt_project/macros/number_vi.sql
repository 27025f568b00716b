{#
  A number written the Vietnamese way, as text: '.' between thousands, ',' before the decimals
  (1234.5 with 2 decimals -> '1.234,50'; with trim=true -> '1.234,5'). NULL stays NULL. The value is rounded
  to `decimals` once (half away from zero), then split into its integer and decimal parts.
#}
{% macro number_vi(expr, decimals=2, trim=false) -%}
    {%- set scale = 10 ** decimals -%}
    {%- set scaled = 'cast(round(abs(cast(' ~ expr ~ ' as double)) * ' ~ scale ~ ') as hugeint)' -%}
    {%- set text -%}
        (case when cast({{ expr }} as double) < 0 and {{ scaled }} > 0 then '-' else '' end)
        || format('{:t.}', {{ scaled }} // {{ scale }})
        {%- if decimals > 0 %}
        || ',' || lpad(cast({{ scaled }} % {{ scale }} as varchar), {{ decimals }}, '0')
        {%- endif %}
    {%- endset -%}
    {%- if trim and decimals > 0 -%}
    (case when {{ expr }} is null then null else rtrim(rtrim({{ text }}, '0'), ',') end)
    {%- else -%}
    (case when {{ expr }} is null then null else {{ text }} end)
    {%- endif -%}
{%- endmacro %}
