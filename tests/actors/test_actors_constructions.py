"""Constructions: possessives, compounds, titles, coordination, appositions, prepositional phrases."""

from __future__ import annotations

import pytest
from actor_helpers import Run, by_text, codes


def test_offsets_and_sentences_point_at_the_text(run: Run) -> None:
    text = "Talks stalled.\nLater, Chilean diplomats met Kenyan officials. Brazil said nothing."
    analysis = run(text)
    assert analysis.mentions, "expected mentions"
    for m in analysis.mentions:
        assert text[m.start : m.end] == m.text
        sentence = analysis.sentences[m.sentence]
        assert sentence.start <= m.start and m.end <= sentence.end
    assert by_text(analysis)["Brazil"].sentence == 2


def test_possessive_role_takes_the_country(run: Run) -> None:
    m = by_text(run("Norway's Chief of Army Staff visited the border."))["Norway's Chief of Army Staff"]
    assert (m.code, m.country, m.sector, m.kind) == ("NORMIL", "NOR", "MIL", "role")
    assert m.method.startswith("adjacent") or "possessive" in m.method


def test_possessive_with_words_between(run: Run) -> None:
    found = by_text(run("Peru's newly appointed foreign minister arrived."))
    assert found["Peru's newly appointed foreign minister"].code == "PERGOV"


def test_title_and_name_resolve_through_people_file(run_fixture_people: Run) -> None:
    text = "Russian President Boris Fixturov called the meeting."
    m = by_text(run_fixture_people(text, "2025-03-01"))["Russian President Boris Fixturov"]
    assert (m.code, m.kind) == ("RUSGOV", "person")
    assert m.method.startswith("people.tsv:2024-05-07")


def test_title_with_unknown_name_takes_the_title_code(run: Run) -> None:
    m = by_text(run("Malaysian Foreign Minister Aziz Rahmanov spoke to reporters."))
    person = next(x for x in m.values() if x.kind == "person")
    assert person.code == "MYSGOV"
    assert person.text == "Malaysian Foreign Minister Aziz Rahmanov"


def test_adjective_on_a_non_role_noun_is_the_state(run: Run) -> None:
    m = by_text(run("Bolivian sponsorship of the talks was welcomed."))["Bolivian"]
    assert (m.code, m.kind, m.sector) == ("BOL", "state", None)


def test_coordinated_adjectives_share_the_role(run: Run) -> None:
    analysis = run("Senior Danish and Estonian officials agreed on a plan.")
    assert sorted(codes(analysis)) == ["DNKGOV", "ESTGOV"]
    assert "coordination" in by_text(analysis)["Danish"].method


def test_coordinated_adjectives_military(run: Run) -> None:
    analysis = run("Greek and Turkish troops withdrew from the buffer zone.")
    assert {"GRCMIL", "TURMIL"} <= set(codes(analysis))


def test_of_phrase(run: Run) -> None:
    analysis = run("The army of Egypt was put on alert.")
    assert "EGYMIL" in codes(analysis)


def test_in_phrase_locates_a_role(run: Run) -> None:
    analysis = run("Rebels in Darfur rejected the offer.")
    assert by_text(analysis)["Rebels"].code == "SDNREB"


def test_generic_head_takes_the_modifier_sector(run: Run) -> None:
    analysis = run("Pakistani army officials denied the report.")
    assert by_text(analysis)["Pakistani army officials"].code == "PAKMIL"


def test_organisation_with_role(run: Run) -> None:
    m = by_text(run("UN officials inspected the camp."))["UN officials"]
    assert (m.code, m.kind) == ("IGOUNO", "organisation")


def test_apposition_gives_an_unknown_person_the_role_code(run: Run) -> None:
    analysis = run("Tomas Verhoek, the Dutch defence minister, resigned on Friday.")
    person = next(m for m in analysis.mentions if m.kind == "person")
    assert person.text == "Tomas Verhoek"
    assert person.code == "NLDGOV"


