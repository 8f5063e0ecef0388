"""templated-sections across a site: pages poured into one skeleton, and pages copied from others.

Both rules are site rules (see `auditor.registry.SiteRule`): each page is
reduced in the worker to a small signature (its normalised heading skeleton;
a MinHash of its word shingles), and the site phase looks across them by
group-bys, never by comparing all pairs: TS201 groups pages by skeleton;
TS202 groups them by MinHash LSH band (each bucket gives candidate pairs),
then verifies each candidate pair with both signatures.
"""

from __future__ import annotations

import re
import struct
import zlib
from array import array
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from hashlib import blake2b
from operator import attrgetter
from typing import Any, ClassVar

from auditor.models import Block, Page, Severity, Span, spans
from auditor.registry import Context, Hit, SiteRule

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")  # a set, not a regex: tested a character at a time
# Ordinal markers that number sections: "一、", "（二）", "第三步", "Step 4:", "Part II", "1.2 ", "①", "#5".
_ORDINAL = re.compile(
    r"^\s*(?:"
    r"[（(]?[一二三四五六七八九十百零〇\d]+[)）]?\s*[、.．:：)）]"
    r"|第\s*[一二三四五六七八九十百零〇\d]+\s*[步章节部分条点个篇讲课期]"
    r"|(?:step|part|chapter|section|tip|no\.?|lesson|day)\s*(?:\d+|[ivx]+)\b\s*[:.)\-–—]?"
    r"|\d+(?:\.\d+)*(?:[.、)]|\s)"
    r"|[①-⑳]"
    r"|#\d+"
    r")\s*",
    re.I,
)
# "\d\d*", not "\d+" (the same matches): re's search skips ahead to where a pattern's opening character
# class matches, but tries a pattern that opens on a repeat at every position of the (long) section texts.
_DIGITS = re.compile(r"\d\d*(?:[.,]\d+)*")
_NON_WORD = re.compile(r"[^\w\x00#][^\w\x00#]*")  # keeps the keyword slot and the number mark; "_" goes apart
_SLOT = "\x00"  # stands for the page keyword inside a normalised heading; printed as {K}
_PROSE = ("paragraph", "list_item", "quote", "table_cell")


def _section_headings(page: Page) -> list[Block]:
    """Headings below the page title (a level-1 heading that repeats the title is the title)."""
    title = (page.title or "").strip()
    return [h for h in page.headings if not (h.level == 1 or h.text.strip() == title)]


# --- TS201 -------------------------------------------------------------------


def _pair_ends(title: str) -> dict[str, list[int]]:
    """Where each two-character piece of `title` ends: made once per page, not once per heading."""
    where: dict[str, list[int]] = {}
    for j in range(2, len(title) + 1):
        where.setdefault(title[j - 2 : j], []).append(j)
    return where


def _common_substrings(heading: str, where: dict[str, list[int]]) -> set[str]:
    """The longest pieces `heading` shares with the title (case folded; `where` is its `_pair_ends`)
    that can name a topic: two Han characters or more, or whole Latin words of three letters or more."""
    best: set[str] = set()
    longest = 0
    # A classic longest-common-substring table; headings and titles are short.
    # Only runs of two characters or more can name a topic, so the table is kept
    # where two characters in a row are equal (a run ending in one equal pair
    # has length 2, or one more than the run before it), and a run shorter than
    # the longest piece found so far cannot change the result.
    previous: dict[int, int] = {}
    for i in range(2, len(heading) + 1):
        current: dict[int, int] = {}
        for j in where.get(heading[i - 2 : i], ()):
            length = current[j] = previous.get(j - 1, 1) + 1
            if length < longest:
                continue
            raw = heading[i - length : i]
            piece = raw.strip()
            if len(piece) < longest:
                continue
            start = i - length + len(raw) - len(raw.lstrip())
            if _names_topic(piece, heading, start, start + len(piece)):
                if len(piece) > longest:
                    best, longest = {piece}, len(piece)
                else:
                    best.add(piece)
        previous = current
    return best


def _names_topic(piece: str, text: str, start: int, end: int) -> bool:
    # Called for most cells of the table: str methods and set look-ups before any regex.
    if not piece.isascii() and _HAN.search(piece):
        return len(piece) >= 3 or len(_HAN.findall(piece)) >= 2
    if len(piece) < 3 or piece[0] not in _LATIN or piece[-1] not in _LATIN:
        return False
    # Latin pieces must be whole words, not "ion" out of "version".
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return before not in _LATIN and after not in _LATIN


