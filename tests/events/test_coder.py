"""Each construction the coder handles, pinned on sentences written for these tests."""

from __future__ import annotations

from communique.model import Event


def triples(events: list[Event]) -> set[tuple[str | None, str, str | None]]:
    """(source country, CAMEO code, target country) for the plain (non-negated) events."""
    return {
        (e.source.code[:3] if e.source else None, e.cameo.code, e.target.code[:3] if e.target else None)
        for e in events
        if not e.negated
    }


def test_passive_with_agent_and_adjectival_owner_of_the_object(code) -> None:  # type: ignore[no-untyped-def]
    analysis = code("Several Iranian proposals for a regional security pact were rejected by Saudi Arabia.")
    assert ("SAU", "125", "IRN") in triples(analysis.events)
    event = analysis.events[0]
    assert event.rule == "reject-proposal" and event.plover.type == "REJECT"


def test_coordinated_subjects_give_one_event_per_actor(code) -> None:  # type: ignore[no-untyped-def]
    found = triples(code("France and Germany condemned Russia.").events)
    assert {("FRA", "111", "RUS"), ("DEU", "111", "RUS")} <= found


def test_symmetric_event_pairs_coordinated_actors_both_ways(code) -> None:  # type: ignore[no-untyped-def]
    found = triples(code("Egypt and Jordan held talks in Cairo.").events)
    assert found == {("EGY", "046", "JOR"), ("JOR", "046", "EGY")}


def test_nominal_event_with_possessor_source(code) -> None:  # type: ignore[no-untyped-def]
    assert ("TUR", "125", "GRC") in triples(code("Turkey's rejection of the Greek proposal was swift.").events)


def test_nominal_offer_to_mediate_is_intent_to_mediate(code) -> None:  # type: ignore[no-untyped-def]
    events = code("Spain offered to mediate between Morocco and Algeria.").events
    assert {("ESP", "039", "MAR"), ("ESP", "039", "DZA")} <= triples(events)
    assert all(e.modality == "offer" and e.rule == "intent+mediate" for e in events)


def test_reported_speech_records_the_speaker(code) -> None:  # type: ignore[no-untyped-def]
    analysis = code("The Brazilian foreign minister said Brazil would send aid to Haiti.")
    event = next(e for e in analysis.events if e.cameo.code == "033")
    assert (event.source.code, event.target.code) == ("BRA", "HTI")  # type: ignore[union-attr]
    assert event.attributed_to is not None and event.attributed_to.code.startswith("BRA")
    assert event.modality == "hypothetical"


def test_negation_is_flagged_not_coded_as_plain_event(code) -> None:  # type: ignore[no-untyped-def]
    events = code("Chile did not reject the Argentine proposal.").events
    assert events and all(e.negated for e in events if e.cameo.root == "12")
    assert not any(t[1].startswith("12") for t in triples(events))


def test_future_aid_is_intent_to_provide_aid(code) -> None:  # type: ignore[no-untyped-def]
    events = code("Norway will provide humanitarian aid to Yemen.").events
    assert ("NOR", "033", "YEM") in triples(events) or ("NOR", "0333", "YEM") in triples(events)
    assert events[0].modality == "future" and events[0].plover.type == "AGREE"


def test_threat_frame_recodes_the_threatened_act(code) -> None:  # type: ignore[no-untyped-def]
    events = code("Poland threatened to expel Belarusian diplomats.").events
    assert ("POL", "136", "BLR") in triples(events)
    assert events[0].modality == "threat" and events[0].plover.type == "THREATEN"


def test_refusal_frame_is_a_rejection(code) -> None:  # type: ignore[no-untyped-def]
    events = code("Kenya refused to release the Ugandan prisoners.").events
    assert ("KEN", "1243", "UGA") in triples(events)


def test_demand_that_target_acts(code) -> None:  # type: ignore[no-untyped-def]
    events = code("The United States demanded that Iran release the detained sailors.").events
    assert ("USA", "1053", "IRN") in triples(events)


