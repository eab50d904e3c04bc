"""The page cache: readers' pages stored whole, tagged with surrogate keys, and dropped from
every cache (ours and the front caches) when a change touches one of their keys.

It knows no domain model: each app tags its own pages (``tag()``), says what its changes touch
(``invalidate()``) and when its pages change by themselves (``schedule.register()``).
"""
