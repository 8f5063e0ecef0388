"""The fast paths of the TS201/TS202 page signatures give the values of the plain definitions they replace."""

from __future__ import annotations

import re
from hashlib import blake2b

import pytest
from auditor_checks.templated_sections import site

_PLAIN_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
_PLAIN_NON_WORD = re.compile(r"[^\w\x00#]+|_")


@pytest.mark.parametrize(
    "value",
    [
        "第一步：打开 snake_case 设置\u3000（约 1 000 元）",
        "Step 2:  1,000.5\xa0users__here\u2028next\x1cline",
        "  ①  星桥_介绍 \t 600ml ２０２４年 v1.2.3,4 ",
        "a\x00b # c",
        "",
    ],
)
def test_normalise_levels_out_the_same_characters(value: str) -> None:
    keyword, title = "星桥", "星桥机场官网地址"
    plain = site._ORDINAL.sub("", site._widen(value.lower(), keyword, title), count=1)
    assert site._normalise(value, keyword, title) == _PLAIN_NON_WORD.sub("", _PLAIN_DIGITS.sub("#", plain))


@pytest.mark.parametrize("count", [3, 2000])  # sparse bins (densified) and full ones
def test_minhash_is_one_blake2b_per_shingle(count: int) -> None:
    shingles = {f"词{i} word{i * 7} 第{i}".encode() for i in range(count)}
    minima = [site._EMPTY] * site._BINS
    for shingle in shingles:
        value = int.from_bytes(blake2b(shingle, digest_size=8).digest(), "little")
        minima[value % site._BINS] = min(minima[value % site._BINS], value >> 32)
    got = site._minhash(shingles)
    for i, low in enumerate(minima):
        if low != site._EMPTY:
            assert got[i] == low
    assert (site._EMPTY in minima) == (count == 3)
