"""Ambiguous names decided by context: each reading is tested on its own document."""

from __future__ import annotations

import pytest
from actor_helpers import Run, by_text, codes


def test_georgia_the_us_state(run: Run) -> None:
    analysis = run("Georgia's governor signed the bill in Atlanta after the county recount.")
    assert not any(m.country == "GEO" for m in analysis.mentions)


def test_georgia_the_country(run: Run) -> None:
    analysis = run("Georgia accused Russia of occupying Abkhazia, and officials in Tbilisi protested.")
    assert by_text(analysis)["Georgia"].code == "GEO"


def test_georgia_undecided_defaults_to_the_country_with_lower_confidence(run: Run) -> None:
    m = by_text(run("Georgia signed the agreement on Tuesday."))["Georgia"]
    assert m.code == "GEO"
    assert m.confidence < 1.0


def test_jordan_the_person(run: Run) -> None:
    analysis = run("Representative Jim Jordan questioned the witness, and Michael Jordan watched.")
    assert "JOR" not in codes(analysis)


def test_jordan_the_country(run: Run) -> None:
    analysis = run("Jordan and Syria reopened their border crossing, officials in Amman said.")
    assert by_text(analysis)["Jordan"].code == "JOR"


def test_chad_the_person(run: Run) -> None:
    assert "TCD" not in codes(run("Chad Johnson caught two touchdown passes for the team."))


def test_chad_the_country(run: Run) -> None:
    assert by_text(run("Chad closed its border with Sudan."))["Chad"].code == "TCD"


def test_turkey_the_bird(run: Run) -> None:
    assert "TUR" not in codes(run("We roasted a turkey and made gravy for Thanksgiving dinner."))
    assert "TUR" not in codes(run("Turkey sandwiches and cranberry sauce were served at the roast."))


@pytest.mark.parametrize("name", ["Turkey", "Türkiye", "Turkiye"])
def test_turkey_the_country_under_both_names(run: Run, name: str) -> None:
    m = by_text(run(f"{name} hosted the NATO summit in Ankara."))[name]
    assert m.code == "TUR"


def test_the_two_congos(run: Run) -> None:
    analysis = run("The Democratic Republic of the Congo and the Republic of Congo signed a river accord.")
    assert sorted(codes(analysis)) == ["COD", "COG"]
    assert by_text(run("DR Congo accused Rwanda of backing rebels."))["DR Congo"].code == "COD"
    assert by_text(run("Congo-Brazzaville held elections."))["Congo-Brazzaville"].code == "COG"


def test_bare_congo_is_the_drc_unless_the_document_is_about_brazzaville(run: Run) -> None:
    assert by_text(run("Fighting in eastern Congo displaced thousands."))["Congo"].code == "COD"
    analysis = run("Congo-Brazzaville held a vote. In Congo, turnout was low.")
    assert by_text(analysis)["Congo"].code == "COG"


def test_korea(run: Run) -> None:
    analysis = run("North Korea fired a missile. South Korea protested, and Korea asked for talks.")
    found = by_text(analysis)
    assert found["North Korea"].code == "PRK"
    assert found["South Korea"].code == "KOR"
    assert found["Korea"].code == "KOR"


def test_america_is_the_united_states_but_latin_america_is_a_region(run: Run) -> None:
    found = by_text(run("America and Latin America disagreed over trade."))
    assert found["America"].code == "USA"
    assert (found["Latin America"].code, found["Latin America"].kind) == ("LATAM", "region")


def test_washington_the_state_is_not_the_us_government(run: Run) -> None:
    analysis = run("Washington state sued over the rule, and officials in Seattle welcomed the ruling.")
    assert "USAGOV" not in codes(analysis)


def test_washington_with_seattle_cue_is_dropped(run: Run) -> None:
    analysis = run("Wildfires spread across Washington, from Spokane to Seattle.")
    assert "USAGOV" not in codes(analysis)


def test_washington_the_government(run: Run) -> None:
    assert by_text(run("Washington imposed sanctions on the exporters."))["Washington"].code == "USAGOV"


def test_taiwan_and_the_republic_of_china_vs_the_prc(run: Run) -> None:
    found = by_text(
        run("Taiwan, officially the Republic of China, rejected a statement by the People's Republic of China.")
    )
    assert found["Taiwan"].code == "TWN"
    assert found["Republic of China"].code == "TWN"
    assert found["People's Republic of China"].code == "CHN"


def test_indian_ocean_is_not_india(run: Run) -> None:
    analysis = run("Ships crossed the Indian Ocean towards the Arabian Sea.")
    assert "IND" not in codes(analysis)


def test_person_named_like_a_country(run: Run) -> None:
    analysis = run("Kenya Moore posted a photo, and Jordan Peterson shared it.")
    assert "KEN" not in codes(analysis)
    assert "JOR" not in codes(analysis)


def test_drc_acronym_is_not_flipped_by_brazzaville(run: Run) -> None:
    analysis = run("Congo-Brazzaville and the DRC met. Brazzaville hosted the talks.")
    assert by_text(analysis)["DRC"].code == "COD"


def test_bare_korea_in_a_story_about_the_north(run: Run) -> None:
    analysis = run("North Korea tested a missile, and Pyongyang said Korea would not negotiate.")
    assert by_text(analysis)["Korea"].code == "PRK"