def test_apposition_gives_a_bare_role_the_person_code(run_fixture_people: Run) -> None:
    analysis = run_fixture_people("Alma Testova, the army chief, met the cabinet.", "2023-01-01")
    role = (
        by_text(analysis)["the army chief"]
        if "the army chief" in by_text(analysis)
        else by_text(analysis)["army chief"]
    )
    assert role.code == "PAKMIL"


def test_hyphenated_actor_inside_a_token(run: Run) -> None:
    text = "The U.S.-led coalition and Saudi-backed forces advanced."
    analysis = run(text)
    found = by_text(analysis)
    assert found["U.S."].code == "USA"
    assert text[found["U.S."].start : found["U.S."].end] == "U.S."
    assert found["Saudi"].code == "SAU"


def test_bare_role_without_country_keeps_the_sector(run: Run) -> None:
    m = by_text(run("Militants attacked a checkpoint overnight."))["Militants"]
    assert (m.code, m.country, m.sector, m.kind) == ("REB", None, "REB", "role")


@pytest.mark.parametrize(
    ("text", "surface", "code"),
    [
        ("Islamabad rejected the claim.", "Islamabad", "PAKGOV"),
        ("New Delhi responded sharply.", "New Delhi", "INDGOV"),
        ("Rawalpindi has the final word on security policy.", "Rawalpindi", "PAKMIL"),
        ("The White House issued a statement.", "White House", "USAGOV"),
        ("The Kremlin denied it.", "Kremlin", "RUSGOV"),
        ("The Pentagon ordered more ships.", "Pentagon", "USAMIL"),
        ("Foggy Bottom was not consulted.", "Foggy Bottom", "USAGOV"),
        ("Beijing warned against interference.", "Beijing", "CHNGOV"),
        ("Moscow expelled two diplomats.", "Moscow", "RUSGOV"),
        ("Washington imposed new tariffs.", "Washington", "USAGOV"),
    ],
)
def test_metonyms(run: Run, text: str, surface: str, code: str) -> None:
    m = by_text(run(text))[surface]
    assert m.code == code
    assert m.method.startswith("metonym")


def test_capital_as_a_place_stands_for_the_country_not_the_government(run: Run) -> None:
    m = by_text(run("The delegates held talks in Islamabad on Monday."))["Islamabad"]
    assert m.code == "PAK"
    assert m.method.endswith(":place")


@pytest.mark.parametrize(
    ("text", "surface", "code"),
    [
        ("The UN condemned the strike.", "UN", "IGOUNO"),
        ("The IMF approved a loan.", "IMF", "IGOIMF"),
        ("The World Bank cut its forecast.", "World Bank", "IGOWBK"),
        ("NATO allies met in Brussels.", "NATO", "IGONAT"),
        ("The EU announced sanctions.", "EU", "IGOEUR"),
        ("The SCO summit opened.", "SCO", "IGOSCO"),
        ("SAARC has been dormant for years.", "SAARC", "IGOSAR"),
        ("ASEAN has ten members.", "ASEAN", "IGOASN"),
        ("BRICS expanded its membership.", "BRICS", "IGOBRC"),
        ("The OIC called an emergency session.", "OIC", "IGOOIC"),
        ("The FATF kept the country on its grey list.", "FATF", "IGOFTF"),
        ("The G7 pledged support.", "G7", "IGOG07"),
        ("The G20 communique was delayed.", "G20", "IGOG20"),
        ("The WTO ruled against the tariffs.", "WTO", "IGOWTO"),
        ("The AU suspended the country.", "AU", "IGOAFU"),
        ("The GCC welcomed the deal.", "GCC", "IGOGCC"),
        ("The IAEA inspected the site.", "IAEA", "IGOIAE"),
        ("The WHO declared an emergency.", "WHO", "IGOWHO"),
    ],
)
def test_international_organisations(run: Run, text: str, surface: str, code: str) -> None:
    m = by_text(run(text))[surface]
    assert (m.code, m.kind, m.country) == (code, "organisation", "IGO")


def test_lowercase_who_is_not_the_who(run: Run) -> None:
    assert "IGOWHO" not in codes(run("Those who disagree can leave, said the chair."))


