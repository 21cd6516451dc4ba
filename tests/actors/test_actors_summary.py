"""The per-document actor summary."""

from __future__ import annotations

from actor_helpers import Run


def test_summary_counts_names_and_salience(run: Run) -> None:
    analysis = run(
        "Peru and Chile met. Peru proposed a deal. Peruvian officials were upbeat. Talks went on. "
        "Later, Bolivia commented."
    )
    summary = {a.code: a for a in analysis.actors}
    assert summary["PER"].mentions == 2
    assert summary["PER"].name == "Peru"
    assert summary["PERGOV"].name == "Peru government"
    assert summary["BOL"].kind == "state"
    # more mentions and an earlier first mention both raise salience
    assert summary["PER"].salience > summary["CHL"].salience > summary["BOL"].salience
    assert all(0.0 <= a.salience <= 1.0 for a in analysis.actors)
    assert sum(a.mentions for a in analysis.actors) == len(analysis.mentions)


def test_empty_text_has_no_actors(run: Run) -> None:
    analysis = run("Nothing to see here.")
    assert analysis.mentions == [] and analysis.actors == []