def test_speaker_saying_another_must_act_is_a_demand(code) -> None:  # type: ignore[no-untyped-def]
    events = code("Germany said Serbia must withdraw its troops from Kosovo.").events
    assert any(t[0] == "DEU" and t[1].startswith("10") and t[2] == "SRB" for t in triples(events))


def test_several_events_in_one_sentence(code) -> None:  # type: ignore[no-untyped-def]
    found = triples(code("Israel launched air strikes on Lebanon, and Egypt condemned Israel.").events)
    assert {("ISR", "195", "LBN"), ("EGY", "111", "ISR")} <= found


def test_one_sided_event_is_kept(code) -> None:  # type: ignore[no-untyped-def]
    assert triples(code("Venezuela mobilized troops.").events) == {("VEN", "154", None)}


def test_accusation_of_sponsoring_terrorism(code) -> None:  # type: ignore[no-untyped-def]
    assert ("VNM", "112", "CHN") in triples(code("Vietnam accused China of sponsoring terrorism.").events)


def test_particle_verb_turn_down(code) -> None:  # type: ignore[no-untyped-def]
    assert ("IDN", "125", "MYS") in triples(code("Indonesia turned down Malaysia's offer.").events)


def test_relative_date_and_location_are_resolved(code) -> None:  # type: ignore[no-untyped-def]
    events = code("In May, India and Pakistan held talks in Geneva.").events
    assert events and all(e.date == "2025-05" for e in events)
    assert all(e.location is not None and e.location.text == "Geneva" for e in events)
    undated = code("India and Pakistan held talks.", published=None).events
    assert undated and undated[0].date is None


def test_offsets_point_into_the_text(code) -> None:  # type: ignore[no-untyped-def]
    text = "Officials said that Japan imposed sanctions on North Korea on Tuesday."
    analysis = code(text)
    event = next(e for e in analysis.events if e.cameo.code == "163")
    assert text[event.trigger.start:event.trigger.end] == event.trigger.text == "imposed"
    assert event.source is not None and text[event.source.start:event.source.end] == event.source.text
    assert event.date == "2025-06-17"  # the Tuesday before publication
    assert 0 < event.confidence <= 1 and event.goldstein == -8.0


def test_background_relative_clause_is_not_coded(code) -> None:  # type: ignore[no-untyped-def]
    found = triples(code("Chile praised Peru, which had attacked Bolivia years ago.").events)
    assert ("CHL", "051", "PER") in found
    assert not any(t[1].startswith("19") for t in found)


def test_drills_show_force_unless_held_jointly(code) -> None:  # type: ignore[no-untyped-def]
    assert ("CHN", "150", "TWN") in triples(code("China held military drills near Taiwan.").events)
    joint = triples(code("Japan and the United States held joint naval exercises.").events)
    assert {("JPN", "062", "USA"), ("USA", "062", "JPN")} <= joint


def test_symmetric_clash(code) -> None:  # type: ignore[no-untyped-def]
    found = triples(code("Armenian and Azerbaijani troops clashed on the border.").events)
    assert {("ARM", "190", "AZE"), ("AZE", "190", "ARM")} <= found


def test_dateline_city_is_not_an_actor(code) -> None:  # type: ignore[no-untyped-def]
    events = code("MOSCOW, June 3 (Example Wire) — Finland praised Estonia on Tuesday.").events
    assert triples(events) == {("FIN", "051", "EST")}


def test_unknown_official_takes_country_of_domestic_event(code) -> None:  # type: ignore[no-untyped-def]
    found = triples(code("The interior minister imposed a curfew in Bolivia.").events)
    assert any(s == "BOL" and c == "1723" for s, c, _ in found)


def test_who_protests_decides_between_demonstration_and_official_complaint(code) -> None:  # type: ignore[no-untyped-def]
    assert any(c == "141" for _, c, _ in triples(code("Thousands of students protested in Peru.").events))
    assert ("CHN", "114", "JPN") in triples(code("China protested to Japan over the visit.").events)


def test_offer_to_host_talks_between_two_parties(code) -> None:  # type: ignore[no-untyped-def]
    found = triples(code("Qatar offered to host talks between the United States and the Taliban.").events)
    assert ("QAT", "036", "USA") in found