@pytest.mark.parametrize(
    ("text", "surface", "code"),
    [
        ("Tensions rose across South Asia.", "South Asia", "SASIA"),
        ("The conflict in West Asia widened.", "West Asia", "WASIA"),
        ("Oil prices in the Middle East fell.", "Middle East", "MEAST"),
    ],
)
def test_regions_are_not_states(run: Run, text: str, surface: str, code: str) -> None:
    m = by_text(run(text))[surface]
    assert (m.code, m.kind, m.country) == (code, "region", None)


@pytest.mark.parametrize(
    ("surface", "code"),
    [
        ("Pakistani", "PAK"),
        ("Indian", "IND"),
        ("American", "USA"),
        ("U.S.", "USA"),
        ("US", "USA"),
        ("Chinese", "CHN"),
        ("Afghan", "AFG"),
        ("Israeli", "ISR"),
        ("Iranian", "IRN"),
        ("British", "GBR"),
        ("Emirati", "ARE"),
        ("Filipino", "PHL"),
        ("Ivorian", "CIV"),
        ("Burmese", "MMR"),
    ],
)
def test_demonyms_and_adjectives(run: Run, surface: str, code: str) -> None:
    m = by_text(run(f"The {surface} proposal was discussed."))[surface]
    assert m.code == code


def test_plural_demonym_is_a_group(run: Run) -> None:
    m = by_text(run("Pakistanis voted in large numbers."))["Pakistanis"]
    assert (m.code, m.kind) == ("PAK", "group")


def test_every_iso_country_is_recognised_by_its_name(stage: object) -> None:
    import pycountry

    from communique.actors.stage import ActorStage

    assert isinstance(stage, ActorStage)
    names = stage.dictionary.country_names
    missing = [c.alpha_3 for c in pycountry.countries if c.alpha_3 not in names]
    assert not missing
    for country in pycountry.countries:
        display = names[country.alpha_3].removeprefix("The ")
        keys = stage.dictionary.lower_terms.get(display.lower(), []) + stage.dictionary.exact_terms.get(display, [])
        assert f"country:{country.alpha_3}" in keys, display


def test_list_of_modifiers_with_an_organisation(run: Run) -> None:
    found = by_text(run("UN, Turkish and Ukrainian officials inspected the ship."))
    assert found["UN"].code == "IGOUNO"
    assert found["Turkish"].code == "TURGOV"
    assert found["Ukrainian officials"].code == "UKRGOV"


@pytest.mark.parametrize(
    ("text", "surface", "code"),
    [
        ("Pentagon officials declined to comment.", "Pentagon officials", "USAMIL"),
        ("A Kremlin spokesman denied the report.", "Kremlin spokesman", "RUSGOV"),
        ("The Islamabad High Court granted bail.", "Islamabad High Court", "PAKJUD"),
    ],
)
def test_organ_or_capital_as_modifier(run: Run, text: str, surface: str, code: str) -> None:
    assert by_text(run(text))[surface].code == code


def test_adjective_role_before_a_generic_role(run: Run) -> None:
    found = by_text(run("Nepal's military spokesman briefed reporters."))
    assert found["Nepal's military spokesman"].code == "NPLMIL"


def test_honorific_between_title_and_known_name(run_fixture_people: Run) -> None:
    found = by_text(run_fixture_people("Army chief General Alma Testova visited the front.", "2023-01-01"))
    person = next(m for m in found.values() if m.kind == "person")
    assert person.code == "PAKMIL"
    assert person.text.startswith("Army chief")


def test_demonym_as_people_and_as_adjective(run: Run) -> None:
    analysis = run("The Chinese say Chinese officials agreed.")
    kinds = [(m.text, m.kind, m.code) for m in analysis.mentions]
    assert ("Chinese", "group", "CHN") in kinds
    assert ("Chinese officials", "role", "CHNGOV") in kinds


def test_role_word_inside_a_name_is_not_a_role(run: Run) -> None:
    analysis = run("Students at Harvard University protested.")
    assert [m.code for m in analysis.mentions] == ["EDU"]