def _keyword(headings: list[str], title: str) -> str:
    """The page's own keyword: the piece of the title its headings repeat most often (longest on a tie)."""
    candidates: set[str] = set()
    where = _pair_ends(title)
    for heading in dict.fromkeys(headings):  # a heading met twice adds nothing
        candidates |= _common_substrings(heading, where)
    scored = [(sum(c in h for h in headings), len(c), c) for c in candidates]
    return max(scored)[2] if scored else ""


def _widen(value: str, keyword: str, title: str) -> str:
    """`value` with the keyword, widened to the longest piece of the title around it, made a slot:
    under the title "星桥机场官网地址", both "星桥介绍" and "星桥机场介绍" become "{K}介绍"."""
    start = value.find(keyword)
    while start >= 0:
        begin, end = start, start + len(keyword)
        while begin > 0 and value[begin - 1 : end] in title:
            begin -= 1
        while end < len(value) and value[begin : end + 1] in title:
            end += 1
        value = value[:begin] + _SLOT + value[end:]
        start = value.find(keyword)
    return value


def _normalise(value: str, keyword: str, title: str) -> str:
    """A heading or section text with the keyword, numbers, ordinals, case and punctuation levelled out."""
    value = value.lower()
    if keyword:  # first, so that a keyword such as "600ml" is not read as an ordinal
        value = _widen(value, keyword, title)
    value = _ORDINAL.sub("", value, count=1)
    # Spaces, punctuation and "_" go. split() and replace() take out the spaces and "_" at C speed, which
    # leaves the regex fewer runs to cut (section texts are long): the same characters go either way.
    return _NON_WORD.sub("", "".join(_DIGITS.sub("#", value).split()).replace("_", ""))


@dataclass(frozen=True)
class _Skeleton:
    key: str  # the normalised headings, "\n"-joined
    slots: int  # headings that carry the page keyword
    keyword: str
    bodies: tuple[int, ...]  # crc32 of the normalised text under each heading (0: none)
    line: int
    column: int
    # The skeleton's headings as (block, start, end) spans of the page's prose, for the hit to mark.
    headings: tuple[tuple[int, int, int], ...] = ()


def _skeleton(page: Page, min_headings: int) -> _Skeleton | None:
    headings = _section_headings(page)[:40]
    if len(headings) < min_headings:
        return None
    folded = [h.text.strip().lower() for h in headings]
    title = (page.title or "").strip().lower()
    keyword = _keyword(folded, title)
    names = [_normalise(h, keyword, title) for h in folded]
    if sum(1 for n in names if n.replace(_SLOT, "")) < min_headings:
        return None  # headings that are only numbers or the keyword say nothing about a layout
    # The prose under each heading, up to the next one, for telling stock filler from content.
    under: dict[int, list[str]] = defaultdict(list)
    current = -1
    index = {id(h): i for i, h in enumerate(headings)}
    for block in page.body:
        if id(block) in index:
            current = index[id(block)]
        elif block.kind == "heading":
            current = -1  # a heading left out (over the cap) closes the section
        elif current >= 0 and block.kind in _PROSE:
            under[current].append(block.text)
    bodies = tuple(
        zlib.crc32(_normalise(" ".join(under[i]), keyword, title).encode()) if under.get(i) else 0
        for i in range(len(headings))
    )
    return _Skeleton(
        key="\n".join(names),
        slots=sum(1 for n in names if _SLOT in n),
        keyword=keyword,
        bodies=bodies,
        line=headings[0].line,
        column=headings[0].column,
        headings=tuple((s.block, s.start, s.end) for s in spans(*(page.block_span(h) for h in headings))),
    )


def _stock_sections(members: list[_Skeleton]) -> int:
    """Sections whose text is the same on at least half the pages of a cluster (stock filler)."""
    stock = 0
    for position in range(len(members[0].bodies)):
        texts = Counter(m.bodies[position] for m in members if m.bodies[position])
        if texts and texts.most_common(1)[0][1] * 2 >= len(members):
            stock += 1
    return stock


