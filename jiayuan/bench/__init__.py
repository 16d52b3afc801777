"""The benchmarks: `jiayuan bench appeals` (the appeals loop on PostgreSQL, see `appeals`) and
`jiayuan bench elections` (an owners' general meeting at scale, see `elections`); BENCHMARKS.md has the figures.

This package is the Django app "bench" that holds the command, above every domain app; no product app imports
it. The baseline views of the appeals benchmark are mounted under /bench/ only when settings.JIAYUAN_BENCH is true.
"""
