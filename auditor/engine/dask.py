"""The Dask engine: the same two phases on a Dask cluster, for runs one machine cannot hold.

    plan (read lazily) ─► page phase: a task per partition (files, or a slice of a WARC), a window
        of them in flight; each returns its results, and its site records cut into B buckets by
        a hash of (rule, key), and where its pages are (path, partition) by a hash of the path
    ─► a window at a time, folded on the workers into B accumulators of records and B of results
        (by partition index mod B)
    ─► site phase, for each step: a task per bucket groups its records by (rule, key) and runs
        site_reduce; what it carries into the next step goes to the bucket of its (rule, key), its
        findings to the bucket of their path (an exchange of B × B pieces)
    ─► per bucket: findings joined by path to the partitions their pages are in, sent on by
        partition index mod B
    ─► partition by partition, in order, a few ahead: finish (join, suppress, sort) ─► the report

Workers run `auditor.engine.phases`, whose per-process Auditor loads the lexicons
and jieba once per worker. The client holds a number of futures fixed by
the window sizes and B (which follows the worker threads, not the run), and
the partitions being written: never a future per partition, never a page,
and not the plan, which it reads as it submits. Results stay on the workers
until their partition is written. Clients made by `connect` keep no log of
the messages they send (Dask's default keeps the last 1,000 batches).

Needs `pip install 'auditor[dask]'`; nothing else in auditor imports Dask.
"""

from __future__ import annotations

import logging
import os
import zlib
from collections import defaultdict, deque
from collections.abc import Hashable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from operator import getitem
from typing import Any

import dask
from distributed import Client, Future, LocalCluster, wait

from auditor.engine import phases
from auditor.engine.phases import Settings, SiteRecord
from auditor.engine.results import FileResult
from auditor.input import discovery, warc
from auditor.input.sources import PageSource
from auditor.models import Finding

DEFAULT_PARTITION_SIZE = 200  # pages per task of the page phase
_IN_FLIGHT = 4  # page partitions submitted ahead per worker thread; as many are folded at a time
_AHEAD = 4  # partitions merged ahead of the one being written
# B, the buckets of the site phase: 4 per worker thread, but an exchange between steps is B × B tasks.
_MIN_BUCKETS, _MAX_BUCKETS = 8, 64

# Dask's client keeps its last 1,000 batches of messages to the scheduler, task arguments and all,
# for debugging: tens of MB over a run of many partitions, more than the client holds for the run.
_CLIENT_CONFIG = {"distributed.admin.low-level-log-length": 0}

# A partition of the page phase: ("files", [path, …]) or ("warc", Slice).
Part = tuple[str, Any]
# What a bucket of a site step sends to a bucket of the next: records carried into that step, and
# findings (path, Finding) of the paths that hash to it.
_Piece = tuple[list[SiteRecord], list[tuple[str, Finding]]]
# One bucket's findings, each for a partition holding a page of its path: (partition, path, findings).
_Located = list[tuple[int, str, list[Finding]]]


@dataclass
class _Shard:
    """What one page partition sends to one bucket: its site records for each step, and
    (path, partition) of its pages whose path hashes to the bucket, for their findings to find them."""

    records: list[list[SiteRecord]]
    where: list[tuple[str, int]] = field(default_factory=list)


def bucket_of(key: Hashable, buckets: int) -> int:
    """The bucket of a (rule, key) or a path, the same in every process, as `hash()` of a str is not.
    Site rules' keys are strs, ints and tuples of them, whose repr is stable."""
    return zlib.crc32(repr(key).encode()) % buckets


def plan(files: Iterable[str], size: int) -> Iterator[Part]:
    """The page phase's partitions, in report order: runs of up to `size` files, and WARC slices."""
    batch: list[str] = []
    for path in files:
        if warc.is_warc(path):
            if batch:
                yield ("files", batch)
                batch = []
            yield from (("warc", piece) for piece in warc.slices(path, size))
            continue
        batch.append(path)
        if len(batch) == size:
            yield ("files", batch)
            batch = []
    if batch:
        yield ("files", batch)


def _sources(part: Part) -> Iterator[PageSource]:
    kind, what = part
    if kind == "warc":
        return warc.pages(what.path, what.offset, what.count)
    return discovery.sources(what)  # plain files, and links out of the tree (never read)


