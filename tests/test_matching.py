"""PhraseMatcher.may_match: a cheap test that must never say no where an entry matches."""

from __future__ import annotations

import random
from importlib import resources
from pathlib import Path

import pytest
import yaml

from auditor.text import lexicon, matching
from auditor.text.matching import PhraseMatcher

ROOT = Path(__file__).parents[1]


def _lists() -> list[tuple[str, str, str]]:
    found = []
    for package in (
        "auditor_checks.keyword_stuffing",
        "auditor_checks.promo_links",
        "auditor_checks.templated_sections",
        "auditor_checks.unverifiable_claims",
        "auditor.kinds",
    ):
        folder = resources.files(package).joinpath("data")
        for item in folder.iterdir():
            name, lang, _ = item.name.split(".")
            found.append((package, name, lang))
    return sorted(found)


def _texts() -> list[str]:
    texts = []
    for page in sorted((ROOT / "examples").rglob("*.*")):
        if page.suffix in (".md", ".html"):
            texts.extend(page.read_text(encoding="utf-8").split("\n"))
    for spec in sorted((ROOT / "tests" / "rules").glob("*.yml")):
        for case in yaml.safe_load(spec.read_text(encoding="utf-8"))["cases"]:
            for text in (case.get("pages") or {"": case.get("page", "")}).values():
                texts.extend(text.split("\n"))
    return [t for t in texts if t.strip()]


TEXTS = _texts()
LISTS = _lists()


def _variants(entry: str, rng: random.Random) -> list[str]:
    """The entry in sentences, in other cases, beside punctuation and letters that fold."""
    upper, title = entry.upper(), entry.title()
    return [
        entry,
        f"Well, {entry}.",
        f"（{upper}）",
        f"x{entry}",
        f"{title}!",
        f"这是{entry}的例子",
        f"a {entry.replace('s', 'ſ')} b",
        f"{entry.replace('k', 'K')} ok",
        f"{entry.replace('i', 'İ')} ok",
        "".join(c.upper() if rng.random() < 0.5 else c for c in entry) + " end",
    ]


@pytest.mark.parametrize(("package", "name", "lang"), LISTS, ids=[f"{n}.{g}" for _, n, g in LISTS])
def test_may_match_never_misses_a_match(package: str, name: str, lang: str) -> None:
    entries = lexicon.words(package, name, lang)
    matcher = PhraseMatcher(entries)
    rng = random.Random(name)
    texts = list(TEXTS)
    for entry in entries:
        texts.extend(_variants(entry.replace("…", " 然后 "), rng))
        texts.extend(_variants(entry.replace("…", ""), rng))
    exact = matcher._pattern
    assert exact is not None
    missed = [t for t in texts if exact.search(t) and not matcher.may_match(t)]
    assert missed == []
    # and it is worth having: most lines of the example pages are ruled out without matching
    if not matcher._prefilter.exact_only:
        ruled_out = sum(1 for t in TEXTS if not matcher.may_match(t))
        assert ruled_out > 0


def test_folded_texts_stay_few() -> None:
    matcher = PhraseMatcher(["the best"])
    for n in range(3 * matching._FOLDED_MAX):
        matcher.may_match(f"text {n}")
    assert 0 < len(matching._FOLDED) <= matching._FOLDED_MAX
    assert matcher.may_match("The best") and matcher.may_match("…the BEST.") and not matcher.may_match("thebest")


@pytest.mark.parametrize(
    ("entry", "text"),
    [
        ("\u212aelvin … max", "x\u212aelvin then max"),  # Kelvin sign: no word edge before it, yet "k" lower-cased
        ("kelvin", "\u212aELVIN"),
        ("strong", "ſtrong"),
        ("#1 rated", "x#1 rated"),
        ("比…更", "比他们更好"),
    ],
)
def test_may_match_corner_cases(entry: str, text: str) -> None:
    matcher = PhraseMatcher([entry])
    assert matcher.search(text) is not None
