"""The quick cue test of promo-links' text survey must pass every text whose traits it would find."""

import importlib
import re

import pytest

# The package re-exports the function `survey` under the module's name: import the module itself.
survey = importlib.import_module("auditor_checks.promo_links.survey")


def test_case_traps_are_all_non_ascii_matches_of_cue_letters() -> None:
    letters = sorted({c for entry in survey._cue_in_text().pattern.split("|") for c in entry if c.isascii()})
    letters = [c for c in letters if c.isalpha()]
    everything = "".join(chr(x) for x in range(0x80, 0x110000) if not 0xD800 <= x < 0xE000)
    for letter in letters:
        for found in re.findall(re.escape(letter), everything, re.I):
            assert found.lower() == letter or survey._CASE_TRAPS.fullmatch(found), (letter, found)


@pytest.mark.parametrize(
    "text",
    [
        "QQhttp://example.com/x 12345678",
        "加QQ：12345678",
        "LİNE ID: abc123",
        "WeChat ID: Ab12",
        "promo code: SAVE2024",
        "invite code https://x.io code ABCD1",
        "电报 @card_shop_bot",
        "TGwww.example.com @shop_bot",
        "ſome text, no cue 123",
    ],
)
def test_prefilter_passes_every_text_with_a_cue(text: str) -> None:
    blanked = survey._URL_IN_TEXT.sub(survey._blank, text)
    if survey._any_cue().search(blanked) is not None:
        assert survey._may_hold_cue(text)


def test_prefilter_skips_plain_prose() -> None:
    assert not survey._may_hold_cue("Version 2 ships on 3 May, with 40 fixes.")