def _page_partition(index: int, part: Part, settings: Settings, steps: int, buckets: int) -> list[Any]:
    """The page phase of partition `index`: [(index, its results), then its `_Shard` for each bucket]."""
    results = [phases.page_phase(source, settings) for source in _sources(part)]
    shards = [_Shard([[] for _ in range(steps)]) for _ in range(buckets)]
    for result in results:
        shards[bucket_of(result.path, buckets)].where.append((result.path, index))
        for step in range(steps):
            for record in phases.site_keys(result, settings, step):
                shards[bucket_of(record[:2], buckets)].records[step].append(record)
        # The records carry what the site phase needs; the result waits for its partition's turn lighter.
        result.signatures.clear()
    return [(index, results), *shards]


def _append(accumulated: list[Any], *pieces: Any) -> list[Any]:
    """A fold: a new list, since a task must not change its inputs (Dask may run it again)."""
    return [*accumulated, *pieces]


def _site_step(
    step: int, bucket: int, buckets: int, settings: Settings, shards: list[_Shard], *incoming: _Piece
) -> list[_Piece]:
    """Group-by `step` over one bucket: the pages' records and those carried in, grouped by
    (rule, key) and reduced; the output cut into a piece for each bucket of the next step. Findings
    that came in stay in this bucket, so the last step leaves each path's findings in its bucket."""
    groups: dict[tuple[str, Hashable], list[Any]] = defaultdict(list)
    for shard in shards:
        for rule, key, value in shard.records[step]:
            groups[rule, key].append(value)
    out: list[_Piece] = [([], []) for _ in range(buckets)]
    for records_in, found_in in incoming:
        for rule, key, value in records_in:
            groups[rule, key].append(value)
        out[bucket][1].extend(found_in)
    for (rule, key), values in groups.items():
        carried, found = phases.site_reduce(rule, key, values, settings, step)
        for record in carried:
            out[bucket_of(record[:2], buckets)][0].append(record)
        for path, finding in found:
            out[bucket_of(path, buckets)][1].append((path, finding))
    return out


def _locate(buckets: int, shards: list[_Shard], *incoming: _Piece) -> list[_Located]:
    """One bucket's findings, sent to each partition that holds a page of their path (a URI captured
    twice is two pages), in a piece for each partition index mod `buckets`."""
    found: dict[str, list[Finding]] = defaultdict(list)
    for _carried, pieces in incoming:
        for path, finding in pieces:
            found[path].append(finding)
    out: list[_Located] = [[] for _ in range(buckets)]
    for shard in shards:
        for path, index in shard.where:
            if path in found:
                out[index % buckets].append((index, path, found[path]))
    return out


def _by_partition(*pieces: _Located) -> dict[int, dict[str, list[Finding]]]:
    """The site findings of a set of partitions: partition → path → findings (once for a path that
    is twice in a partition)."""
    site: dict[int, dict[str, list[Finding]]] = defaultdict(dict)
    for piece in pieces:
        for index, path, findings in piece:
            site[index][path] = findings
    return site


def _merge(
    index: int,
    results: list[tuple[int, list[FileResult]]],
    site: dict[int, dict[str, list[Finding]]],
    settings: Settings,
) -> list[FileResult]:
    """Partition `index`'s results with their site findings joined, in order (on copies: `finish`
    changes the result it is given, and this task's inputs must stay as they were)."""
    found = site.get(index, {})
    pages = next(pages for i, pages in results if i == index)
    return [
        phases.finish(replace(result, findings=list(result.findings)), found.get(result.path, ()), settings)
        for result in pages
    ]


