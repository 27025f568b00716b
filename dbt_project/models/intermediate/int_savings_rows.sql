-- Rows of the savings reports in force (see the macro rows_in_force).
{{ rows_in_force('savings') }}