class SkeletonCluster(SiteRule):
    """Many pages of the site share one heading skeleton with the page's keyword swapped in.

    **What it catches**
    Groups of pages whose section headings are the same once each page's own
    keyword (the part of the title its headings repeat), numbers and ordinal
    markers (一、, 第二步, Step 3, 1.) are levelled out: "零零七介绍 / 零零七优惠码
    / 零零七价格" and "华夏联盟介绍 / 华夏联盟优惠码 / 华夏联盟价格" are one skeleton,
    "{K}介绍 / {K}优惠码 / {K}价格". Each page of a group of `min_cluster` pages
    or more is reported, with the group's size and two other members. The rule
    grades what the group shares: fixed section names over different text
    (a newsletter's "文章 / 工具 / 资源" every issue) are a shared layout and
    only information; a skeleton that carries the keyword in most headings,
    or the same stock text under its headings, is a template (a warning);
    the keyword skeleton over a large group is an error.

    **Why it matters**
    Farms generate hundreds of pages from one form: a product or place name
    poured into the same headings, with a few lines of filler under each.
    Such pages add nothing the others do not, and search engines treat the
    whole set as doorway pages.

    **Example**
    Forty pages shaped like this one, each with another name:
    ```markdown
    # 星桥加速器官网地址
    ## 星桥介绍
    ## 星桥优惠码
    ## 星桥价格
    ```

    **Better**
    One page that compares the services, or pages whose sections follow what
    there is to say about each (a test, its numbers, its problems).

    **Options**
    - `min_cluster` (5): pages sharing a skeleton that make a cluster.
    - `min_headings` (3): section headings a page needs to take part.
    - `slot_share` (0.5): share of the skeleton's headings that must carry the
      page keyword for it to count as a keyword template.
    - `filler_share` (0.5): share of the sections whose text must repeat over
      the cluster for it to count as stock filler.
    - `error_cluster` (10): pages a keyword template needs for an error.

    **Silence it**
    `<!-- auditor-disable-next-line TS201 -->` above the first heading of a
    page, or `ignore = ["TS201"]` (or a per-file ignore for a section of the
    site whose layout is shared on purpose) in the config.
    """

    code = "TS201"
    group_title = "Skeleton clusters: pages poured into one heading skeleton"
    group_label = "skeleton "
    name = "skeleton-cluster"
    default_severity = Severity.WARNING
    options: ClassVar[Mapping[str, Any]] = {
        "min_cluster": 5,
        "min_headings": 3,
        "slot_share": 0.5,
        "filler_share": 0.5,
        "error_cluster": 10,
    }

    def signature(self, page: Page, context: Context) -> _Skeleton | None:
        return _skeleton(page, context.options["min_headings"])

    def keys(self, step: int, path: str, signature: _Skeleton, context: Context) -> list[tuple[str, Any]]:
        # One group-by: the pages of a skeleton.
        return [(signature.key, (path, signature))]

    def reduce(
        self, step: int, key: Hashable, values: list[tuple[str, _Skeleton]], context: Context
    ) -> Iterator[tuple[str, Hit]]:
        options = context.options
        if len(values) < options["min_cluster"]:
            return
        members = sorted(values, key=lambda member: member[0])
        paths = [path for path, _skeleton in members]
        skeletons = [skeleton for _path, skeleton in members]
        headings = len(skeletons[0].bodies)
        slots = skeletons[0].slots
        stock = _stock_sections(skeletons)
        templated = slots >= 2 and slots >= options["slot_share"] * headings
        filler = stock >= 1 and stock >= options["filler_share"] * headings
        if templated and len(paths) >= options["error_cluster"]:
            severity, kind = Severity.ERROR, "a keyword template"
        elif templated or filler:
            severity, kind = Severity.WARNING, "a keyword template" if templated else "stock filler"
        else:
            severity, kind = Severity.INFO, "a shared layout"
        outline = " / ".join(name.replace(_SLOT, "{K}") for name in str(key).split("\n"))
        for path, me in members:
            others = [p for p in paths[:3] if p != path][:2]  # the first three hold two others: linear in the cluster
            yield (
                path,
                Hit(
                    line=me.line,
                    column=me.column,
                    severity=severity,
                    message=(
                        f"{len(paths)} pages share this heading skeleton ({kind}); "
                        "write sections about what this page has to say, or merge the pages"
                    ),
                    evidence=(
                        f"skeleton: {outline}; keyword ‘{me.keyword}’ in {slots} of {headings} headings; "
                        f"same text under {stock} of {headings} headings; also {', '.join(others)}"
                    ),
                    group=outline,
                    member=f"keyword ‘{me.keyword}’" if me.keyword else "",
                    spans=tuple(Span(*heading, "skeleton heading") for heading in me.headings),
                ),
            )


