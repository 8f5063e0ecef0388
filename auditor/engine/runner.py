"""Running the page phase over many pages: from the cache, in this process, or in worker processes.

The page phase is a plain function of picklable values
(`auditor.engine.phases.page_phase(source, settings) -> FileResult`), so a process
pool (here) or a distributed engine (`auditor.engine.dask`) can map it over
the pages of a site. A worker builds its Auditor (registry, config, rules)
on its first page and keeps it for every page of the same run. The site
phase then runs once over the results.

`run()` is what `auditor check` uses. Pages whose result is in the cache are
read from it in the parent; the others are audited in this process when
there are few of them or one job, or else in a pool of `jobs` worker
processes, each of which loads jieba's dictionary and the word lists once.
Results come back in chunks and are yielded in the order of the sources (the
sorted order of discovery), so the parent holds findings and site
signatures, never pages.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Iterator, Sequence

from auditor.engine.auditor import Auditor
from auditor.engine.cache import ResultCache
from auditor.engine.diagnostics import InternalError
from auditor.engine.guard import BATCH_THRESHOLDS, batch_collector
from auditor.engine.phases import Settings, auditor_for, build
from auditor.engine.results import FileResult
from auditor.input.loading import LoadError, read_bytes
from auditor.input.sources import PageSource, format_of
from auditor.kinds import registry_for
from auditor.registry import Registry

# The fewest pages to audit, per job, for a pool to be worth starting.
POOL_MIN_PAGES_PER_JOB = 8


def default_jobs() -> int:
    """One worker per core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


# --- the run: cache, this process or a pool ---------------------------------------


def run(
    sources: Sequence[PageSource],
    job: Settings,
    jobs: int = 1,
    cache: ResultCache | None = None,
    registry: Registry | None = None,
) -> Iterator[FileResult]:
    """Results of the page phase for `sources`, in their order."""
    registry = registry or registry_for(job.config)
    with batch_collector():
        yield from _run(sources, job, jobs, cache, registry)


def _run(
    sources: Sequence[PageSource], job: Settings, jobs: int, cache: ResultCache | None, registry: Registry
) -> Iterator[FileResult]:
    if cache is None:
        pending = list(enumerate(sources))
        cached: dict[int, FileResult] = {}
    elif jobs <= 1 or len(sources) <= 1:
        # One pass: each file is read once, looked up, and audited here on a miss.
        auditor = build(job, registry)
        for source in sources:
            yield _cached_or_audited(source, cache, auditor, registry)
        return
    else:
        cached, pending = _look_up(sources, cache, registry)
    if jobs > 1 and len(pending) >= POOL_MIN_PAGES_PER_JOB * jobs:
        audited = _in_pool([source for _, source in pending], job, jobs, cache)
    else:
        auditor = build(job, registry)
        audited = (_audited(source, auditor, cache) for _, source in pending)
    for index in range(len(sources)):
        found = cached.pop(index, None)
        yield found if found is not None else next(audited)


def _look_up(
    sources: Sequence[PageSource], cache: ResultCache, registry: Registry
) -> tuple[dict[int, FileResult], list[tuple[int, PageSource]]]:
    cached: dict[int, FileResult] = {}
    pending: list[tuple[int, PageSource]] = []
    limit = cache.config.limits.max_file_size
    for index, source in enumerate(sources):
        read = _read(source, limit)
        found = cache.get(cache.key(source, read[0]), source.path, registry) if read is not None else None
        if found is None:
            pending.append((index, source))
        else:
            cached[index] = found
    return cached, pending


def _read(source: PageSource, limit: int) -> tuple[bytes, int] | None:
    """The page's bytes (at most `limit` + 1 of a file) and its size; None when the engine must say
    why it cannot be read (missing, a folder, a FIFO that would block)."""
    if source.data is not None:
        return source.data, len(source.data)
    if source.outside:
        return None  # a link out of the tree is never read, not even for its cache key
    try:
        return read_bytes(source.path, limit)
    except LoadError:
        return None


