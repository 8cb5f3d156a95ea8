"""Keys of new work items made from their names (issue 20)."""

from __future__ import annotations

import re

import pytest

from planner.domain.item_keys import key_for, numbered_key, slug, unique_key

KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")  # the plan editor's key pattern


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Pilot the new CRM with one sales team", "pilot-new-crm-one"),
        ("Go-live: Wave 2", "go-live-wave-2"),
        ("Données clés à migrer", "donnees-cles-migrer"),
        ("The", "the"),  # only filler words: they are kept
        ("CRM 试点上线", "crm"),
        ("培训销售代表", ""),
        ("   ", ""),
        ("Supercalifragilisticexpialidocious and more " * 3, "supercalifragilisticexpialidocio"),
    ],
)
def test_slug_keeps_the_latin_words(name: str, expected: str) -> None:
    assert slug(name) == expected
    assert len(slug(name)) <= 32


def test_a_taken_key_gets_the_next_free_number() -> None:
    taken = {"pilot", "pilot-2", "PILOT-3"}
    assert unique_key("pilot", taken) == "pilot-4"  # case does not make a key new
    assert unique_key("wave", taken) == "wave"
    long = "x" * 64
    assert unique_key(long, {long}) == "x" * 62 + "-2"


def test_names_without_latin_words_are_numbered_above_the_highest() -> None:
    assert numbered_key(set()) == "item-1"
    assert numbered_key({"item-7", "item-2", "other-9"}) == "item-8"
    assert key_for("上线准备", {"item-1"}) == "item-2"
    assert key_for("", set()) == "item-1"


@pytest.mark.parametrize("name", ["Train the reps", "培训", "x" * 300, "-- ## --", "Ünïcödé 2.0"])
def test_every_key_made_fits_the_editor_and_is_new(name: str) -> None:
    taken = {key_for(name, set())}
    key = key_for(name, taken)
    assert KEY.match(key) and key not in taken