# --- TS202 -------------------------------------------------------------------

_BINS = 128  # one-permutation MinHash: 128 bins of 32-bit minima, 512 bytes a page
_BANDS = 16  # LSH: 16 bands of 8 rows catch pairs above ~0.7 similarity
_ROWS = _BINS // _BANDS
_EMPTY = 0xFFFFFFFF
_SHINGLE = 5  # words per shingle
_MAX_BLOCKS = 512


@dataclass(frozen=True)
class _Shingles:
    size: int  # distinct shingles of the page
    minhash: array  # _BINS uint32
    blocks: array  # crc32 of each block's words, for telling layout from copying
    counts: array  # shingles in each block
    line: int
    column: int


def _block_shingles(words: list[bytes]) -> list[bytes]:
    if len(words) < _SHINGLE:
        return [b" ".join(words)] if len(words) >= 2 else []
    # each run of _SHINGLE words in a row, made by zip and join without a Python-level loop
    return list(map(b" ".join, zip(*(words[k:] for k in range(_SHINGLE)), strict=False)))


# A fresh blake2b costs more than copying an empty one: each shingle is hashed on a copy of this.
_BLAKE2B = blake2b(digest_size=8)
# The bin (the little-endian 64-bit digest mod _BINS, a power of two up to 256) is in its first byte;
# the minimum is taken of its high 32 bits. struct reads both at C speed from all the digests joined.
_DIGEST = struct.Struct("<B3xI")
assert _BINS <= 256 and _BINS & (_BINS - 1) == 0, "_minhash reads the bin from the digest's first byte"


def _minhash(shingles: set[bytes]) -> array:
    """One-permutation hashing with rotation densification: one hash per shingle, not one per bin.

    blake2b, not hash(): str hashes are salted per process, and signatures
    are made in several worker processes.
    """
    copy = _BLAKE2B.copy
    digests = []
    append = digests.append
    for shingle in shingles:
        state = copy()
        state.update(shingle)
        append(state.digest())
    minima = [_EMPTY] * _BINS
    for first, low in _DIGEST.iter_unpack(b"".join(digests)):
        index = first & (_BINS - 1)
        if low < minima[index]:
            minima[index] = low
    mins = array("I", minima)
    if _EMPTY in minima:  # some bin empty
        dense = array("I", mins)
        for i in range(_BINS):
            if mins[i] == _EMPTY:
                # borrow from the next filled bin to the right, offset by the distance
                distance = next(d for d in range(1, _BINS) if mins[(i + d) % _BINS] != _EMPTY)
                dense[i] = (mins[(i + distance) % _BINS] + distance * 0x9E3779B1) & _EMPTY
        mins = dense
    return mins


_NORM = attrgetter("norm")


def _shingle_signature(page: Page, min_words: int) -> _Shingles | None:
    blocks = [b for b in page.body if b.kind != "heading" and b.words]
    if sum(len(b.words) for b in blocks) < min_words:
        return None
    everything: set[bytes] = set()
    hashes, counts = array("I"), array("H")
    for block in blocks:
        if len(block.words) < 2:
            continue  # no shingle and no block hash; its word is never encoded (as before: a lone surrogate)
        # UTF-8 once per word: the shingles and the block are joined as bytes, which are what is hashed.
        words = list(map(str.encode, map(_NORM, block.words)))
        shingles = _block_shingles(words)
        everything.update(shingles)
        if len(hashes) < _MAX_BLOCKS:
            hashes.append(zlib.crc32(shingles[0] if len(words) < _SHINGLE else b" ".join(words)))
            counts.append(min(len(shingles), 0xFFFF))
    if not everything:
        return None  # enough words, but none two in a row (a list of single words): nothing to compare
    return _Shingles(len(everything), _minhash(everything), hashes, counts, blocks[0].line, blocks[0].column)


