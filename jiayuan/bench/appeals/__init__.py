"""`jiayuan bench appeals`: a benchmark of the appeals loop that prints figures.

It generates two histories in PostgreSQL (city scale and province scale), each in its
own schema of the database DATABASE_URL names, streamed with COPY in constant memory;
then measures, in the same run, the queries behind the department work list, an
appeal's detail page and the monthly three-rate ranking, against a baseline of one
indexed SELECT and one INSERT; and finally drives Open311 intake on a real multi-worker
gunicorn server with a load generator, against a bare-INSERT view on the same server.

Modules:
    database   PostgreSQL checks, schema switching, COPY and index helpers
    lifecycle  the random but valid history of one appeal (pure, no Django)
    places     the generated cities, towns, communities, compounds, units and staff (COPY)
    rows       the COPY lines of the generated appeals and their events
    generate   the streamed generator: places, then appeals and events, in constant memory
    measure    timing (p50/p95) of the queries, EXPLAIN checks
    server     gunicorn control, HTTP sampling, the load generator, worker RSS
    views      the baseline views (mounted only when settings.JIAYUAN_BENCH is true)
    report     tables as text and Markdown
    options    what a run measures, its options and its results
    run        the whole benchmark, phase by phase
    tables     the tables of a run's figures
"""