class _Run:
    """Submits the tasks of one run. Tasks that read an accumulator run on the worker that holds it
    (bucket b's on worker b mod W): Dask sizes a page's result as its outer object (56 bytes, whatever
    its findings), so the scheduler would think an accumulator of thousands of pages cheap to move."""

    def __init__(self, client: Client, settings: Settings) -> None:
        self.client = client
        self.settings = settings
        self.steps = phases.site_steps(settings)
        threads = client.nthreads()
        self.owners = sorted(threads) or [None]  # None: no worker yet, let the scheduler choose
        self.window = _IN_FLIGHT * max(1, sum(threads.values()))
        self.buckets = min(max(4 * sum(threads.values()), _MIN_BUCKETS), _MAX_BUCKETS)
        # Site records by bucket, and results by partition index mod B: a list of chunks each.
        self.shards: list[Any] = [[] for _ in range(self.buckets)]
        self.results: list[Any] = [[] for _ in range(self.buckets)]

    def submit(self, function: Any, *args: Any, bucket: int | None = None) -> Future:
        """A task; with `bucket`, pinned to the bucket's worker while that worker is up."""
        owner = None if bucket is None else self.owners[bucket % len(self.owners)]
        # Not pure: a fresh key for each task, rather than one hashed from its arguments every time.
        if owner is None:
            return self.client.submit(function, *args, pure=False)
        return self.client.submit(function, *args, pure=False, workers=owner, allow_other_workers=True)

    def page_phase(self, parts: Iterable[Part]) -> int:
        """Submit the page phase, `window` partitions in flight; returns how many partitions there are."""
        in_flight: deque[Future] = deque()
        batch: list[tuple[int, Future]] = []
        count = 0
        for index, part in enumerate(parts):
            out = self.submit(_page_partition, index, part, self.settings, self.steps, self.buckets)
            in_flight.append(out)
            batch.append((index, out))
            count += 1
            if len(batch) == self.window:
                self.fold(batch)
                batch = []
            if len(in_flight) == self.window:
                _settle(in_flight.popleft())
        self.fold(batch)
        return count

    def fold(self, batch: list[tuple[int, Future]]) -> None:
        """Add page partitions' outputs to the accumulators, so the client keeps 2 × B futures, not a
        few per partition. Each output is cut where it was made; only its pieces move."""
        if not batch:
            return
        for bucket in range(self.buckets):
            pieces = [self.submit(getitem, out, 1 + bucket) for _index, out in batch]
            self.shards[bucket] = self.submit(_append, self.shards[bucket], *pieces, bucket=bucket)
        by_residue: dict[int, list[Future]] = defaultdict(list)
        for index, out in batch:
            by_residue[index % self.buckets].append(self.submit(getitem, out, 0))
        for residue, pieces in by_residue.items():
            self.results[residue] = self.submit(_append, self.results[residue], *pieces, bucket=residue)

    def site_phase(self) -> list[Future]:
        """Submit the site steps and the join of findings to partitions; returns, for each partition
        index mod B, a future of `_by_partition` (which the shards are no longer needed for)."""
        incoming: list[list[Future]] = [[] for _ in range(self.buckets)]
        for step in range(self.steps):
            outs = [
                self.submit(_site_step, step, b, self.buckets, self.settings, self.shards[b], *incoming[b], bucket=b)
                for b in range(self.buckets)
            ]
            incoming = self.exchange(outs)
        located = [
            self.submit(_locate, self.buckets, self.shards[b], *incoming[b], bucket=b) for b in range(self.buckets)
        ]
        self.shards = []
        return [self.submit(_by_partition, *pieces, bucket=r) for r, pieces in enumerate(self.exchange(located))]

    def exchange(self, outs: list[Future]) -> list[list[Future]]:
        """Piece b of every output, for each bucket b: the shuffle between two stages."""
        return [[self.submit(getitem, out, b) for out in outs] for b in range(len(outs))]

    def write(self, site: list[Any], count: int) -> Iterator[FileResult]:
        """The partitions in order, `_AHEAD` merged ahead of the one being written. After a residue's
        last partition its results and findings are let go, for the workers to drop once it is merged."""
        pending: deque[Future] = deque()
        for index in range(count):
            residue = index % self.buckets
            pending.append(
                self.submit(_merge, index, self.results[residue], site[residue], self.settings, bucket=residue)
            )
            if index + self.buckets >= count:
                self.results[residue] = site[residue] = None
            if len(pending) > _AHEAD:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


def _settle(future: Future) -> None:
    """Wait for a page partition, and raise its error now rather than when the report reaches it."""
    wait(future)
    if future.status == "error":
        future.result()


@contextmanager
def connect(scheduler: str | None = None, workers: int | None = None) -> Iterator[Client]:
    """A client of the cluster at `scheduler`, or of a local cluster of one single-threaded worker
    process per core (the page phase is pure Python: threads would share one interpreter lock)."""
    if scheduler:
        with _client(scheduler) as client:
            yield client
        return
    count = workers or os.cpu_count() or 1
    with (
        LocalCluster(
            n_workers=count, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.ERROR
        ) as cluster,
        _client(cluster) as client,
    ):
        yield client


def _client(address: str | LocalCluster) -> Client:
    with dask.config.set(_CLIENT_CONFIG):  # read as the client connects
        return Client(address)


def audit_files(
    files: list[str],
    settings: Settings,
    scheduler: str | None = None,
    partition_size: int | None = None,
    workers: int | None = None,
) -> Iterator[FileResult]:
    """Audit discovered paths on a Dask cluster; results come back one partition at a time, in order."""
    with connect(scheduler, workers) as client:
        yield from audit_on(client, files, settings, partition_size)


def audit_on(
    client: Client, files: Iterable[str], settings: Settings, partition_size: int | None = None
) -> Iterator[FileResult]:
    """Audit discovered paths with a connected client (the cluster stays up for the caller)."""
    run = _Run(client, settings)
    count = run.page_phase(plan(files, partition_size or DEFAULT_PARTITION_SIZE))
    if count:
        yield from run.write(run.site_phase(), count)