def _band_keys(signature: _Shingles) -> list[tuple[str, int, int]]:
    """The LSH bucket of each band of the MinHash: pages that share one are candidate near-copies."""
    return [
        ("band", band, zlib.crc32(signature.minhash[band * _ROWS : (band + 1) * _ROWS].tobytes()))
        for band in range(_BANDS)
    ]


def _bucket_pairs(paths: list[str]) -> set[tuple[str, str]]:
    """Candidate pairs of one bucket: each page is paired with the bucket's first page and with the page
    before it (in path order), so a bucket of n pages gives under 2n pairs."""
    ordered = sorted(set(paths))
    return {(a, b) for i, b in enumerate(ordered[1:], 1) for a in (ordered[0], ordered[i - 1])}


def _agreement(a: _Shingles, b: _Shingles) -> float:
    """The MinHash estimate of the Jaccard similarity of two pages' shingles."""
    return sum(1 for x, y in zip(a.minhash, b.minhash, strict=True) if x == y) / _BINS


def _similarity(a: _Shingles, b: _Shingles, layout: set[int]) -> float:
    """Jaccard similarity of two pages' shingles, MinHash-estimated, without the layout both carry.

    The shingles of shared layout blocks (a footer, a sponsor block) are taken
    out of both the intersection and the union.
    """
    same = _agreement(a, b)
    union = (a.size + b.size) / (1 + same)
    common = same * union
    b_blocks = set(b.blocks)
    shared_layout = sum(n for h, n in zip(a.blocks, a.counts, strict=True) if h in layout and h in b_blocks)
    shared_layout = min(shared_layout, common)
    if union - shared_layout <= 0:
        return 0.0
    return (common - shared_layout) / (union - shared_layout)


