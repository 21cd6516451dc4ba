from __future__ import annotations

from communique.events.lexicon import load_lexicon
from communique.events.ontology import PLOVER_TYPES, cameo, cameo_table, gdelt_quad_class, plover_type


def test_all_311_cameo_codes_with_goldstein_and_root() -> None:
    table = cameo_table()
    assert len(table) == 311
    assert cameo("125").name.startswith("Reject proposal")
    assert cameo("195").goldstein == -10.0
    assert all(entry.root == code[:2] for code, entry in table.items())


def test_roots_01_and_02_have_no_plover_type() -> None:
    assert plover_type("010") is None
    assert plover_type("0233") is None
    assert plover_type("039") == "AGREE"


def test_crosswalk_follows_the_2021_table_even_where_it_surprises() -> None:
    assert plover_type("163") == "COERCE"  # sanctions are COERCE in the 2021 crosswalk
    assert plover_type("084") == "RETREAT"
    assert plover_type("081") == "CONCEDE"
    assert {e.plover_type for e in cameo_table().values()} - {None} == set(PLOVER_TYPES)


def test_quad_class_ours_and_gdelt() -> None:
    assert cameo("090").quad_class == 3 and gdelt_quad_class("090") == 2
    assert cameo("141").quad_class == 4 and gdelt_quad_class("141") == 3
    assert cameo("051").quad_class == gdelt_quad_class("051") == 1


def test_lexicon_covers_every_cameo_root_with_real_vocabulary() -> None:
    lexicon = load_lexicon()
    roots = {entry.code[:2] for entry in lexicon.entries}
    assert roots == {f"{r:02d}" for r in range(1, 21)}
    assert len(set(lexicon.verbs) | set(lexicon.nouns)) > 500
