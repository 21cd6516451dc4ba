"""Light coreference: 'the country', 'the two nations', 'he', and bare state roles."""

from __future__ import annotations

from actor_helpers import Run


def coref_mentions(analysis):  # type: ignore[no-untyped-def]
    return [m for m in analysis.mentions if m.coref]


def test_the_country_links_to_the_last_state(run: Run) -> None:
    analysis = run("Peru signed the treaty on Monday. The country will ratify it next year.")
    linked = coref_mentions(analysis)
    assert [(m.text, m.code) for m in linked] == [("The country", "PER")]
    assert linked[0].method.startswith("coref:") and linked[0].confidence < 1.0


def test_the_two_nations_link_to_the_last_two_states(run: Run) -> None:
    analysis = run("Chile and Argentina settled the dispute. The two nations will open a new border crossing.")
    linked = coref_mentions(analysis)
    assert sorted(m.code for m in linked) == ["ARG", "CHL"]
    assert {m.text for m in linked} == {"The two nations"}


def test_he_links_to_a_resolved_leader(run_fixture_people: Run) -> None:
    analysis = run_fixture_people("Boris Fixturov arrived in the capital. He said the talks went well.", "2025-01-01")
    linked = coref_mentions(analysis)
    assert [(m.text, m.code) for m in linked] == [("He", "RUSGOV")]


def test_he_is_not_linked_when_two_people_are_in_view(run_fixture_people: Run) -> None:
    analysis = run_fixture_people("Boris Fixturov met Alma Testova on Tuesday. Later he flew home.", "2025-01-01")
    assert not coref_mentions(analysis)


def test_countrys_role_via_coreference(run: Run) -> None:
    analysis = run("Peru faces a crisis. The country's army chief resigned on Sunday.")
    merged = [m for m in analysis.mentions if m.code == "PERMIL"]
    assert merged and merged[0].coref


def test_bare_state_role_takes_the_only_country_in_view(run: Run) -> None:
    analysis = run("Ecuador declared an emergency. The military was deployed to the ports.")
    role = next(m for m in analysis.mentions if m.text.lower().endswith("military"))
    assert (role.code, role.coref) == ("ECUMIL", True)


def test_bare_state_role_stays_bare_with_two_countries_in_view(run: Run) -> None:
    analysis = run("Ecuador and Peru held talks. The military was deployed to the ports.")
    role = next(m for m in analysis.mentions if m.text.lower().endswith("military"))
    assert role.code == "MIL"


def test_no_antecedent_no_link(run: Run) -> None:
    analysis = run("The country is tired of slogans. He said so himself.")
    assert not coref_mentions(analysis)
