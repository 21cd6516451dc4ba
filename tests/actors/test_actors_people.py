"""People resolve by the document date; undated text takes the most recent role."""

from __future__ import annotations

import pytest
from actor_helpers import SHIPPED_PEOPLE, Run, by_text


@pytest.mark.parametrize(
    ("published", "code", "method_prefix"),
    [
        ("2015-03-01", "RUSGOV", "people.tsv:2012-05-07"),
        ("2020-03-01", "RUSOPP", "people.tsv:2019-06-01"),
        ("2025-03-01", "RUSGOV", "people.tsv:2024-05-07"),
        (None, "RUSGOV", "people.tsv:latest"),
    ],
)
def test_role_by_document_date(run_fixture_people: Run, published: str | None, code: str, method_prefix: str) -> None:
    m = by_text(run_fixture_people("Boris Fixturov gave a speech.", published))["Boris Fixturov"]
    assert (m.code, m.kind) == (code, "person")
    assert m.method.startswith(method_prefix)


def test_surname_alias(run_fixture_people: Run) -> None:
    m = by_text(run_fixture_people("Testova inspected the troops.", "2021-06-01"))["Testova"]
    assert m.code == "PAKMIL"


def test_earlier_role_of_the_same_person(run_fixture_people: Run) -> None:
    m = by_text(run_fixture_people("Alma Testova briefed the cabinet.", "2018-06-01"))["Alma Testova"]
    assert m.code == "PAKSPY"


def test_out_of_office_is_an_elite_of_the_country(run_fixture_people: Run) -> None:
    m = by_text(run_fixture_people("Dora Exampleton wrote a memoir.", "2020-01-01"))["Dora Exampleton"]
    assert (m.code, m.sector) == ("USAELI", "ELI")
    assert "out-of-office" in m.method


def test_igo_official(run_fixture_people: Run) -> None:
    m = by_text(run_fixture_people("Carla Samplez called for a ceasefire.", "2024-01-01"))["Carla Samplez"]
    assert (m.code, m.country) == ("IGOUNO", "IGO")


def test_a_surname_after_another_given_name_is_someone_else(run_fixture_people: Run) -> None:
    analysis = run_fixture_people("Marta Testova, a painter, opened a gallery.", "2021-06-01")
    assert "PAKMIL" not in [m.code for m in analysis.mentions]


def test_shipped_people_trump_and_munir(run: Run) -> None:
    if not SHIPPED_PEOPLE.is_file():
        pytest.skip("people.tsv not shipped yet")
    assert by_text(run("Donald Trump spoke.", "2019-05-01"))["Donald Trump"].code == "USAGOV"
    assert by_text(run("Donald Trump spoke.", "2025-05-01"))["Donald Trump"].code == "USAGOV"
    assert by_text(run("Donald Trump spoke.", "2023-05-01"))["Donald Trump"].code != "USAGOV"
    assert by_text(run("Asim Munir met the delegation.", "2024-02-01"))["Asim Munir"].code == "PAKMIL"
    titled = by_text(run("U.S. President Donald Trump met him.", "2025-07-01"))["U.S. President Donald Trump"]
    assert (titled.code, titled.kind) == ("USAGOV", "person")