def _cached_or_audited(source: PageSource, cache: ResultCache, auditor: Auditor, registry: Registry) -> FileResult:
    read = _read(source, auditor.limits.max_file_size)
    if read is None:
        return auditor.audit_source(source)
    key = cache.key(source, read[0])
    found = cache.get(key, source.path, registry)
    if found is None:
        found = _audit_read(auditor, source, *read)
        _keep(cache, key, found)
    return found


def _audited(source: PageSource, auditor: Auditor, cache: ResultCache | None) -> FileResult:
    """Audit one page and, with a cache, store its result under the key of the bytes audited."""
    if cache is None:
        return auditor.audit_source(source)
    read = _read(source, auditor.limits.max_file_size)
    if read is None:
        return auditor.audit_source(source)
    result = _audit_read(auditor, source, *read)
    _keep(cache, cache.key(source, read[0]), result)
    return result


def _keep(cache: ResultCache, key: str, result: FileResult) -> None:
    """Cache a result, unless a check failed or ran out of time on it (IO006): that depends on
    the machine's load or a bug, not on the page, and must not outlive this run."""
    if not any(finding.rule == InternalError.code for finding in result.findings):
        cache.put(key, result)


def _audit_read(auditor: Auditor, source: PageSource, data: bytes, size: int) -> FileResult:
    fmt = source.fmt or format_of(source.path) or "markdown"
    return auditor.audit_bytes(source.path, data, fmt, source.charset, size)


# --- the pool ---------------------------------------------------------------------

_worker: tuple[Auditor, ResultCache | None] | None = None


# A page that reaches jieba and most word lists, audited once by each worker as it starts.
WARM_UP_PAGE = """# 示例页面：怎么用 Example

## 一、什么是示例？

这是一个示例段落，深受用户喜爱，联系客服QQ：12345678，优惠码：ABC123。

## Why it matters

This is the best example, trusted by millions. In conclusion, see [the docs](https://example.com/a?utm_source=x).
"""


def _start_worker(job: Settings, cache: ResultCache | None, preload: bool) -> None:
    """A worker's set-up: its Auditor, and (`preload`) jieba's dictionary and the word lists loaded."""
    global _worker
    auditor = auditor_for(job)
    _worker = (auditor, cache)
    if preload:
        auditor.audit_text("warm-up.md", WARM_UP_PAGE, "markdown")
    gc.freeze()  # as in batch_collector, for the life of the worker
    gc.set_threshold(*BATCH_THRESHOLDS)


def _work(task: tuple[int, PageSource]) -> tuple[int, FileResult]:
    assert _worker is not None, "the worker was not set up"
    auditor, cache = _worker
    index, source = task
    return index, _audited(source, auditor, cache)


def _chunk_size(pages: int, jobs: int) -> int:
    """Pages sent to a worker at a time: enough to keep the pipes quiet, few enough that the
    workers finish together (a sixty-fourth of each worker's share, at most 8)."""
    return max(1, min(8, pages // (jobs * 64)))


def _size(source: PageSource) -> int:
    if source.data is not None:
        return len(source.data)
    if source.outside:
        return 0
    try:
        return os.stat(source.path).st_size
    except OSError:
        return 0


def _in_pool(sources: list[PageSource], job: Settings, jobs: int, cache: ResultCache | None) -> Iterator[FileResult]:
    """Results of `sources`, in their order, audited by `jobs` workers.

    The largest pages go first, so that the last pages to finish are small ones and both
    workers stay busy to the end; results are put back in order as they arrive."""
    methods = multiprocessing.get_all_start_methods()
    # fork: workers start in milliseconds and share the parent's imported modules.
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    order = sorted(range(len(sources)), key=lambda i: -_size(sources[i]))
    tasks = [(i, sources[i]) for i in order]
    pool = context.Pool(processes=min(jobs, len(sources)), initializer=_start_worker, initargs=(job, cache, True))
    try:
        done: dict[int, FileResult] = {}
        following = 0
        for index, result in pool.imap_unordered(_work, tasks, chunksize=_chunk_size(len(sources), jobs)):
            done[index] = result
            while following in done:
                yield done.pop(following)
                following += 1
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()