class _Groups:
    """Union-find over pages, for the size of each group of near-copies."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, i: str) -> str:
        root = i
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        while i != root:
            self.parent[i], i = root, self.parent.get(i, i)
        return root

    def join(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


class NearDuplicate(SiteRule):
    """A page is a near-copy of another page of the site.

    **What it catches**
    Pages whose wording is nearly the same as another page's: the same
    article under two names, a template filled with a new keyword and little
    else, a post re-published with a few words changed. Similarity is the
    share of five-word runs (for Chinese, runs of segmented words) the two
    pages have in common, estimated from a MinHash of each page; candidates
    are found by LSH banding, so the cost grows with the number of pages.
    Blocks that many pages carry (a footer, the sponsor note of every
    newsletter issue) are layout and do not count as shared wording.
    A pair above `min_similarity` is a warning; a group of `error_group`
    pages or more above `error_similarity` is an error.

    **Why it matters**
    Duplicate pages split the reader's attention and the search engine's
    ranking between copies, and a farm's doorway pages are often one text
    with the keyword swapped. A copy the author did not mean to keep is also
    a page that will go stale.

    **Example**
    `tips/save-battery.md` and `guides/battery-life.md` hold the same article
    with its title and two sentences changed.

    **Better**
    Keep one page and redirect or link the other to it; or make each page
    say what is particular to its subject.

    **Options**
    - `min_words` (80): words a page needs to take part.
    - `min_similarity` (0.8): estimated similarity that makes a warning.
    - `error_similarity` (0.9): similarity that counts towards an error.
    - `error_group` (3): pages in a group of near-copies that make an error.
    - `layout_pages` (10): a block repeated on this many pages or more is layout.

    **Silence it**
    `<!-- auditor-disable-next-line TS202 -->` above the first paragraph, a
    per-file ignore for pages that are copies on purpose (translations kept in
    one language, archives), or `ignore = ["TS202"]` in the config.
    """

    code = "TS202"
    group_title = "Near-copies: pages whose wording is nearly the same"
    group_label = "near-copies of "
    name = "near-duplicate"
    default_severity = Severity.WARNING
    options: ClassVar[Mapping[str, Any]] = {
        "min_words": 80,
        "min_similarity": 0.8,
        "error_similarity": 0.9,
        "error_group": 3,
        "layout_pages": 10,
    }

    def signature(self, page: Page, context: Context) -> _Shingles | None:
        return _shingle_signature(page, context.options["min_words"])

    # Four group-bys: LSH buckets and shared blocks; each page with its candidate pairs and layout blocks;
    # each candidate pair with both signatures, verified; the near-copy edges, joined into groups.
    steps = 4

    def keys(self, step: int, path: str, signature: _Shingles, context: Context) -> list[tuple[Hashable, Any]]:
        if step == 0:
            blocks = [(("block", h), path) for h in sorted(set(signature.blocks))]
            return [(key, path) for key in _band_keys(signature)] + blocks
        if step == 1:
            return [(path, ("signature", signature))]
        return []

    def reduce(self, step: int, key: Hashable, values: list[Any], context: Context) -> Iterable[tuple[Any, Any]]:
        options = context.options
        if step == 0:
            if key[0] == "band":  # type: ignore[index]
                for a, b in sorted(_bucket_pairs(values)):
                    yield a, ("pair", a, b)
                    yield b, ("pair", a, b)
            elif len(set(values)) >= options["layout_pages"]:  # a block on many pages is layout
                for path in sorted(set(values)):
                    yield path, ("layout", key[1])  # type: ignore[index]
        elif step == 1:
            yield from self._pairs_of_page(str(key), values)
        elif step == 2:
            yield from self._verify(key, values, options)  # type: ignore[arg-type]
        else:
            yield from self._groups(values, options)

    @staticmethod
    def _pairs_of_page(path: str, values: list[Any]) -> Iterator[tuple[tuple[str, str], Any]]:
        """A page's signature sent to each of its candidate pairs, with the page's layout blocks."""
        signature = next((v[1] for v in values if v[0] == "signature"), None)
        if signature is None:
            return
        layout = frozenset(v[1] for v in values if v[0] == "layout")
        for pair in sorted({(v[1], v[2]) for v in values if v[0] == "pair"}):
            yield pair, (path, signature, layout)

    @staticmethod
    def _verify(
        pair: tuple[str, str], values: list[tuple[str, _Shingles, frozenset[int]]], options: Mapping[str, Any]
    ) -> Iterator[tuple[str, Any]]:
        """A candidate pair kept when it is a near-copy: raw MinHash similarity first (never below the
        layout-free one), then the similarity without the layout blocks both carry."""
        sides = {path: (signature, layout) for path, signature, layout in values}
        (a, b), min_similarity = pair, options["min_similarity"]
        if a not in sides or b not in sides:
            return
        (sig_a, layout_a), (sig_b, layout_b) = sides[a], sides[b]
        if _agreement(sig_a, sig_b) < min_similarity:
            return
        similarity = _similarity(sig_a, sig_b, layout_a | layout_b)
        if similarity >= min_similarity:
            # One group for all the near-copy edges of the site: only pairs that passed, not pages.
            yield "edges", (a, b, similarity, (sig_a.line, sig_a.column), (sig_b.line, sig_b.column))

    @staticmethod
    def _groups(edges: list[Any], options: Mapping[str, Any]) -> Iterator[tuple[str, Hit]]:
        """Each page of a near-copy edge, reported with its closest copy and the size of its group."""
        best: dict[str, tuple[float, str]] = {}
        where: dict[str, tuple[int, int]] = {}
        strong = _Groups()
        groups = _Groups()
        for a, b, similarity, where_a, where_b in edges:
            where[a], where[b] = where_a, where_b
            groups.join(a, b)
            if similarity >= options["error_similarity"]:
                strong.join(a, b)
            for me, other in ((a, b), (b, a)):
                if me not in best or similarity > best[me][0] or (similarity == best[me][0] and other < best[me][1]):
                    best[me] = (similarity, other)
        sizes = Counter(groups.find(p) for p in best)
        strong_sizes = Counter(strong.find(p) for p in best)
        for path in sorted(best):
            similarity, other = best[path]
            size, strong_size = sizes[groups.find(path)], strong_sizes[strong.find(path)]
            severity = Severity.ERROR if strong_size >= options["error_group"] else Severity.WARNING
            yield (
                path,
                Hit(
                    line=where[path][0],
                    column=where[path][1],
                    severity=severity,
                    message=(
                        f"near-copy of another page (~{similarity:.0%} of the wording shared; "
                        f"{size} pages in this group); keep one page, or make each say what is its own"
                    ),
                    evidence=f"{other} (~{similarity:.0%} similar); {size} near-copies in all",
                    group=groups.find(path),  # the group's first page in path order
                    member=f"≈ {other} (~{similarity:.0%} similar)",
                ),
            )
