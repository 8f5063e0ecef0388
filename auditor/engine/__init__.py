"""Running an audit. Nothing is imported here: each part is imported where it is used.

    auditor    the page phase and the site phase of one process (`Auditor`)
    phases     the same phases as plain functions, for any engine to map
    runner     many pages: from the cache, in this process or a pool of workers
    dask       the same phases on a Dask cluster
    cache      page results kept until their file changes
    diagnostics, verdict   the engine's own rules: io findings (IO001–IO010) and the page verdict (PV501)
    suppression            disable comments and front-matter switches
    guard, warmup          time limits; getting a long-lived process ready
"""
